"""The pandas accessors on frames with a RangeIndex and with a DatetimeIndex."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import pate  # noqa: F401  (registers the accessors)
from pate import pate_f1_score, pate_score

rng = np.random.default_rng(7)
N = 400
LABEL = np.zeros(N, dtype=int)
LABEL[[*range(50, 80), *range(300, 302)]] = 1
FRAME = pd.DataFrame({"label": LABEL, "a": rng.random(N) + 0.5 * LABEL, "b": rng.random(N), "c": (rng.random(N) > 0.8).astype(int)})
TIMED = FRAME.set_index(pd.date_range("2024-03-01", periods=N, freq="10min"))


@pytest.mark.parametrize("frame", [FRAME, TIMED], ids=["range-index", "datetime-index"])
def test_score_delegates_to_the_public_functions(frame):
    assert frame.pate.score(score="a") == pate_score(LABEL, frame["a"])
    assert frame.pate.score(score="a", early_buffer=20, delay_buffer=3, n_thresholds=None) == pate_score(
        LABEL, frame["a"], early_buffer=20, delay_buffer=3, n_thresholds=None)
    assert frame.pate.score(score="c", metric="pate_f1") == pate_f1_score(LABEL, frame["c"])
    assert frame.pate.score(score="a", metric="pate_f1", threshold=0.9) == pate_f1_score(LABEL, frame["a"] >= 0.9)


def test_evaluate_gives_one_row_per_column_and_one_column_per_metric():
    table = FRAME.pate.evaluate(scores=["a", "b"], metrics=["pate", "pate_f1"], threshold=0.7, early_buffer=5)
    assert list(table.index) == ["a", "b"] and list(table.columns) == ["pate", "pate_f1"]
    assert table.loc["b", "pate"] == pate_score(LABEL, FRAME["b"], early_buffer=5)
    assert table.loc["a", "pate_f1"] == pate_f1_score(LABEL, FRAME["a"] >= 0.7, early_buffer=5)
    default = FRAME.pate.evaluate()
    assert list(default.index) == ["a", "b", "c"] and list(default.columns) == ["pate"]


def test_time_span_buffers_are_converted_with_the_index_frequency():
    got = TIMED.pate.score(score="a", early_buffer="1h", delay_buffer=pd.Timedelta("30min"))
    assert got == pate_score(LABEL, TIMED["a"], early_buffer=6, delay_buffer=3)


def test_time_span_errors_are_clear():
    with pytest.raises(ValueError, match="DatetimeIndex"):
        FRAME.pate.score(score="a", early_buffer="1h")
    irregular = TIMED.iloc[[*range(0, 100), *range(101, N)]]
    with pytest.raises(ValueError, match="no fixed frequency"):
        irregular.pate.score(score="a", early_buffer="1h")
    with pytest.raises(ValueError, match="whole, non-negative number of index steps"):
        TIMED.pate.score(score="a", early_buffer="15min")


def test_validation_lives_in_the_public_functions():
    with pytest.raises(ValueError, match="early_buffer must be >= 0"):
        FRAME.pate.score(score="a", early_buffer=-1)
    with pytest.raises(ValueError, match="y_pred must contain only 0 and 1"):
        FRAME.pate.score(score="a", metric="pate_f1")
    with pytest.raises(KeyError, match="'zz' not found"):
        FRAME.pate.score(score="zz")
    with pytest.raises(ValueError, match="Unknown metric"):
        FRAME.pate.score(score="a", metric="nope")
    with pytest.raises(TypeError, match="not accepted"):
        FRAME.pate.evaluate(window=3)


def test_series_events():
    events = TIMED["label"].pate.events()
    assert list(events.columns) == ["start", "end", "length"]
    assert events["length"].tolist() == [30, 2]
    assert events["start"].iloc[0] == TIMED.index[50] and events["end"].iloc[0] == TIMED.index[79]
    assert FRAME["label"].pate.events()["start"].tolist() == [50, 300]
    with pytest.raises(ValueError, match="only 0 and 1"):
        (FRAME["label"] * 2).pate.events()
