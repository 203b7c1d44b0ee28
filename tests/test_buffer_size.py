"""suggest_buffer_size and the pate.PATE_utils drop-in against the published PATE 0.1.1 helpers.

tests/data/buffer_size_reference.json.gz was written by
tests/data/make_buffer_size_reference.py in a scratch virtualenv holding the
published package (never imported here): ``ACF_find_buffer_size`` on every NAB
value and detector column and on synthetic series, and the three event helpers.
The exact integer must agree everywhere, and our warning must appear exactly
where the published function prints.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import math
import warnings
from functools import lru_cache

import numpy as np
import pytest
from helpers import DATA, NAB
from hypothesis import given
from hypothesis import strategies as st
from naive.buffer_size import naive_autocorrelation, naive_buffer_size, naive_select_lag

from pate import BufferSizeSuggestion, suggest_buffer_size
from pate._buffer_size import autocorrelation, strongest_local_maximum
from pate.PATE_utils import (
    ACF_find_buffer_size,
    convert_events_to_array_PATE,
    convert_vector_to_events_PATE,
    generate_buffer_points,
)


@lru_cache(maxsize=1)
def reference() -> dict:
    with gzip.open(DATA / "buffer_size_reference.json.gz", "rt", encoding="utf-8") as f:
        return json.load(f)


def _decode(values: list) -> np.ndarray:
    return np.array([math.nan if v is None else float(v) for v in values], dtype=float)


def _published_call(x):
    """Our drop-in's (value, warned) with warnings recorded."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = ACF_find_buffer_size(x)
    msgs = [str(w.message) for w in caught if "No local maxima found" in str(w.message)]
    assert len(msgs) <= 1
    return value, bool(msgs)


SYNTHETIC = [c for c in reference()["synthetic"] if not c["id"].startswith("shape-")]


@pytest.mark.parametrize("case", SYNTHETIC, ids=[c["id"] for c in SYNTHETIC])
def test_acf_find_buffer_size_matches_published_on_synthetic_series(case):
    x = _decode(case["x"])
    value, warned = _published_call(x)
    assert value == case["value"]
    assert warned == case["printed"]
    assert type(value) is int
    if np.isfinite(x).all():
        s = suggest_buffer_size(x)
        assert (s.buffer_size, s.fallback) == (case["value"], case["printed"])


def test_acf_find_buffer_size_input_shapes_match_published():
    cases = {c["id"]: c for c in reference()["synthetic"] if c["id"].startswith("shape-")}
    assert cases["shape-2d"]["value"] == ACF_find_buffer_size(np.zeros((5, 2))) == 0
    assert cases["shape-0d"]["value"] == ACF_find_buffer_size(np.array(1.0)) == 0
    # the published function raises on an empty series too (IndexError/ValueError inside statsmodels)
    assert cases["shape-empty"]["error"] is not None
    with pytest.raises(ValueError, match="empty"):
        ACF_find_buffer_size(np.zeros(0))


@lru_cache(maxsize=None)
def _nab_columns(rel: str) -> dict[str, np.ndarray]:
    nab = NAB  # the tests that call this request the nab_dir fixture (skipped without the data)
    with gzip.open(nab / rel, "rt", newline="") as f:
        rows = list(csv.reader(io.StringIO(f.read())))
    header, body = rows[0], rows[1:]
    return {col: np.array([float(r[j]) for r in body]) for j, col in enumerate(header) if col != "timestamp"}


def test_acf_find_buffer_size_matches_published_on_every_nab_column(nab_dir):
    cases = reference()["nab"]
    assert len(cases) >= 900  # 58 series x (value + 16 detectors)
    mismatches = []
    for case in cases:
        x = _nab_columns(case["file"])[case["column"]]
        value, warned = _published_call(x)
        s = suggest_buffer_size(x)
        if (value, warned, s.buffer_size, s.fallback) != (case["value"], case["printed"]) * 2:
            mismatches.append((case["file"], case["column"], value, warned, case["value"], case["printed"]))
    assert not mismatches


def test_nab_value_columns_are_all_covered(nab_dir):
    nab = nab_dir
    with open(nab / "index.csv", newline="") as f:
        series = {f"{r['category']}/{r['series']}.csv.gz" for r in csv.DictReader(f)}
    covered = {c["file"] for c in reference()["nab"] if c["column"] == "value"}
    assert covered == series


def test_drop_in_prints_nothing_and_leaves_logging_alone(capsys):
    handlers = list(logging.getLogger().handlers)
    with pytest.warns(UserWarning, match="No local maxima found; returning the default buffer size of 100"):
        assert ACF_find_buffer_size(np.ones(50)) == 100
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
    assert logging.getLogger().handlers == handlers


def test_drop_in_accepts_lists_and_series_like_arrays():
    pd = pytest.importorskip("pandas")
    x = np.sin(2 * np.pi * np.arange(1000) / 37) + 0.1 * np.cos(np.arange(1000))
    expected = ACF_find_buffer_size(x)
    assert expected == 37
    assert ACF_find_buffer_size(list(x)) == expected
    assert ACF_find_buffer_size(pd.Series(x, index=np.arange(1000) + 5)) == expected
    assert ACF_find_buffer_size(x.astype(np.float32).astype(float)) == 37


@pytest.mark.parametrize("case", reference()["events"])
def test_convert_vector_to_events_matches_published(case):
    events = convert_vector_to_events_PATE(np.array(case["vector"], dtype=int))
    assert [list(e) for e in events] == case["events"]
    assert all(type(v) is int for e in events for v in e)


@pytest.mark.parametrize("case", reference()["arrays"])
def test_convert_events_to_array_matches_published(case):
    out = convert_events_to_array_PATE([tuple(r) for r in case["ranges"]], case["length"])
    assert out.tolist() == case["array"]
    assert out.dtype == np.dtype(int)


def test_generate_buffer_points_matches_published():
    for case in reference()["buffer_points"]:
        args = (case["max_buffer_size"], case["num_splits"], case["include_zero"])
        if case["error"] is None:
            out = generate_buffer_points(*args)
            assert out.tolist() == case["points"], case
            assert out.dtype == np.dtype(int)
        else:  # num_splits=0 without zero: ZeroDivisionError published, a clear ValueError here
            with pytest.raises(ValueError, match="num_splits must be >= 1"):
                generate_buffer_points(*args)


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: convert_events_to_array_PATE([(3, 10)], 8), ValueError, r"ranges\[0\] = \(3, 10\)"),
        (lambda: convert_events_to_array_PATE([(4, 2)], 8), ValueError, "start <= end"),
        (lambda: convert_events_to_array_PATE([(-1, 2)], 8), ValueError, "0 <= start"),
        (lambda: convert_events_to_array_PATE([(1, 2, 3)], 8), ValueError, "pair"),
        (lambda: convert_events_to_array_PATE([(1.5, 2)], 8), ValueError, "integers"),
        (lambda: convert_events_to_array_PATE([], 2.0), TypeError, "time_series_length"),
        (lambda: convert_vector_to_events_PATE(np.zeros((2, 2))), ValueError, "1-D"),
        (lambda: generate_buffer_points(-1, 2), ValueError, "max_buffer_size must be >= 0"),
        (lambda: generate_buffer_points(10, 1.5), TypeError, "num_splits"),
    ],
)
def test_drop_in_helpers_reject_what_the_published_code_misreads(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# ---------------------------------------------------------------------------
# the modern API
# ---------------------------------------------------------------------------
def test_suggest_buffer_size_returns_a_named_result():
    t = np.arange(3000)
    s = suggest_buffer_size(np.sin(2 * np.pi * t / 60))
    assert isinstance(s, BufferSizeSuggestion)
    assert s == (60, 60, s.autocorrelation, False, "")
    assert 0.9 < s.autocorrelation <= 1.0
    assert type(s.buffer_size) is int and type(s.lag) is int


def test_suggest_buffer_size_says_why_it_fell_back():
    s = suggest_buffer_size(np.full(300, 2.0))
    assert s.fallback and s.buffer_size == 100 and s.lag is None and math.isnan(s.autocorrelation)
    assert "constant" in s.reason
    s = suggest_buffer_size([1.0, 2.0, 3.0])
    assert s.fallback and "too few points" in s.reason
    # the strongest maximum at lag 350 lies outside [6, 303]: the default, and the lag is reported
    t = np.arange(4000)
    s = suggest_buffer_size(np.sin(2 * np.pi * t / 350))
    assert s.fallback and s.lag == 350 and "outside [6, 303]" in s.reason
    assert suggest_buffer_size(np.sin(2 * np.pi * t / 350), lag_range=(6, 400)) == (
        350,
        350,
        s.autocorrelation,
        False,
        "",
    )
    assert suggest_buffer_size(np.full(300, 2.0), default=25).buffer_size == 25


def test_suggest_buffer_size_options():
    t = np.arange(30000)
    x = np.where(t < 20000, np.sin(2 * np.pi * t / 40), 5 * np.sin(2 * np.pi * t / 130))
    assert suggest_buffer_size(x).buffer_size == 40  # only the first 20,000 points
    assert suggest_buffer_size(x) == suggest_buffer_size(x[:20000], max_points=None)
    whole = suggest_buffer_size(x, max_points=None)
    assert whole == suggest_buffer_size(x, max_points=x.size) and whole.buffer_size != 40
    assert suggest_buffer_size(x[20000:]).buffer_size == 130
    assert suggest_buffer_size(x[20000:], max_lag=100).lag != 130  # lag 130 is beyond max_lag


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(x=[0.0, np.nan, 1.0]), ValueError, "x contains NaN at index 1"),
        (dict(x=np.zeros((3, 3))), ValueError, "x must be 1-D"),
        (dict(x=[]), ValueError, "x is empty"),
        (dict(x=[1.0, 2.0], max_lag=0), ValueError, "max_lag must be >= 1"),
        (dict(x=[1.0, 2.0], max_lag=2.5), TypeError, "max_lag"),
        (dict(x=[1.0, 2.0], max_points=0), ValueError, "max_points must be >= 1"),
        (dict(x=[1.0, 2.0], lag_range=(10, 5)), ValueError, "low <= high"),
        (dict(x=[1.0, 2.0], lag_range=7), TypeError, "lag_range must be a pair"),
        (dict(x=[1.0, 2.0], default=-1), ValueError, "default must be >= 0"),
    ],
)
def test_suggest_buffer_size_rejects_bad_input(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        suggest_buffer_size(**kwargs)


# ---------------------------------------------------------------------------
# against the plain-Python oracle
# ---------------------------------------------------------------------------
series = st.lists(st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, width=32), min_size=1, max_size=120)


@given(series, st.integers(1, 130))
def test_autocorrelation_equals_the_direct_sums(x, max_lag):
    arr = np.array(x, dtype=float)
    ours = autocorrelation(arr, max_lag)
    naive = naive_autocorrelation(list(map(float, x)), max_lag=max_lag)
    assert ours.size == len(naive)
    if math.isnan(naive[0]):
        assert np.isnan(ours).all() or not np.isfinite(ours[0]) or abs(ours[0] - 1) < 1e-9
        return
    scale = max(1.0, float(np.max(np.abs(arr - arr.mean()))) ** 2)
    # FFT rounding is relative to the signal's energy; tiny-variance series are checked loosely
    assert np.allclose(ours, naive, rtol=0, atol=1e-9 * scale / max(np.var(arr), 1e-300) + 1e-12)


@given(st.lists(st.floats(-1, 1, allow_nan=False), min_size=0, max_size=60))
def test_lag_selection_follows_the_published_rule(acf_tail):
    acf = [1.0, 0.5, 0.25] + acf_tail  # given autocorrelations: only the selection step is checked
    best = strongest_local_maximum(np.array(acf_tail))
    if best is None:
        got = (100, True)
    else:
        lag = best + 3
        got = (lag, False) if 6 <= lag <= 303 else (100, True)
    assert got == naive_select_lag(acf)


@given(st.integers(8, 400), st.integers(4, 320), st.floats(0, 0.5))
def test_suggestion_equals_the_oracle_on_noisy_periodic_series(n, period, noise):
    rng = np.random.default_rng(n * 1000 + period)
    t = np.arange(n)
    x = np.sin(2 * np.pi * t / period) + noise * rng.standard_normal(n)
    ours = suggest_buffer_size(x)
    acf = naive_autocorrelation(x.tolist(), max_lag=400)
    expected = naive_select_lag(acf)
    # a different rounding may decide a near-tie between two autocorrelations: skip only those
    a = np.array(acf[3:])
    diffs = np.abs(np.subtract.outer(a, a))
    near_tie = bool(((diffs > 0) & (diffs < 1e-9)).any()) or bool((np.abs(np.diff(a)) < 1e-9).any())
    if not near_tie:
        assert (ours.buffer_size, ours.fallback) == expected
        assert (ours.buffer_size, ours.fallback) == naive_buffer_size(x.tolist())
