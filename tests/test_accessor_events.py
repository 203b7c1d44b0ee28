"""``df.pate`` with anomaly intervals (``intervals=``, ``time=``) and the event metrics' time tolerances."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import pate

N = 120
TIMES = pd.date_range("2024-01-01", periods=N, freq="5min")
LABEL = np.zeros(N, dtype=int)
LABEL[40:52] = 1
LABEL[90:95] = 1
RNG = np.random.default_rng(5)
FRAME = pd.DataFrame({"label": LABEL, "a": RNG.random(N) + 0.5 * LABEL, "b": RNG.random(N)}, index=TIMES)
INTERVALS = [(str(TIMES[40]), str(TIMES[51])), (TIMES[90], TIMES[94])]


def test_intervals_give_the_same_values_as_the_label_column():
    bare = FRAME.drop(columns="label")
    assert bare.pate.score(score="a", intervals=INTERVALS, early_buffer=5) == FRAME.pate.score(
        score="a", early_buffer=5
    )
    want = FRAME.pate.evaluate(metrics=["pate", "rpa_f1"], threshold=0.8, early_buffer=3)
    got = bare.pate.evaluate(metrics=["pate", "rpa_f1"], threshold=0.8, early_buffer=3, intervals=INTERVALS)
    pd.testing.assert_frame_equal(got, want)


def test_a_time_column_and_a_one_series_interval_file(tmp_path):
    frame = FRAME.reset_index(names="when")
    (tmp_path / "iv.csv").write_text("start,end\n" + "\n".join(f"{s},{e}" for s, e in INTERVALS) + "\n")
    windows = pate.read_intervals(tmp_path / "iv.csv")
    got = frame.drop(columns="label").pate.evaluate(intervals=windows, time="when", early_buffer=2)
    assert list(got.index) == ["a", "b"]  # the time column is no score
    pd.testing.assert_frame_equal(got, FRAME.pate.evaluate(early_buffer=2))


def test_event_metric_tolerances_in_time():
    alarms = np.zeros(N, dtype=int)
    alarms[38] = alarms[93] = 1
    frame = pd.DataFrame({"label": LABEL, "det": alarms}, index=TIMES)
    assert frame.pate.score(score="det", metric="mean_time_to_detect", max_early="10min") == (-600 + 900) / 2
    assert frame.pate.score(score="det", metric="mean_time_to_detect", max_early=2) == (-2 + 3) / 2
    table = frame.pate.evaluate(scores="det", metrics=["rpa_recall", "mean_time_to_detect"], max_early="10min")
    assert table.loc["det"].tolist() == [1.0, 150.0]


def test_errors():
    plain = FRAME.reset_index(drop=True).drop(columns="label")
    with pytest.raises(ValueError, match="intervals need the times of the rows"):
        plain.pate.score(score="a", intervals=INTERVALS)
    windows = pate.IntervalFile("w.json", {"x.csv": ((1, 2),), "y.csv": ()})
    with pytest.raises(ValueError, match="holds several series"):
        FRAME.pate.score(score="a", intervals=windows)
    with pytest.raises(KeyError, match="time column 'when' not found"):
        FRAME.pate.score(score="a", intervals=INTERVALS, time="when")
