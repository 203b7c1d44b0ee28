"""What the benchmark scripts share: the machine line, best-of timing and the usual inputs.

The scripts import it as ``_common`` (they run as ``python benchmarks/bench_*.py``,
so this folder is first on ``sys.path``).
"""

from __future__ import annotations

import importlib
import os
import platform
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

__all__ = ["REPO", "machine", "best_time", "make_inputs"]

REPO = Path(__file__).resolve().parents[1]


def machine(*packages: str) -> str:
    """One line naming the platform, the CPU, the logical and usable CPUs, the load, Python and packages' versions."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = [
        f"{name} {getattr(importlib.import_module(module), '__version__', '?')}"
        for name, module in ((p, {"scikit-learn": "sklearn"}.get(p, p)) for p in packages)
    ]
    try:
        usable = len(os.sched_getaffinity(0))  # the cores this process may run on (taskset, cgroups)
    except AttributeError:  # pragma: no cover - not on Linux
        usable = os.cpu_count()
    load = ["load average %.2f %.2f %.2f" % os.getloadavg()] if hasattr(os, "getloadavg") else []
    return "; ".join(
        [
            platform.platform(),
            cpu,
            f"{os.cpu_count()} logical CPUs ({usable} usable)",
            *load,
            f"Python {platform.python_version()}",
            *versions,
        ]
    )


def best_time(func: Callable[[], Any], repeats: int, *, warmup: bool = True) -> tuple[float, Any]:
    """The shortest of ``repeats`` runs of ``func()`` in seconds, and its last value.

    ``warmup`` runs it once first, untimed (loads the numba cache).
    """
    value = func() if warmup else None
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        value = func()
        best = min(best, time.perf_counter() - start)
    return best, value


def make_inputs(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Labels, binary predictions and scores of length ``n``.

    One labelled event of 5-60 points per 500 points; scores uniform noise
    plus 0.5 on labelled points; the prediction is ``score > 0.95``.
    """
    rng = np.random.default_rng(seed)
    y = np.zeros(n, dtype=np.int64)
    for block in range(0, n, 500):
        length = int(rng.integers(5, 61))
        start = block + int(rng.integers(0, max(1, 500 - length)))
        y[start : start + length] = 1
    s = rng.random(n) + 0.5 * y
    return y, (s > 0.95).astype(np.int64), s
