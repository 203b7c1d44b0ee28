"""One policy for undefined cases: the ``undefined=`` keyword of every metric.

Like scikit-learn's ``zero_division``: a metric whose value is undefined on
the given input (recall without any anomaly, precision without any
prediction, ...) returns

* ``undefined="warn"`` (default): its documented value, with an
  ``UndefinedMetricWarning`` (the values are listed in docs/undefined.md);
* ``undefined="nan"``: nan, silently;
* ``undefined=<number>``: that number, silently.

The metrics themselves only call ``pate._warnings.warn_undefined`` where a
value is undefined, naming the result fields concerned; :func:`undefined_policy`
wraps a metric, records those calls while it runs under a policy other than
"warn", and replaces exactly the fields they name. Registry entries that pick
one field of a tuple result (``point_recall`` from
``point_precision_recall_fscore``, ...) replace only when that field is
undefined, and in "warn" mode repeat only the warnings about that field.
"""

from __future__ import annotations

import functools
import inspect
import math
import numbers
from typing import Any, Callable, Literal, Union

import numpy as np

from pate._warnings import UndefinedCase, recording_undefined, undefined_metric_warning_class, warn_at_caller

__all__ = ["Undefined", "check_undefined", "undefined_policy", "apply_policy"]

Undefined = Union[Literal["warn", "nan"], float]


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
        raise ValueError(f"undefined must be 'warn', 'nan' or a number; got {undefined!r}.")
    if isinstance(undefined, (bool, np.bool_)) or not isinstance(undefined, numbers.Real):
        raise TypeError(f"undefined must be 'warn', 'nan' or a number; got {undefined!r} ({type(undefined).__name__}).")
    return float(undefined)


def _concerns(case: UndefinedCase, field: str | None) -> bool:
    return field is None or case.fields is None or field in case.fields


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
        if any(c.fields is None for c in cases):
            names = result._fields
        else:
            names = {n for c in cases for n in c.fields}
        return result._replace(**{n: value for n in names})
    if isinstance(result, np.ndarray):
        out = result.copy()
        if any(c.fields is None for c in cases):
            out[...] = value
        else:
            out[np.concatenate([np.asarray(c.fields, dtype=np.int64) for c in cases])] = value
        return out
    return value


def undefined_policy(func: Callable[..., Any] | None = None, *, field: str | None = None):
    """Decorator: add the keyword-only ``undefined="warn"`` option to a metric.

    ``field`` is for registry entries that return one field of a tuple metric:
    only the undefined cases about that field count. Such an entry is built
    from the tuple function *without* passing ``undefined`` on (call it with
    the default), then wrapped: ``undefined_policy(lambda y, s, **o: f(y, s, **o).recall,
    field="recall")``; the wrapper records the tuple function's cases and
    applies the policy to that field alone.
    """
    if func is None:
        return functools.partial(undefined_policy, field=field)

    signature = inspect.signature(func)
    if "undefined" in signature.parameters:  # pragma: no cover - programming error
        raise RuntimeError(f"{func.__name__} already has an undefined parameter")
    params = list(signature.parameters.values())
    params.append(
        inspect.Parameter(
            "undefined", inspect.Parameter.KEYWORD_ONLY, default="warn", annotation="Literal['warn', 'nan'] | float"
        )
    )

    @functools.wraps(func)
    def wrapper(*args: Any, undefined: Undefined = "warn", **kwargs: Any) -> Any:
        policy = check_undefined(undefined)
        if policy == "warn" and field is None:
            return func(*args, **kwargs)  # warnings go straight to the caller
        with recording_undefined() as cases:
            result = func(*args, **kwargs)
        if policy == "warn":
            category = undefined_metric_warning_class()
            for case in dict.fromkeys(c.message for c in cases if _concerns(c, field)):
                warn_at_caller(case, category)
            return result
        return apply_policy(result, cases, policy, field)

    wrapper.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
    wrapper.__doc__ = _document(func.__doc__)
    return wrapper


_PARAMETER_DOC = """    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives the documented value with an
        ``UndefinedMetricWarning``; "nan" gives nan and a number gives that
        number, both without a warning.
"""


def _document(doc: str | None) -> str | None:
    """The docstring with the ``undefined`` parameter added at the end of its Parameters section."""
    if not doc or "\n    Parameters\n    ----------\n" not in doc:
        return doc
    for heading in ("Returns", "Yields", "Raises", "Warns", "See Also", "Notes", "Examples"):
        marker = f"\n    {heading}\n    {'-' * len(heading)}\n"
        if marker in doc:
            before, after = doc.split(marker, 1)
            return before.rstrip("\n") + "\n" + _PARAMETER_DOC + marker + after
    return doc.rstrip() + "\n" + _PARAMETER_DOC
