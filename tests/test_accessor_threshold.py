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
