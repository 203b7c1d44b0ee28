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

    >>> tsb_threshold_grid(np.array([0.0, 0.5, 1.0]))[[0, 1, -1]]
    array([0.        , 0.01010101, 1.        ])
    """
    return np.linspace(np.min(y_score), np.max(y_score), TSB_GRID_SIZE)
