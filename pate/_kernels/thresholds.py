"""numba kernel for join indices: a merge of the sorted scores with the thresholds."""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def join_from_order(order, descending, thresholds):
    """join[order[i]] = number of thresholds > descending[i].

    ``descending`` are the scores sorted in non-increasing order and ``order``
    the permutation that sorts them; ``thresholds`` is non-increasing. Both
    walk downwards, so one merge pass replaces a binary search per point.
    """
    n_thr = thresholds.size
    join = np.empty(order.size, dtype=np.int64)
    t = 0
    for i in range(order.size):
        v = descending[i]
        while t < n_thr and thresholds[t] > v:
            t += 1
        join[order[i]] = t
    return join
