"""``import pate`` stays light, and the import rules of the package.

``import pate`` loads no numba, pandas, scikit-learn, cupy, matplotlib or dask.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "pate"
HEAVY = ("numba", "pandas", "sklearn", "cupy", "matplotlib", "dask")


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_import_pate_loads_no_heavy_module():
    loaded = _run(f"import sys, pate; print([m for m in {HEAVY!r} if m in sys.modules])")
    assert loaded == "[]"


def test_accessors_register_whether_pandas_comes_first_or_later():
    code = (
        "import pandas as pd; df = pd.DataFrame({{'label': [0, 1, 1, 0], 'score': [.1, .9, .8, .2]}}); "
        "print(df.pate.score())"
    )
    assert _run("import pate; " + code.format()) == "1.0"
    assert _run(code.format().replace("import pandas as pd;", "import pandas as pd; import pate;")) == "1.0"


def test_the_engine_package_is_light_until_an_engine_is_asked_for():
    # pate._engine's __init__ only names and chooses backends; get_engine loads an engine.
    code = (
        "import sys, pate._engine; print('numba' in sys.modules, 'pate._engine.numba' in sys.modules); "
        "pate._engine.get_engine('numba'); print('pate._engine.numba' in sys.modules)"
    )
    assert _run(code).split() == ["False", "False", "True"]
    loaded = _run("import sys, pate; print(sorted(m for m in sys.modules if m.startswith('pate._engine.')))")
    assert loaded == "[]"


def _imported_modules(path):
    """(module name, line, at top level?) of every import statement of a source file."""
    tree = ast.parse(path.read_text())
    top = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            yield name, node.lineno, id(node) in top


def test_engine_and_kernels_never_import_the_metrics_layer():
    # The import rule stated in pate/_engine/__init__.py: data flows one way,
    # metrics -> engine -> kernels.
    files = sorted((PACKAGE / "_engine").glob("*.py")) + sorted((PACKAGE / "_kernels").glob("*.py"))
    assert len(files) >= 7
    bad = [
        f"{f.name}:{line} imports {name}"
        for f in files
        for name, line, _ in _imported_modules(f)
        if name == "pate.metrics" or name.startswith("pate.metrics.")
    ]
    assert bad == []


def test_engine_modules_import_at_the_top():
    # Inside pate/_engine/, imports are top-level; only get_engine (in __init__)
    # defers loading an engine, and array_namespace defers CuPy.
    lazy = []
    for f in sorted((PACKAGE / "_engine").glob("*.py")):
        for name, line, at_top in _imported_modules(f):
            if not at_top and f.name != "__init__.py":
                lazy.append(f"{f.name}:{line} {name}")
    assert lazy == []
