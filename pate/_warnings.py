"""Warnings for undefined metric values, following scikit-learn's convention.

scikit-learn's ``UndefinedMetricWarning`` is used so that users filter one
class for every library. It is imported only when a warning is actually
raised: importing ``sklearn`` costs more than half a second, and ``import
pate`` must stay fast.
"""

from __future__ import annotations

import warnings

__all__ = ["warn_undefined", "undefined_metric_warning_class"]


def undefined_metric_warning_class() -> type[Warning]:
    """``sklearn.exceptions.UndefinedMetricWarning`` (imported on first use)."""
    from sklearn.exceptions import UndefinedMetricWarning

    return UndefinedMetricWarning


def warn_undefined(message: str, *, stacklevel: int = 3) -> None:
    """Emit ``UndefinedMetricWarning`` with ``message``.

    ``stacklevel=3`` points at the caller of the public metric function that
    calls this helper.
    """
    warnings.warn(message, undefined_metric_warning_class(), stacklevel=stacklevel)
