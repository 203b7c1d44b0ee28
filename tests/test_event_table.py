"""``pate.event_table`` and ``pate.alarm_table``: the per-event view.

* Every row equals the plain loops of tests/naive_events.py (hypothesis),
  delays included.
* The number of detected events equals Merlion 2.0.4's count of detected
  events (tests/data/merlion_reference.json: ``max_early`` as the early
  buffer, no ``max_delay``), and the mean of the delays its mean time to
  detect.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from helpers import DATA
from hypothesis import given, settings
from hypothesis import strategies as st
from naive.events import naive_alarm_rows, naive_event_rows
from naive.strategies import labelled_series

import pate

REFERENCE = json.loads((DATA / "merlion_reference.json").read_text())
buffers = st.sampled_from([0, 1, 2, 3, 5, 50])


def _records(table: pd.DataFrame, columns: list[str]) -> list[dict]:
    out = []
    for row in table[columns].itertuples(index=False):
        out.append(
            {
                c: (None if v is pd.NA else (v.item() if hasattr(v, "item") else v))
                for c, v in zip(columns, row, strict=True)
            }
        )
    return out


@st.composite
def alarms_for(draw, n):
    style = draw(st.sampled_from(["sparse", "dense", "none", "all"]))
    if style == "none":
        return np.zeros(n, dtype=int)
    if style == "all":
        return np.ones(n, dtype=int)
    pool = [0, 0, 0, 1] if style == "sparse" else [0, 1]
    return np.array(draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n)), dtype=int)


@settings(max_examples=400)
@given(data=st.data(), labels=labelled_series(), early=buffers, delay=buffers)
def test_event_rows_equal_the_plain_loop(data, labels, early, delay):
    alarms = data.draw(alarms_for(labels.size))
    scores = np.array(data.draw(st.lists(st.floats(-5, 5), min_size=labels.size, max_size=labels.size)))
    table = pate.event_table(labels, alarms, y_score=scores, early_buffer=early, delay_buffer=delay)
    want = naive_event_rows(
        labels.tolist(), alarms.tolist(), early_buffer=early, delay_buffer=delay, y_score=scores.tolist()
    )
    columns = ["event", "start", "end", "length", "detected", "first_alarm", "delay", "alarms", "max_score"]
    assert list(table.columns) == columns
    assert _records(table, columns) == want


@settings(max_examples=400)
@given(data=st.data(), labels=labelled_series(), early=buffers, delay=buffers)
def test_alarm_rows_equal_the_plain_loop(data, labels, early, delay):
    alarms = data.draw(alarms_for(labels.size))
    scores = np.array(data.draw(st.lists(st.floats(-5, 5), min_size=labels.size, max_size=labels.size)))
    table = pate.alarm_table(labels, alarms, y_score=scores, early_buffer=early, delay_buffer=delay)
    want = naive_alarm_rows(
        labels.tolist(), alarms.tolist(), early_buffer=early, delay_buffer=delay, y_score=scores.tolist()
    )
    columns = ["alarm", "start", "end", "length", "nearest_event", "distance", "max_score"]
    assert list(table.columns) == columns
    assert _records(table, columns) == want


def _merlion_comparable():
    """(case, early in samples, result row) of the recorded cases with unit or regular steps and no max_delay."""
    for case in REFERENCE["cases"]:
        if case["mode"] not in ("samples", "regular"):
            continue
        times = case["times"]
        step = times[1] - times[0] if len(times) > 1 else 1.0
        k = 0
        for early in case["early"]:
            for delay in case["delay"]:
                if delay in (None, 0):
                    yield case, early, step, case["results"][k]
                k += 1


COMPARABLE = list(_merlion_comparable())


def test_detected_count_and_delays_equal_merlion():
    assert len(COMPARABLE) > 500
    for case, early, _step, ref in COMPARABLE:
        labels = [int(c) for c in case["labels"]]
        alarms = [int(c) for c in case["alarms"]]
        if case["mode"] == "samples":
            table = pate.event_table(labels, alarms, early_buffer=int(early or 0))
            delays = table["delay"].dropna().astype(float)
        else:
            times = pd.to_datetime(np.round(np.array(case["times"]) * 1000).astype(np.int64), unit="ms")
            span = pd.Timedelta(seconds=early or 0)
            table = pate.event_table(labels, alarms, timestamps=times, early_buffer=span)
            delays = table["delay_time"].dropna().dt.total_seconds()
        where = f"{case['name']} early={early}"
        assert int(table["detected"].sum()) == ref[0], where
        assert int((~table["detected"]).sum()) == ref[1], where
        if ref[6] is None:
            assert delays.empty, where
        else:
            assert math.isclose(delays.mean(), ref[6], abs_tol=1e-9), where


def test_threshold_on_scores_equals_the_predictions():
    rng = np.random.default_rng(3)
    labels = (rng.random(300) < 0.1).astype(int)
    scores = rng.random(300)
    by_score = pate.event_table(labels, y_score=scores, threshold=0.8, early_buffer=3, delay_buffer=2)
    by_pred = pate.event_table(labels, scores >= 0.8, y_score=scores, early_buffer=3, delay_buffer=2)
    pd.testing.assert_frame_equal(by_score, by_pred)
    assert "max_score" not in pate.event_table(labels, scores >= 0.8).columns


def test_time_columns():
    times = pd.date_range("2024-01-01", periods=12, freq="5min", tz="Europe/Paris")
    y = [0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0]
    p = [0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
    events = pate.event_table(y, p, timestamps=times, early_buffer="5min", delay_buffer="10min")
    assert events["start_time"].tolist() == [times[2], times[8]]
    assert events["end_time"].tolist() == [times[4], times[9]]
    assert events["first_alarm_time"].iloc[0] == times[1]
    assert events["delay_time"].iloc[0] == pd.Timedelta("-5min")
    assert events["delay_time"].iloc[1] == pd.Timedelta("15min")  # the alarm at 11, in the delay buffer
    assert events["delay"].tolist() == [-1, 3]
    alarms = pate.alarm_table(y, p, timestamps=times, early_buffer="5min", delay_buffer="5min")
    assert alarms[["start", "nearest_event", "distance"]].values.tolist() == [[6, 0, 2], [11, 1, 2]]
    assert alarms["distance_time"].tolist() == [pd.Timedelta("10min")] * 2
    numeric = pate.event_table(y, p, timestamps=np.arange(12) * 0.5, early_buffer=1)
    assert numeric["start_time"].tolist() == [1.0, 4.0]
    assert numeric["delay_time"].iloc[0] == -0.5 and math.isnan(numeric["delay_time"].iloc[1])


def test_unsorted_timestamps_are_looked_up_per_row_with_sample_buffers():
    times = ["2024-01-01 00:10", "2024-01-01 00:00", "2024-01-01 00:05"]
    table = pate.event_table([0, 1, 0], [0, 1, 0], timestamps=times)
    assert table["start_time"].tolist() == [pd.Timestamp("2024-01-01 00:00")]
    with pytest.raises(ValueError, match=r"row 1 \(2024-01-01 00:00:00\) comes before row 0"):
        pate.event_table([0, 1, 0], [0, 1, 0], timestamps=times, early_buffer="5min")


def test_no_event_and_no_alarm():
    events = pate.event_table([0, 0, 0], [1, 0, 1])
    assert events.empty and "detected" in events.columns
    alarms = pate.alarm_table([0, 0, 0], [1, 0, 1])
    assert alarms["nearest_event"].isna().all() and alarms["start"].tolist() == [0, 2]
    assert pate.alarm_table([0, 1, 0], [0, 0, 0]).empty
    assert not pate.event_table([0, 1, 0], [0, 0, 0])["detected"].any()


@pytest.mark.parametrize(
    "args, options, error, match",
    [
        (([0, 1, 0],), {}, ValueError, "give the alarms"),
        (([0, 1, 0],), dict(y_score=[0.1, 0.5, 0.2]), ValueError, "give threshold="),
        (([0, 1, 0], [0, 1, 0]), dict(threshold=0.5), ValueError, "threshold applies to y_score"),
        (([0, 1, 0], [0, 1]), {}, ValueError, "same length"),
        (([0, 1, 0],), dict(y_score=[0.1, 0.5, 0.2], threshold=float("nan")), ValueError, "finite"),
        (([0, 1, 0], [0, 1, 0]), dict(early_buffer="5min"), ValueError, "no timestamps were given"),
        (
            ([0, 1, 0, 0], [0, 1, 0, 0]),
            dict(
                early_buffer="5min",
                timestamps=["2024-01-01 00:00", "2024-01-01 00:05", "2024-01-01 00:10", "2024-01-01 00:20"],
            ),
            ValueError,
            r"irregular: rows 0-1 are 0 days 00:05:00 apart, rows 2-3",
        ),
        (([0, 1, 0], [0, 2, 0]), {}, ValueError, "y_pred must contain only 0 and 1"),
    ],
)
def test_bad_input(args, options, error, match):
    with pytest.raises(error, match=match):
        pate.event_table(*args, **options)
