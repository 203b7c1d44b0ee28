"""What the test modules build their data with at import time (parametrize lists, module constants).

Fixtures live in ``conftest.py``; these are plain functions and paths because
pytest collects ``@pytest.mark.parametrize`` arguments before any fixture
exists. ``tests/`` is on ``sys.path`` (``pythonpath`` in pyproject.toml), so
test modules import ``helpers`` and the oracles of ``naive``.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
DATA = TESTS / "data"
# The read-only ../shared folder beside the repository; PATE_SHARED overrides it
# (e.g. benchmarks/gpu_check.sh, where the data lie inside the repository).
SHARED = Path(os.environ["PATE_SHARED"]) if os.environ.get("PATE_SHARED") else REPO.parent / "shared"
NAB = SHARED / "data" / "nab"
#: The results table of NAB's 58 series under 16 detectors that the docs and the report tests read.
NAB_RESULTS = REPO / "docs" / "data" / "nab_results.csv"
#: The package's example series (two of them NAB's, with detectors' scores).
PACKAGE_DATA = REPO / "pate" / "data"
#: NAB's 16 detectors (the columns of its results; tests/data/make_nab_reference.py keeps its own list).
NAB_DETECTORS = frozenset(
    {
        "numenta",
        "numentaTM",
        "htmjava",
        "ARTime",
        "twitterADVec",
        "windowedGaussian",
        "relativeEntropy",
        "knncad",
        "contextOSE",
        "earthgeckoSkyline",
        "randomCutForest",
        "bayesChangePt",
        "expose",
        "skyline",
        "random",
        "null",
    }
)


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


def cupy_missing() -> str | None:
    """Why the cupy backend cannot run here, or None (the one CUDA check of the tests)."""
    try:
        import cupy
    except ImportError:
        return "CuPy is not installed (GPU tests run on a machine with pate-eval[gpu] and a GPU)"
    try:
        if cupy.cuda.runtime.getDeviceCount() == 0:
            return "CuPy is installed but this machine has no CUDA GPU"
    except Exception as exc:  # noqa: BLE001 - CUDA driver missing or broken: CuPy raises several kinds
        return f"CuPy is installed but no CUDA GPU is usable ({exc})"
    return None


_NO_CUPY = cupy_missing()
#: Mark for a test or a parameter that needs a usable CuPy and GPU.
requires_cupy = pytest.mark.skipif(_NO_CUPY is not None, reason=str(_NO_CUPY))
#: The backends every engine test runs on (CuPy where a GPU is usable).
BACKENDS = ["numba", "numpy", pytest.param("cupy", marks=requires_cupy)]
