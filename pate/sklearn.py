"""scikit-learn scorers for anomaly-detection metrics.

scikit-learn's outlier detectors (``IsolationForest``, ``LocalOutlierFactor``
with ``novelty=True``, ``OneClassSVM``, ...) score samples so that **higher
means more normal**, and ``predict`` returns -1 for outliers and 1 for
inliers. The scorers here turn that into what the metrics expect: an anomaly
score that grows with anomaly (the negated ``score_samples`` /
``decision_function``) for score metrics, and 1/0 predictions (outlier/inlier)
for binary metrics. Read more in docs/sklearn.md.

A fold where the metric is undefined (a fold without any anomaly) is scored
by the metric's ``undefined=`` rule (0.0 by default) and warned about once
per scorer, not once per fold and candidate.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from pate._validation import check_choice
from pate._warnings import recording_undefined, undefined_metric_warning_class, warn_at_caller
from pate.metrics import get_metric_info

__all__ = ["AnomalyScorer", "make_anomaly_scorer", "get_scorer"]

ScoreMethod = Literal["auto", "score_samples", "decision_function", "predict"]


def _novelty_hint(estimator: Any) -> str:
    """Why a LocalOutlierFactor has no scoring method, and the fix."""
    if getattr(estimator, "novelty", None) is False:
        return (
            f" {type(estimator).__name__}(novelty=False), the default, only labels the data it was fitted on "
            "(fit_predict, negative_outlier_factor_); to score held-out folds create it with novelty=True, "
            f"e.g. {type(estimator).__name__}(novelty=True)."
        )
    return ""


class AnomalyScorer:
    """A scorer ``scorer(estimator, X, y_true) -> float`` for ``scoring=`` arguments.

    Build it with :func:`make_anomaly_scorer`.
    """

    def __init__(self, metric: str, method: ScoreMethod, higher_is_normal: bool, options: dict[str, Any]) -> None:
        self._info = get_metric_info(metric)
        unknown = [k for k in options if k not in self._info.params]
        if unknown:
            raise TypeError(
                f"metric {metric!r} takes no option {unknown[0]!r}; its options are {list(self._info.params)}."
            )
        check_choice(method, "method", ("auto", "score_samples", "decision_function", "predict"))
        if self._info.input == "binary" and method not in ("auto", "predict"):
            raise ValueError(f"metric {metric!r} takes binary predictions: use method='predict' (or 'auto').")
        if self._info.input == "score" and method == "predict":
            raise ValueError(f"metric {metric!r} takes continuous scores: use score_samples or decision_function.")
        self.metric = metric
        self.method = method
        self.higher_is_normal = bool(higher_is_normal)
        self.options = dict(options)
        # the values too, now rather than at the first fold (the metric's own checks, declared in the registry)
        self._info.check_options(self.options)
        self._warned: set[str] = set()  # the undefined cases already warned about: once per scorer, not per fold

    def __repr__(self) -> str:
        opts = "".join(f", {k}={v!r}" for k, v in self.options.items())
        return (
            f"make_anomaly_scorer({self.metric!r}, method={self.method!r}, "
            f"higher_is_normal={self.higher_is_normal}{opts})"
        )

    def _anomaly_scores(self, estimator: Any, X: Any) -> np.ndarray:
        method: str = self.method
        if method == "auto":
            found = next((m for m in ("score_samples", "decision_function") if hasattr(estimator, m)), None)
            if found is None:
                raise TypeError(
                    f"{type(estimator).__name__} has neither score_samples nor decision_function; "
                    f"a score metric needs one of them.{_novelty_hint(estimator)}"
                )
            method = found
        elif not hasattr(estimator, method):
            raise TypeError(f"{type(estimator).__name__} has no {method}.{_novelty_hint(estimator)}")
        scores = np.asarray(getattr(estimator, method)(X), dtype=float)
        return -scores if self.higher_is_normal else scores

    def _predictions(self, estimator: Any, X: Any) -> np.ndarray:
        if not hasattr(estimator, "predict"):
            raise TypeError(
                f"{type(estimator).__name__} has no predict; a binary metric needs it.{_novelty_hint(estimator)}"
            )
        pred = np.asarray(estimator.predict(X))
        if self.higher_is_normal:
            # scikit-learn's outlier convention: -1 outlier, 1 inlier
            bad = ~np.isin(pred, (-1, 1))
            if bad.any():
                raise ValueError(
                    f"{type(estimator).__name__}.predict returned {pred[bad][0]!r}; expected scikit-learn's "
                    "outlier labels -1/1. For estimators that predict 1 = anomaly, pass higher_is_normal=False."
                )
            return (pred == -1).astype(np.int8)
        return pred

    def __call__(self, estimator: Any, X: Any, y_true: Any, sample_weight: Any = None) -> float:
        if sample_weight is not None:
            raise NotImplementedError("anomaly scorers do not support sample_weight.")
        if y_true is None:
            raise ValueError("an anomaly scorer needs y_true (0/1 labels) to score against; pass y to fit/score.")
        if self._info.input == "binary":
            y = self._predictions(estimator, X)
        else:
            y = self._anomaly_scores(estimator, X)
        with recording_undefined() as cases:  # the value already follows the undefined= rule; the warning waits
            value = float(self._info.func(y_true, y, **self.options))
        for message in dict.fromkeys(c.message for c in cases):
            if message not in self._warned:
                self._warned.add(message)
                warn_at_caller(
                    f"{message.rstrip('.')} (scorer {self.metric!r} says this once: every later fold where it "
                    "holds is scored the same way).",
                    undefined_metric_warning_class(),
                )
        return value


def make_anomaly_scorer(
    metric: str = "pate",
    *,
    method: ScoreMethod = "auto",
    higher_is_normal: bool = True,
    **metric_options: Any,
) -> AnomalyScorer:
    """A scorer for ``GridSearchCV``, ``cross_validate`` and friends.

    Read more in the User Guide (docs/sklearn.md).

    Parameters
    ----------
    metric : str, default="pate"
        Any registry name (``pate.list_metrics()``). Larger is better for all of them.
    method : {"auto", "score_samples", "decision_function", "predict"}, default="auto"
        How to get the estimator's output. ``"auto"`` uses ``predict`` for
        binary metrics (PATE-F1, ...) and ``score_samples`` (else
        ``decision_function``) for score metrics.
    higher_is_normal : bool, default=True
        scikit-learn's convention: scores grow with normality (they are
        negated) and ``predict`` gives -1 for outliers (mapped to 1) and 1 for
        inliers (mapped to 0). Pass False for estimators whose scores already
        grow with anomaly and whose ``predict`` already returns 1 for anomalies.
    **metric_options
        Options of the metric (``early_buffer=...``), checked here: an unknown
        option raises ``TypeError``, a bad value the metric's own error.

    Returns
    -------
    AnomalyScorer

    See Also
    --------
    get_scorer : a scorer for a registered metric by name.
    pate.metrics.get_metric : the metric functions by name.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import IsolationForest
    >>> from pate.sklearn import make_anomaly_scorer
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 2)); y = np.zeros(300, dtype=int)
    >>> X[100:110] += 6; y[100:110] = 1
    >>> model = IsolationForest(random_state=0).fit(X)
    >>> scorer = make_anomaly_scorer("pate", early_buffer=5, delay_buffer=5)
    >>> round(scorer(model, X, y), 3)
    1.0
    """
    return AnomalyScorer(metric, method, higher_is_normal, metric_options)


def get_scorer(name: str) -> AnomalyScorer:
    """The scorer of the metric called ``name``, with its default options.

    See Also
    --------
    make_anomaly_scorer : a scorer with explicit options.
    pate.metrics.list_metrics : the names accepted.

    Examples
    --------
    >>> from pate.sklearn import get_scorer
    >>> get_scorer("pate_f1")
    make_anomaly_scorer('pate_f1', method='auto', higher_is_normal=True)
    """
    return make_anomaly_scorer(name)
