"""Merlion's revised point-adjusted metrics and mean time to detect (``pate.metrics._rpa``).

* Equal to salesforce-merlion 2.0.4 on the recorded cases of
  tests/data/merlion_reference.json (hypothesis-made and hand-made: regular
  and irregular times, every combination of the tolerances drawn, events at
  the series' ends, tolerances wider than the gaps between events, no event,
  no alarm): precision, recall and F1 to 1e-12, the mean time to detect to
  1e-9 s and to Merlion's whole seconds.
* Equal to the plain-Python oracle of tests/naive_events.py on hypothesis
  cases, the oracle itself equal to Merlion on the recorded cases.
"""

from __future__ import annotations

import datetime
import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from helpers import DATA
from hypothesis import given, settings
from hypothesis import strategies as st
from naive.events import naive_merlion
from sklearn.exceptions import UndefinedMetricWarning

from pate.metrics import get_metric, get_metric_info, mean_time_to_detect, rpa_precision_recall_fscore

REFERENCE = json.loads((DATA / "merlion_reference.json").read_text())
CASES = REFERENCE["cases"]


def _bits(text: str) -> list[int]:
    return [int(c) for c in text]


def _inputs(case: dict, k: int):
    """Our arguments for a recorded case; the k-th tolerance pair tries one of the time-span forms."""
    times = np.array(case["times"])
    mode = case["mode"]
    if mode == "samples":
        return None, (lambda x: None if x is None else int(x))
    if mode == "numeric":
        return times, (lambda x: x)
    stamps = np.round(times * 1000).astype(np.int64).astype("datetime64[ms]")
    forms = [
        lambda ms: np.timedelta64(ms, "ms"),
        lambda ms: pd.Timedelta(milliseconds=ms),
        lambda ms: f"{ms}ms",
        lambda ms: datetime.timedelta(milliseconds=ms),
    ]
    form = forms[k % len(forms)]
    # an index of every second form: a DatetimeIndex, else datetime64 values
    stamps = pd.DatetimeIndex(stamps) if k % 2 else stamps
    return stamps, (lambda x: None if x is None else form(int(round(x * 1000))))


def _pairs(case: dict):
    for k, (early, delay) in enumerate((e, d) for e in case["early"] for d in case["delay"]):
        yield k, early, delay, case["results"][k]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_equal_to_merlion(case):
    labels, alarms = _bits(case["labels"]), _bits(case["alarms"])
    for k, early, delay, ref in _pairs(case):
        timestamps, tol = _inputs(case, k)
        options = dict(timestamps=timestamps, max_early=tol(early), max_delay=tol(delay))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            ours = rpa_precision_recall_fscore(labels, alarms, **options)
            mttd = mean_time_to_detect(labels, alarms, **options)
        where = f"{case['name']} early={early} delay={delay}"
        assert abs(ours.precision - ref[3]) <= 1e-12, where
        assert abs(ours.recall - ref[4]) <= 1e-12, where
        assert abs(ours.fscore - ref[5]) <= 1e-12, where
        if ref[6] is None:  # no detected event: Merlion says 0 seconds, we say undefined
            assert math.isnan(mttd) and ref[7] == 0.0, where
        else:
            assert abs(mttd - ref[6]) <= 1e-9, where
            assert int(mttd) == ref[7], where  # Merlion truncates the mean to whole seconds


def test_the_registry_names_give_the_same_values():
    case = next(c for c in CASES if c["name"] == "close-events")
    labels, alarms = _bits(case["labels"]), _bits(case["alarms"])
    for k, early, delay, ref in _pairs(case):
        timestamps, tol = _inputs(case, k)
        options = dict(timestamps=timestamps, max_early=tol(early), max_delay=tol(delay))
        assert get_metric("rpa_precision")(labels, alarms, **options) == ref[3]
        assert get_metric("rpa_recall")(labels, alarms, **options) == ref[4]
        assert get_metric("rpa_f1")(labels, alarms, **options) == ref[5]
        assert int(get_metric("mean_time_to_detect")(labels, alarms, undefined=0, **options)) == ref[7]
    for name in ("rpa_precision", "rpa_recall", "rpa_f1", "mean_time_to_detect"):
        info = get_metric_info(name)
        assert info.input == "binary"
        assert {"timestamps", "max_early", "max_delay", "undefined"} <= set(info.params)


def test_the_recorded_cases_cover_the_edge_cases():
    modes = {c["mode"] for c in CASES}
    assert modes == {"samples", "regular", "irregular", "numeric"}
    assert sum(len(c["results"]) for c in CASES) > 5000
    # tolerances wider than a gap between two events, and an event reaching the end
    assert any(c["labels"].endswith("1") and c["labels"].count("01") >= 2 for c in CASES)


@pytest.mark.parametrize("case", CASES[:: max(1, len(CASES) // 120)], ids=lambda c: c["name"])
def test_the_oracle_equals_merlion(case):
    labels, alarms = _bits(case["labels"]), _bits(case["alarms"])
    times = case["times"]
    for _, early, delay, ref in _pairs(case):
        tp, fn, fp, delays = naive_merlion(labels, alarms, timestamps=times, max_early=early, max_delay=delay, pad=1.0)
        assert [tp, fn, fp] == ref[:3]
        assert (not delays and ref[6] is None) or abs(sum(delays) / len(delays) - ref[6]) <= 1e-9


@st.composite
def merlion_case(draw):
    n = draw(st.integers(1, 40))
    labels = draw(st.lists(st.sampled_from([0, 0, 1]), min_size=n, max_size=n))
    alarms = draw(st.lists(st.sampled_from([0, 0, 0, 1]), min_size=n, max_size=n))
    irregular = draw(st.booleans())
    gaps = draw(st.lists(st.integers(1, 5), min_size=n - 1, max_size=n - 1)) if irregular else [1] * (n - 1)
    times = [0]
    for g in gaps:
        times.append(times[-1] + g)
    tolerance = st.none() | st.integers(0, 12)
    return labels, alarms, times, irregular, draw(tolerance), draw(tolerance)


@settings(max_examples=400)
@given(merlion_case())
def test_equal_to_the_oracle(case):
    labels, alarms, times, irregular, early, delay = case
    tp, fn, fp, delays = naive_merlion(labels, alarms, timestamps=times, max_early=early, max_delay=delay)
    # integer times in seconds: as numbers, and as date-times with time spans
    stamps = np.datetime64("2020-01-01T00:00:00", "s") + np.array(times).astype("timedelta64[s]")
    span = {None: None}
    runs = [
        dict(timestamps=np.array(times), max_early=early, max_delay=delay),
        dict(timestamps=stamps, max_early=span.get(early, f"{early}s"), max_delay=span.get(delay, f"{delay}s")),
    ]
    if not irregular:  # unit steps: the same as sample counts without timestamps
        runs.append(dict(max_early=early, max_delay=delay))
    events = tp + fn
    for options in runs:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            ours = rpa_precision_recall_fscore(labels, alarms, **options)
            mttd = mean_time_to_detect(labels, alarms, **options)
        assert ours.precision == (tp / (tp + fp) if tp + fp else 0.0)
        assert ours.recall == (tp / events if events else 0.0)
        if delays:
            assert mttd == pytest.approx(sum(delays) / len(delays), abs=1e-12)
        else:
            assert math.isnan(mttd)


def test_max_delay_zero_does_not_cut_as_in_merlion():
    y = [0, 1, 1, 1, 0]
    p = [0, 0, 0, 1, 0]
    assert rpa_precision_recall_fscore(y, p, max_delay=0).recall == 1.0
    assert rpa_precision_recall_fscore(y, p, max_delay=None).recall == 1.0
    assert rpa_precision_recall_fscore(y, p, max_delay=1).recall == 0.0  # window [1, 2): index 3 is late


def test_an_event_at_the_end_is_never_cut():
    y = [0, 0, 1, 1, 1]
    p = [0, 0, 0, 0, 1]
    assert rpa_precision_recall_fscore(y, p, max_delay=1).recall == 1.0  # Merlion's rule for the last segment
    assert rpa_precision_recall_fscore(y + [0], p + [0], max_delay=1).recall == 0.0


def test_undefined_cases():
    with pytest.warns(UndefinedMetricWarning, match="recall is 0/0"):
        assert rpa_precision_recall_fscore([0, 0, 0], [0, 1, 0]).recall == 0.0
    with pytest.warns(UndefinedMetricWarning, match="precision is 0/0"):
        assert rpa_precision_recall_fscore([0, 1, 0], [0, 0, 0]).precision == 0.0
    with pytest.warns(UndefinedMetricWarning, match="no event is detected"):
        assert math.isnan(mean_time_to_detect([0, 1, 0], [1, 0, 0]))
    assert mean_time_to_detect([0, 1, 0], [1, 0, 0], undefined=-1) == -1.0
    assert math.isnan(get_metric("rpa_recall")([0, 0, 0], [0, 1, 0], undefined="nan"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # recall is defined: its registry entry does not warn
        assert get_metric("rpa_recall")([0, 1, 0], [0, 0, 0]) == 0.0
    result = rpa_precision_recall_fscore([0, 0, 0], [0, 0, 0], undefined="nan")
    assert all(math.isnan(v) for v in result)


def test_time_units():
    times = pd.date_range("2024-01-01", periods=6, freq="10s")
    y, p = [0, 0, 1, 1, 1, 0], [0, 0, 0, 1, 0, 0]
    assert mean_time_to_detect(y, p, timestamps=times) == 10.0  # seconds
    assert mean_time_to_detect(y, p) == 1.0  # samples
    assert mean_time_to_detect(y, p, timestamps=[0.0, 0.5, 1.0, 1.5, 2.0, 2.5]) == 0.5  # the index's unit
    aware = times.tz_localize("Europe/Paris")
    assert mean_time_to_detect(y, p, timestamps=aware, max_early="10s") == 10.0


@pytest.mark.parametrize(
    "options, error, match",
    [
        (dict(max_early="30min"), ValueError, "is a time span, but no timestamps were given"),
        (dict(max_delay=np.timedelta64(5, "m")), ValueError, "no timestamps were given"),
        (dict(max_early=1.5), TypeError, "non-negative integer"),
        (dict(max_early=-1), ValueError, ">= 0"),
        (
            dict(timestamps=pd.date_range("2024", periods=5, freq="min"), max_early=60),
            TypeError,
            "is a number but the timestamps are date-times: give a time span such as '60s'",
        ),
        (dict(timestamps=[0, 1, 2, 3, 4], max_early="1min"), TypeError, "time span but the timestamps are numbers"),
        (
            dict(timestamps=pd.date_range("2024", periods=5, freq="min"), max_early="12"),
            ValueError,
            "text without a unit",
        ),
        (
            dict(timestamps=pd.date_range("2024", periods=5, freq="min"), max_early="soon"),
            ValueError,
            "not a time span pandas understands",
        ),
        (dict(timestamps=pd.date_range("2024", periods=5, freq="min"), max_early="-1min"), ValueError, "negative"),
        (dict(timestamps=[0, 1, 2, 3]), ValueError, "timestamps has 4 rows but y_true has 5"),
    ],
)
def test_bad_options(options, error, match):
    with pytest.raises(error, match=match):
        rpa_precision_recall_fscore([0, 1, 1, 0, 0], [0, 1, 0, 0, 0], **options)


def test_unsorted_or_repeated_timestamps_name_the_first_bad_row():
    y, p = [0, 1, 1, 0, 0], [0, 1, 0, 0, 0]
    stamps = ["2024-01-01 00:00", "2024-01-01 00:01", "2024-01-01 00:03", "2024-01-01 00:02", "2024-01-01 00:04"]
    with pytest.raises(ValueError, match=r"row 3 \(2024-01-01 00:02:00\) comes before row 2 \(2024-01-01 00:03:00\)"):
        rpa_precision_recall_fscore(y, p, timestamps=stamps, max_early="1min")
    with pytest.raises(ValueError, match=r"row 2 \(2\) repeats the time of row 1"):
        mean_time_to_detect(y, p, timestamps=[1, 2, 2, 3, 4])


def test_the_mean_time_to_detect_is_a_time_not_a_score():
    from pate.benchmark import Series, evaluate

    info = get_metric_info("mean_time_to_detect")
    assert info.best == -math.inf and not info.greater_is_better
    series = Series("s", [0, 1, 1, 0, 0], {"d": [0, 0, 1, 0, 0]})
    with pytest.raises(ValueError, match="chance levels are for scores; 'mean_time_to_detect' is a time"):
        evaluate([series], metrics=["mean_time_to_detect"], chance=9, progress=False)
    assert evaluate([series], metrics=["mean_time_to_detect"], progress=False)["value"].tolist() == [1.0]
