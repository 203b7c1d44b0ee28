"""Warnings for undefined metric values, following scikit-learn's convention.

scikit-learn's ``UndefinedMetricWarning`` is used so that users filter one
class for every library. It is imported only when a warning is actually
raised: importing ``sklearn`` costs more than half a second, and ``import
pate`` must stay fast.

Every undefined case goes through :func:`warn_undefined`. While a metric runs
(``pate.metrics._undefined.undefined_policy``) the call is recorded instead of
warned, with the result fields it concerns, so that the policy can replace
exactly those values (0.0 under ``"warn"``, the default) and warn once.
"""

from __future__ import annotations

import os
import sys
import warnings
from contextvars import ContextVar
from types import FrameType
from typing import Any, NamedTuple

__all__ = [
    "FewValuedScoreWarning",
    "warn_few_valued",
    "n_distinct_if_few",
    "few_valued_message",
    "warn_undefined",
    "warn_at_caller",
    "undefined_metric_warning_class",
    "UndefinedCase",
    "recording_undefined",
]

_PACKAGE_PREFIX = os.path.dirname(os.path.abspath(__file__)) + os.sep


class UndefinedCase(NamedTuple):
    """One undefined case met while a metric ran under a policy."""

    message: str
    fields: Any  # None: the whole result; a tuple of field names; or an index array (batches)
    value: float | None = None  # under "warn": None is the rule's 0.0; a number is a published reference's (compat)


# The list of cases recorded by the innermost metric running under a policy,
# or None (warn). A ContextVar, not a global: threads and tasks each see their own.
_RECORDER: ContextVar[list[UndefinedCase] | None] = ContextVar("pate_undefined_recorder", default=None)


def undefined_metric_warning_class() -> type[Warning]:
    """``sklearn.exceptions.UndefinedMetricWarning`` (imported on first use)."""
    from sklearn.exceptions import UndefinedMetricWarning  # scikit-learn takes 0.5 s: only when a warning is due

    return UndefinedMetricWarning


def warn_at_caller(message: str, category: type[Warning]) -> None:
    """``warnings.warn`` attributed to the first frame outside the ``pate`` package.

    Like pandas' ``find_stack_level``: however many pate functions lie between
    (public function, registry wrapper, policy wrapper), the warning points at
    the user's line.
    """
    frame: FrameType | None = sys._getframe(0)
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_PREFIX):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)


def warn_undefined(message: str, *, fields: Any = None, value: float | None = None) -> None:
    """Emit ``UndefinedMetricWarning`` with ``message`` (or record it while a metric runs).

    The warning points at the first caller outside the package.
    ``fields`` names the parts of a tuple result that are undefined
    (``None``: the whole result), or for a batch the positions of the
    undefined series. ``value`` is the value under ``undefined="warn"``
    where it is not the rule's 0.0: a published reference's number that
    ``compat=True`` reproduces (scikit-learn 1.5's -0.0 for average precision).
    The message says the value.
    """
    recorder = _RECORDER.get()
    if recorder is not None:
        recorder.append(UndefinedCase(message, fields, value))
        return
    warn_at_caller(message, undefined_metric_warning_class())


class recording_undefined:  # noqa: N801 - used as a context manager
    """Within the block, :func:`warn_undefined` records its cases in ``.cases`` instead of warning."""

    def __enter__(self) -> list[UndefinedCase]:
        self.cases: list[UndefinedCase] = []
        self._token = _RECORDER.set(self.cases)
        return self.cases

    def __exit__(self, *exc: Any) -> None:
        _RECORDER.reset(self._token)


class FewValuedScoreWarning(UserWarning):
    """A continuous-score metric integrated by trapezoids from (0, 1) got a score with at most two values.

    Such a score has one effective threshold, and the trapezoid from the anchor
    (recall 0, precision 1) credits it with about ``(1 + precision) / 2`` of its
    recall: a constant detector then outranks most real ones. The step rule
    (``pate_ap``, ``auc_pr``) does not have this bias.
    """


def few_valued_message(n_distinct: int, metric: str, alternative: str) -> str:
    """The text of :func:`warn_few_valued` (batches repeat it once, with a count)."""
    values = "one value (a constant score)" if n_distinct == 1 else "only two distinct values"
    return (
        f"{metric}: y_score takes {values}. Integrated by trapezoids from (recall 0, precision 1), "
        f"such a score earns about recall * (1 + precision) / 2, more than most real detectors; "
        f"{alternative}"
    )


def n_distinct_if_few(scores: Any) -> int:
    """The number of distinct scores when it is at most 2, else 0 (one pass, any array namespace).

    The check behind :func:`warn_few_valued` for one series (batches count
    per series in one vectorised pass).

    >>> import numpy as np
    >>> n_distinct_if_few(np.array([0.5, 0.5])), n_distinct_if_few(np.array([0, 1, 1])), n_distinct_if_few(np.arange(3))
    (1, 2, 0)
    """
    lo, hi = scores.min(), scores.max()
    if not bool(((scores == lo) | (scores == hi)).all()):
        return 0
    return 1 if bool(lo == hi) else 2


def warn_few_valued(n_distinct: int, metric: str, alternative: str) -> None:
    """Warn (at the user's line) that ``metric`` got a score with ``n_distinct`` <= 2 values."""
    warn_at_caller(few_valued_message(n_distinct, metric, alternative), FewValuedScoreWarning)
