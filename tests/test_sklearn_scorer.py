"""The scikit-learn scorer, inside GridSearchCV with a time-ordered split."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.ensemble import IsolationForest
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_validate

from pate import pate_f1_score, pate_score
from pate._warnings import undefined_metric_warning_class
from pate.sklearn import get_scorer, make_anomaly_scorer


def windowed_series(n=1200, width=8, seed=0):
    """A noisy sine with level-shift anomalies; features are sliding windows."""
    rng = np.random.default_rng(seed)
    t = np.arange(n + width - 1)
    x = np.sin(t / 15) + 0.1 * rng.normal(size=t.size)
    y_full = np.zeros(t.size, dtype=int)
    for start in range(150, t.size - 60, 300):
        x[start : start + 25] += 2.5
        y_full[start : start + 25] = 1
    X = np.lib.stride_tricks.sliding_window_view(x, width)
    return X, y_full[width - 1 :]


X, Y = windowed_series()
UndefinedMetricWarning = undefined_metric_warning_class()


def test_scorer_negates_sklearn_normality_scores():
    model = IsolationForest(random_state=0).fit(X)
    scorer = make_anomaly_scorer("pate", early_buffer=10, delay_buffer=10)
    assert scorer(model, X, Y) == pate_score(Y, -model.score_samples(X), early_buffer=10, delay_buffer=10)
    raw = make_anomaly_scorer(
        "pate", method="decision_function", higher_is_normal=False, early_buffer=10, delay_buffer=10
    )
    assert raw(model, X, Y) == pate_score(Y, model.decision_function(X), early_buffer=10, delay_buffer=10)
    # the detector finds the shifts: the correct sign scores far higher
    assert scorer(model, X, Y) > raw(model, X, Y) + 0.3


def test_binary_metric_maps_outlier_labels():
    model = IsolationForest(random_state=0, contamination=0.1).fit(X)
    scorer = get_scorer("pate_f1")
    assert scorer(model, X, Y) == pate_f1_score(Y, (model.predict(X) == -1).astype(int))


def test_gridsearch_with_time_ordered_split_scoring_with_pate():
    search = GridSearchCV(
        IsolationForest(random_state=0),
        param_grid={"n_estimators": [20, 60], "max_samples": [64, 256]},
        scoring={
            "pate": make_anomaly_scorer("pate", early_buffer=10, delay_buffer=10),
            "pate_f1": get_scorer("pate_f1"),
        },
        refit="pate",
        cv=TimeSeriesSplit(n_splits=3),
    )
    search.fit(X, Y)
    scores = search.cv_results_["mean_test_pate"]
    assert scores.shape == (4,) and np.all((scores >= 0) & (scores <= 1))
    assert search.best_score_ == scores.max()
    assert search.best_params_ in search.cv_results_["params"]


def test_cross_validate_accepts_the_scorer():
    out = cross_validate(
        IsolationForest(random_state=0, n_estimators=20),
        X,
        Y,
        scoring=get_scorer("pate"),
        cv=TimeSeriesSplit(n_splits=2),
    )
    assert out["test_score"].shape == (2,)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(metric="pate", window=3), TypeError, "takes no option 'window'"),
        (dict(metric="pate", method="predict"), ValueError, "continuous scores"),
        (dict(metric="pate_f1", method="score_samples"), ValueError, "binary predictions"),
        (dict(metric="pate", method="bogus"), ValueError, "method must be"),
        (dict(metric="nope"), ValueError, "Unknown metric"),
    ],
)
def test_bad_scorer_options(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_anomaly_scorer(**kwargs)


def test_scorer_needs_labels_and_sklearn_outlier_predictions():
    model = IsolationForest(random_state=0, n_estimators=10).fit(X)
    with pytest.raises(ValueError, match="needs y_true"):
        get_scorer("pate")(model, X, None)

    class ZeroOne:
        def predict(self, X):
            return np.zeros(len(X), dtype=int)

    with pytest.raises(ValueError, match="higher_is_normal=False"):
        get_scorer("pate_f1")(ZeroOne(), X, Y)
    ok = make_anomaly_scorer("pate_f1", higher_is_normal=False)
    with pytest.warns(Warning, match="predicts no point"):
        assert ok(ZeroOne(), X, Y) == 0.0


def test_local_outlier_factor_without_novelty_is_explained():
    from sklearn.neighbors import LocalOutlierFactor

    X = np.random.default_rng(1).random((80, 2))
    y = np.zeros(80, dtype=int)
    y[30:35] = 1
    lof = LocalOutlierFactor().fit(X)
    for name in ("pate", "pate_f1"):
        with pytest.raises(TypeError, match=r"novelty=False.*LocalOutlierFactor\(novelty=True\)"):
            get_scorer(name)(lof, X, y)
    assert 0.0 <= get_scorer("pate")(LocalOutlierFactor(novelty=True).fit(X), X, y) <= 1.0


@pytest.mark.parametrize("metric", ["pate", "auc_roc", "vus_pr"])
def test_a_fold_without_anomaly_warns_once_per_search_and_scores_by_the_rule(metric):
    # 10 candidates x 3 folds; the first fold has no anomaly: one warning, not one per candidate,
    # and 0.0 for that fold (the undefined rule), so every candidate's mean is finite
    x, y = X[:900], Y[:900].copy()
    y[:300] = 0  # the first third labelled without anomaly
    search = GridSearchCV(
        IsolationForest(random_state=0),
        param_grid={"n_estimators": [5, 6, 7, 8, 9, 10, 11, 12, 13, 14]},
        scoring=make_anomaly_scorer(metric),
        cv=[(np.arange(300, 900), np.arange(0, 300)), (np.arange(0, 600), np.arange(600, 900)),
            (np.r_[0:300, 600:900], np.arange(300, 600))],
    )  # fmt: skip
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search.fit(x, y)
    undefined = [w for w in caught if issubclass(w.category, UndefinedMetricWarning)]
    assert len(undefined) == 1, [str(w.message) for w in undefined]
    assert "says this once" in str(undefined[0].message)
    assert (search.cv_results_["split0_test_score"] == 0.0).all()
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert not [w for w in caught if "non-finite" in str(w.message)]


def test_the_scorer_keeps_a_chosen_undefined_value_silently():
    model = IsolationForest(random_state=0, n_estimators=10).fit(X)
    scorer = make_anomaly_scorer("auc_roc", undefined="nan")
    with warnings.catch_warnings():
        warnings.simplefilter("error", UndefinedMetricWarning)
        assert np.isnan(scorer(model, X, np.zeros(len(X), dtype=int)))
