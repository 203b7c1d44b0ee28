"""``pate compare`` on series where the metric is undefined for every detector (docs/undefined.md).

Under the default rule such a series gives every detector 0.0 (ties, kept, with a note); with
``--undefined nan`` or in an older results file every value is nan (left out, with a note,
instead of failing the report). A series where only some detectors lack a value is still an error.
"""

from __future__ import annotations

import pandas as pd

ROWS = {
    "s1": {"a": 0.9, "b": 0.5, "c": 0.1},
    "s2": {"a": 0.8, "b": 0.6, "c": 0.2},
    "s3": {"a": 0.7, "b": 0.4, "c": 0.3},
    "quiet": {"a": 0.0, "b": 0.0, "c": 0.0},  # no anomaly: the rule's 0.0 for everyone
    "empty": {"a": float("nan"), "b": float("nan"), "c": float("nan")},  # no anomaly, --undefined nan
}


def _write(path, rows):
    table = pd.DataFrame(
        [(s, d, "auc_pr", v, "") for s, values in rows.items() for d, v in values.items()],
        columns=["series", "detector", "metric", "value", "params"],
    )
    table.to_csv(path, index=False)
    return path


def test_a_series_without_any_value_is_left_out_with_a_note(cli, tmp_path):
    done = cli("compare", _write(tmp_path / "r.csv", ROWS))
    assert done.returncode == 0, done.stderr
    assert "4 series, 3 detectors; dropped series: empty" in done.stdout.splitlines()[0]
    notes = [line for line in done.stderr.splitlines() if line.startswith("pate: note: auc_pr:")]
    assert any("1 series have no value for any detector" in n and "'empty'" in n and "left out" in n for n in notes)


def test_a_series_where_every_detector_ties_is_kept_with_a_note(cli, tmp_path):
    done = cli("compare", _write(tmp_path / "r.csv", ROWS))
    assert any(
        "1 series give every detector the same value (0)" in line and "'quiet'" in line and "kept, as ties" in line
        for line in done.stderr.splitlines()
    ), done.stderr


def test_a_series_missing_some_detectors_is_still_an_error(cli, tmp_path):
    rows = {**ROWS, "partial": {"a": 0.5, "b": float("nan"), "c": 0.1}}
    done = cli("compare", _write(tmp_path / "r.csv", rows))
    assert done.returncode == 1
    assert "('partial', 'b')" in done.stderr and "--missing drop-series" in done.stderr
    assert "'empty'" not in done.stderr.split("pate: error:")[1]  # the all-nan series was set aside first


def test_evaluate_compare_on_a_series_without_anomaly_ranks_without_error(cli, tmp_path):
    a, b = [0.1, 0.2, 0.9, 0.8, 0.1, 0.3, 0.7, 0.2], [0.5, 0.1, 0.2, 0.4, 0.6, 0.3, 0.2, 0.1]
    for name, labels in (("quiet", [0] * 8), ("busy", [0, 0, 1, 1, 0, 0, 1, 0]), ("more", [1, 1, 0, 0, 0, 1, 0, 0])):
        pd.DataFrame({"label": labels, "a": a, "b": b}).to_csv(tmp_path / f"{name}.csv", index=False)
    done = cli("evaluate", tmp_path, "--metric", "auc_roc", "--compare", "--quiet")
    assert done.returncode == 0, done.stderr
    assert "metric auc_roc (higher is better): 3 series, 2 detectors" in done.stdout
    assert "AUC-ROC is undefined when y_true has no anomaly; returning 0.0" in done.stderr
