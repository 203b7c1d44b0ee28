"""Events, zones and proximity weights (``pate._events``), the one copy every engine uses.

Checked against the slow oracle of tests/naive/pate.py: the zones literally, and
the weights bit for bit against ``1 - d / m`` with the distance sums the
published package computes (so every engine gets the package's doubles).
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from naive.pate import _buffer_weight_ratios, _weight, _zone_map, naive_events, naive_zones
from naive.strategies import labelled_series

from pate._events import _owner_by_search, buffer_points, concat_ranges, label_events, zone_bounds

buffers = st.sampled_from([0, 1, 2, 3, 5, 100])


@settings(max_examples=300)
@given(labels=labelled_series())
def test_label_events_equal_the_oracle(labels):
    starts, ends = label_events(labels.astype(bool))
    assert list(zip(starts.tolist(), ends.tolist())) == naive_events(labels.tolist())
    assert starts.dtype == ends.dtype == np.int64


@settings(max_examples=500)
@given(labels=labelled_series(), early=buffers, delay=buffers)
def test_zones_and_weights_equal_the_published_distance_sums_bit_for_bit(labels, early, delay):
    n = labels.size
    events = naive_events(labels.tolist())
    zones = naive_zones(events, n, early, delay)
    starts, ends = label_events(labels.astype(bool))
    pre_start, post_end = zone_bounds(starts, ends, n, early, delay)
    assert pre_start.tolist() == [z["pre_start"] for z in zones]
    assert post_end.tolist() == [z["post_end"] for z in zones]

    pre_pos, pre_ev, pre_w, post_pos, post_ev, post_w = buffer_points(starts, ends, pre_start, post_end)
    zone_of = _zone_map(zones, n)
    ratios = _buffer_weight_ratios(zones, zone_of, n)
    assert [(x, ("pre", k)) for x, k in zip(pre_pos.tolist(), pre_ev.tolist())] == [
        (x, zone_of[x]) for x in range(n) if zone_of[x][0] == "pre"
    ]
    assert [(x, ("post", k)) for x, k in zip(post_pos.tolist(), post_ev.tolist())] == [
        (x, zone_of[x]) for x in range(n) if zone_of[x][0] == "post"
    ]
    want_pre = np.array([_weight(*ratios[x], exact=False) for x in pre_pos.tolist()], dtype=np.float64)
    want_post = np.array([_weight(*ratios[x], exact=False) for x in post_pos.tolist()], dtype=np.float64)
    np.testing.assert_array_equal(pre_w, want_pre)  # bit for bit, not approximately
    np.testing.assert_array_equal(post_w, want_post)


@settings(max_examples=300)
@given(series=st.lists(labelled_series(max_len=15), min_size=1, max_size=5), early=buffers, delay=buffers)
def test_packed_zone_bounds_equal_the_zones_of_each_series(series, early, delay):
    # A packed batch (series concatenated) with each event's series bounds
    # gives every series its own zones, shifted by the series offset.
    lengths = np.array([s.size for s in series], dtype=np.int64)
    offsets = np.cumsum(lengths) - lengths
    flat_starts, flat_ends, lower, upper, want_pre, want_post = [], [], [], [], [], []
    for s, offset in zip(series, offsets.tolist()):
        starts, ends = label_events(s.astype(bool))
        pre, post = zone_bounds(starts, ends, s.size, early, delay)
        flat_starts += (starts + offset).tolist()
        flat_ends += (ends + offset).tolist()
        lower += [offset] * starts.size
        upper += [offset + s.size] * starts.size
        want_pre += (pre + offset).tolist()
        want_post += (post + offset).tolist()
    as_int = lambda v: np.array(v, dtype=np.int64)  # noqa: E731
    pre, post = zone_bounds(
        as_int(flat_starts),
        as_int(flat_ends),
        int(lengths.sum()),
        early,
        delay,
        lower=as_int(lower),
        upper=as_int(upper),
    )
    assert pre.tolist() == want_pre and post.tolist() == want_post


@given(st.lists(st.integers(0, 4), max_size=8))
def test_concat_ranges_search_form_equals_repeat(lengths):
    # the CuPy form of concat_ranges (no repeat with array counts), run with numpy
    lengths = np.array(lengths, dtype=np.int64)
    np.testing.assert_array_equal(_owner_by_search(np, lengths), np.repeat(np.arange(lengths.size), lengths))
    starts = np.arange(lengths.size, dtype=np.int64) * 10
    positions, owner = concat_ranges(starts, starts + lengths)
    assert positions.tolist() == [int(a) + i for a, n in zip(starts, lengths) for i in range(n)]
