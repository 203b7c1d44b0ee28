"""The documentation site as a reader meets it: the built HTML of ``make docs``.

``make test`` builds the site first (``docs/_build/html``), then runs these
tests; run alone, they skip with the reason when the site has not been built.
The page structure is read with the standard library's HTML parser; whether
code blocks scroll or are cut is asked of a real headless Chromium (Debian's
``chromium``, driven by Playwright), since only a browser lays them out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
SITE = DOCS / "_build" / "html"


@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "index.html").is_file():
        pytest.skip(f"the documentation site is not built at {SITE}: run `make docs` (make test builds it first)")
    return SITE


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if not {"_static", "_sources", "_images"} & set(p.parts))


class _Outline(HTMLParser):
    """The header's navigation links, the "Section Navigation" links, the front page's section list and every href."""

    def __init__(self) -> None:
        super().__init__()
        self.navbar: list[str] = []  # link texts of the top bar (first navbar list of the page)
        self.navbar_dropdown = False
        self.section_nav: int | None = None  # links inside "Section Navigation" (None: no such column)
        self.hrefs: list[str] = []
        self.list_items: list[tuple[str, str | None]] = []  # (bold text, the link around it) of the article's lists
        self._stack: list[tuple[str, str]] = []
        self._in_navbar = 0  # depth inside the first navbar <ul>, 0 outside
        self._navbar_done = False
        self._in_section_nav = 0
        self._text: list[str] | None = None
        self._link: str | None = None
        self._strong: list[str] | None = None
        self._in_li_article = 0
        self._in_article = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        cls = a.get("class", "")
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if tag == "ul" and "bd-navbar-elements" in cls and not self._navbar_done:
            self._in_navbar = 1
        elif self._in_navbar and tag == "ul":
            self._in_navbar += 1
        if self._in_navbar:
            if "dropdown" in cls:
                self.navbar_dropdown = True
            if tag == "a":
                self._text = []
        if tag == "nav" and a.get("aria-label") == "Section Navigation":
            self._in_section_nav = 1
            self.section_nav = 0
        elif self._in_section_nav and tag == "nav":
            self._in_section_nav += 1
        if self._in_section_nav and tag == "a":
            self.section_nav = (self.section_nav or 0) + 1
        if tag == "article":
            self._in_article += 1
        if self._in_article and tag == "li":
            self._in_li_article += 1
            self._link = None
        if self._in_li_article and tag == "a":
            self._link = a.get("href")
        if self._in_li_article and tag == "strong":
            self._strong = []

    def handle_endtag(self, tag: str) -> None:
        if self._in_navbar:
            if tag == "a" and self._text is not None:
                self.navbar.append(" ".join("".join(self._text).split()))
                self._text = None
            if tag == "ul":
                self._in_navbar -= 1
                if self._in_navbar == 0:
                    self._navbar_done = True
        if self._in_section_nav and tag == "nav":
            self._in_section_nav -= 1
        if tag == "article":
            self._in_article -= 1
        if self._in_li_article and tag == "strong" and self._strong is not None:
            self.list_items.append(("".join(self._strong).strip(), self._link))
            self._strong = None
        if self._in_li_article and tag == "li":
            self._in_li_article -= 1

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)
        if self._strong is not None:
            self._strong.append(data)


def _outline(path: Path) -> _Outline:
    parser = _Outline()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_the_top_bar_has_at_most_six_sections_gallery_and_api_included(site):
    for page in (site / "index.html", site / "pate.html", site / "api" / "index.html"):
        outline = _outline(page)
        assert not outline.navbar_dropdown, f"{page.name}: sections hidden under 'More': {outline.navbar}"
        assert 3 <= len(outline.navbar) <= 6, outline.navbar
        assert {"Gallery", "API reference"} <= set(outline.navbar), outline.navbar


def test_the_front_page_section_list_links_each_section(site):
    items = dict(_outline(site / "index.html").list_items)
    assert {"User guide", "Gallery", "API reference"} <= set(items), items
    for name, target in items.items():
        assert target, f"front page: {name!r} is not a link"
        assert (site / target.split("#")[0]).is_file(), f"front page: {name!r} links to a missing {target}"


def test_no_page_has_an_empty_section_navigation_column(site):
    empty = [str(p.relative_to(site)) for p in _pages(site) if _outline(p).section_nav == 0]
    assert empty == []


def test_no_text_is_turned_into_a_mail_link(site):
    # docutils reads "TheDatumOrg/VUS@b708919" in a docstring as an e-mail address
    mail = [str(p.relative_to(site)) for p in _pages(site) if any(h.startswith("mailto:") for h in _outline(p).hrefs)]
    assert mail == []


def test_pages_that_use_the_nab_folder_say_how_to_build_it():
    script = REPO / "benchmarks" / "make_nab_folder.py"
    assert script.is_file()
    assert "benchmarks/make_nab_folder.py" in (DOCS / "nab_data.md").read_text()
    pages = [p for p in DOCS.rglob("*.md") if "_build" not in p.parts and p.name != "nab_data.md"]
    using = [p for p in pages if "shared/data/nab" in p.read_text()]
    assert using, "no page uses the NAB folder any more: this test has nothing to check"
    unexplained = [str(p.relative_to(DOCS)) for p in using if not re.search(r"\]\((\.\./)?nab_data\.md", p.read_text())]
    assert unexplained == []


# ------------------------------------------------------------- in a browser
_BLOCKS = """() => Array.from(document.querySelectorAll('pre')).map(pre => {
  const style = getComputedStyle(pre);
  const box = pre.getBoundingClientRect();
  let clippedBy = null;
  for (let e = pre.parentElement; e && e !== document.body; e = e.parentElement) {
    const s = getComputedStyle(e);
    if ((s.overflowX === 'hidden' || s.overflowX === 'clip') && box.right > e.getBoundingClientRect().right + 1) {
      clippedBy = e.className || e.tagName;
      break;
    }
  }
  return {overflowX: style.overflowX, wider: pre.scrollWidth > pre.clientWidth + 1, clippedBy: clippedBy,
          text: pre.innerText.slice(0, 60)};
})"""


def test_code_blocks_scroll_rather_than_being_cut(site, browser):
    # Every page but the API object pages (one template; two of them stand for all), in a narrow window.
    pages = [p for p in _pages(site) if "generated" not in p.parts]
    pages += [site / "api" / "generated" / f"pate.{name}.html" for name in ("metrics.pate_score", "benchmark.evaluate")]
    page = browser.new_page(viewport={"width": 800, "height": 900})
    cut = []
    try:
        for path in pages:
            page.goto(path.as_uri())
            for block in page.evaluate(_BLOCKS):
                if block["clippedBy"] or (block["wider"] and block["overflowX"] not in ("auto", "scroll")):
                    cut.append((str(path.relative_to(site)), block))
    finally:
        page.close()
    assert cut == []


def test_help_blocks_fit_a_laptop_screen(site, browser):
    # The --help texts of the command-line page are shown whole at 1280 px: no sideways scrolling to read an option.
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto((site / "api" / "cli.html").as_uri())
        blocks = page.evaluate(_BLOCKS)
    finally:
        page.close()
    assert len(blocks) >= 5
    assert [b["text"] for b in blocks if b["wider"]] == []
