"""Buffers given as time spans (``pate._time``): PATE's ``early_buffer``/``delay_buffer`` with ``timestamps=``.

On a regular sampling a span becomes ``floor(span / step)`` samples, so the
score equals the one with that sample count; every other case is an error
that names what is wrong (the first bad row or irregular gap).
"""

from __future__ import annotations

import datetime
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from pate import pate_curve, pate_f1_score, pate_score
from pate._time import buffer_in_samples, check_timestamps
from pate.metrics import get_metric, get_metric_info

RNG = np.random.default_rng(7)
LABELS = np.zeros(200, dtype=int)
LABELS[60:75] = 1
LABELS[150:152] = 1
SCORES = RNG.random(200)
PRED = (SCORES > 0.8).astype(int)
TIMES = pd.date_range("2024-01-01", periods=200, freq="5min")


@pytest.mark.parametrize(
    "span",
    ["30min", np.timedelta64(30, "m"), pd.Timedelta(minutes=30), datetime.timedelta(minutes=30), "32min", "34min"],
)
def test_a_span_is_the_floor_of_span_over_step(span):
    # 30 to 34 minutes on a 5-minute sampling: 6 samples
    assert pate_score(LABELS, SCORES, timestamps=TIMES, early_buffer=span, delay_buffer=span) == pate_score(
        LABELS, SCORES, early_buffer=6, delay_buffer=6
    )
    assert pate_f1_score(LABELS, PRED, timestamps=TIMES, early_buffer=span, delay_buffer="10min") == pate_f1_score(
        LABELS, PRED, early_buffer=6, delay_buffer=2
    )


def test_sample_counts_and_spans_mix():
    curves = pate_curve(LABELS, SCORES, timestamps=TIMES, early_buffer="35min", delay_buffer=3)
    assert [(c.early_buffer, c.delay_buffer) for c in curves] == [(0, 0), (0, 3), (7, 0), (7, 3)]


def test_forms_of_timestamps():
    want = pate_score(LABELS, SCORES, early_buffer=4, delay_buffer=4)
    for stamps in (TIMES, TIMES.to_numpy(), TIMES.astype(str).tolist(), pd.Series(TIMES), TIMES.tz_localize("UTC")):
        assert pate_score(LABELS, SCORES, timestamps=stamps, early_buffer="20min", delay_buffer="24min") == want


def test_the_registry_exposes_timestamps():
    for name in ("pate", "pate_ap", "pate_f1"):
        assert "timestamps" in get_metric_info(name).params
    assert get_metric("pate")(LABELS, SCORES, timestamps=TIMES, early_buffer="30min") == pate_score(
        LABELS, SCORES, early_buffer=6
    )


def test_documented_rounding():
    stamps = pd.date_range("2024-01-01", periods=3, freq="7min")
    assert buffer_in_samples("30min", "early_buffer", stamps, 3) == 4  # 28 minutes, never beyond the span
    assert buffer_in_samples("6min", "early_buffer", stamps, 3) == 0
    assert buffer_in_samples("0s", "early_buffer", stamps, 3) == 0
    assert buffer_in_samples("1h", "early_buffer", stamps[:1], 1) == 0  # one sample: nothing to reach


@pytest.mark.parametrize(
    "timestamps, buffer, error, match",
    [
        (None, "30min", ValueError, r"early_buffer='30min' is a time span, but no timestamps were given"),
        (TIMES[:10], "30min", ValueError, "timestamps has 10 rows but y_true has 200"),
        (np.arange(200), "30min", TypeError, "time span but the timestamps are numbers"),
        (TIMES, "30", ValueError, "text without a unit"),
        (TIMES, "half an hour", ValueError, "not a time span pandas understands"),
        (TIMES, "-5min", ValueError, "negative"),
        (TIMES, np.timedelta64("NaT"), ValueError, "NaT"),
        (TIMES, np.timedelta64(1, "M"), ValueError, "no fixed length"),
        (TIMES, 2.5, TypeError, "non-negative integer"),
        (TIMES.delete(50), "30min", ValueError, "timestamps has 199 rows"),
    ],
)
def test_bad_buffers(timestamps, buffer, error, match):
    with pytest.raises(error, match=match):
        pate_score(LABELS, SCORES, timestamps=timestamps, early_buffer=buffer)


def test_an_irregular_sampling_names_the_first_irregular_gap():
    stamps = TIMES.delete(50).append(pd.DatetimeIndex([TIMES[-1] + pd.Timedelta("5min")]))
    with pytest.raises(
        ValueError,
        match=r"irregular: rows 0-1 are 0 days 00:05:00 apart, rows 49-50 "
        r"\(2024-01-01 04:05:00 -> 2024-01-01 04:15:00\) 0 days 00:10:00",
    ):
        pate_score(LABELS, SCORES, timestamps=stamps, delay_buffer="30min")
    # sample counts need no regular sampling: the timestamps are then only checked for their length
    assert pate_score(LABELS, SCORES, timestamps=stamps, early_buffer=3, delay_buffer=3) == pate_score(
        LABELS, SCORES, early_buffer=3, delay_buffer=3
    )


def test_unsorted_or_repeated_timestamps_name_the_first_bad_row():
    repeated = TIMES.insert(30, TIMES[29])[:200]
    with pytest.raises(ValueError, match=r"row 30 \(2024-01-01 02:25:00\) repeats the time of row 29"):
        pate_score(LABELS, SCORES, timestamps=repeated, early_buffer="30min")
    backwards = TIMES[[*range(10), 11, 10, *range(12, 200)]]
    with pytest.raises(
        ValueError,
        match=r"row 11 \(2024-01-01 00:50:00\) comes before row 10 \(2024-01-01 00:55:00\); "
        "sort the rows by time first",
    ):
        pate_f1_score(LABELS, PRED, timestamps=backwards, delay_buffer="30min")


def test_check_timestamps_reads_times_once():
    index = check_timestamps(TIMES)
    assert check_timestamps(index, 200) is index


def test_import_pate_does_not_import_pandas_for_sample_buffers():
    code = (
        "import sys, numpy as np, pate; y = np.zeros(50, int); y[20:25] = 1; "
        "pate.pate_score(y, np.linspace(0, 1, 50), early_buffer=3, timestamps=np.arange(50)); "
        "print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
