"""The metric registry: one canonical snake_case name per metric, declared in one table.

Everything that evaluates "a metric by name" (the command line, the pandas
accessor, the scikit-learn scorer, the comparison utilities) goes through
:func:`get_metric`, so a metric added to :data:`_TABLE` is reachable
everywhere. As in scikit-learn's ``sklearn/metrics/_scorer.py``, the names
are one literal table plus a loop for the regular variants: a row names the
public function, and optionally the ``field`` of its named result to return
(``"pr"`` of :class:`VUS`, ``"precision"`` of :class:`PrecisionRecallFScore`),
options ``fixed`` to a value, and the ``options`` a name exposes (default:
every keyword-only option of the function that is not fixed).

Each row also declares its options' types and allowed values
(:mod:`pate.metrics._options`), so that a caller can check options without
running the metric (:meth:`MetricInfo.check_options`); building the registry
fails for an option without a declaration.

A reference variant is chosen with ``compat=`` (``True`` reproduces a
published implementation, bugs included) everywhere except Range-AUC and
VUS, whose ``version="current" | "legacy"`` stays: it chooses between two
published definitions (vus 0.0.6 and the VLDB'22 code), neither of which is
the bug-compatible form of the other; the registry names both
(``vus_pr``, ``vus_pr_legacy``).
"""

from __future__ import annotations

import difflib
import inspect
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Mapping, NamedTuple

from pate._validation import short_repr
from pate.metrics import (
    _affiliation,
    _best_f1,
    _etapr,
    _event_based,
    _nab,
    _pate,
    _point_adjust,
    _pointwise,
    _range_based,
    _rpa,
    _vus,
)
from pate.metrics._options import EVENT_OPTIONS, NAB_OPTIONS, OPTIONS, PATE_OPTIONS, VUS_OPTIONS, Option
from pate.metrics._undefined import field_policy

__all__ = ["MetricInfo", "get_metric", "get_metric_info", "list_metrics"]


@dataclass(frozen=True)
class MetricInfo:
    """What the registry knows about one metric.

    Attributes
    ----------
    name : str
        Canonical snake_case name (``"pate"``, ``"vus_pr"``, ...).
    input : {"score", "binary"}
        Whether the metric takes continuous scores or binary predictions.
    params : tuple of str
        Names of the keyword-only options the metric accepts.
    func : callable
        ``func(y_true, y, **params) -> float``.
    description : str
        One line for listings.
    options : mapping of str to Option
        The declaration of each option in ``params``: its type and allowed
        values (``options["early_buffer"].allowed``).
    bounds : tuple of float
        The range of the metric's values (``(0.0, 1.0)`` for most; NAB's
        score is at most 100 and unbounded below).
    greater_is_better : bool
        Whether higher values are better (True for every score; False for
        ``mean_time_to_detect``, a time);
        sets the tail of :func:`pate.chance_level`'s p-value.
    best : float
        The metric's best value, the end of ``bounds`` that is better: what
        :func:`pate.chance_level` adjusts towards (100 for ``nab_score``); not finite for
        ``mean_time_to_detect``, which has no chance level.
    """

    name: str
    input: Literal["score", "binary"]
    params: tuple[str, ...]
    func: Callable[..., float]
    description: str
    options: Mapping[str, Option] = field(default_factory=dict, repr=False)
    bounds: tuple[float, float] = (0.0, 1.0)
    greater_is_better: bool = True

    @property
    def best(self) -> float:
        """The better end of ``bounds``."""
        return self.bounds[1] if self.greater_is_better else self.bounds[0]

    def __call__(self, y_true: Any, y: Any, **params: Any) -> float:
        return self.func(y_true, y, **params)

    def check_options(self, options: Mapping[str, Any]) -> None:
        """Check option names and values from the declarations, without running the metric.

        Raises
        ------
        TypeError, ValueError
            An option the metric does not take, or a value it does not
            allow; the message names the metric, the option and the allowed
            values. ``ImportError`` for a backend that is not installed.

        Examples
        --------
        >>> from pate.metrics import get_metric_info
        >>> get_metric_info("pate").check_options({"early_buffer": -1})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: metric 'pate', option early_buffer: early_buffer must be >= 0, got -1. Allowed: an integer >= 0, ...
        """
        for name, value in options.items():
            if name not in self.options:
                known = ", ".join(self.params) if self.params else "none"
                raise TypeError(f"metric {self.name!r} has no option {name!r}; its options: {known}.")
            declared = self.options[name]
            try:
                declared.validate(value, name)
            except (TypeError, ValueError) as exc:
                allowed = "" if declared.allowed in str(exc) else f" Allowed: {declared.allowed}."
                raise type(exc)(f"metric {self.name!r}, option {name}: {exc}{allowed}") from None


class _Row(NamedTuple):
    name: str
    input: Literal["score", "binary"]
    func: Callable[..., Any]
    description: str
    field: str | None = None  # field of the named result to return
    fixed: dict[str, Any] = {}  # options set to a value
    options: tuple[str, ...] | None = None  # options exposed (None: all not fixed)
    declared: Mapping[str, Option] = OPTIONS  # the declarations of the options (types, allowed values)
    bounds: tuple[float, float] = (0.0, 1.0)  # the range of the values
    greater_is_better: bool = True


_prf = _pointwise.point_precision_recall_fscore
_pa = _point_adjust.point_adjusted_precision_recall_fscore
_range = _range_based.range_precision_recall_fscore
_etapr_prf = _etapr.etapr_precision_recall_fscore
_aff = _affiliation.affiliation_precision_recall_fscore
_rpa_prf = _rpa.rpa_precision_recall_fscore

_TABLE: list[_Row] = [
    _Row("pate", "score", _pate.pate_score, "PATE: proximity-aware PR-AUC of anomaly scores", declared=PATE_OPTIONS),
    _Row(
        "pate_f1",
        "binary",
        _pate.pate_f1_score,
        "PATE-F1: proximity-aware F1 of binary predictions",
        declared=PATE_OPTIONS,
    ),
    _Row(
        "pate_ap",
        "score",
        _pate.pate_score,
        "PATE integrated by the step rule (average precision): a constant score earns R*P",
        fixed={"interpolation": "step"},
        declared=PATE_OPTIONS,
    ),
    _Row("point_precision", "binary", _prf, "Point-wise precision", "precision"),
    _Row("point_recall", "binary", _prf, "Point-wise recall", "recall"),
    _Row("point_f1", "binary", _prf, "Point-wise F1", "fscore"),
    _Row("auc_roc", "score", _pointwise.auc_roc_score, "AUC-ROC (sklearn roc_auc_score)"),
    _Row("auc_pr", "score", _pointwise.auc_pr_score, "AUC-PR as average precision"),
    _Row("auc_pr_trapz", "score", _pointwise.auc_pr_trapz_score, "AUC-PR as trapezoidal area"),
    _Row("pa_precision", "binary", _pa, "Point-adjusted precision", "precision"),
    _Row("pa_recall", "binary", _pa, "Point-adjusted recall", "recall"),
    _Row("pa_f1", "binary", _point_adjust.point_adjusted_f1_score, "Point-adjusted F1"),
    _Row("pak_f1", "binary", _point_adjust.pak_f1_score, "PA%K F1 (k in percent)"),
    _Row("event_f1", "binary", _event_based.event_f1_score, "Event-based F1 (TSB-AD)"),
    _Row(
        "range_precision",
        "binary",
        _range,
        "Range-based precision (Tatbul et al., prts)",
        "precision",
        options=("alpha_p", "bias_p", "cardinality"),
    ),
    _Row(
        "range_recall",
        "binary",
        _range,
        "Range-based recall (Tatbul et al., prts)",
        "recall",
        options=("alpha_r", "bias_r", "cardinality"),
    ),
    _Row("range_f1", "binary", _range, "Range-based F-beta (Tatbul et al., prts)", "fscore"),
    _Row("range_f1_tsb", "binary", _range_based.range_f1_tsb_score, "TSB-AD's R-based-F1 of binary predictions"),
    _Row("etapr_precision", "binary", _etapr_prf, "eTaPR precision (eTaP)", "precision"),
    _Row("etapr_recall", "binary", _etapr_prf, "eTaPR recall (eTaR)", "recall"),
    _Row("etapr_f1", "binary", _etapr_prf, "eTaPR F1", "fscore"),
    _Row("affiliation_precision", "binary", _aff, "Affiliation precision", "precision", options=()),
    _Row("affiliation_recall", "binary", _aff, "Affiliation recall", "recall", options=()),
    _Row("affiliation_f1", "binary", _aff, "Affiliation F1", "fscore"),
    _Row(
        "rpa_precision",
        "binary",
        _rpa_prf,
        "Revised point-adjusted precision (Merlion)",
        "precision",
        declared=EVENT_OPTIONS,
    ),
    _Row("rpa_recall", "binary", _rpa_prf, "Revised point-adjusted recall (Merlion)", "recall", declared=EVENT_OPTIONS),
    _Row("rpa_f1", "binary", _rpa_prf, "Revised point-adjusted F1 (Merlion)", "fscore", declared=EVENT_OPTIONS),
    _Row(
        "mean_time_to_detect",
        "binary",
        _rpa.mean_time_to_detect,
        "Mean time to detect an event (Merlion; seconds with time tolerances, else samples)",
        declared=EVENT_OPTIONS,
        bounds=(-math.inf, math.inf),  # a time, not a score: no best value, no chance level
        greater_is_better=False,
    ),
    _Row("best_point_f1", "score", _best_f1.best_point_f1_score, "Best point-wise F1 over thresholds (TSB-AD)"),
    _Row("best_pa_f1", "score", _best_f1.best_pa_f1_score, "Best point-adjusted F1 over TSB-AD's threshold grid"),
    _Row("best_event_f1", "score", _best_f1.best_event_f1_score, "Best event-based F1 over TSB-AD's threshold grid"),
    _Row("best_range_f1", "score", _range_based.best_range_f1_score, "Best TSB-AD R-based-F1 over its threshold grid"),
    _Row(
        "best_affiliation_f1",
        "score",
        _affiliation.best_affiliation_f1_score,
        "Best affiliation F1 over TSB-AD's threshold grid",
    ),
    _Row(
        "nab_score",
        "binary",
        _nab.nab_score,
        "NAB score (Numenta Anomaly Benchmark), normalised: 100 perfect, 0 null",
        "score",
        declared=NAB_OPTIONS,
        bounds=(-math.inf, 100.0),
    ),
]
# Range-AUC and VUS: {range_auc, vus} x {roc, pr} x {current, legacy}.
for _family, _func, _title, _current, _legacy in [
    ("range_auc", _vus.range_auc_score, "Range-AUC", "vus 0.0.6", "VLDB'22 code"),
    ("vus", _vus.vus_score, "VUS", "vus 0.0.6, TSB-AD", "VLDB'22 code, as in the PATE paper"),
]:
    for _version, _suffix, _source in [("current", "", _current), ("legacy", "_legacy", _legacy)]:
        for _field in ("roc", "pr"):
            _TABLE.append(
                _Row(
                    f"{_family}_{_field}{_suffix}",
                    "score",
                    _func,
                    f"{_title}-{_field.upper()} ({_source})",
                    _field,
                    fixed={"version": _version},
                    declared=VUS_OPTIONS,
                )
            )


def _metric_function(row: _Row) -> Callable[..., float]:
    """``f(y_true, y, **options) -> float`` for a row: the public function itself, or a field of it."""
    if row.field is None and not row.fixed and row.options is None:
        return row.func
    signature = inspect.signature(row.func)
    keyword = [
        p
        for p in signature.parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
        and p.name not in row.fixed
        and (row.options is None or p.name in row.options or p.name == "undefined")
    ]
    positional = [p for p in signature.parameters.values() if p.kind is not inspect.Parameter.KEYWORD_ONLY]
    allowed = {p.name for p in keyword}

    def metric(y_true: Any, y: Any, **options: Any) -> float:
        unknown = sorted(set(options) - allowed)
        if unknown:
            raise TypeError(f"{row.name}() got an unexpected keyword argument {unknown[0]!r}")
        if row.field is None:
            return row.func(y_true, y, **row.fixed, **options)
        # A field has its own undefined= policy: only the undefined cases about it count.
        undefined = options.pop("undefined", "warn")
        return field_policy(lambda: row.func(y_true, y, **row.fixed, **options), row.field, undefined)

    metric.__name__ = metric.__qualname__ = row.name
    metric.__module__ = row.func.__module__  # its family's module (pate metrics NAME names the page)
    metric.__doc__ = f"{row.description}: ``{row.func.__name__}(...)``" + (
        f"'s ``{row.field}``." if row.field else f" with {row.fixed}."
    )
    # The signature a caller sees: the options this name exposes (inspect reads __signature__).
    sig = signature.replace(parameters=positional + keyword, return_annotation="float")
    metric.__signature__ = sig  # type: ignore[attr-defined]
    return metric


def _build(table: list[_Row]) -> dict[str, MetricInfo]:
    registry: dict[str, MetricInfo] = {}
    for row in table:
        if row.name in registry:  # pragma: no cover - programming error
            raise RuntimeError(f"metric {row.name!r} is registered twice")
        func = _metric_function(row)
        params = tuple(
            p.name for p in inspect.signature(func).parameters.values() if p.kind is inspect.Parameter.KEYWORD_ONLY
        )
        undeclared = [p for p in params if p not in row.declared]
        if undeclared:  # pragma: no cover - programming error, caught at import
            raise RuntimeError(
                f"metric {row.name!r}: option {undeclared[0]!r} has no declaration (metrics/_options.py)"
            )
        options = {p: row.declared[p] for p in params}
        registry[row.name] = MetricInfo(
            row.name, row.input, params, func, row.description, options, row.bounds, row.greater_is_better
        )
    return registry


_REGISTRY: dict[str, MetricInfo] = _build(_TABLE)


def get_metric_info(name: str) -> MetricInfo:
    """Registry entry of the metric called ``name``.

    Raises
    ------
    ValueError
        If no metric has that name (the message suggests close names).

    See Also
    --------
    get_metric : the metric function alone.
    list_metrics : every registered metric.

    Examples
    --------
    >>> from pate.metrics import get_metric_info
    >>> get_metric_info("pate_f1").input
    'binary'
    """
    if not isinstance(name, str):
        raise TypeError(f"metric name must be a string, got {short_repr(name)}.")
    try:
        return _REGISTRY[name]
    except KeyError:
        close = difflib.get_close_matches(name, list(_REGISTRY), n=3)
        hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        raise ValueError(
            f"Unknown metric {short_repr(name)}.{hint} pate.metrics.list_metrics() lists every name."
        ) from None


def get_metric(name: str) -> Callable[..., float]:
    """The callable ``f(y_true, y, **params) -> float`` registered under ``name``.

    See Also
    --------
    get_metric_info : the metric with its input kind and options.
    list_metrics : every registered metric.

    Examples
    --------
    >>> from pate.metrics import get_metric
    >>> f = get_metric("pate_f1")
    >>> f([0, 1, 1, 0], [0, 1, 1, 0], early_buffer=1, delay_buffer=1)
    1.0
    """
    return get_metric_info(name).func


def list_metrics() -> tuple[MetricInfo, ...]:
    """Every registered metric, sorted by name.

    See Also
    --------
    get_metric_info : one metric by name.

    Examples
    --------
    >>> from pate.metrics import list_metrics
    >>> [m.name for m in list_metrics() if m.name.startswith("pate")]
    ['pate', 'pate_ap', 'pate_f1']
    """
    return tuple(_REGISTRY[k] for k in sorted(_REGISTRY))
