"""The host-side end of every engine: prepared series, pair curves, the keep walk and the area.

Both engines (``pate._engine.numba`` and ``pate._engine.xp``) produce, per
buffer pair, the per-threshold counts TP, |P_t| and FN; :func:`curve_from_counts`
turns them into precision, recall, the points the area keeps and the area.

Only the recall comparisons of the keep walk need care: two different
predicted sets can have exactly equal recall, and then rounding alone would
decide. Comparisons closer than a relative tolerance are settled in exact
rational arithmetic (``pate._engine.exact``), so the result equals the
exact-arithmetic definition; see docs/pate.md ("Floating point and ties").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any, Callable

import numpy as np

from pate._kernels.pate_sweep import keep_walk
from pate._namespace import safe_divide, to_host

__all__ = [
    "PreparedSeries",
    "PairCurve",
    "curve_from_counts",
    "kept_area",
    "pair_area",
    "INTERPOLATIONS",
    "TIE_TOLERANCE",
    "XP_TIE_TOLERANCE",
]

# How the kept points are integrated: "trapezoid" is the published rule (spec
# section 7, step 5), "step" the right-endpoint rule of average precision
# (section 7b). The kept points themselves are the same.
INTERPOLATIONS = ("trapezoid", "step")

# Recall comparisons whose cross products differ by at most this relative
# amount are decided exactly. In the numba engine TP and FN carry relative
# errors of a few ulps (compensated sums), far below it.
TIE_TOLERANCE = 1e-12
# The array-namespace engine's float sums are plain (not compensated)
# cumulative sums, so near-ties go to exact arithmetic from a wider band.
XP_TIE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class PreparedSeries:
    """Everything about one series and one threshold list that no buffer pair changes."""

    n_points: int
    starts: np.ndarray
    ends: np.ndarray
    join: np.ndarray  # join index of every point (n_thresholds: never predicted)
    in_join: np.ndarray  # join index of in-event points, time order
    in_event: np.ndarray
    event_offset: np.ndarray
    detection: np.ndarray  # per event: first threshold index at which it is detected
    n_thresholds: int
    n_predicted: np.ndarray  # |P_t|
    tp_in: np.ndarray  # in-event TP (a count)
    fn: np.ndarray  # weighted FN

    def to_host(self) -> PreparedSeries:
        """The same series with every array on the host (for the exact settlement of ties)."""
        arrays: dict[str, Any] = {k: to_host(v) for k, v in vars(self).items() if hasattr(v, "shape")}
        return replace(self, **arrays)


@dataclass(frozen=True)
class PairCurve:
    """Per-threshold quantities of one buffer pair, and which points the area keeps."""

    early: int
    delay: int
    tp: np.ndarray
    precision: np.ndarray
    recall: np.ndarray
    keep: np.ndarray
    area: float


def curve_from_counts(
    early: int,
    delay: int,
    tp: np.ndarray,
    n_predicted: np.ndarray,
    fn: np.ndarray,
    exact_recall_at: Callable[[int], Fraction],
    tolerance: float,
) -> PairCurve:
    """Precision, recall, the keep walk and the area of one buffer pair (host arrays).

    The keep walk keeps a threshold whose recall is at least that of the
    last kept one. ``exact_recall_at(t)`` gives the exact recall at
    threshold ``t``; it is called only for comparisons closer than
    ``tolerance`` (relative).
    """
    precision = safe_divide(tp, n_predicted)
    recall = safe_divide(tp, tp + fn)

    keep = np.zeros(tp.size, dtype=bool)
    start, last = 0, -1
    exact_cache: dict[int, Fraction] = {}
    while True:
        start, last = keep_walk(tp, fn, keep, start, last, tolerance)
        if start >= tp.size:
            break
        for idx in (start, last):
            if idx not in exact_cache:
                exact_cache[idx] = exact_recall_at(idx)
        keep[start] = exact_cache[start] >= exact_cache[last]
        if keep[start]:
            last = start
        start += 1

    area = kept_area(precision[keep], recall[keep])
    return PairCurve(early, delay, tp, precision, recall, keep, area)


def kept_area(precision: np.ndarray, recall: np.ndarray, interpolation: str = "trapezoid") -> float:
    """Area over (recall 0, precision 1) followed by the kept points.

    ``"trapezoid"``: ``sum (R_n - R_{n-1}) (P_n + P_{n-1}) / 2`` (the published
    rule); ``"step"``: ``sum (R_n - R_{n-1}) P_n`` (docs/spec/pate-definition.md, section 7b), where the
    anchor contributes nothing. Both sum the per-point terms with ``ndarray.sum``,
    which the numba batch kernel (``pate._kernels.pate_batch``) reproduces bit
    for bit.

    >>> kept_area(np.array([1.0, 0.5]), np.array([0.5, 1.0]))
    0.875
    >>> kept_area(np.array([1.0, 0.5]), np.array([0.5, 1.0]), "step")
    0.75
    """
    r = np.concatenate(([0.0], recall))
    p = np.concatenate(([1.0], precision))
    if interpolation == "step":
        return float((np.diff(r) * p[1:]).sum())
    return float((np.diff(r) * (p[1:] + p[:-1]) / 2.0).sum())


def pair_area(curve: PairCurve, interpolation: str) -> float:
    """The area of one pair's kept points under ``interpolation`` (``curve.area`` is the trapezoid)."""
    if interpolation == "trapezoid":
        return curve.area
    return kept_area(curve.precision[curve.keep], curve.recall[curve.keep], interpolation)
