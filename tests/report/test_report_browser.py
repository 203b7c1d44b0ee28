"""The NAB report opened in a real headless Chromium (Debian's ``chromium``), driven by Playwright for Python.

The browser is the system one (``/usr/bin/chromium``, or ``PATE_CHROMIUM``;
the ``browser`` fixture of tests/conftest.py, shared with tests/test_docs_site.py):
``make test`` installs it when absent, and these tests skip, with the reason,
only where it cannot be started. One browser serves the module and is closed
at its end. The full-page screenshot is kept as a test artefact: in
``$PATE_TEST_ARTIFACTS`` when set, else in pytest's temporary directory; its
path is printed.
"""

from __future__ import annotations

import io
import os
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from helpers import NAB_DETECTORS, NAB_RESULTS, PACKAGE_DATA

from pate.report import write_report

pytest.importorskip("jinja2")
pytest.importorskip("matplotlib")
pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the test extra has it)")


LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report-browser") / "nab_report.html"
    write_report(NAB_RESULTS, path, series=PACKAGE_DATA, title="NAB: 16 detectors on 58 series")
    return path


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory) -> Path:
    where = os.environ.get("PATE_TEST_ARTIFACTS")
    folder = Path(where) if where else tmp_path_factory.mktemp("artefacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Visit:
    """A page opened on the report, with everything it asked for and complained about."""

    def __init__(self, browser, url: str, **context_options) -> None:
        self.context = browser.new_context(viewport=LAPTOP, **context_options)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on(
            "console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None
        )
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

        def route(r):  # the report itself is the only URL allowed; anything else is aborted and recorded
            if r.request.url == url or r.request.url.startswith(("data:", "about:")):
                r.continue_()
            else:
                self.blocked.append(r.request.url)
                r.abort()

        self.context.route("**/*", route)
        self.page.goto(url, wait_until="load")

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def visit(browser, report):
    v = Visit(browser, report.as_uri())
    yield v
    v.close()


def test_no_console_error_and_no_network_request(visit, report):
    visit.page.locator("table.leaderboard").first.click()  # the sorting script runs on a live page
    assert visit.errors == []
    assert visit.blocked == []
    assert all(u == report.as_uri() or u.startswith(("data:", "about:")) for u in visit.requests), visit.requests


def test_every_picture_decodes_or_is_an_inline_svg(visit):
    figures = visit.page.evaluate(
        """() => Array.from(document.querySelectorAll("main figure")).map(f => {
            const img = f.querySelector("img"), svg = f.querySelector(":scope > svg");
            const box = (svg || img).getBoundingClientRect();
            return {
                img: img ? {complete: img.complete, width: img.naturalWidth, alt: img.alt} : null,
                svg: svg ? {role: svg.getAttribute("role"), title: (svg.querySelector("title") || {}).textContent,
                            images: Array.from(svg.querySelectorAll("image")).length} : null,
                width: box.width, height: box.height,
            };
        })"""
    )
    # 4 critical-difference diagrams, the agreement heatmap, 4 detector x series heatmaps, 2 series x 2 zones
    assert len(figures) == 4 + 1 + 4 + 4
    for f in figures:
        assert f["width"] > 100 and f["height"] > 50
        if f["img"] is not None:
            assert f["img"]["complete"] and f["img"]["width"] > 0 and f["img"]["alt"]
        else:
            assert f["svg"]["role"] == "img" and len(f["svg"]["title"]) > 40
    # PNGs inside the SVGs (colour bars) decode too
    broken = visit.page.evaluate(
        """async () => {
            const hrefs = Array.from(document.querySelectorAll("svg image"))
                .map(i => i.getAttribute("xlink:href") || i.getAttribute("href"));
            const sizes = await Promise.all(hrefs.map(h => new Promise(ok => {
                const im = new Image(); im.onload = () => ok(im.naturalWidth); im.onerror = () => ok(0); im.src = h;
            })));
            return {n: hrefs.length, broken: sizes.filter(w => !(w > 0)).length};
        }"""
    )
    assert broken["n"] >= 4 and broken["broken"] == 0


def _leaderboards(page) -> list[dict]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("table.leaderboard")).map(t => ({
            metric: t.dataset.metric,
            visible: t.getBoundingClientRect().height > 0,
            rows: Array.from(t.tBodies[0].rows).map(r => ({
                detector: r.querySelector("th[scope=row]").textContent.trim(),
                flags: Array.from(r.querySelectorAll(".flag")).map(s => s.textContent.trim()),
            })),
        }))"""
    )


def test_every_detector_in_each_leaderboard_and_the_flag_on_null(visit):
    boards = _leaderboards(visit.page)
    assert [b["metric"] for b in boards] == ["pate", "best_pa_f1", "auc_pr", "vus_pr"]
    for board in boards:
        assert board["visible"]
        assert sorted(r["detector"] for r in board["rows"]) == sorted(NAB_DETECTORS)
        flags = {r["detector"]: r["flags"] for r in board["rows"]}
        assert flags["null"] == ["constant"]
        assert all(f == [] for d, f in flags.items() if d != "null")
    # the flag is shown, not only present: the null row of the PATE leaderboard is on screen with its label
    flag = visit.page.locator("#leaderboard-pate tr", has_text="null").locator(".flag")
    assert flag.is_visible() and flag.inner_text() == "constant"


def test_screenshot_is_not_blank_and_kept(visit, artefacts, capsys):
    from PIL import Image

    path = artefacts / "nab_report.png"
    png = visit.page.screenshot(path=str(path), full_page=True)
    top = visit.page.screenshot()  # the first screen, as a reader sees it
    with capsys.disabled():
        print(f"\nreport screenshot: {path}")
    for data in (png, top):
        pixels = np.asarray(Image.open(io.BytesIO(data)).convert("L"), dtype=float)
        assert pixels.std() > 20  # a blank page is one colour
        assert (pixels < 128).mean() > 0.01  # some ink: text, tables, pictures
    assert Image.open(path).size[1] > 5000  # the whole page, not only the first screen


def test_headings_in_order_and_header_cells_scoped(visit):
    levels = visit.page.evaluate(
        "() => Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6')).map(h => Number(h.tagName[1]))"
    )
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in pairwise(levels))
    unscoped = visit.page.evaluate(
        "() => Array.from(document.querySelectorAll('th')).filter(th => !th.getAttribute('scope')).length"
    )
    assert unscoped == 0


def test_fits_a_laptop_screen(visit):
    width = visit.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= LAPTOP["width"]  # wide tables scroll inside their own box, the page does not


def test_sorting_a_column(visit):
    header = visit.page.locator("#leaderboard-pate thead th", has_text="mean").first
    header.locator("button").click()
    header.locator("button").click()  # descending
    assert header.get_attribute("aria-sort") == "descending"
    means = visit.page.evaluate(
        """() => Array.from(document.querySelectorAll("#leaderboard-pate tbody tr"))
            .map(r => Number(r.cells[2].dataset.value))"""
    )
    assert means == sorted(means, reverse=True) and len(means) == 16
    assert visit.errors == []


def test_readable_without_javascript(browser, report):
    v = Visit(browser, report.as_uri(), java_script_enabled=False)
    try:
        tables = v.page.locator("table.leaderboard")
        assert tables.count() == 4
        for i in range(4):
            table = tables.nth(i)
            assert table.is_visible()
            names = table.locator("tbody th[scope=row]").all_inner_texts()
            assert sorted(names) == sorted(NAB_DETECTORS)
        assert v.page.locator("button.sort").count() == 0  # the buttons come from the script only
        assert v.page.locator("main figure svg").count() == 13
        assert v.errors == [] and v.blocked == []
    finally:
        v.close()


def test_printable(visit):
    visit.page.emulate_media(media="print")
    try:
        assert visit.page.locator("nav.toc").is_hidden()
        pdf = visit.page.pdf(format="A4")
    finally:
        visit.page.emulate_media(media="screen")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") > 5
