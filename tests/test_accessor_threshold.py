"""``df.pate.score(..., threshold=nan)`` was accepted and gave 0.0 (issue 29, item 5): every route refuses it."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

FRAME = pd.DataFrame({"label": [0, 0, 1, 1, 0, 0, 0, 0], "score": [0.1, 0.2, 0.9, 0.8, 0.1, 0.3, 0.2, 0.1]})


@pytest.mark.parametrize("threshold", [math.nan, math.inf, -math.inf, np.float64("nan"), "0.5", True])
def test_score_refuses_a_threshold_that_is_not_a_finite_number(threshold):
    with pytest.raises(ValueError, match="metric 'pate_f1': threshold must be a finite number"):
        FRAME.pate.score(metric="pate_f1", threshold=threshold, early_buffer=1, delay_buffer=1)


@pytest.mark.parametrize("threshold", [math.nan, math.inf])
def test_evaluate_refuses_it_too(threshold):
    with pytest.raises(ValueError, match="threshold must be a finite number"):
        FRAME.pate.evaluate(scores="score", metrics="pate_f1", threshold=threshold)


def test_a_finite_threshold_still_works():
    assert FRAME.pate.score(metric="pate_f1", threshold=0.5, early_buffer=1, delay_buffer=1) == 1.0


# ---- issue 28: per-column thresholds ({column: X}, NAB's per-detector thresholds) ----
WIDE = pd.DataFrame(
    {"label": [0, 0, 1, 1, 0, 0, 0, 0], "a": [0.1, 0.2, 0.9, 0.8, 0.1, 0.3, 0.2, 0.1], "b": [0.5] * 2 + [0.6] * 6}
)


def test_evaluate_takes_a_threshold_per_column():
    from pate.metrics import pate_f1_score

    got = WIDE.pate.evaluate(metrics=["pate_f1"], threshold={"a": 0.5, "b": 0.55, "other": 9.0}, early_buffer=1,
                             delay_buffer=1)  # fmt: skip
    for column, t in (("a", 0.5), ("b", 0.55)):
        want = pate_f1_score(WIDE["label"], WIDE[column] >= t, early_buffer=1, delay_buffer=1)
        assert got.loc[column, "pate_f1"] == want


def test_a_column_without_a_threshold_is_named():
    with pytest.raises(ValueError, match=r"threshold has no entry for score column\(s\) 'b' \(it names 'a'\)"):
        WIDE.pate.evaluate(metrics=["pate_f1"], threshold={"a": 0.5})


def test_score_and_chance_level_take_the_columns_entry():
    assert WIDE.pate.score(score="a", metric="pate_f1", threshold={"a": 0.5, "b": 0.9}, early_buffer=1,
                           delay_buffer=1) == 1.0  # fmt: skip
    with pytest.raises(ValueError, match="threshold has no entry for score column 'a'"):
        WIDE.pate.score(score="a", metric="pate_f1", threshold={"b": 0.5})
    level = WIDE.pate.chance_level(score="a", metric="pate_f1", threshold={"a": 0.5}, n_resamples=9, random_state=0,
                                   early_buffer=1, delay_buffer=1)  # fmt: skip
    assert level.observed == 1.0


def test_a_bad_entry_is_refused_as_a_bad_threshold():
    with pytest.raises(ValueError, match="threshold of score column 'a' must be a finite number, got nan"):
        WIDE.pate.evaluate(scores=["a"], metrics=["pate_f1"], threshold={"a": math.nan})
