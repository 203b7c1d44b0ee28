"""TSB-AD's threshold grid (its "oracle"), shared by every best-F1 metric.

Definition: docs/spec/baseline-metrics.md (conventions, and section 12): ``linspace(min s, max s, 100)``
in float64, prediction ``s > theta`` (strict). The top threshold predicts
nothing, and a constant score predicts nothing at every threshold.
"""

from __future__ import annotations

import numpy as np

__all__ = ["TSB_GRID_SIZE", "tsb_threshold_grid"]

#: Number of thresholds in TSB-AD's grid.
TSB_GRID_SIZE = 100


def tsb_threshold_grid(y_score: np.ndarray) -> np.ndarray:
    """The 100 thresholds ``linspace(min, max, 100)``; predictions are ``y_score > theta``.

    Where ``max - min`` is beyond the largest double (scores near -1e308 and
    +1e308), numpy's step overflows and its grid is infinite or NaN; the grid
    of the halves is doubled back instead. Halving is exact there (both ends
    are at least 2**970 in magnitude), so the grid is the one of the scores
    scaled by any exact power of two.

    >>> tsb_threshold_grid(np.array([0.0, 0.5, 1.0]))[[0, 1, -1]]
    array([0.        , 0.01010101, 1.        ])
    >>> tsb_threshold_grid(np.array([-1.5e308, 1.5e308]))[[0, -1]]
    array([-1.5e+308,  1.5e+308])
    """
    low, high = np.min(y_score), np.max(y_score)
    with np.errstate(over="ignore"):
        wide = not np.isfinite(high - low)
    if not wide:
        return np.linspace(low, high, TSB_GRID_SIZE)
    return 2 * np.linspace(low / 2, high / 2, TSB_GRID_SIZE)
