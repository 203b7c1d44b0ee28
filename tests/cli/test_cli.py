"""The ``pate`` command on CSV files, run in-process through ``pate.cli.main`` (the ``cli`` fixture)."""

from __future__ import annotations

import functools
import gzip
import json

import numpy as np
import pandas as pd
import pytest
from helpers import REPO

from pate import pate_f1_score, pate_score

EXAMPLES = REPO / "pate" / "data"


@pytest.fixture
def run(cli):
    """``pate ARGS`` in this process (tests/conftest.py ``cli``), from the repository root by default."""
    return functools.partial(cli, cwd=REPO)


@pytest.fixture
def good_csv(tmp_path):
    rng = np.random.default_rng(3)
    n = 300
    label = np.zeros(n, dtype=int)
    label[100:130] = 1
    label[200:205] = 1
    frame = pd.DataFrame(
        {
            "timestamp": pd.date_range("2024-01-01", periods=n, freq="5min").astype(str),
            "value": rng.normal(size=n),
            "label": label,
            "det_a": rng.random(n) + 0.6 * label,
            "det_b": rng.random(n),
            "flags": (rng.random(n) > 0.9).astype(int),
        }
    )
    path = tmp_path / "series.csv"
    frame.to_csv(path, index=False)
    return path, frame


def test_help_and_module_entry_point(run):
    out = run("--help")
    assert out.returncode == 0 and "evaluate" in out.stdout
    out = run("evaluate", "--help")
    assert out.returncode == 0 and "--threshold" in out.stdout


def test_evaluate_json_matches_the_library(run, good_csv):
    path, frame = good_csv
    out = run(
        "evaluate",
        path,
        "--metric",
        "pate,pate_f1",
        "--threshold",
        "0.8",
        "--format",
        "json",
        "--early-buffer",
        "10",
        "--delay-buffer",
        "5",
    )
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    # default score columns: numeric, not the label, not value, not timestamp
    assert [r["score"] for r in rows] == ["det_a", "det_b", "flags"]
    assert list(rows[0]) == ["series", "score", "pate", "pate_f1", "constant"]
    for r in rows:
        s = frame[r["score"]].to_numpy(dtype=float)
        assert r["pate"] == pate_score(frame["label"], s, early_buffer=10, delay_buffer=5)
        assert r["pate_f1"] == pate_f1_score(frame["label"], s >= 0.8, early_buffer=10, delay_buffer=5)


def test_binary_metric_needs_a_threshold_unless_the_column_is_binary(run, good_csv):
    path, frame = good_csv
    out = run("evaluate", path, "--metric", "pate_f1", "--score", "det_a")
    assert out.returncode == 2
    assert "--threshold" in out.stderr and "det_a" in out.stderr
    out = run("evaluate", path, "--metric", "pate_f1", "--score", "flags", "--format", "csv")
    assert out.returncode == 0, out.stderr
    header, line = out.stdout.strip().splitlines()
    assert header == "series,score,pate_f1,constant"
    assert float(line.split(",")[2]) == pate_f1_score(frame["label"], frame["flags"])


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "markdown"])
def test_formats_and_output_file(run, good_csv, tmp_path, fmt):
    path, _ = good_csv
    target = tmp_path / f"out.{fmt}"
    out = run("evaluate", path, "--score", "det_a", "--format", fmt, "--output", target)
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""
    text = target.read_text()
    assert "det_a" in text and "pate" in text


def test_stdin_gzip_and_directories(run, good_csv, tmp_path):
    path, frame = good_csv
    gz = tmp_path / "dir" / "copy.csv.gz"
    gz.parent.mkdir()
    with gzip.open(gz, "wt") as f:
        frame.to_csv(f, index=False)
    out = run("evaluate", gz.parent, "--score", "det_a", "--format", "csv")
    assert out.returncode == 0, out.stderr
    from_dir = out.stdout.strip().splitlines()[1].split(",")[2]
    out = run("evaluate", "-", "--score", "det_a", "--format", "csv", stdin=path.read_text())
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[1].split(",")[:3] == ["<stdin>", "det_a", from_dir]


def test_metric_options_reach_only_metrics_that_take_them(run, good_csv):
    path, frame = good_csv
    out = run(
        "evaluate",
        path,
        "--score",
        "det_a",
        "--format",
        "json",
        "--n-thresholds",
        "none",
        "--option",
        "n_buffer_splits=2",
    )
    assert out.returncode == 0, out.stderr
    want = pate_score(frame["label"], frame["det_a"], n_thresholds=None, n_buffer_splits=2)
    assert json.loads(out.stdout)[0]["pate"] == want
    out = run("evaluate", path, "--option", "bogus=3")
    assert out.returncode == 2 and "bogus" in out.stderr


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "empty"),
        ("label,det\n", "no data rows"),
        ("lab,det\n0,0.1\n1,0.2\n", "no label column 'label'"),
        ("label,det\n0,0.1\n1,abc\n", "line 3, column 'det': 'abc' is not a number"),
        ("label,det\n0,0.1\n1,\n", "line 3, column 'det': the value is empty"),
        ("label,det\n0,0.1\n2,0.5\n", "line 3, column 'label': label 2 is not 0 or 1"),
        ("label,det\n0,0.1\n1,inf\n", "line 3, column 'det': the value is infinite"),
    ],
)
def test_data_errors_name_file_line_and_column(run, tmp_path, content, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(content)
    out = run("evaluate", bad, "--score", "det")
    assert out.returncode == 1, out.stdout
    assert str(bad) in out.stderr and message in out.stderr


def test_keep_going_reports_every_failure_and_evaluates_the_rest(run, good_csv, tmp_path):
    path, _ = good_csv
    bad = tmp_path / "a_bad.csv"
    bad.write_text("label,det_a\n0,x\n")
    out = run("evaluate", bad, path, "--score", "det_a", "--format", "csv")
    assert out.returncode == 1 and "--keep-going" in out.stderr and out.stdout == ""
    out = run("evaluate", bad, path, "--score", "det_a", "--format", "csv", "--keep-going")
    assert out.returncode == 1
    assert "a_bad.csv" in out.stderr and "1 of 2 file(s)" in out.stderr
    assert len(out.stdout.strip().splitlines()) == 2  # header + the good file


@pytest.mark.parametrize(
    "args", [["evaluate"], ["evaluate", "missing.csv"], ["evaluate", ".", "--metric", "nope"], ["frobnicate"]]
)
def test_usage_errors_exit_2(run, args, tmp_path):
    out = run(*args, cwd=tmp_path)
    assert out.returncode == 2


def test_bundled_examples_run(run):
    out = run("evaluate", EXAMPLES, "--metric", "pate,pate_f1", "--threshold", "0.5", "--format", "csv", "--quiet")
    assert out.returncode == 0, out.stderr
    assert len(out.stdout.strip().splitlines()) == 1 + 2 * 16


def test_real_nab_category(run, nab_dir):
    nab = nab_dir
    out = run("evaluate", nab / "realKnownCause", "--format", "csv")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[0] == "series,score,pate,constant"
    assert len(lines) == 1 + 7 * 16
    values = [float(line.split(",")[2]) for line in lines[1:]]
    assert all(0.0 <= v <= 1.0 for v in values)


def test_undefined_metric_warnings_are_grouped_per_file(run, tmp_path):
    path = tmp_path / "quiet.csv"
    pd.DataFrame({"label": np.zeros(50, dtype=int), "a": np.linspace(0, 1, 50), "b": np.ones(50)}).to_csv(
        path, index=False
    )
    out = run("evaluate", path, "--format", "csv")
    assert out.returncode == 0, out.stderr
    warnings_ = [line for line in out.stderr.splitlines() if line.startswith("pate: warning:")]
    assert len(warnings_) == 1 and "(columns a, b; metric pate)" in warnings_[0] and "no anomaly" in warnings_[0]
    assert out.stdout.strip().splitlines()[1:] == ["quiet,a,0.0,false", "quiet,b,0.0,true"]
