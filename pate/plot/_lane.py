"""What the pictures of alarms share (ZonesDisplay, NabDisplay): the alarms, the score line, the detection lane.

Both draw a detector's score with its threshold, and under it a lane of
coloured bars, one per run of alarms of one kind (a true, early, delayed or
false detection under PATE; a rewarded, later, false or probationary one
under NAB). The lane takes the bottom of the axes; :func:`lane_limits` puts
the data above it, on every y axis alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from pate._validation import short_repr

__all__ = ["LANE", "TOP", "alarms_of", "lane_limits", "draw_score", "draw_lane"]

# Fractions of the axes' height: the lane at the bottom, the margins of the data above it.
LANE, BOTTOM, TOP = 0.06, 0.1, 0.05


def alarms_of(scores: np.ndarray, threshold: Any) -> tuple[float | None, np.ndarray | None]:
    """``(threshold, alarms)``: the points at or above ``threshold``; a score of 0s and 1s is its own alarms.

    Without a threshold, a continuous score has no alarms (None): the picture shows the score only.

    >>> alarms_of(np.array([0.2, 0.7]), 0.5)
    (0.5, array([False,  True]))
    >>> alarms_of(np.array([0.0, 1.0]), None)
    (None, array([False,  True]))
    >>> alarms_of(np.array([0.2, 0.7]), None)
    (None, None)
    """
    if threshold is not None:
        if isinstance(threshold, bool) or not np.isfinite(threshold):
            raise ValueError(f"threshold must be a finite number, got {short_repr(threshold)}.")
        return float(threshold), scores >= float(threshold)
    if np.isin(scores, (0.0, 1.0)).all():
        return None, scores == 1.0
    return None, None


def lane_limits(low: float, high: float) -> tuple[float, float]:
    """Y-axis limits that put ``[low, high]`` above the detection lane.

    >>> [round(v, 4) for v in lane_limits(0.0, 1.0)]  # 10% of the height under the data, 5% over it
    [-0.1176, 1.0588]
    """
    span = (high - low) or 1.0
    total = span / (1.0 - BOTTOM - TOP)
    return low - BOTTOM * total, high + TOP * total


def draw_score(ax: Any, x: np.ndarray, y: np.ndarray, name: str | None, threshold: float | None) -> list[Any]:
    """Draw the score (and its threshold, dashed); returns the legend handles, the score line first."""
    (line,) = ax.plot(x, y, color="0.25", linewidth=0.8, label=name or "score")
    handles = [line]
    if threshold is not None:
        handles.append(
            ax.axhline(threshold, color="0.4", linestyle="--", linewidth=0.8, label=f"threshold = {threshold:g}")
        )
    return handles


def draw_lane(ax: Any, kinds: np.ndarray, colours: Mapping[str, str], labels: Mapping[str, str]) -> list[Any]:
    """Draw one bar per run of equal ``kinds`` ("" for no alarm) in the lane; returns a legend handle per kind drawn."""
    from matplotlib.patches import Patch  # matplotlib: the optional plot extra, loaded by the caller's axes

    change = np.flatnonzero(kinds[1:] != kinds[:-1]) + 1
    run_starts = np.concatenate(([0], change))
    run_stops = np.concatenate((change, [kinds.size]))
    lane = ax.get_xaxis_transform()
    handles = []
    for kind, colour in colours.items():
        sel = kinds[run_starts] == kind
        if sel.any():
            spans = [(float(a) - 0.5, float(b - a)) for a, b in zip(run_starts[sel], run_stops[sel], strict=True)]
            ax.broken_barh(spans, (0.0, LANE), transform=lane, color=colour)
            handles.append(Patch(color=colour, label=labels[kind]))
    return handles
