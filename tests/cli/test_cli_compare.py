"""``pate compare`` and ``pate evaluate --compare``, run in-process through ``pate.cli.main``."""

from __future__ import annotations

import functools
import json

import numpy as np
import pandas as pd
import pytest
from helpers import REPO

from pate.compare import friedman_test, leaderboard, read_results, results_from_matrix, wilcoxon_holm_test

EXAMPLES = REPO / "pate" / "data"


@pytest.fixture
def run(cli):
    """``pate ARGS`` in this process (tests/conftest.py ``cli``), from the repository root by default."""
    return functools.partial(cli, cwd=REPO)


@pytest.fixture
def wide_csv(tmp_path):
    """The wide form of pate evaluate, with NAB's 'null' detector (constant, first under pate)."""
    rng = np.random.default_rng(1)
    rows = []
    for s in range(8):
        for det, base in (("null", 0.55), ("good", 0.5), ("fair", 0.3), ("poor", 0.1)):
            rows.append(
                {
                    "file": f"series_{s}.csv",
                    "score": det,
                    "pate": base + 0.02 * rng.random(),
                    "vus_pr": (0.05 if det == "null" else base) + 0.02 * rng.random(),
                }
            )
    frame = pd.DataFrame(rows)
    path = tmp_path / "results.csv"
    frame.to_csv(path, index=False)
    return path, frame


def test_report_matches_the_library_and_keeps_the_null_name(run, wide_csv):
    path, frame = wide_csv
    out = run("compare", path, "--format", "json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    tidy = read_results(path)
    board = leaderboard(tidy, metric="pate", random_state=0)
    assert [r["detector"] for r in doc["leaderboard"]] == list(board.index) == ["null", "good", "fair", "poor"]
    assert doc["leaderboard"][0]["mean"] == pytest.approx(board["mean"].iloc[0])
    assert doc["friedman"]["pvalue"] == pytest.approx(friedman_test(tidy, metric="pate").pvalue)
    assert doc["test"]["groups"] == wilcoxon_holm_test(tidy, metric="pate").groups
    assert doc["metric"] == "pate" and doc["higher_is_better"] is True and doc["n_series"] == 8
    # the wide file says nothing about constant scores: no mark, no warning, but a note saying so
    assert doc["leaderboard"][0]["constant"] is None and "trivial reference" not in out.stderr
    assert "pate: note: pate: the results table has no 'constant' column" in out.stderr


def test_table_format_states_direction_series_friedman_and_groups(run, wide_csv):
    path, _ = wide_csv
    out = run("compare", path, "--metric", "vus_pr", "--test", "nemenyi", "--alpha", "0.1")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "metric vus_pr (higher is better): 8 series, 4 detectors; dropped series: none" in text
    assert "Friedman: chi2 = " in text and "Iman-Davenport F = " in text
    assert "Groups not significantly different (Nemenyi, alpha = 0.1, critical difference = " in text
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("detector"))
    assert lines[header + 1].split()[0] == "good" and lines[header + 4].split()[0] == "null"


def test_constant_detector_in_the_top_three_is_warned_about(run, tmp_path):
    values = pd.DataFrame({"null": [0.6, 0.61, 0.59, 0.6], "a": [0.5, 0.4, 0.3, 0.5], "b": [0.1, 0.2, 0.1, 0.2]})
    tidy = results_from_matrix(values, metric="pate")
    tidy["constant"] = tidy["detector"] == "null"
    path = tmp_path / "tidy.csv"
    tidy.to_csv(path, index=False)
    out = run("compare", path)
    assert out.returncode == 0, out.stderr
    assert "detector 'null' ranks 1st of 3 under pate, but its scores are constant" in out.stderr
    assert "true" in out.stdout.splitlines()[3]  # the leaderboard row of null is marked
    assert "no 'constant' column" not in out.stderr


def test_missing_values_are_an_error_naming_the_pairs_or_dropped_on_request(run, tmp_path, wide_csv):
    path, frame = wide_csv
    frame.loc[3, "pate"] = np.nan
    holey = tmp_path / "holey.csv"
    frame.to_csv(holey, index=False)
    out = run("compare", holey)
    assert out.returncode == 1
    assert "('series_0.csv', 'poor')" in out.stderr and "--missing drop-series" in out.stderr
    out = run("compare", holey, "--missing", "drop-series", "--format", "csv")
    assert out.returncode == 0, out.stderr
    assert "dropped 1 series" in out.stderr and "'series_0.csv'" in out.stderr
    board = pd.read_csv(__import__("io").StringIO(out.stdout))
    assert (board["n_series"] == 7).all()


def test_plot_writes_the_diagram(run, tmp_path, wide_csv):
    path, _ = wide_csv
    target = tmp_path / "cd.svg"
    out = run("compare", path, "--plot", target)
    assert out.returncode == 0, out.stderr
    assert target.read_text().lstrip().startswith("<?xml")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--alpha", "1.5"], "--alpha"),
        (["--plot", "cd.gif"], ".svg, .png or .pdf"),
    ],
)
def test_usage_errors(run, wide_csv, args, message):
    path, _ = wide_csv
    out = run("compare", path, *args)
    assert out.returncode == 2 and message in out.stderr


def test_several_metrics_without_pate_need_metric(run, tmp_path):
    tidy = pd.concat(
        [results_from_matrix(pd.DataFrame({"a": [1.0, 2.0], "b": [2.0, 1.0]}), metric=m) for m in ("auc_pr", "vus_pr")]
    )
    path = tmp_path / "t.csv"
    tidy.to_csv(path, index=False)
    out = run("compare", path)
    assert out.returncode == 2 and "--metric" in out.stderr


def test_evaluate_compare_prints_the_leaderboard_after_the_table_and_warns_about_null(run):
    out = run("evaluate", EXAMPLES, "--metric", "pate", "--compare", "--quiet")
    assert out.returncode == 0, out.stderr
    table, _, board = out.stdout.partition("\nmetric pate (higher is better): 2 series, 16 detectors")
    assert table.splitlines()[0].split() == ["series", "score", "pate", "constant"] and board
    rows = {line.split()[0]: line.split() for line in board.splitlines()[3:] if line.strip()}
    assert rows["null"][-1] == "true" and rows["numenta"][-1] == "false"
    assert "detector 'null' ranks 3rd of 16 under pate" in out.stderr
    out = run("evaluate", EXAMPLES, "--compare", "--format", "csv", "--quiet")
    assert out.returncode == 2 and "--output" in out.stderr
