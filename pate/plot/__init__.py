"""Pictures of what the metrics reward, as scikit-learn style Display objects.

Each Display is made with ``Display.from_predictions(y_true, y_score, ...)``
(which computes and draws) and keeps the data it drew as attributes and the
matplotlib objects as ``ax_`` and ``figure_``; ``display.plot(ax=...)``
draws it again. matplotlib comes from the optional ``plot`` extra
(``pip install "pate-eval[plot]"``) and is imported only when a picture is drawn.

>>> from pate.plot import ZonesDisplay
>>> display = ZonesDisplay.from_predictions([0, 0, 1, 1, 0, 0], [0, 1, 1, 0, 0, 1],
...                                         early_buffer=2, delay_buffer=2)
>>> display.detections.tolist()
['', 'early', 'true', '', '', 'delayed']
"""

from pate.plot._buffer_sensitivity import BufferSensitivityDisplay
from pate.plot._critical_difference import CriticalDifferenceDisplay
from pate.plot._curve import PateCurveDisplay
from pate.plot._nab import NabDisplay
from pate.plot._zones import ZonesDisplay

__all__ = ["BufferSensitivityDisplay", "CriticalDifferenceDisplay", "NabDisplay", "PateCurveDisplay", "ZonesDisplay"]
