"""A faster first numba call for the ``pate`` command: no scipy.linalg import to probe for BLAS.

When numba loads its first compiled function (from the cache too), it
imports its array-math implementations, ``numba.np.arraymath``, which probes
for BLAS by importing ``scipy.linalg.cython_blas``: ``scipy.linalg`` and,
through scipy's array-API layer, half of numpy's optional submodules, about
0.1-0.2 s, a third of the command's own start-up. pate's kernels use no BLAS
(no ``np.dot``, no linear algebra), and the probe's only lasting effect is
that numba's ``np.correlate``/``np.convolve`` use their plain loop instead of
BLAS's dot product.

:func:`skip_blas_probe` makes that one import fail while
``numba.np.arraymath`` itself is imported, and only then; nothing is changed
if numba or scipy were imported before. BLAS stays usable afterwards: numba's
linear algebra imports ``scipy.linalg.cython_blas`` when a function using it
is compiled. The ``pate`` command calls it; the library never does (a user's
own process is left as it is).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from types import ModuleType
from typing import Any, Sequence

__all__ = ["skip_blas_probe"]

_PROBED = "numba.np.arraymath"
_BLAS = "scipy.linalg.cython_blas"


class _SkipBlasProbe(importlib.abc.MetaPathFinder):
    """Finds ``numba.np.arraymath`` as usual and runs it with ``scipy.linalg.cython_blas`` unavailable."""

    def find_spec(self, name: str, path: Sequence[str] | None, target: ModuleType | None = None) -> Any:
        if name != _PROBED:
            return None
        sys.meta_path.remove(self)  # one use: from now on imports are found as usual
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or _BLAS in sys.modules:
            return spec
        loader = spec.loader
        run = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            sys.modules[_BLAS] = None  # type: ignore[assignment]  # "import scipy.linalg.cython_blas" fails at once
            try:
                run(module)
            finally:
                if _BLAS in sys.modules and sys.modules[_BLAS] is None:
                    del sys.modules[_BLAS]

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def skip_blas_probe() -> bool:
    """Have numba skip its BLAS probe when it first loads; False when too late (numba's array math is loaded).

    >>> import sys
    >>> skip_blas_probe() in (True, False)
    True
    """
    if _PROBED in sys.modules:
        return False
    if not any(isinstance(f, _SkipBlasProbe) for f in sys.meta_path):
        sys.meta_path.insert(0, _SkipBlasProbe())
    return True
