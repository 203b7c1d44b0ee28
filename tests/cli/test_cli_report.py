"""``pate report`` and ``pate evaluate --report``: the HTML page from the command line, in process."""

from __future__ import annotations

import re
import sys

import pytest
from helpers import NAB_RESULTS, PACKAGE_DATA

pytest.importorskip("jinja2")
pytest.importorskip("matplotlib")


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in text, text
    return lines[0]


def _leaderboard_flags(html: str) -> list[str]:
    """The flags on null's row of every leaderboard."""
    tables = re.findall(r'<table class="sortable leaderboard".*?</table>', html, re.S)
    return [re.search(r'<th scope="row">null</th>.*?<td class="text">(.*?)</td></tr>', t).group(1) for t in tables]


def test_pate_report_writes_the_page(cli, tmp_path):
    out = tmp_path / "nab.html"
    res = cli("report", NAB_RESULTS, "-o", out, "--title", "NAB")
    assert res.returncode == 0, res.stderr
    assert res.stdout == ""
    assert res.stderr.splitlines() == [
        "pate: note: the report does not show Where the metrics disagree most: no series data given "
        "(series= / --series), so no zones pictures.",
        f"pate: wrote {out} ({out.stat().st_size / 1e6:.1f} MB).",
    ]
    html = out.read_text()
    assert "<title>NAB</title>" in html
    assert f'<code class="command">pate report {NAB_RESULTS} -o {out} --title NAB</code>' in html
    assert len(_leaderboard_flags(html)) == 4 and all("constant" in f for f in _leaderboard_flags(html))


def test_metric_option_comma_separated_and_repeated(cli, tmp_path):
    out = tmp_path / "r.html"
    res = cli("report", NAB_RESULTS, "-o", out, "--metric", "vus_pr,pate", "--metric", "auc_pr")
    assert res.returncode == 0, res.stderr
    html = out.read_text()
    assert re.findall(r'<h2 id="metric-([a-z_-]+)-h">', html) == ["vus-pr", "pate", "auc-pr"]


def test_series_give_the_zones_pictures(cli, tmp_path):
    out = tmp_path / "r.html"
    res = cli("report", NAB_RESULTS, "-o", out, "--series", PACKAGE_DATA)
    assert res.returncode == 0, res.stderr
    assert "does not show" not in res.stderr
    html = out.read_text()
    assert 'id="zones-h"' in html and "PATE zones" in html


def test_standard_input(cli, tmp_path):
    out = tmp_path / "r.html"
    res = cli("report", "-", "-o", out, "--metric", "pate", stdin=NAB_RESULTS.read_text())
    assert res.returncode == 0, res.stderr
    assert "Metric pate" in out.read_text()


def test_default_output_is_report_html(cli, tmp_path):
    res = cli("report", NAB_RESULTS, "--metric", "pate", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "report.html").is_file()


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["nope.csv"], 2, "pate: usage error: nope.csv: no such file."),
        (["{tmp}"], 2, "pate: usage error: {tmp} is a directory; give a results file"),
        ([NAB_RESULTS, "-o", "{tmp}/r.txt"], 2, "the report is an HTML file; give a name ending in .html."),
        ([NAB_RESULTS, "-o", "{tmp}/no/r.html"], 2, "does not exist; create it first."),
        ([NAB_RESULTS, "-o", "{tmp}/r.html", "--alpha", "2"], 2, "--alpha 2.0: must lie strictly between 0 and 1."),
        ([NAB_RESULTS, "-o", "{tmp}/r.html", "--series", "{tmp}/none"], 2, "--series {tmp}/none: no such file"),
        (
            [NAB_RESULTS, "-o", "{tmp}/r.html", "--metric", "pate_f1"],
            1,
            f"pate: error: {NAB_RESULTS}: metric 'pate_f1' is not in the results table; it holds 'pate', "
            "'best_pa_f1', 'auc_pr', 'vus_pr'.",
        ),
    ],
)
def test_bad_input_one_line_and_exit_status(cli, tmp_path, args, status, message):
    args = [str(a).replace("{tmp}", str(tmp_path)) for a in args]
    res = cli("report", *args)
    assert res.returncode == status
    assert message.replace("{tmp}", str(tmp_path)) in _one_line(res.stderr)
    assert not (tmp_path / "r.html").exists()


def test_empty_table_is_a_data_error(cli, tmp_path):
    (tmp_path / "empty.csv").write_text("series,detector,metric,value,params\n")
    res = cli("report", tmp_path / "empty.csv", "-o", tmp_path / "r.html")
    assert res.returncode == 1
    assert _one_line(res.stderr) == (
        f"pate: error: {tmp_path / 'empty.csv'}: the file holds a header line (series, detector, metric, value, "
        "params) and no rows."
    )


def test_one_detector_is_a_page_saying_what_it_cannot_show(cli, tmp_path):
    one = tmp_path / "one.csv"
    one.write_text("series,detector,pate\ns1,a,0.5\ns2,a,0.7\n")
    res = cli("report", one, "-o", tmp_path / "r.html")
    assert res.returncode == 0
    assert "pate: note: the report does not show Metric pate: metric 'pate': 1 detector(s); comparing needs at " in (
        res.stderr
    )
    assert "Cannot be shown:" in (tmp_path / "r.html").read_text()


def test_the_report_never_overwrites_the_results(cli, tmp_path):
    results = tmp_path / "results.html"  # a CSV under an .html name: read, and never written over
    results.write_text(NAB_RESULTS.read_text())
    res = cli("report", results, "-o", results)
    assert res.returncode == 2
    assert "is a file being read; write the report elsewhere." in _one_line(res.stderr)
    assert results.read_text() == NAB_RESULTS.read_text()


def test_a_missing_extra_is_named_before_any_work(cli, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "jinja2", None)
    res = cli("report", NAB_RESULTS, "-o", tmp_path / "r.html")
    assert res.returncode == 2
    assert _one_line(res.stderr) == (
        'pate: usage error: --output: pate.report needs jinja2, which is not installed: pip install "pate-eval[report]"'
    )
    res = cli("evaluate", PACKAGE_DATA, "--report", tmp_path / "r.html")
    assert res.returncode == 2 and res.stdout == ""  # nothing evaluated
    assert "--report: pate.report needs jinja2" in _one_line(res.stderr)


# ------------------------------------------------------------ pate evaluate --report
@pytest.mark.parametrize("runner", [[], ["--tidy"]], ids=["plain", "runner"])
def test_evaluate_writes_the_report_at_the_end(cli, tmp_path, runner):
    out = tmp_path / "run.html"
    res = cli("evaluate", PACKAGE_DATA, "--metric", "pate,vus_pr", "--quiet", *runner, "--report", out)
    assert res.returncode == 0, res.stderr
    assert res.stdout  # the table is printed as before
    assert res.stderr.rstrip().endswith(f"pate: wrote {out} ({out.stat().st_size / 1e6:.1f} MB).")
    html = out.read_text()
    flags = _leaderboard_flags(html)
    assert len(flags) == 2 and all("constant" in f for f in flags)  # from the scores themselves
    assert "PATE zones" in html  # the evaluated files are the report's series
    assert f"pate evaluate {PACKAGE_DATA} --metric pate,vus_pr --quiet" in html


def test_evaluate_checks_the_report_name_first(cli, tmp_path):
    res = cli("evaluate", PACKAGE_DATA, "--report", tmp_path / "run.pdf")
    assert res.returncode == 2 and res.stdout == ""
    assert "--report" in _one_line(res.stderr) and "name ending in .html" in res.stderr


def test_help_lists_the_command(cli):
    res = cli("--help")
    assert re.search(r"^\s+report\s+write one self-contained HTML page", res.stdout, re.M)
