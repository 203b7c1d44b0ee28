"""pate: exact and fast PATE and baseline metrics for time-series anomaly detection.

>>> import pate
>>> pate.pate_score([0, 1, 0, 1, 0], [0.1, 0.8, 0.1, 0.9, 0.2])
1.0
"""

from pate._buffer_size import BufferSizeSuggestion, suggest_buffer_size
from pate._event_table import alarm_table, event_table
from pate._intervals import EmptyIntervalWarning, IntervalFile, labels_from_intervals, read_intervals
from pate._pandas_hook import register_pandas_accessors
from pate._warnings import FewValuedScoreWarning
from pate.metrics import (
    BufferPairCurve,
    ChanceLevel,
    chance_level,
    get_metric,
    list_metrics,
    pate_curve,
    pate_f1_score,
    pate_f1_score_batch,
    pate_score,
    pate_score_batch,
)

# df.pate / series.pate: registered now if pandas is imported, else as soon as it is.
register_pandas_accessors()

__version__ = "0.2.0.dev0"

__all__ = [
    "BufferPairCurve",
    "BufferSizeSuggestion",
    "ChanceLevel",
    "EmptyIntervalWarning",
    "FewValuedScoreWarning",
    "IntervalFile",
    "alarm_table",
    "chance_level",
    "event_table",
    "get_metric",
    "labels_from_intervals",
    "list_metrics",
    "pate_curve",
    "pate_f1_score",
    "pate_f1_score_batch",
    "pate_score",
    "pate_score_batch",
    "read_intervals",
    "suggest_buffer_size",
    "__version__",
]
