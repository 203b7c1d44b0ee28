"""Register the pandas accessors without importing pandas at ``import pate``.

Importing pandas costs about 0.2 s, more than the rest of ``import pate``.
The accessors (``df.pate``) can only exist once pandas is imported, and any
DataFrame a user holds implies pandas is imported. So: if pandas is already
imported, register now; otherwise a one-shot import hook registers them right
after pandas finishes importing, whenever that happens.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys

__all__ = ["register_pandas_accessors"]


class _AfterPandasImport(importlib.abc.MetaPathFinder):
    """Finds nothing itself; wraps pandas' loader so the accessors register after it runs."""

    def find_spec(self, fullname, path, target=None):
        if fullname != "pandas":
            return None
        sys.meta_path.remove(self)  # one shot, and lets the real finders answer below
        spec = importlib.util.find_spec("pandas")
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        run_pandas = spec.loader.exec_module

        def exec_module(module):
            run_pandas(module)
            import pate.accessor  # noqa: F401  (registers df.pate and series.pate)

        spec.loader.exec_module = exec_module
        return spec


def register_pandas_accessors() -> None:
    """Register ``df.pate``/``series.pate`` now if pandas is loaded, else right after it loads."""
    if "pandas" in sys.modules:
        import pate.accessor  # noqa: F401  (registers them; pandas is already imported)
    elif not any(isinstance(f, _AfterPandasImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _AfterPandasImport())
