"""Declared metric options: each option's type and allowed values, checked without running the metric.

Like scikit-learn's parameter constraints (``sklearn/utils/_param_validation.py``),
each registry row declares its options (:data:`OPTIONS`, with per-family
changes such as PATE's ``n_thresholds=None``). A declaration's ``check`` is the
very check the metric runs on that option (the same ``pate._validation``
function, the same message), so checking options up front, as ``pate
evaluate`` and :func:`pate.benchmark.evaluate` do before any file is read,
says exactly what the metric would say, without computing anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from pate._engine import BACKENDS, array_namespace, resolve_backend
from pate._time import check_buffer, check_timestamps, check_tolerance
from pate._validation import (
    check_bool,
    check_choice,
    check_fraction,
    check_nonnegative_int,
    check_positive_int,
    choices_text,
)
from pate.metrics._nab import NAB_PROFILES, check_nab_profile
from pate.metrics._pate import INTERPOLATIONS, MAX_BUFFER_SPLITS, check_buffer_splits
from pate.metrics._range_based import BIASES, CARDINALITIES, check_beta
from pate.metrics._undefined import check_undefined

__all__ = ["Option", "OPTIONS", "PATE_OPTIONS", "VUS_OPTIONS", "NAB_OPTIONS", "EVENT_OPTIONS"]


@dataclass(frozen=True)
class Option:
    """One declared option of a metric.

    Attributes
    ----------
    kind : str
        ``"int"``, ``"float"``, ``"bool"``, ``"choice"``, ``"backend"``,
        ``"undefined"``, ``"profile"`` (NAB's: a name or three weights), ``"span"`` (a number of
        samples or a time span such as ``"30min"``) or ``"times"`` (one time per sample).
    allowed : str
        The allowed values, in words (``"an integer >= 0"``).
    check : callable
        ``check(value, name)``: the metric's own check; raises ``TypeError``
        or ``ValueError`` (``ImportError`` for a backend that is not
        installed).
    choices : tuple
        The values of a ``"choice"`` option (empty otherwise).
    accepts_none : bool
        Whether ``None`` is a value (PATE's ``n_thresholds=None``: the exact curve).
    """

    kind: str
    allowed: str
    check: Callable[[Any, str], Any]
    choices: tuple[Any, ...] = ()
    accepts_none: bool = False

    def validate(self, value: Any, name: str) -> None:
        """Raise the metric's own error if ``value`` is not allowed."""
        if value is None and self.accepts_none:
            return
        self.check(value, name)


def integer(minimum: int, *, none: bool = False) -> Option:
    """An integer option ``>= minimum`` (at most 2**53), optionally ``None``."""

    def check(value: Any, name: str) -> Any:
        if minimum == 0:
            return check_nonnegative_int(value, name)
        return check_positive_int(value, name, minimum=minimum)

    return Option("int", f"an integer >= {minimum}" + (" or None" if none else ""), check, accepts_none=none)


def fraction(low: float = 0.0, high: float = 1.0) -> Option:
    """A real option in ``[low, high]``."""
    return Option(
        "float", f"a number in [{low:g}, {high:g}]", lambda v, name: check_fraction(v, name, low=low, high=high)
    )


def choice(values: tuple[Any, ...]) -> Option:
    """One of a few values."""
    return Option("choice", choices_text(values), lambda v, name: check_choice(v, name, values), choices=values)


def _check_backend(value: Any, name: str) -> str:
    """The backend's name, and for CuPy that it is installed and sees a GPU (as the metric will ask)."""
    backend = resolve_backend(value)
    if backend == "cupy":
        array_namespace(backend)  # ImportError naming pip install "pate-eval[gpu]", or RuntimeError
    return backend


BOOLEAN = Option("bool", "True or False", check_bool)
BUFFER = integer(0)

#: The options of the registry's metrics by name, as most metrics take them.
OPTIONS: Mapping[str, Option] = {
    "early_buffer": BUFFER,
    "delay_buffer": BUFFER,
    "n_buffer_splits": Option("int", f"an integer from 1 to {MAX_BUFFER_SPLITS}", check_buffer_splits),
    "include_zero": BOOLEAN,
    "n_thresholds": integer(2),
    "drop_intermediate": BOOLEAN,
    "interpolation": choice(INTERPOLATIONS),
    "backend": Option("backend", choices_text(BACKENDS), _check_backend, choices=BACKENDS),
    "undefined": Option("undefined", "'warn', 'nan' or a number", lambda v, name: check_undefined(v)),
    "compat": BOOLEAN,
    "window": BUFFER,
    "alpha_p": fraction(),
    "alpha_r": fraction(),
    "beta": Option("float", "a finite number >= 0", lambda v, name: check_beta(v)),
    "bias_p": choice(BIASES),
    "bias_r": choice(BIASES),
    "cardinality": choice(CARDINALITIES),
    "k": fraction(0.0, 100.0),
    "theta_p": fraction(),
    "theta_r": fraction(),
    "delta": fraction(),
}
#: One time per sample (date-times or numbers); whether they fit the series is checked by the metric.
TIMESTAMPS = Option(
    "times",
    "one time per sample: date-times or numbers",
    lambda v, name: check_timestamps(v, name=name),
    accepts_none=True,
)
#: A buffer in samples, or a time span that ``timestamps`` turn into samples (docs/events.md).
TIME_BUFFER = Option("span", "an integer >= 0, or a time span such as '30min' (with timestamps)", check_buffer)
#: PATE's metrics: ``n_thresholds=None`` is the exact curve; buffers may be time spans.
PATE_OPTIONS: Mapping[str, Option] = {
    **OPTIONS,
    "n_thresholds": integer(2, none=True),
    "early_buffer": TIME_BUFFER,
    "delay_buffer": TIME_BUFFER,
    "timestamps": TIMESTAMPS,
}
#: Merlion's event metrics (``rpa_*``, ``mean_time_to_detect``): tolerances in samples or time.
EVENT_OPTIONS: Mapping[str, Option] = {
    **OPTIONS,
    "timestamps": TIMESTAMPS,
    "max_early": Option(
        "span",
        "None, an integer >= 0 (samples), or a time span such as '30min' (with timestamps)",
        check_tolerance,
        accepts_none=True,
    ),
    "max_delay": Option(
        "span",
        "None, an integer >= 0 (samples), or a time span such as '30min' (with timestamps)",
        check_tolerance,
        accepts_none=True,
    ),
}
#: Range-AUC and VUS: the rank grid needs at least two thresholds, never None.
VUS_OPTIONS: Mapping[str, Option] = OPTIONS
#: NAB's score: its profile (a name, or custom weights) and its probationary period.
NAB_OPTIONS: Mapping[str, Option] = {
    **OPTIONS,
    "profile": Option(
        "profile",
        f"{choices_text(tuple(NAB_PROFILES))} or three positive weights (A_tp, A_fp, A_fn), as text 'A_tp,A_fp,A_fn'",
        lambda v, name: check_nab_profile(v),
        choices=tuple(NAB_PROFILES),
    ),
    "probationary_percent": fraction(),
}
