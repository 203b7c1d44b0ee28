"""Metric requests and the canonical ``params`` string of the results table.

A results table row says which options its value was computed with in one
string column, ``params``: ``name=value`` pairs of the options that differ
from the metric's defaults, sorted by name and joined by ``;`` (``""`` when
every option is at its default). The same options always give the same
string, so rows of different runs can be matched, merged and resumed.

A request for a binary metric (``pate_f1``, ``point_f1``, ...) on continuous
scores names how scores become predictions; the strategy is part of
``params`` like any option:

- ``threshold=X``: predict ``score >= X``;
- ``threshold={detector: X}``: each detector at its own threshold (NAB
  publishes one per detector: :func:`pate.benchmark.read_thresholds` reads
  its ``config/thresholds.json``); ``params`` holds
  ``threshold=per-detector:<fingerprint>``, the same string for the same
  thresholds, so the rows of one request rank together;
- ``contamination=R`` (``0 < R < 1``): predict the top ``ceil(R * n)``
  scores of each series (every score tied with the last one included);
- ``threshold="best"``: the registry's best-F1 oracle for that metric
  (``point_f1`` -> ``best_point_f1``, ...), the threshold that maximises it.

Nothing is thresholded implicitly: without a strategy, a binary metric
accepts only scores that are already 0/1.

``early_buffer="auto"`` and ``delay_buffer="auto"`` are per-series strategies
too: the size :func:`pate.suggest_buffer_size` finds in the series' own values
(:attr:`pate.benchmark.Series.values`).

Every other option is checked against the metric's declaration in the
registry (:meth:`pate.metrics.MetricInfo.check_options`) when the request is
made, so a bad value fails before any series is read.
"""

from __future__ import annotations

import difflib
import hashlib
import inspect
import json
import math
import numbers
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from pate._validation import short_repr
from pate.benchmark._results_io import format_params
from pate.metrics import get_metric_info
from pate.metrics._undefined import check_undefined

__all__ = ["MetricRequest", "canonical_params", "metric_requests"]

#: Binary metric -> the registry's metric that maximises it over a grid of thresholds (TSB-AD's).
BEST_F1_BY_GRID = {
    "point_f1": "best_point_f1",
    "pa_f1": "best_pa_f1",
    "event_f1": "best_event_f1",
    "range_f1_tsb": "best_range_f1",
    "affiliation_f1": "best_affiliation_f1",
}
_STRATEGIES = ("threshold", "contamination")
#: The value of a per-series option strategy, and the options that take it.
AUTO = "auto"
AUTO_OPTIONS = ("early_buffer", "delay_buffer")


def _normalised(name: str, value: Any) -> Any:
    """One spelling per value: Python scalars, integral floats as ints (100.0 -> 100)."""
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        value = value.item()  # numpy scalar
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"option {name}={value!r}: options must be finite numbers.")
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        if value != value.strip() or "\n" in value:
            raise ValueError(f"option {name}={value!r}: text options may not hold newlines or outer spaces.")
        return value
    raise ValueError(
        f"option {name}={value!r}: only numbers, booleans, None and text can be options of a results table."
    )


def canonical_params(options: Mapping[str, Any], defaults: Mapping[str, Any] | None = None) -> str:
    """The canonical ``params`` string of ``options``, the metric's defaults left out.

    Values are normalised first (an integral float is written as an int, a
    numpy scalar as a Python one), so equal options give equal strings; the
    string itself is :func:`pate.benchmark.format_params`'s.

    Parameters
    ----------
    options : mapping
        Option name -> value.
    defaults : mapping, optional
        The metric's defaults; an option equal to its default is left out.

    Returns
    -------
    str
        ``""`` when nothing differs from the defaults.

    Examples
    --------
    >>> canonical_params({"early_buffer": 50, "delay_buffer": 100.0, "include_zero": True},
    ...                  defaults={"early_buffer": 100, "delay_buffer": 100, "include_zero": True})
    'early_buffer=50'
    >>> canonical_params({"threshold": 0.5, "compat": True})
    'compat=True;threshold=0.5'
    """
    defaults = defaults or {}
    kept = {}
    for name, value in options.items():
        value = _normalised(name, value)
        if name in defaults:
            try:
                default = _normalised(name, defaults[name])
            except ValueError:
                default = object()
            # True == 1 in Python: a bool equals only a bool
            if isinstance(default, bool) == isinstance(value, bool) and default == value:
                continue
        kept[name] = value
    return format_params(kept)


@dataclass(frozen=True)
class MetricRequest:
    """One metric of an evaluation: a registry name plus its options.

    Attributes
    ----------
    name : str
        Registry name, the ``metric`` column of the results table.
    options : dict
        Options passed to the metric function.
    threshold, contamination : float, "best", dict of str to float, or None
        The thresholding strategy of a binary metric (at most one is set);
        a dict gives each detector its own threshold.
    params : str
        The canonical ``params`` string of the results table.
    """

    name: str
    options: dict[str, Any] = field(hash=False)
    threshold: float | str | dict[str, float] | None = field(hash=False)
    contamination: float | None
    params: str

    @property
    def key(self) -> tuple[str, str]:
        """``(metric, params)``: what identifies the request in a results table."""
        return (self.name, self.params)

    def threshold_of(self, detector: str) -> float | None:
        """The threshold that turns ``detector``'s scores into predictions (None: none given).

        Raises
        ------
        ValueError
            Per-detector thresholds that name no threshold for ``detector``.
        """
        if isinstance(self.threshold, dict):
            if detector not in self.threshold:
                named = list(self.threshold)
                listed = ", ".join(map(repr, named[:8])) + (f" and {len(named) - 8} more" if len(named) > 8 else "")
                raise ValueError(
                    f"metric {self.name!r}: no threshold for detector {detector!r} in the per-detector "
                    f"thresholds (they name {listed})."
                )
            return self.threshold[detector]
        return self.threshold if isinstance(self.threshold, float) else None


def per_detector(name: str, thresholds: Mapping[Any, Any]) -> dict[str, float]:
    """Checked per-detector thresholds: names (strings) to finite numbers, at least one."""
    if not thresholds:
        raise ValueError(f"metric {name!r}: the per-detector thresholds are empty; give {{detector: threshold}}.")
    out: dict[str, float] = {}
    for detector, value in thresholds.items():
        if not isinstance(detector, str):
            raise TypeError(
                f"metric {name!r}: per-detector thresholds are keyed by detector name (a string), "
                f"got {short_repr(detector)}."
            )
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
            raise ValueError(
                f"metric {name!r}: the threshold of detector {detector!r} must be a finite number, "
                f"got {short_repr(value)}."
            )
        out[detector] = float(value)
    return out


def per_detector_params(thresholds: Mapping[str, float]) -> str:
    """The ``params`` value of per-detector thresholds: one string per set of thresholds.

    >>> per_detector_params({"b": 0.5, "a": 0.25}) == per_detector_params({"a": 0.25, "b": 0.5})
    True
    >>> per_detector_params({"a": 0.25})
    'per-detector:4bf2cb20'
    """
    text = json.dumps(sorted((k, float(v)) for k, v in thresholds.items()))
    return "per-detector:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def _defaults(func: Any) -> dict[str, Any]:
    return {
        p.name: p.default
        for p in inspect.signature(func).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY and p.default is not inspect.Parameter.empty
    }


def _request(name: Any, options: Mapping[str, Any]) -> MetricRequest:
    info = get_metric_info(name)  # ValueError naming close names for an unknown metric
    if not isinstance(options, Mapping):
        raise TypeError(f"metric {name!r}: options must be a mapping, got {short_repr(options)}.")
    options = dict(options)
    accepted = list(info.params) + (list(_STRATEGIES) if info.input == "binary" else [])
    for key in options:
        if key not in accepted:
            close = difflib.get_close_matches(str(key), accepted + list(_STRATEGIES), n=3)
            hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
            if key in _STRATEGIES:
                raise ValueError(
                    f"metric {name!r} takes continuous scores: option {key!r} (a thresholding strategy) "
                    "only applies to binary metrics."
                )
            known = ", ".join(info.params) if info.params else "none"
            raise ValueError(f"metric {name!r} has no option {key!r}.{hint} Its options: {known}.")
    threshold = options.pop("threshold", None)
    contamination = options.pop("contamination", None)
    if threshold is not None and contamination is not None:
        raise ValueError(f"metric {name!r}: give threshold or contamination, not both.")
    strategy: dict[str, Any] = {}
    if isinstance(threshold, Mapping):
        threshold = per_detector(str(info.name), threshold)
        strategy["threshold"] = per_detector_params(threshold)
    elif isinstance(threshold, str):
        if threshold != "best":
            raise ValueError(f"metric {name!r}: threshold must be a number or 'best', got {short_repr(threshold)}.")
        if name not in BEST_F1_BY_GRID:
            raise ValueError(
                f"metric {name!r} has no best-F1 oracle in the registry (those that do: "
                f"{', '.join(BEST_F1_BY_GRID)}); use threshold=X or contamination=R."
            )
        strategy["threshold"] = "best"
    elif threshold is not None:
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not math.isfinite(threshold):
            raise ValueError(
                f"metric {name!r}: threshold must be a finite number, 'best' or {{detector: number}}, "
                f"got {short_repr(threshold)}."
            )
        threshold = float(threshold)
        strategy["threshold"] = threshold
    if contamination is not None:
        if isinstance(contamination, bool) or not isinstance(contamination, (int, float)) or not 0 < contamination < 1:
            raise ValueError(
                f"metric {name!r}: contamination must be a number in (0, 1), got {short_repr(contamination)}."
            )
        contamination = float(contamination)
        strategy["contamination"] = contamination
    # The metric gets the values its params string names (100.0 is early_buffer=100, a numpy scalar a Python one).
    options = {k: _normalised(k, v) for k, v in options.items()}
    info.check_options({k: v for k, v in options.items() if not (k in AUTO_OPTIONS and _is_auto(v))})
    params = canonical_params({**options, **strategy}, _defaults(info.func))
    return MetricRequest(info.name, options, threshold, contamination, params)


def _is_auto(value: Any) -> bool:
    return isinstance(value, str) and value == AUTO


def with_undefined(requests: list[MetricRequest], undefined: Any) -> list[MetricRequest]:
    """The requests with ``undefined=`` set on every metric that takes it and has none.

    ``"warn"`` (every metric's default) changes nothing; another policy is a
    non-default option, so it appears in ``params`` like any other.

    Examples
    --------
    >>> [r.params for r in with_undefined(metric_requests(["pate", ("auc_pr", {"undefined": 0.0})]), "nan")]
    ['undefined=nan', 'undefined=0']
    """
    check_undefined(undefined)  # a bad policy fails now, naming the argument, not once per series
    if isinstance(undefined, str) and undefined == "warn":
        return requests

    out = []
    for r in requests:
        if "undefined" in get_metric_info(r.name).params and "undefined" not in r.options:
            strategy = {
                k: v for k, v in (("threshold", r.threshold), ("contamination", r.contamination)) if v is not None
            }
            r = _request(r.name, {**r.options, **strategy, "undefined": undefined})
        out.append(r)
    return out


def metric_requests(metrics: Any) -> list[MetricRequest]:
    """Metric requests from names and ``(name, options)`` pairs, in the order given.

    Raises
    ------
    ValueError
        An unknown metric or option (the message lists close names), a bad
        thresholding strategy, or the same request twice.
    TypeError, ValueError
        An option value the metric's declaration does not allow (the message
        names the metric, the option and the allowed values).

    Examples
    --------
    >>> [(r.name, r.params) for r in metric_requests(["pate", ("pate", {"early_buffer": 50}),
    ...                                                 ("pate_f1", {"threshold": 0.5})])]
    [('pate', ''), ('pate', 'early_buffer=50'), ('pate_f1', 'threshold=0.5')]
    >>> metric_requests([("pate", {"early_bufer": 5})])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: metric 'pate' has no option 'early_bufer'. Did you mean 'early_buffer'...
    """
    if isinstance(metrics, str) or (
        isinstance(metrics, tuple) and len(metrics) == 2 and isinstance(metrics[1], Mapping)
    ):
        metrics = [metrics]  # one metric given on its own
    if not isinstance(metrics, Iterable):
        raise TypeError(f"metrics must be names or (name, options) pairs, got {short_repr(metrics)}.")
    requests: list[MetricRequest] = []
    seen: set[tuple[str, str]] = set()
    for item in metrics:
        if isinstance(item, str):
            request = _request(item, {})
        elif isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[1], Mapping):
            request = _request(item[0], item[1])
        else:
            raise TypeError(f"a metric is a registry name or a (name, options) pair, got {short_repr(item)}.")
        if request.key in seen:
            twice = request.name + (f" ({request.params})" if request.params else "")
            raise ValueError(f"metric {twice} is requested twice.")
        seen.add(request.key)
        requests.append(request)
    if not requests:
        raise ValueError("metrics is empty: name at least one metric (pate.metrics.list_metrics() lists them).")
    return requests
