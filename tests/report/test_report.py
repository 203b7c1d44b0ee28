"""pate.report.write_report: content, structure and bad input of the HTML page (no browser here).

The page is parsed with the standard library's HTML parser; what a real
browser makes of it is tested in test_report_browser.py.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import warnings
from html import unescape
from html.parser import HTMLParser
from itertools import pairwise

import numpy as np
import pandas as pd
import pytest
from helpers import NAB_DETECTORS, NAB_RESULTS, PACKAGE_DATA

pytest.importorskip("jinja2")
pytest.importorskip("matplotlib")

from pate.benchmark import evaluate, read_csv_series
from pate.compare import leaderboard, read_results, results_from_matrix
from pate.report import ReportResult, write_report
from pate.report._disagreement import disagreement
from pate.report._render import require
from pate.report._sections import direction_of


class Page(HTMLParser):
    """The parts of a report page the tests look at."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.th: list[dict] = []
        self.svgs: list[dict] = []
        self.titles_in_svg = 0
        self.urls: list[str] = []
        self.tags: list[str] = []
        self.tables: list[dict] = []  # leaderboards: metric, row headers, flags per row
        self._heading: int | None = None
        self._text: list[str] = []
        self._svg_depth = 0
        self._table: dict | None = None
        self._row_header: str | None = None
        self._in_row_th = False
        self._in_flag = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        for name in ("src", "href", "xlink:href", "action", "data"):
            if name in a:
                self.urls.append(a[name])
        if re.fullmatch(r"h[1-6]", tag):
            self._heading, self._text = int(tag[1]), []
        if tag == "th":
            self.th.append(a)
            if a.get("scope") == "row" and self._table is not None:
                self._in_row_th, self._text = True, []
        if tag == "svg":
            if self._svg_depth == 0:
                self.svgs.append(a)
            self._svg_depth += 1
        if tag == "title" and self._svg_depth:
            self.titles_in_svg += 1
        if tag == "table" and "leaderboard" in a.get("class", "").split():
            self._table = {"metric": a.get("data-metric"), "rows": {}, "class": a.get("class")}
        if tag == "span" and "flag" in a.get("class", "").split() and self._table is not None:
            self._in_flag, self._text = True, []

    def handle_endtag(self, tag):
        if self._heading is not None and tag == f"h{self._heading}":
            self.headings.append((self._heading, "".join(self._text).strip()))
            self._heading = None
        if tag == "th" and self._in_row_th:
            self._row_header = "".join(self._text).strip()
            self._table["rows"][self._row_header] = []
            self._in_row_th = False
        if tag == "span" and self._in_flag:
            self._table["rows"][self._row_header].append("".join(self._text).strip())
            self._in_flag = False
        if tag == "svg":
            self._svg_depth -= 1
        if tag == "table" and self._table is not None:
            self.tables.append(self._table)
            self._table = None

    def handle_data(self, data):
        self._text.append(data)


@pytest.fixture(scope="module")
def nab_report(tmp_path_factory) -> tuple[ReportResult, str]:
    path = tmp_path_factory.mktemp("report") / "nab.html"
    result = write_report(NAB_RESULTS, path, title="NAB: 16 detectors on 58 series")
    return result, path.read_text(encoding="utf-8")


def test_nab_report_sections_come_in_the_issue_order(nab_report):
    result, _ = nab_report
    metrics = ["pate", "best_pa_f1", "auc_pr", "vus_pr"]
    expected = ["What was evaluated"]
    for m in metrics:
        expected += [
            f"Metric {m}",
            "Leaderboard",
            "Friedman and Iman-Davenport test",
            "Critical-difference diagram",
            "Wilcoxon-Holm groups",
        ]
    expected += ["Do the metrics agree?", "Detector x series", *metrics]
    assert list(result.sections) == expected
    assert result.not_shown == (
        ("Where the metrics disagree most", "no series data given (series= / --series), so no zones pictures."),
    )


def test_nab_report_every_detector_in_every_leaderboard_and_null_flagged(nab_report):
    _, html = nab_report
    page = Page(html)
    boards = [t for t in page.tables if "chance" not in t["class"]]
    assert [t["metric"] for t in boards] == ["pate", "best_pa_f1", "auc_pr", "vus_pr"]
    for table in boards:
        assert set(table["rows"]) == NAB_DETECTORS
        assert table["rows"]["null"] == ["constant"]
        assert all(flags == [] for d, flags in table["rows"].items() if d != "null")


def test_nab_report_is_self_contained_and_small(nab_report):
    result, html = nab_report
    page = Page(html)
    assert result.n_bytes == len(html.encode("utf-8")) < 15_000_000
    # no external resource of any kind: links to anchors of the page, pictures as data: URIs (colour bars)
    outside = [u[:60] for u in page.urls if not u.startswith(("#", "data:image/png;base64,"))]
    assert page.urls and not outside, outside
    assert not {"link", "img", "iframe", "object", "embed", "base"} & set(page.tags)
    assert page.tags.count("script") == 1 and "<script src" not in html
    csp = unescape(re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html).group(1))
    assert csp.startswith("default-src 'none'; img-src data:;")  # the browser refuses any request
    assert not re.search(r"https?://(?!www\.w3\.org/)", html)  # only SVG namespace names


def test_nab_report_accessibility_structure(nab_report):
    _, html = nab_report
    page = Page(html)
    levels = [level for level, _ in page.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in pairwise(levels)), "a heading level is skipped"
    assert page.th and all(a.get("scope") in ("row", "col") for a in page.th)
    # every picture is an inline SVG with role=img and a <title> (its alt text)
    assert len(page.svgs) == 4 + 1 + 4
    assert all(s.get("role") == "img" and s.get("aria-labelledby") for s in page.svgs)
    assert page.titles_in_svg == len(page.svgs)
    assert '<html lang="en">' in html


def test_each_section_says_how_to_read_it(nab_report):
    _, html = nab_report
    sections = html.count("<section ")
    assert sections == len(nab_report[0].sections)
    assert html.count('<p class="how">') == sections


def test_alt_text_describes_the_picture(nab_report):
    _, html = nab_report
    titles = re.findall(r"<title id=\"cd0-title\">(.*?)</title>", html)
    assert titles and titles[0].startswith(
        "Critical-difference diagram of pate over 58 series. Average ranks, best first: null 2.37, twitterADVec 5.53"
    )


def test_metrics_option_and_order(tmp_path):
    result = write_report(NAB_RESULTS, tmp_path / "r.html", metrics=["vus_pr", "pate"])
    assert [s for s in result.sections if s.startswith("Metric ")] == ["Metric vus_pr", "Metric pate"]


# ------------------------------------------------------------------ bad input
def test_empty_table_is_an_error(tmp_path):
    empty = read_results(NAB_RESULTS).iloc[:0]
    with pytest.raises(ValueError, match="empty: there is nothing to report"):
        write_report(empty, tmp_path / "r.html")
    assert not (tmp_path / "r.html").exists()


def test_empty_file_is_an_error(tmp_path):
    (tmp_path / "empty.csv").write_text("series,detector,metric,value,params\n")
    with pytest.raises(
        ValueError,
        match=r"the file holds a header line \(series, detector, metric, value, "
        r"params\) and no rows",
    ):
        write_report(tmp_path / "empty.csv", tmp_path / "r.html")


def test_metric_not_in_the_table_is_an_error_listing_those_it_holds(tmp_path):
    with pytest.raises(
        ValueError,
        match=r"metric 'pate_f1' is not in the results table; it holds 'pate', "
        r"'best_pa_f1', 'auc_pr', 'vus_pr'",
    ):
        write_report(NAB_RESULTS, tmp_path / "r.html", metrics=["pate", "pate_f1"])


def test_one_detector_gives_a_page_that_says_what_it_cannot_show(tmp_path):
    one = read_results(NAB_RESULTS)
    one = one[one["detector"] == "numenta"]
    result = write_report(one, tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text()
    reasons = dict(result.not_shown)
    assert reasons["Metric pate"] == "metric 'pate': 1 detector(s); comparing needs at least 2."
    assert "Do the metrics agree?" in reasons
    assert html.count("Cannot be shown:") == 5  # four metrics and the agreement
    assert "Not shown in this report:" in html
    assert "heat0-title" in html  # the heatmaps still show the one detector's values


def test_one_metric_has_no_agreement_section(tmp_path):
    result = write_report(NAB_RESULTS, tmp_path / "r.html", metrics="pate")
    assert dict(result.not_shown)["Do the metrics agree?"] == (
        "the report shows one metric, so there is no other ranking to compare it with."
    )


def test_missing_file_and_bad_target(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such results file"):
        write_report(tmp_path / "nope.csv", tmp_path / "r.html")
    with pytest.raises(IsADirectoryError, match="give the HTML file"):
        write_report(NAB_RESULTS, tmp_path)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        write_report(NAB_RESULTS, tmp_path / "no" / "r.html")
    with pytest.raises(TypeError, match="results must be a results table"):
        write_report([1, 2], tmp_path / "r.html")


def test_the_page_is_written_as_every_output_through_a_symlink_with_the_umask_mode(tmp_path):
    link = tmp_path / "report.html"
    link.symlink_to(tmp_path / "real.html")  # a link to a file not written yet
    previous = os.umask(0o022)
    try:
        write_report(NAB_RESULTS, link, metrics="pate")
    finally:
        os.umask(previous)
    assert link.is_symlink() and os.readlink(link) == str(tmp_path / "real.html")
    assert (tmp_path / "real.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert stat.S_IMODE((tmp_path / "real.html").stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["real.html", "report.html"]  # no temporary file left


def test_names_are_escaped(tmp_path):
    m = pd.DataFrame({"<b>bold</b>": [0.9, 0.8, 0.7], "a&b": [0.1, 0.5, 0.2]}, index=["s<1>", "s2", "s3"])
    write_report(results_from_matrix(m, metric="pate"), tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text()
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html and "a&amp;b" in html


# ------------------------------------------------------ sections on demand
def _with_chance(results: pd.DataFrame) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    table = results.copy()
    table["expected"] = rng.uniform(0.0, 0.3, len(table))
    table["adjusted"] = (table["value"] - table["expected"]) / (1.0 - table["expected"])
    table["pvalue"] = 0.5
    table.loc[table["detector"] != "random", "pvalue"] = 0.001  # every detector but random beats chance
    return table


def test_chance_columns_add_a_section_and_flag_no_better_than_chance(tmp_path):
    table = _with_chance(read_results(NAB_RESULTS))
    result = write_report(table, tmp_path / "r.html", metrics=["pate", "vus_pr"])
    assert result.sections[-3:] == ("Chance-adjusted leaderboards", "pate", "vus_pr")
    page = Page((tmp_path / "r.html").read_text())
    boards = {(t["metric"], "chance" in t["class"]): t for t in page.tables}
    assert set(boards) == {("pate", False), ("vus_pr", False), ("pate", True), ("vus_pr", True)}
    for table_ in boards.values():
        assert set(table_["rows"]) == NAB_DETECTORS
        assert table_["rows"]["random"] == ["no better than chance"]
        assert "no better than chance" not in table_["rows"]["ARTime"]


def test_chance_columns_read_from_a_file(tmp_path):
    table = _with_chance(read_results(NAB_RESULTS))
    table.to_csv(tmp_path / "results.csv", index=False)
    result = write_report(tmp_path / "results.csv", tmp_path / "r.html", metrics="pate")
    assert "Chance-adjusted leaderboards" in result.sections


def test_a_runner_table_with_chance_levels_flags_what_the_leaderboard_flags(tmp_path):
    # the runner's own chance columns (issue 23), not made-up ones: the page's flags are the leaderboard's
    series = read_csv_series(PACKAGE_DATA)
    table = evaluate(series, metrics=["pate"], chance=19, random_state=0)
    board = leaderboard(table, metric="pate")
    flagged = set(board.index[board["no_better_than_chance"]])
    assert "null" in flagged  # a constant score never beats chance
    write_report(table, tmp_path / "r.html")
    page = Page((tmp_path / "r.html").read_text())
    for table_ in page.tables:
        shown = {d for d, flags in table_["rows"].items() if "no better than chance" in flags}
        assert shown == flagged


def test_without_chance_or_nab_data_their_sections_are_absent(nab_report):
    result, html = nab_report
    assert "Chance-adjusted leaderboards" not in result.sections and "NAB scoreboard" not in result.sections
    assert "no better than chance" not in html


def test_nab_scoreboard_normalises_the_sums_over_series(tmp_path):
    rows = []
    for series, (raw_a, raw_b, perfect, null) in {"s1": (1.0, -1.0, 2.0, -2.0), "s2": (0.5, 0.0, 1.0, -1.0)}.items():
        for detector, raw in (("a", raw_a), ("b", raw_b)):
            rows.append(
                {
                    "series": series,
                    "detector": detector,
                    "metric": "nab_score",
                    "params": "profile=standard",
                    "value": 100 * (raw - null) / (perfect - null),
                    "nab_raw": raw,
                    "nab_perfect": perfect,
                    "nab_null": null,
                }
            )
    result = write_report(pd.DataFrame(rows), tmp_path / "r.html")
    assert result.sections[-1] == "NAB scoreboard"
    html = (tmp_path / "r.html").read_text()
    # a: 100 * (1.5 + 3) / (3 + 3) = 75.0; b: 100 * (-1 + 3) / 6 = 33.3 (the mean of per-series values would differ)
    assert re.search(r'<th scope="row">a</th><td data-value="75\.0">75\.0</td>', html)
    assert re.search(r'<th scope="row">b</th><td data-value="33\.3+\d*">33\.3</td>', html)
    assert "sums over all series" in html


def test_nab_scoreboard_without_counts_says_it_is_not_nabs_figure(tmp_path):
    table = read_results(NAB_RESULTS)
    nab = table[table["metric"] == "pate"].assign(metric="nab_score", params="profile=standard")
    result = write_report(pd.concat([table, nab]), tmp_path / "r.html", metrics="pate")
    html = (tmp_path / "r.html").read_text()
    assert result.sections[-1] == "NAB scoreboard"
    assert "Mean per-series NAB score (not NAB&#39;s corpus-wide normalisation)" in html


# ------------------------------------------------ series: constants and zones
@pytest.fixture(scope="module")
def package_results():
    """The two NAB series shipped in pate/data, 16 detectors, two metrics; the runner's constant column dropped
    (a table from elsewhere), so the report has to flag constants from the series."""
    from pate.benchmark import evaluate, read_csv_series

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = evaluate(read_csv_series(PACKAGE_DATA), metrics=["pate", "vus_pr"], progress=False)
    return table.drop(columns="constant")


def test_the_runners_constant_column_flags_constants_without_series(tmp_path):
    from pate.benchmark import evaluate, read_csv_series

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = evaluate(read_csv_series(PACKAGE_DATA), metrics=["pate"], progress=False)
    assert table.loc[table["detector"] == "null", "constant"].all()
    write_report(table, tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text()
    for page_table in Page(html).tables:
        assert page_table["rows"]["null"] == ["constant"]
        assert all(flags == [] for detector, flags in page_table["rows"].items() if detector != "null")


def test_series_give_constant_flags_and_zones_pictures(package_results, tmp_path):
    assert "constant" not in package_results.columns
    result = write_report(package_results, tmp_path / "r.html", series=PACKAGE_DATA)
    html = (tmp_path / "r.html").read_text()
    page = Page(html)
    for table in page.tables:
        assert table["rows"]["null"] == ["constant"]
    assert "flagged from the series&#39; scores" in html
    assert result.sections[-3:] == (
        "Where the metrics disagree most",
        "ec2_request_latency_system_failure",
        "exchange-2_cpc_results",
    ) or result.sections[-3:] == (
        "Where the metrics disagree most",
        "exchange-2_cpc_results",
        "ec2_request_latency_system_failure",
    )
    assert len(re.findall(r'<svg role="img"', html)) == 2 + 1 + 2 + 2 * 2  # cd, agreement, heatmaps, zones
    # the constant detector is never drawn as the best or worst one
    assert "null: PATE zones" not in html


def test_without_series_constants_are_not_guessed(package_results, tmp_path):
    write_report(package_results, tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text()
    assert "has no <code>constant</code> column" in html and 'class="flag flag-constant' not in html
    assert all(flags == [] for t in Page(html).tables for flags in t["rows"].values())


def test_series_not_matching_the_table_are_reported(package_results, tmp_path):
    renamed = package_results.assign(series=package_results["series"] + "_x")
    result = write_report(renamed, tmp_path / "r.html", series=PACKAGE_DATA)
    reasons = dict(result.not_shown)
    assert reasons["Where the metrics disagree most"].startswith("none of the series with a defined disagreement")
    assert "not in the series data" in (tmp_path / "r.html").read_text()


def test_disagreement_is_one_minus_mean_spearman():
    agree = pd.DataFrame({"a": [0.9, 0.8], "b": [0.5, 0.4], "c": [0.1, 0.2]}, index=["same", "reversed"])
    other = pd.DataFrame({"a": [0.7, 0.1], "b": [0.5, 0.5], "c": [0.2, 0.9]}, index=["same", "reversed"])
    table = pd.concat([results_from_matrix(agree, metric="m1"), results_from_matrix(other, metric="m2")])
    ranked = disagreement(table, ["m1", "m2"], direction_of(True))
    assert [(r.series, round(r.disagreement, 12)) for r in ranked] == [("reversed", 2.0), ("same", 0.0)]


# ---------------------------------------------------------- optional extra
def test_missing_extra_names_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "jinja2", None)  # import jinja2 now raises ImportError
    install = 'pip install "pate-eval[report]"'
    with pytest.raises(ImportError, match=re.escape(f"pate.report needs jinja2, which is not installed: {install}")):
        require("jinja2")


@pytest.mark.slow  # a fresh interpreter
def test_import_pate_does_not_import_the_report():
    code = "import sys, pate; print(any(m in sys.modules for m in ('pate.report', 'jinja2', 'matplotlib')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
