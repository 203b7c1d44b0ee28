"""Shared test configuration.

* ``tests/`` is put on ``sys.path`` so that the slow oracles in
  ``tests/naive.py`` import as ``naive``.
* ``SHARED`` is the read-only ``../shared`` folder beside the repository
  (or the folder named by the ``PATE_SHARED`` environment variable);
  tests that need it skip, with a reason, where it is absent.
* Helpers shared by the test modules (``from conftest import series, ...``):
  ``series`` and ``bits`` build label arrays, ``close`` compares with a
  reference value (NaN equal to NaN), ``quiet`` silences
  ``UndefinedMetricWarning``.
"""

from __future__ import annotations

import math
import os
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))

# PATE_SHARED overrides it (e.g. benchmarks/gpu_check.sh, where the data lie inside the repository)
SHARED = Path(os.environ["PATE_SHARED"]) if os.environ.get("PATE_SHARED") else TESTS.parents[1] / "shared"
NAB = SHARED / "data" / "nab"

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True)
settings.load_profile("default")


def require_nab() -> Path:
    """The NAB data folder, or skip the calling test with the reason."""
    if not (NAB / "index.csv").is_file():
        pytest.skip(f"NAB data not found at {NAB} (the read-only ../shared folder is absent)")
    return NAB


def series(n: int, *ranges: tuple[int, int]) -> np.ndarray:
    """0/1 labels of length ``n`` with ones on each inclusive ``(start, end)`` range."""
    y = np.zeros(n, dtype=int)
    for a, b in ranges:
        y[a : b + 1] = 1
    return y


def bits(text: str) -> np.ndarray:
    """0/1 array from a string of digits: ``bits("0110")``."""
    return np.array([int(c) for c in text], dtype=int)


def close(ours: float, ref: float | str, tol: float = 1e-9) -> bool:
    """``ours`` within ``tol`` of a reference value (``"nan"`` or NaN: both NaN)."""
    ref = float("nan") if ref == "nan" else ref
    return (math.isnan(ours) and math.isnan(ref)) or abs(ours - ref) <= tol


def quiet(func, *args, **kwargs):
    """``func(*args, **kwargs)`` with ``UndefinedMetricWarning`` silenced."""
    from pate._warnings import undefined_metric_warning_class

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", undefined_metric_warning_class())
        return func(*args, **kwargs)
