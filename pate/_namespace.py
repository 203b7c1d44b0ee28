"""Array namespaces: numpy on the CPU or CuPy on a GPU, told apart without importing CuPy.

The events/zones step (``pate._events``) and the array-namespace engine
(``pate._engine.xp``) are written once against a namespace ``xp`` that they
take from their input arrays, as scikit-learn's ``get_namespace`` does.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

import numpy as np

__all__ = ["is_cupy_array", "get_namespace", "to_host", "safe_divide"]


def is_cupy_array(x: Any) -> bool:
    """True for a CuPy ndarray (checked without importing CuPy)."""
    return type(x).__module__.split(".")[0] == "cupy" and hasattr(x, "__cuda_array_interface__")


def get_namespace(*arrays: Any) -> ModuleType:
    """CuPy if any of ``arrays`` is a CuPy array (CuPy is then already imported), else numpy.

    >>> get_namespace(np.zeros(2)).__name__
    'numpy'
    """
    return sys.modules["cupy"] if any(is_cupy_array(a) for a in arrays) else np


def to_host(a: Any) -> np.ndarray:
    """A numpy array on the host (a copy only for a CuPy array)."""
    return a.get() if is_cupy_array(a) else a


def safe_divide(numerator: Any, denominator: Any) -> Any:
    """``numerator / denominator`` where the denominator is positive, 0.0 elsewhere.

    Precision (TP over predicted points) and recall (TP over TP + FN) at
    every threshold; no division by zero is ever evaluated.

    >>> safe_divide(np.array([1.0, 0.0]), np.array([4, 0]))
    array([0.25, 0.  ])
    """
    xp = get_namespace(numerator, denominator)
    positive = denominator > 0
    return xp.where(positive, numerator / xp.where(positive, denominator, 1), 0.0)
