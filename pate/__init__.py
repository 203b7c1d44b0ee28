"""pate: exact and fast PATE and baseline metrics for time-series anomaly detection.

>>> import pate
>>> pate.pate_score([0, 1, 0, 1, 0], [0.1, 0.8, 0.1, 0.9, 0.2])
1.0
"""

from pate.metrics import (
    BufferPairCurve,
    get_metric,
    list_metrics,
    pate_curve,
    pate_f1_score,
    pate_f1_score_batch,
    pate_score,
    pate_score_batch,
)

from pate import accessor as _accessor  # noqa: F401  (registers df.pate and series.pate)

__version__ = "0.1.0"

__all__ = [
    "BufferPairCurve",
    "get_metric",
    "list_metrics",
    "pate_curve",
    "pate_f1_score",
    "pate_f1_score_batch",
    "pate_score",
    "pate_score_batch",
    "__version__",
]
