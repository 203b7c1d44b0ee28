"""Step-integrated PATE and the few-valued-score warning.

The step rule is docs/spec/pate-definition.md, section 7b (registry name ``pate_ap``).

Every backend against the exact oracle (tests/naive/pate.py, ``interpolation="step"``)
with hypothesis, on the same adversarial series as tests/test_pate_oracle.py
(ties, constant and binary scores, events at the ends, exact recall ties);
the properties of section 7b; the batch; the registry; the warning.
"""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from naive.pate import naive_pate, naive_tp_fp_fn
from naive.strategies import grid, labelled_series, scores_for

from pate import FewValuedScoreWarning, get_metric, pate_curve, pate_f1_score, pate_score, pate_score_batch
from pate._warnings import undefined_metric_warning_class
from pate.compat import PATE
from pate.metrics import auc_pr_score, auc_pr_trapz_score, get_metric_info

BACKENDS = ["numba", "numpy"]


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=300)
@given(data=st.data(), options=grid, n_thresholds=st.sampled_from([None, 2, 3, 5, 250]), drop=st.booleans())
def test_step_pate_equals_exact_oracle_on_every_backend(quiet, backend, data, options, n_thresholds, drop):
    labels = data.draw(labelled_series())
    scores = data.draw(scores_for(labels))
    got = quiet(
        pate_score,
        labels,
        scores,
        n_thresholds=n_thresholds,
        drop_intermediate=drop,
        interpolation="step",
        backend=backend,
        **options,
    )
    want = naive_pate(
        labels, scores, n_thresholds=n_thresholds, drop_intermediate=drop, exact=True, interpolation="step", **options
    )
    assert abs(got - float(want)) <= 1e-12, (got, float(want))
    assert -1e-15 <= got <= 1 + 1e-15


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=60)
@given(data=st.data(), options=grid)
def test_batch_equals_single_series_for_both_rules(quiet, backend, data, options):
    series = [data.draw(labelled_series(max_len=30)) for _ in range(3)]
    scores = [data.draw(scores_for(y)) for y in series]
    for interpolation in ("trapezoid", "step"):
        batch = quiet(
            pate_score_batch, series, scores, interpolation=interpolation, backend=backend, n_jobs=1, **options
        )
        single = [
            quiet(pate_score, y, s, interpolation=interpolation, backend=backend, **options)
            for y, s in zip(series, scores)
        ]
        assert np.allclose(batch, single, rtol=0, atol=1e-12)


def _series(n, *ranges):
    y = np.zeros(n, dtype=int)
    for a, b in ranges:
        y[a : b + 1] = 1
    return y


@pytest.mark.parametrize("backend", BACKENDS)
def test_constant_score_earns_recall_times_precision(quiet, backend):
    y = _series(60, (10, 14), (40, 49))
    grid_options = dict(early_buffer=4, delay_buffer=6, n_buffer_splits=1, include_zero=False)
    tp, fp, fn = naive_tp_fp_fn(y, [True] * 60, early_buffer=4, delay_buffer=6, exact=True)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    step = quiet(pate_score, y, np.full(60, 0.4), interpolation="step", backend=backend, **grid_options)
    trapezoid = quiet(pate_score, y, np.full(60, 0.4), backend=backend, **grid_options)
    assert step == pytest.approx(float(recall * precision), abs=1e-15)
    assert trapezoid == pytest.approx(float(recall * (1 + precision) / 2), abs=1e-15)
    assert step < trapezoid  # by the factor 2P / (1 + P): far below when P is small


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "options", [dict(), dict(early_buffer=3, delay_buffer=7, n_buffer_splits=3), dict(n_thresholds=None)]
)
def test_labels_as_scores_give_one(backend, options):
    y = _series(80, (0, 3), (20, 20), (40, 52), (79, 79))
    assert pate_score(y, y.astype(float), interpolation="step", backend=backend, **options) == 1.0


def test_worked_value_and_curve_area():
    # the oracle's worked example (tests/test_naive.py): step 5/6, trapezoid 19/24
    y, s = [0, 1, 1, 0, 0], [0.1, 0.9, 0.2, 0.3, 0.1]
    kw = dict(early_buffer=0, delay_buffer=0, include_zero=False, n_thresholds=None)
    assert pate_score(y, s, interpolation="step", **kw) == pytest.approx(5 / 6, abs=1e-15)
    assert pate_score(y, s, **kw) == pytest.approx(19 / 24, abs=1e-15)
    (curve,) = pate_curve(y, s, interpolation="step", **kw)
    (trap,) = pate_curve(y, s, **kw)
    # the same kept points, another area
    assert np.array_equal(curve.recall, trap.recall) and np.array_equal(curve.precision, trap.precision)
    assert curve.area == pytest.approx(float(Fraction(5, 6)), abs=1e-15)
    assert float(np.sum(np.diff(curve.recall) * curve.precision[1:])) == curve.area


def test_pate_ap_in_the_registry():
    info = get_metric_info("pate_ap")
    assert info.input == "score" and "interpolation" not in info.params
    assert set(info.params) == set(get_metric_info("pate").params) - {"interpolation"}
    y, s = _series(30, (10, 14)), np.linspace(0, 1, 30) ** 2
    assert get_metric("pate_ap")(y, s, early_buffer=5, delay_buffer=5) == pate_score(
        y, s, early_buffer=5, delay_buffer=5, interpolation="step"
    )


def test_pate_f1_and_the_drop_in_are_unchanged(quiet):
    assert "interpolation" not in get_metric_info("pate_f1").params
    y = _series(40, (20, 24))
    p = _series(40, (14, 19), (23, 23))
    assert pate_f1_score(y, p, early_buffer=6, delay_buffer=4) == pytest.approx(0.3142100617828773, abs=1e-15)
    s = np.full(40, 0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FewValuedScoreWarning)  # the drop-in stays silent, as published
        assert PATE(y, s, e_buffer=3, d_buffer=3) == quiet(pate_score, y, s, early_buffer=3, delay_buffer=3)


def test_interpolation_is_checked():
    for bad in ("trapz", "Step", None, 1):
        with pytest.raises(ValueError, match="interpolation must be 'trapezoid' or 'step'"):
            pate_score([0, 1], [0.1, 0.9], interpolation=bad)
        with pytest.raises(ValueError, match="interpolation must be"):
            pate_score_batch([[0, 1]], [[0.1, 0.9]], interpolation=bad)


# ---------------------------------------------------------------------------
# the few-valued-score warning
# ---------------------------------------------------------------------------
def _few_valued(caught):
    return [w for w in caught if issubclass(w.category, FewValuedScoreWarning)]


@pytest.mark.parametrize("scores", [np.full(20, 0.3), np.where(np.arange(20) % 3 == 0, 1.0, 0.0)])
def test_trapezoid_warns_once_per_call_on_few_valued_scores(scores):
    y = _series(20, (5, 8))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pate_score(y, scores, early_buffer=2, delay_buffer=2, n_buffer_splits=3)
        auc_pr_trapz_score(y, scores)
    few = _few_valued(caught)
    assert len(few) == 2
    assert "interpolation='step'" in str(few[0].message) and "pate_ap" in str(few[0].message)
    assert "auc_pr" in str(few[1].message)
    assert all(w.filename == __file__ for w in few)  # attributed to the caller
    with warnings.catch_warnings():
        warnings.simplefilter("error", FewValuedScoreWarning)
        pate_score(y, scores, interpolation="step")
        get_metric("pate_ap")(y, scores)
        auc_pr_score(y, scores)


def test_no_warning_for_three_values_or_without_anomaly():
    y = _series(20, (5, 8))
    with warnings.catch_warnings():
        warnings.simplefilter("error", FewValuedScoreWarning)
        pate_score(y, np.arange(20) % 3 / 2.0)
        auc_pr_trapz_score(y, np.arange(20) % 3 / 2.0)
        with pytest.warns(undefined_metric_warning_class()):
            pate_score(np.zeros(20, int), np.full(20, 0.3))  # undefined, not few-valued


def test_batch_warns_once_with_the_count():
    y = [_series(20, (5, 8))] * 3
    s = [np.full(20, 0.3), np.linspace(0, 1, 20), np.full(20, 1.0)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pate_score_batch(y, s, backend="numba", n_jobs=2)
    few = _few_valued(caught)
    assert len(few) == 1 and str(few[0].message).startswith("2 of 3 series")


def test_pate_ap_everywhere_a_metric_name_is(tmp_path):
    pd = pytest.importorskip("pandas")
    from pate.cli import main
    from pate.sklearn import make_anomaly_scorer

    rng = np.random.default_rng(3)
    y = _series(300, (50, 79), (200, 205))
    frame = pd.DataFrame({"label": y, "a": rng.random(300) + 0.5 * y, "b": rng.random(300)})
    expected = pate_score(y, frame["a"], early_buffer=10, delay_buffer=10, interpolation="step")
    assert frame.pate.score(score="a", metric="pate_ap", early_buffer=10, delay_buffer=10) == expected
    table = frame.pate.evaluate(scores=["a", "b"], metrics=["pate", "pate_ap"], early_buffer=10, delay_buffer=10)
    assert table.loc["a", "pate_ap"] == expected
    scorer = make_anomaly_scorer("pate_ap", early_buffer=10, delay_buffer=10, higher_is_normal=False)

    class Fixed:  # an "estimator" whose scores are the column a
        def score_samples(self, X):
            return np.asarray(X)[:, 0]

    assert scorer(Fixed(), frame[["a"]].to_numpy(), y) == expected
    path = tmp_path / "series.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "out.csv"
    assert (
        main(
            [
                "evaluate",
                str(path),
                "--metric",
                "pate,pate_ap",
                "--early-buffer",
                "10",
                "--delay-buffer",
                "10",
                "--format",
                "csv",
                "--output",
                str(out),
                "--quiet",
            ]
        )
        == 0
    )
    rows = pd.read_csv(out)
    assert rows.set_index("score").loc["a", "pate_ap"] == pytest.approx(expected, abs=1e-12)
