"""The metric registry: one canonical snake_case name per metric.

Everything that evaluates "a metric by name" (the command line, the pandas
accessor, the scikit-learn scorer, the comparison utilities) goes through
:func:`get_metric`, so a metric added here is reachable everywhere.
"""

from __future__ import annotations

import difflib
import inspect
from dataclasses import dataclass
from typing import Any, Callable, Literal

__all__ = ["MetricInfo", "register_metric", "get_metric", "get_metric_info", "list_metrics"]


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
    """

    name: str
    input: Literal["score", "binary"]
    params: tuple[str, ...]
    func: Callable[..., float]
    description: str

    def __call__(self, y_true: Any, y: Any, **params: Any) -> float:
        return self.func(y_true, y, **params)


_REGISTRY: dict[str, MetricInfo] = {}


def register_metric(
    name: str, *, input: Literal["score", "binary"], description: str
) -> Callable[[Callable[..., float]], Callable[..., float]]:
    """Decorator that registers ``func(y_true, y, **params) -> float`` under ``name``.

    The metric's options are read from the function's keyword-only parameters.
    """
    if input not in ("score", "binary"):  # pragma: no cover - programming error
        raise ValueError(f"input must be 'score' or 'binary', got {input!r}")

    def decorator(func: Callable[..., float]) -> Callable[..., float]:
        if name in _REGISTRY:  # pragma: no cover - programming error
            raise RuntimeError(f"metric {name!r} is registered twice")
        params = tuple(
            p.name
            for p in inspect.signature(func).parameters.values()
            if p.kind is inspect.Parameter.KEYWORD_ONLY
        )
        _REGISTRY[name] = MetricInfo(name, input, params, func, description)
        return func

    return decorator


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
        raise TypeError(f"metric name must be a string, got {name!r}.")
    try:
        return _REGISTRY[name]
    except KeyError:
        close = difflib.get_close_matches(name, list(_REGISTRY), n=3)
        hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        raise ValueError(
            f"Unknown metric {name!r}.{hint} pate.metrics.list_metrics() lists every name."
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
