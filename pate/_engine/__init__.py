"""The PATE engine: everything behind ``pate_score``, ``pate_f1_score`` and the batches.

Two engines are twins (as stumpy's ``stump`` and ``gpu_stump``): the same
functions with the same signature and the same return layout, chosen here,
once, by backend:

* ``pate._engine.numba``: the exact sequential sweep on the CPU (numba kernels
  in ``pate._kernels``, compensated sums);
* ``pate._engine.xp``: the array-namespace engine, one code path for numpy
  (CPU) and CuPy (GPU); ``pate._engine.xp_batch`` packs many series.

Each engine module has ``join(labels, scores, *, n_thresholds,
drop_intermediate) -> (thresholds, join)`` and ``curves(labels, join,
n_thresholds, pairs) -> {(early, delay): PairCurve}``; the array namespace is
that of the inputs. Both end in the shared host-side ``pate._engine.curve``
(precision, recall, keep walk, area; near-ties settled by
``pate._engine.exact``). Events, zones and proximity weights come from
``pate._events``, written once for every namespace.

Import rule (checked by tests/test_import.py):

* this ``__init__`` is light (backend names and the choice): importing it
  loads neither numba nor CuPy; :func:`get_engine` imports an engine module on
  first use;
* inside ``pate/_engine/``, imports are at the top of the module;
* nothing under ``pate/_engine/`` or ``pate/_kernels/`` imports ``pate.metrics``
  (data flow one way: metrics -> engine -> kernels).
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, Literal

import numpy as np

from pate._namespace import is_cupy_array
from pate._validation import check_choice

__all__ = [
    "BACKENDS",
    "Backend",
    "DENSE_THRESHOLDS",
    "resolve_backend",
    "array_namespace",
    "get_engine",
    "is_cupy_array",
]

Backend = Literal["auto", "numba", "numpy", "cupy"]
BACKENDS = ("auto", "numba", "numpy", "cupy")
#: Percentile thresholds beyond which (and beyond the number of points) PATE's
#: curve is built from the distinct scores the thresholds reach
#: (``pate._engine.percentiles.is_dense``); the batch kernels stop there too.
DENSE_THRESHOLDS = 100_000


def resolve_backend(backend: Any, *arrays: Any) -> str:
    """The concrete backend for ``backend`` and the inputs (``"auto"`` resolved).

    ``"auto"`` picks cupy for CuPy inputs (no copy to the host) and numba
    otherwise.

    >>> resolve_backend("auto", [0, 1])
    'numba'
    """
    check_choice(backend, "backend", BACKENDS)
    if backend == "auto":
        return "cupy" if any(is_cupy_array(a) for a in arrays) else "numba"
    return backend


def get_engine(backend: str) -> ModuleType:
    """The engine module of a resolved backend: the numba engine, or the xp engine (numpy, cupy)."""
    if backend == "numba":
        from pate._engine import numba  # numba: loaded when an engine is asked for, not at import

        return numba
    if backend in ("numpy", "cupy"):
        from pate._engine import xp  # the xp engine: likewise

        return xp
    raise ValueError(f"no engine for backend {backend!r}")  # pragma: no cover - programming error


def array_namespace(backend: str) -> ModuleType:
    """numpy for ``"numpy"``; CuPy for ``"cupy"``, with an error saying what is missing."""
    if backend == "numpy":
        return np
    if backend != "cupy":  # pragma: no cover - programming error
        raise ValueError(f"no array namespace for backend {backend!r}")
    try:
        import cupy  # the optional gpu extra: only when asked for
    except ImportError:
        raise ImportError(
            "backend='cupy' needs CuPy, which is not installed: pip install \"pate-eval[gpu]\" "
            "(or the cupy-cudaXXx wheel matching your CUDA version)."
        ) from None
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as exc:  # noqa: BLE001 - CUDA driver missing or broken: CuPy raises several kinds
        raise RuntimeError(f"backend='cupy': CuPy is installed but no CUDA GPU is usable ({exc}).") from None
    if count == 0:
        raise RuntimeError("backend='cupy': CuPy is installed but this machine has no CUDA GPU.")
    return cupy
