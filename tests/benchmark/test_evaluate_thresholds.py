"""Per-detector thresholds in the runner's thresholding strategy (``threshold={detector: X}``), issue 28."""

from __future__ import annotations

import gzip
import json
import math

import numpy as np
import pandas as pd
import pytest
from helpers import DATA, REPO

from pate.benchmark import Series, SeriesError, evaluate, metric_requests, read_csv_series, read_thresholds
from pate.metrics import get_metric, nab_score

Y = np.zeros(60, dtype=int)
Y[20:30] = 1
RNG = np.random.default_rng(3)
SCORES = {"a": RNG.random(60), "b": RNG.random(60) * 0.5, "c": RNG.random(60) + 0.2}
THRESHOLDS = {"a": 0.5, "b": 0.3, "c": 0.9}


def _run(metrics, **kwargs):
    return evaluate([Series("s", Y, SCORES)], metrics=metrics, progress=False, **kwargs)


def test_each_detector_is_thresholded_at_its_own_value():
    table = _run([("pate_f1", {"threshold": THRESHOLDS}), ("point_f1", {"threshold": THRESHOLDS})])
    for row in table.itertuples():
        predicted = (SCORES[row.detector] >= THRESHOLDS[row.detector]).astype(int)
        assert row.value == get_metric(row.metric)(Y, predicted), row


def test_one_params_string_per_set_of_thresholds_so_the_rows_rank_together():
    table = _run([("pate_f1", {"threshold": THRESHOLDS})])
    assert table["params"].nunique() == 1 and table["params"].iloc[0].startswith("threshold=per-detector:")
    same = metric_requests([("pate_f1", {"threshold": dict(reversed(THRESHOLDS.items()))})])[0]
    other = metric_requests([("pate_f1", {"threshold": {**THRESHOLDS, "a": 0.6}})])[0]
    assert same.params == table["params"].iloc[0] != other.params
    hash(same)  # a request stays hashable


def test_a_detector_without_a_threshold_is_a_row_error_naming_it():
    partial = {"a": 0.5, "c": 0.9}
    with pytest.raises(SeriesError, match=r"detector 'b'.*no threshold for detector 'b'.*they name 'a', 'c'"):
        _run([("pate_f1", {"threshold": partial})])
    table = _run([("pate_f1", {"threshold": partial})], on_error="record")
    assert math.isnan(table.set_index("detector").at["b", "value"])
    assert (table.set_index("detector").loc[["a", "c"], "error"] == "").all()


@pytest.mark.parametrize(
    ("thresholds", "error", "match"),
    [
        ({}, ValueError, "per-detector thresholds are empty"),
        ({1: 0.5}, TypeError, "keyed by detector name"),
        ({"a": math.nan}, ValueError, "threshold of detector 'a' must be a finite number, got nan"),
        ({"a": "0.5"}, ValueError, "threshold of detector 'a' must be a finite number"),
    ],
)
def test_bad_thresholds_are_refused_when_the_request_is_made(thresholds, error, match):
    with pytest.raises(error, match=match):
        metric_requests([("pate_f1", {"threshold": thresholds})])


def test_resume_keeps_per_detector_rows(tmp_path):
    out = tmp_path / "r.csv"
    evaluate([Series("s", Y, SCORES)], metrics=[("pate_f1", {"threshold": THRESHOLDS})], progress=False, output=out)
    again = evaluate(
        [Series("s", Y, SCORES), Series("t", Y[::-1], SCORES)],
        metrics=[("pate_f1", {"threshold": THRESHOLDS})],
        progress=False,
        output=out,
        resume=True,
    )
    assert len(again) == 6 and again["params"].nunique() == 1


def test_nabs_thresholds_file_gives_nab_score_at_nabs_thresholds(tmp_path):
    with gzip.open(DATA / "nab_reference.json.gz", "rt", encoding="utf-8") as handle:
        published = json.load(handle)["thresholds"]  # NAB's config/thresholds.json
    path = tmp_path / "thresholds.json"
    path.write_text(json.dumps(published))
    thresholds = read_thresholds(path)
    series = read_csv_series(REPO / "pate" / "data")
    table = evaluate(series, metrics=[("nab_score", {"threshold": thresholds})], progress=False)
    for source in series:
        loaded = source.load()
        for detector, scores in loaded.scores.items():
            want = nab_score(loaded.y_true, scores >= published[detector]["standard"]["threshold"]).score
            got = table[(table["series"] == source.name) & (table["detector"] == detector)]["value"].item()
            assert got == pytest.approx(want, abs=1e-12), (source.name, detector)
    assert isinstance(table, pd.DataFrame) and len(table) == 2 * 16
