"""One policy for undefined cases: the ``undefined=`` keyword of every metric.

Like scikit-learn's ``zero_division``: a metric whose value is undefined on
the given input (recall without any anomaly, precision without any
prediction, a ROC curve without negatives, ...) returns

* ``undefined="warn"`` (default): 0.0, with one ``UndefinedMetricWarning``
  per case (``compat=True`` keeps the number of the published reference it
  reproduces, where that reference has one: docs/undefined.md);
* ``undefined="nan"``: nan, silently;
* ``undefined=<number>``: that number, silently.

The metrics themselves only call ``pate._warnings.warn_undefined`` where a
value is undefined, naming the result fields concerned; :func:`undefined_policy`
wraps a metric, records those calls while it runs, and replaces exactly the
fields they name (then, under "warn", warns once per case). Registry entries
that pick one field of a tuple result (``point_recall`` from
``point_precision_recall_fscore``, ...) replace only when that field is
undefined, and in "warn" mode repeat only the warnings about that field.
"""

from __future__ import annotations

import functools
import math
import numbers
from typing import Any, Callable, Literal, ParamSpec, TypeVar, Union

import numpy as np

from pate._validation import short_repr
from pate._warnings import UndefinedCase, recording_undefined, warn_undefined

__all__ = ["Undefined", "check_undefined", "undefined_policy", "field_policy", "apply_policy"]

#: The type of every metric's ``undefined=`` option.
Undefined = Union[Literal["warn", "nan"], float]
P = ParamSpec("P")
R = TypeVar("R")


def check_undefined(undefined: Any) -> Literal["warn"] | float:
    """``"warn"``, or the float an undefined value becomes (nan for ``"nan"``).

    >>> check_undefined("nan"), check_undefined(0), check_undefined("warn")
    (nan, 0.0, 'warn')
    """
    if isinstance(undefined, str):
        if undefined == "warn":
            return "warn"
        if undefined == "nan":
            return math.nan
        raise ValueError(f"undefined must be 'warn', 'nan' or a number; got {short_repr(undefined)}.")
    if isinstance(undefined, (bool, np.bool_)) or not isinstance(undefined, numbers.Real):
        raise TypeError(
            f"undefined must be 'warn', 'nan' or a number; got {short_repr(undefined)} ({type(undefined).__name__})."
        )
    return float(undefined)


def _concerns(case: UndefinedCase, field: str | None) -> bool:
    return field is None or case.fields is None or field in case.fields


#: The value of an undefined case under ``undefined="warn"`` (scikit-learn's ``zero_division="warn"``).
WARN_VALUE = 0.0


def _warn_policy(result: Any, cases: list[UndefinedCase], field: str | None = None) -> Any:
    """``result`` as ``undefined="warn"`` has it: 0.0, or a case's own reference value (compat)."""
    for value in dict.fromkeys(c.value for c in cases):
        chosen = [c for c in cases if c.value is value or c.value == value]  # nan is kept by identity
        result = apply_policy(result, chosen, WARN_VALUE if value is None else value, field)
    return result


def apply_policy(result: Any, cases: list[UndefinedCase], value: float, field: str | None = None) -> Any:
    """``result`` with the parts named by ``cases`` replaced by ``value``.

    A float (or the ``field`` of a tuple result) becomes ``value`` when any
    case concerns it; a named tuple gets ``value`` in the fields the cases name
    (all fields for a case without names); an array at the positions named.
    """
    cases = [c for c in cases if _concerns(c, field)]
    if not cases:
        return result
    if isinstance(result, tuple) and hasattr(result, "_fields"):
        named: Any = result  # a NamedTuple
        if any(c.fields is None for c in cases):
            names = named._fields
        else:
            names = {n for c in cases for n in c.fields}
        return named._replace(**{n: value for n in names})
    if isinstance(result, np.ndarray):
        out = result.copy()
        if any(c.fields is None for c in cases):
            out[...] = value
        else:
            out[np.concatenate([np.asarray(c.fields, dtype=np.int64) for c in cases])] = value
        return out
    return value


def undefined_policy(func: Callable[P, R]) -> Callable[P, R]:
    """Decorator: the behaviour of the ``undefined=`` option a metric writes in its signature.

    The metric declares ``undefined: Undefined = "warn"`` and documents it
    like any option, and never reads it: the wrapper takes it, runs the
    metric, and replaces the values its ``warn_undefined`` calls named: by
    the policy's value, or under ``"warn"`` by 0.0 (a case's own reference
    value with ``compat=True``), then warns once per message. The signature
    seen by ``inspect`` and by type checkers is the metric's own.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        policy = check_undefined(kwargs.pop("undefined", "warn"))
        with recording_undefined() as cases:
            result = func(*args, **kwargs)
        if not cases:
            return result
        if policy != "warn":
            return apply_policy(result, cases, policy)
        for case in {c.message: c for c in cases}.values():  # to an enclosing metric's record, else to the user
            warn_undefined(case.message, fields=case.fields, value=case.value)
        return _warn_policy(result, cases)

    return wrapper


def field_policy(call: Callable[[], Any], field: str, undefined: Any) -> Any:
    """``getattr(call(), field)`` under the ``undefined`` policy, counting only the cases about ``field``.

    For registry entries that return one field of a tuple metric
    (``point_recall`` is ``point_precision_recall_fscore(...).recall``):
    ``call`` runs the tuple metric with its default policy; its cases are
    recorded, and only those that concern ``field`` are warned about
    (``"warn"``) or replace the value.
    """
    policy = check_undefined(undefined)
    with recording_undefined() as cases:
        value = getattr(call(), field)
    if policy == "warn":
        concerned = {c.message: c for c in cases if _concerns(c, field)}
        if concerned:  # the warning class (scikit-learn's) is imported only when there is one to give
            for case in concerned.values():
                warn_undefined(case.message, fields=case.fields, value=case.value)
        return _warn_policy(value, list(concerned.values()), field)
    return apply_policy(value, cases, policy, field)
