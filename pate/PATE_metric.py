"""Import path of the published package, so that existing scripts run unchanged.

``from pate.PATE_metric import PATE`` is :func:`pate.compat.PATE`.

>>> from pate.PATE_metric import PATE
>>> from pate.compat import PATE as compat_PATE
>>> PATE is compat_PATE
True
"""

from pate.compat import PATE

__all__ = ["PATE"]
