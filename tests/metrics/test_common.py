"""Contract tests every registered metric passes, parametrized from ``list_metrics()``.

As scikit-learn's ``sklearn/metrics/tests/test_common.py``: a metric added to
the registry gets these checks for free. For every name: list, numpy dtypes
and pandas inputs give identical results; no input is mutated; a length
mismatch, a NaN and labels other than 0/1 raise a ``ValueError`` naming the
argument; a non-bool ``compat`` raises a ``TypeError`` naming it; the result
is a Python float in the metric's declared bounds ([0, 1] for most).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from helpers import series

from pate._warnings import undefined_metric_warning_class
from pate.metrics import list_metrics

UndefinedMetricWarning = undefined_metric_warning_class()
METRICS = list_metrics()
IDS = [m.name for m in METRICS]

Y = series(40, (4, 6), (15, 15), (24, 29), (39, 39))
S = np.round(np.random.default_rng(7).random(40) * 0.6 + 0.35 * Y, 3)
P = (S > 0.5).astype(int)

LABEL_FORMS = {
    "list": lambda a: a.tolist(),
    "series": pd.Series,
    "bool": lambda a: a.astype(bool),
    "int8": lambda a: a.astype(np.int8),
    "uint8": lambda a: a.astype(np.uint8),
    "float": lambda a: a.astype(float),
}
SCORE_FORMS = {
    "list": lambda a: a.tolist(),
    "series": pd.Series,
    "series_index": lambda a: pd.Series(a, index=np.arange(a.size) * 3 + 7),
}


def _inputs(info):
    return (Y, S) if info.input == "score" else (Y, P)


def _variants(info):
    """The default call, and ``compat=True`` where the metric has that switch."""
    return [{}, {"compat": True}] if "compat" in info.params else [{}]


@pytest.mark.parametrize("info", METRICS, ids=IDS)
@pytest.mark.parametrize("form", sorted(LABEL_FORMS))
def test_label_input_types_give_identical_results(quiet, info, form):
    y, x = _inputs(info)
    for options in _variants(info):
        want = quiet(info.func, y, x, **options)
        assert quiet(info.func, LABEL_FORMS[form](y), x, **options) == want
        if info.input == "binary":
            assert quiet(info.func, y, LABEL_FORMS[form](x), **options) == want


@pytest.mark.parametrize("info", [m for m in METRICS if m.input == "score"], ids=lambda m: m.name)
@pytest.mark.parametrize("form", sorted(SCORE_FORMS))
def test_score_input_types_give_identical_results(quiet, info, form):
    for options in _variants(info):
        assert quiet(info.func, Y, SCORE_FORMS[form](S), **options) == quiet(info.func, Y, S, **options)


@pytest.mark.parametrize("info", METRICS, ids=IDS)
def test_no_input_is_mutated(quiet, info):
    y, x = _inputs(info)
    for options in _variants(info):
        for convert in (lambda a: a.copy(), lambda a: a.astype(bool), pd.Series):
            if info.input == "score" and convert is not pd.Series:
                yy, xx = convert(y), x.copy()
            else:
                yy, xx = convert(y), convert(x)
            y_before, x_before = np.array(yy, copy=True), np.array(xx, copy=True)
            quiet(info.func, yy, xx, **options)
            np.testing.assert_array_equal(np.asarray(yy), y_before)
            np.testing.assert_array_equal(np.asarray(xx), x_before)


@pytest.mark.parametrize("info", METRICS, ids=IDS)
def test_bad_input_raises_a_value_error_naming_the_argument(info):
    y, x = _inputs(info)
    other = "y_score" if info.input == "score" else "y_pred"
    with pytest.raises(ValueError, match=f"y_true and {other} must have the same length, got 40 and 39"):
        info.func(y, x[:-1])
    with pytest.raises(ValueError, match=f"{other} (contains NaN at|must contain only 0 and 1.*) index 3"):
        info.func(y, np.where(np.arange(40) == 3, np.nan, x.astype(float)))
    with pytest.raises(ValueError, match="y_true must contain only 0 and 1"):
        info.func(np.where(y == 1, 2, 0), x)
    if info.input == "binary":
        with pytest.raises(ValueError, match="y_pred must contain only 0 and 1"):
            info.func(y, x * 2)


@pytest.mark.parametrize("info", [m for m in METRICS if "compat" in m.params], ids=lambda m: m.name)
def test_a_non_bool_compat_raises_a_type_error_naming_it(info):
    with pytest.raises(TypeError, match="compat"):
        info.func(*_inputs(info), compat="no")


@pytest.mark.parametrize("info", METRICS, ids=IDS)
def test_results_are_python_floats_in_range(quiet, info):
    y, x = _inputs(info)
    perfect = y if info.input == "binary" else y.astype(float)
    for options in _variants(info):
        for yy, xx in [(y, x), (y, perfect)]:
            value = quiet(info.func, yy, xx, **options)
            assert type(value) is float
            assert info.bounds[0] <= value <= info.bounds[1]


@pytest.mark.parametrize("info", METRICS, ids=IDS)
def test_an_undefined_value_is_a_float_in_range_or_nan_with_a_warning(info):
    # nothing predicted (binary) or a constant score: some families define a
    # value, others follow their reference with NaN, always with a warning
    y, x = _inputs(info)
    for options in _variants(info):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = info.func(y, np.zeros_like(x), **options)
        assert type(value) is float
        if math.isnan(value):
            assert any(issubclass(w.category, UndefinedMetricWarning) for w in caught)
        else:
            assert info.bounds[0] <= value <= info.bounds[1]
