"""Optional dependencies, imported only when a feature needs them.

Each extra of ``pyproject.toml`` names what it installs; a missing one gives
an :class:`ImportError` that names the feature and the ``pip install`` line
that fixes it, so ``import pate`` never pays for (or fails on) an extra.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["import_optional"]


def import_optional(module: str, *, extra: str, feature: str) -> ModuleType:
    """Import ``module`` or raise an ImportError naming ``pip install "pate-eval[extra]"``.

    Parameters
    ----------
    module : str
        The module to import, e.g. ``"matplotlib.pyplot"``.
    extra : str
        The extra of ``pyproject.toml`` that installs it, e.g. ``"plot"``.
    feature : str
        What needs it, for the message, e.g. ``"pate.plot"``.

    Examples
    --------
    >>> import_optional("json", extra="none", feature="this example").__name__
    'json'
    >>> import_optional("no_such_module_xyz", extra="plot", feature="pate.plot")
    Traceback (most recent call last):
    ...
    ImportError: pate.plot needs no_such_module_xyz, which is not installed: pip install "pate-eval[plot]"
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        if exc.name is not None and exc.name != top and not exc.name.startswith(top + "."):
            raise  # the module is there but one of its own imports failed: show that
        raise ImportError(f'{feature} needs {top}, which is not installed: pip install "pate-eval[{extra}]"') from None
