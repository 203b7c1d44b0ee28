"""The series the oracle tests draw (hypothesis strategies): labels, scores and buffer grids.

Small series with every shape the definitions treat apart: runs, random
labels, dense events, events at the edges; scores with ties, constant,
binary or bumped on the labels.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st


@st.composite
def labelled_series(draw, max_len=40):
    n = draw(st.integers(1, max_len))
    style = draw(st.sampled_from(["runs", "random", "dense", "edges"]))
    if style == "random":
        labels = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    else:
        labels = [False] * n
        n_events = draw(st.integers(0, 4 if style != "dense" else 8))
        for _ in range(n_events):
            length = draw(st.integers(1, max(1, n // (2 if style == "dense" else 4))))
            start = draw(st.integers(0, n - 1))
            for i in range(start, min(n, start + length)):
                labels[i] = True
        if style == "edges":
            labels[0] = draw(st.booleans())
            labels[-1] = draw(st.booleans())
    return np.array(labels, dtype=int)


@st.composite
def scores_for(draw, labels):
    n = labels.size
    kind = draw(st.sampled_from(["ties", "float", "constant", "binary", "label_bump"]))
    if kind == "ties":
        values = draw(st.lists(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]), min_size=n, max_size=n))
    elif kind == "float":
        values = draw(st.lists(st.floats(0, 1, allow_nan=False), min_size=n, max_size=n))
    elif kind == "constant":
        values = [draw(st.sampled_from([0.0, 0.5, 3.0]))] * n
    elif kind == "binary":
        values = draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=n, max_size=n))
    else:
        noise = draw(st.lists(st.sampled_from([0.0, 0.1, 0.2, 0.3]), min_size=n, max_size=n))
        values = [v + 0.5 * lab for v, lab in zip(noise, labels)]
    return np.array(values, dtype=float)


buffers = st.sampled_from([0, 1, 2, 3, 5, 100])
grid = st.fixed_dictionaries(
    {
        "early_buffer": buffers,
        "delay_buffer": buffers,
        "n_buffer_splits": st.integers(1, 3),
        "include_zero": st.booleans(),
    }
)
