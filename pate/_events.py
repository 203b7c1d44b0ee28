"""Events, buffer grids and proximity zones, the one copy every engine uses.

These are the "events/zones" step of the data flow
validate -> events/zones -> kernel -> curve -> score. Events, zones and
proximity weights are written once against the array namespace of their
inputs (numpy on the CPU, CuPy on a GPU; ``pate._namespace``), so the numba
engine, the array-namespace engine and its packed batches share them. The
definitions are those of the PATE paper (Ghorbani et al., "PATE:
Proximity-Aware Time series anomaly Evaluation", KDD 2024) as the published
``PATE`` 0.1.1 package computes them; see docs/pate.md.
"""

from __future__ import annotations

import numpy as np

from pate._namespace import get_namespace

__all__ = [
    "label_events",
    "concat_ranges",
    "buffer_sizes",
    "buffer_pairs",
    "zone_bounds",
    "in_event_points",
    "buffer_points",
]


def label_events(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Maximal runs of ``True`` in a boolean array, as inclusive ``(starts, ends)``.

    >>> label_events(np.array([1, 1, 0, 0, 1, 0, 1], dtype=bool))
    (array([0, 4, 6]), array([1, 4, 6]))
    """
    xp = get_namespace(mask)
    m = xp.asarray(mask, dtype=bool)
    pad = xp.zeros(1, dtype=xp.int8)
    edges = xp.diff(xp.concatenate((pad, m.view(xp.int8), pad)))
    starts = xp.flatnonzero(edges == 1)
    ends = xp.flatnonzero(edges == -1) - 1
    return starts.astype(xp.int64), ends.astype(xp.int64)


def concat_ranges(starts: np.ndarray, stops: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate ``arange(starts[i], stops[i])`` for all ``i`` without a Python loop.

    Returns the positions and, for each position, the index ``i`` of its range.
    Empty ranges (``stops[i] <= starts[i]``) contribute nothing.

    >>> concat_ranges(np.array([2, 7, 9]), np.array([4, 7, 11]))
    (array([ 2,  3,  9, 10]), array([0, 0, 2, 2]))
    """
    xp = get_namespace(starts, stops)
    starts = xp.asarray(starts, dtype=xp.int64)
    lengths = xp.maximum(xp.asarray(stops, dtype=xp.int64) - starts, 0)
    # CuPy's repeat takes no array of counts: there, search the range ends instead
    owner = np.repeat(np.arange(starts.size, dtype=np.int64), lengths) if xp is np else _owner_by_search(xp, lengths)
    first = xp.cumsum(lengths) - lengths  # offset of each range in the output
    positions = xp.arange(owner.size, dtype=xp.int64) - first[owner] + starts[owner]
    return positions, owner


def _owner_by_search(xp, lengths):
    """``repeat(arange(lengths.size), lengths)`` without ``repeat`` (for CuPy)."""
    ends = xp.cumsum(lengths)
    total = int(ends[-1]) if lengths.size else 0
    return xp.searchsorted(ends, xp.arange(total, dtype=xp.int64), side="right")


def buffer_sizes(max_buffer: int, n_splits: int, include_zero: bool) -> np.ndarray:
    """Buffer sizes of the published grid, repeats kept.

    numpy's own ``linspace`` is used on purpose: its float step decides the
    sizes (``max_buffer=3, n_splits=9`` does not give exact floors).

    >>> buffer_sizes(100, 1, True).tolist()
    [0, 100]
    >>> buffer_sizes(3, 9, False).tolist()
    [0, 0, 1, 1, 1, 1, 2, 2, 3]
    """
    if include_zero:
        sizes = np.linspace(0, max_buffer, n_splits + 1)
    else:
        sizes = np.linspace(max_buffer / n_splits, max_buffer, n_splits)
    # numpy 1.x truncates and numpy 2 floors when casting with dtype=int; for
    # non-negative sizes both are the floor.
    return np.floor(sizes).astype(np.int64)


def buffer_pairs(early_buffer: int, delay_buffer: int, n_splits: int, include_zero: bool) -> list[tuple[int, int]]:
    """Every (early, delay) pair of the grid, early size in the outer loop.

    >>> buffer_pairs(100, 100, 1, True)
    [(0, 0), (0, 100), (100, 0), (100, 100)]
    """
    early = buffer_sizes(early_buffer, n_splits, include_zero)
    delay = buffer_sizes(delay_buffer, n_splits, include_zero)
    return [(int(e), int(d)) for e in early for d in delay]


def zone_bounds(
    starts: np.ndarray,
    ends: np.ndarray,
    n: int,
    early: int,
    delay: int,
    *,
    lower: int | np.ndarray = 0,
    upper: int | np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """First point of each pre-buffer and last point of each post-buffer.

    A post-buffer stops before the next event (or at the series end); a
    pre-buffer starts after the previous post-buffer (which wins), at 0 at
    the earliest. ``PRE_k = [pre_start[k], starts[k] - 1]`` and
    ``POST_k = [ends[k] + 1, post_end[k]]``; either may be empty.

    In a packed batch (many series concatenated), ``lower`` and ``upper`` are
    per event the first point and one past the last point of its series, so
    that no zone crosses into a neighbouring series; ``n`` is then the total
    length. A single series has the defaults ``0`` and ``n``.

    >>> zone_bounds(np.array([10, 16]), np.array([14, 19]), 40, 5, 5)
    (array([ 5, 16]), array([15, 24]))
    """
    xp = get_namespace(starts, ends)
    # Events are in time order and series are contiguous, so the next event
    # of another series starts at or after this series' end (and the previous
    # one's post-buffer ends before this series' start): clipping to the
    # series bounds is the same as stopping at the series boundary.
    upper = n if upper is None else upper
    next_start = xp.minimum(xp.concatenate((starts[1:], xp.asarray([n], dtype=xp.int64))), upper)
    post_end = xp.minimum(ends + delay, next_start - 1)
    prev_post_end = xp.maximum(xp.concatenate((xp.asarray([-1], dtype=xp.int64), post_end[:-1])), lower - 1)
    pre_start = xp.maximum(xp.maximum(starts - early, lower), prev_post_end + 1)
    return pre_start, post_end


def in_event_points(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions inside events (in time order) and the event each belongs to."""
    return concat_ranges(starts, ends + 1)


def buffer_points(
    starts: np.ndarray, ends: np.ndarray, pre_start: np.ndarray, post_end: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Positions, owning events and proximity weights of all buffer points.

    Returns ``(pre_pos, pre_event, pre_weight, post_pos, post_event, post_weight)``.
    Each weight is ``1 - d / m`` with ``d`` the distance of the point to the
    event centre and ``m`` that of the buffer's far edge, both doubled so
    that they are integers: one correctly rounded division, the same double
    the published package gets from its distance sums (the tests check this
    bit for bit). The far edge of a buffer has weight exactly 0.

    >>> buffer_points(np.array([3]), np.array([4]), np.array([1]), np.array([6]))[2:3]
    (array([0. , 0.5]),)
    """
    xp = get_namespace(starts, ends, pre_start, post_end)
    twice_centre = starts + ends
    pre_pos, pre_ev = concat_ranges(pre_start, starts)
    d = (twice_centre[pre_ev] - 2 * pre_pos).astype(xp.float64)
    m = (twice_centre[pre_ev] - 2 * pre_start[pre_ev]).astype(xp.float64)
    pre_w = 1.0 - d / m
    post_pos, post_ev = concat_ranges(ends + 1, post_end + 1)
    d = (2 * post_pos - twice_centre[post_ev]).astype(xp.float64)
    m = (2 * post_end[post_ev] - twice_centre[post_ev]).astype(xp.float64)
    post_w = 1.0 - d / m
    return pre_pos, pre_ev, pre_w, post_pos, post_ev, post_w
