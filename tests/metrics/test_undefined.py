"""The undefined= policy, on every registry metric and the public functions (docs/undefined.md)."""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest
from helpers import REPO

from pate import pate_f1_score_batch, pate_score, pate_score_batch
from pate._warnings import FewValuedScoreWarning, undefined_metric_warning_class
from pate.metrics import (
    affiliation_precision_recall_fscore,
    etapr_precision_recall_fscore,
    get_metric_info,
    list_metrics,
    point_adjusted_precision_recall_fscore,
    point_precision_recall_fscore,
    range_precision_recall_fscore,
    vus_score,
)

UndefinedMetricWarning = undefined_metric_warning_class()
DOCS = REPO / "docs" / "undefined.md"
T = 30
LABELS = np.zeros(T, dtype=int)
LABELS[10:15] = 1
RNG = np.random.default_rng(7)


def _inputs(kind: str):
    """(y_true, binary prediction, score) for the degenerate and ordinary cases."""
    some_pred = (RNG.random(T) < 0.3).astype(int)
    some_score = RNG.random(T)
    if kind == "no anomaly":
        return np.zeros(T, int), some_pred, some_score
    if kind == "no prediction":
        return LABELS, np.zeros(T, int), np.full(T, 0.5)
    if kind == "neither":
        return np.zeros(T, int), np.zeros(T, int), np.full(T, 0.5)
    if kind == "all labelled":
        return np.ones(T, int), some_pred, some_score
    return LABELS, some_pred, some_score


def _call(info, y, p, s, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = info(y, p if info.input == "binary" else s, **kw)
    return value, [w for w in caught if issubclass(w.category, UndefinedMetricWarning)]


def _same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


def _warn_value(info):
    """What "warn" returns where undefined: 0.0 for every score, nan for a time (docs/undefined.md's one exception:
    mean_time_to_detect, whose 0 would be an instant detection; the registry gives it no finite best value)."""
    return 0.0 if math.isfinite(info.best) else math.nan


@pytest.mark.parametrize("name", [m.name for m in list_metrics()])
@pytest.mark.parametrize("kind", ["no anomaly", "no prediction", "neither", "all labelled", "ordinary"])
def test_warn_exactly_where_nan_and_numbers_replace(name, kind):
    info = get_metric_info(name)
    assert "undefined" in info.params
    y, p, s = _inputs(kind)
    warned_value, warned = _call(info, y, p, s)
    nan_value, w_nan = _call(info, y, p, s, undefined="nan")
    number_value, w_number = _call(info, y, p, s, undefined=7.5)
    assert not w_nan and not w_number  # the other policies are silent
    if warned:
        assert math.isnan(nan_value) and number_value == 7.5
        assert _same(warned_value, _warn_value(info))  # one rule: 0.0 with a warning, as zero_division="warn"
        assert len({str(w.message) for w in warned}) == len(warned)  # each case warned once
    else:
        assert _same(nan_value, warned_value) and _same(number_value, warned_value)
        assert not math.isnan(warned_value)  # a nan is only ever an undefined value
    assert type(nan_value) is float and type(number_value) is float


def test_policy_is_checked():
    for bad, exc in [("zero", ValueError), ("NaN", ValueError), (True, TypeError), (None, TypeError), ([0], TypeError)]:
        with pytest.raises(exc, match="undefined must be 'warn', 'nan' or a number"):
            pate_score([0, 1], [0.1, 0.9], undefined=bad)
        with pytest.raises(exc, match="undefined must be"):
            get_metric_info("vus_pr")([0, 1], [0.1, 0.9], undefined=bad)


def test_tuple_results_replace_only_the_undefined_fields():
    y, none = LABELS, np.zeros(T, int)
    assert point_precision_recall_fscore(y, none, undefined="nan")[1:] == (0.0, 0.0)
    assert math.isnan(point_precision_recall_fscore(y, none, undefined="nan").precision)
    both = point_precision_recall_fscore(np.zeros(T, int), none, undefined=-1)
    assert both == (-1.0, -1.0, -1.0)
    r = range_precision_recall_fscore(y, none, undefined=2)
    assert r.precision == 2 and r.fscore == 2 and r.recall == 0.0
    pa = point_adjusted_precision_recall_fscore(np.zeros(T, int), y, undefined="nan")
    assert pa.precision == 0.0 and math.isnan(pa.recall) and math.isnan(pa.fscore)
    e = etapr_precision_recall_fscore(y, none, undefined=0)
    assert e.precision == 0 and e.fscore == 0 and not math.isnan(e.recall)
    a = affiliation_precision_recall_fscore(np.zeros(T, int), y, undefined=0)
    assert a == (0.0, 0.0, 0.0)
    v = vus_score(np.ones(T, int), RNG.random(T), undefined=0)
    assert v.roc == 0.0 and v.pr == 1.0  # only the ROC is undefined when every point is labelled


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_batches_replace_series_by_series(backend):
    ys = [np.zeros(12, int), LABELS, np.zeros(5, int)]
    ss = [RNG.random(12), RNG.random(T), RNG.random(5)]
    with warnings.catch_warnings():
        warnings.simplefilter("error", UndefinedMetricWarning)
        got = pate_score_batch(ys, ss, backend=backend, undefined="nan", n_jobs=2)
    assert np.isnan(got[[0, 2]]).all() and got[1] == pate_score(LABELS, ss[1], backend=backend)
    with pytest.warns(UndefinedMetricWarning, match="2 of 3 series"):
        assert pate_score_batch(ys, ss, backend=backend)[[0, 2]].tolist() == [0.0, 0.0]
    preds = [np.ones(12, int), np.zeros(T, int), np.ones(5, int)]
    assert pate_f1_score_batch(ys, preds, backend=backend, undefined=3).tolist() == [3.0, 3.0, 3.0]


def test_warnings_point_at_the_caller():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pate_score(np.zeros(5, int), np.arange(5.0))
        get_metric_info("point_recall")(np.zeros(5, int), np.ones(5, int))
        vus_score(np.zeros(5, int), np.arange(5.0))
    assert [w.filename for w in caught] == [__file__] * 3


def test_field_entries_warn_only_about_their_field():
    # no prediction: precision is undefined, recall is not
    with warnings.catch_warnings():
        warnings.simplefilter("error", UndefinedMetricWarning)
        assert get_metric_info("point_recall")(LABELS, np.zeros(T, int)) == 0.0
        assert get_metric_info("range_recall")(LABELS, np.zeros(T, int)) == 0.0
    with pytest.warns(UndefinedMetricWarning, match="precision is 0/0"):
        get_metric_info("point_precision")(LABELS, np.zeros(T, int))


def test_the_docs_table_names_every_metric():
    text = DOCS.read_text()
    table = text.split("## Every metric's undefined cases", 1)[1]
    named = set(re.findall(r"`([a-z0-9_]+)`", table))
    for m in list_metrics():
        base = m.name.removesuffix("_legacy")
        assert m.name in named or base in named, m.name


def test_few_valued_warning_is_not_an_undefined_case():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = pate_score(LABELS, np.full(T, 0.5), undefined="nan")
    assert not math.isnan(value)
    assert [w.category for w in caught] == [FewValuedScoreWarning]


@pytest.mark.parametrize("kind", ["no anomaly", "no prediction", "neither", "all labelled"])
def test_no_metric_gives_nan_by_default_and_no_warning_promises_nan(kind):
    y, p, s = _inputs(kind)
    for info in list_metrics():
        value, warned = _call(info, y, p, s)
        if math.isnan(_warn_value(info)):  # the time metric: nan, and the warning says so
            assert not math.isnan(value) or any("returning nan" in str(w.message) for w in warned), info.name
            continue
        assert not math.isnan(value), info.name
        assert all("nan" not in str(w.message) for w in warned), (info.name, [str(w.message) for w in warned])


@pytest.mark.parametrize(("name", "value"), [("auc_pr", -0.0), ("auc_pr_trapz", 0.5)])
def test_compat_keeps_the_published_references_value(name, value):
    info = get_metric_info(name)
    y, _, s = _inputs("no anomaly")
    got, warned = _call(info, y, None, s, compat=True)
    assert got == value and math.copysign(1, got) == math.copysign(1, value)
    assert len(warned) == 1 and "compat=True" in str(warned[0].message)
    assert _call(info, y, None, s)[0] == 0.0


def test_tuple_results_under_warn_are_zero_in_the_undefined_fields_only():
    y, none = LABELS, np.zeros(T, int)
    with pytest.warns(UndefinedMetricWarning, match="precision and F1 set to 0.0"):
        e = etapr_precision_recall_fscore(y, none)
    assert (
        e.precision == 0.0
        and e.fscore == 0.0
        and e.recall == etapr_precision_recall_fscore(y, none, undefined=9).recall
    )
    with pytest.warns(UndefinedMetricWarning, match="returning 0.0"):
        assert affiliation_precision_recall_fscore(np.zeros(T, int), y) == (0.0, 0.0, 0.0)
    with pytest.warns(UndefinedMetricWarning):
        v = vus_score(np.ones(T, int), RNG.random(T))
    assert v.roc == 0.0 and v.pr == 1.0


@pytest.mark.parametrize("null", ["shift", "permutation"])
@pytest.mark.parametrize("name", ["auc_roc", "auc_pr", "auc_pr_trapz", "pate", "vus_pr"])
def test_chance_level_of_an_undefined_series_follows_the_rule(name, null):
    from pate import chance_level

    y, s = np.zeros(40, int), RNG.random(40)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        level = chance_level(name, y, s, null=null, n_resamples=15, random_state=0)
    assert (level.observed, level.expected, level.adjusted, level.pvalue) == (0.0, 0.0, 0.0, 1.0)
    level = chance_level(name, y, s, null=null, n_resamples=15, random_state=0, undefined="nan")
    assert math.isnan(level.observed) and math.isnan(level.expected) and math.isnan(level.adjusted)
