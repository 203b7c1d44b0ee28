"""Backend names and the array namespaces behind them.

``"numba"`` is the exact sequential sweep on the CPU; ``"numpy"`` and
``"cupy"`` run the array-namespace engine (``pate._engine_xp``), the same code
with numpy on the CPU or CuPy on an NVIDIA GPU; ``"auto"`` picks cupy for
CuPy inputs and numba otherwise. CuPy is imported only when asked for.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, Literal

__all__ = ["BACKENDS", "Backend", "resolve_backend", "array_namespace", "is_cupy_array"]

Backend = Literal["auto", "numba", "numpy", "cupy"]
BACKENDS = ("auto", "numba", "numpy", "cupy")


def is_cupy_array(x: Any) -> bool:
    """True for a CuPy ndarray (checked without importing CuPy)."""
    return type(x).__module__.split(".")[0] == "cupy" and hasattr(x, "__cuda_array_interface__")


def resolve_backend(backend: Any, *arrays: Any) -> str:
    """The concrete backend for ``backend`` and the inputs (``"auto"`` resolved)."""
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(map(repr, BACKENDS))}; got {backend!r}.")
    if backend == "auto":
        return "cupy" if any(is_cupy_array(a) for a in arrays) else "numba"
    return backend


def array_namespace(backend: str) -> ModuleType:
    """numpy for ``"numpy"``; CuPy for ``"cupy"``, with an error saying what is missing."""
    if backend == "numpy":
        import numpy

        return numpy
    if backend != "cupy":  # pragma: no cover - programming error
        raise ValueError(f"no array namespace for backend {backend!r}")
    try:
        import cupy
    except ImportError:
        raise ImportError(
            "backend='cupy' needs CuPy, which is not installed: pip install 'pate[gpu]' "
            "(or the cupy-cudaXXx wheel matching your CUDA version)."
        ) from None
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as exc:  # CUDA driver missing or broken
        raise RuntimeError(f"backend='cupy': CuPy is installed but no CUDA GPU is usable ({exc}).") from None
    if count == 0:
        raise RuntimeError("backend='cupy': CuPy is installed but this machine has no CUDA GPU.")
    return cupy
