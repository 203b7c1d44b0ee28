"""``import pate`` stays light, and the import rules of the package.

``import pate`` loads no numba, pandas, scikit-learn, cupy, matplotlib or dask.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO

PACKAGE = REPO / "pate"
HEAVY = ("numba", "pandas", "sklearn", "cupy", "matplotlib", "dask")


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


@pytest.mark.slow  # a fresh interpreter per check
def test_import_pate_loads_no_heavy_module():
    loaded = _run(f"import sys, pate; print([m for m in {HEAVY!r} if m in sys.modules])")
    assert loaded == "[]"


@pytest.mark.slow  # a fresh interpreter per check
def test_accessors_register_whether_pandas_comes_first_or_later():
    code = (
        "import pandas as pd; df = pd.DataFrame({{'label': [0, 1, 1, 0], 'score': [.1, .9, .8, .2]}}); "
        "print(df.pate.score())"
    )
    assert _run("import pate; " + code.format()) == "1.0"
    assert _run(code.format().replace("import pandas as pd;", "import pandas as pd; import pate;")) == "1.0"


@pytest.mark.slow  # a fresh interpreter per check
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


# ------------------------------------------------------------- the import graph
def _module_files() -> dict[str, Path]:
    """``pate.x.y`` -> its file, for every module of the package (``__init__`` as the package)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


def _import_edges() -> dict[str, dict[str, list[tuple[int, bool]]]]:
    """module -> {imported pate module: [(line, at function level?)]}, counting imports inside functions.

    ``from pate.x import y`` counts as importing ``pate.x.y`` when that is a module,
    else ``pate.x``; a module importing its own package (an ancestor) is left out.
    """
    files = _module_files()
    edges: dict[str, dict[str, list[tuple[int, bool]]]] = {m: {} for m in files}
    for module, path in files.items():
        package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
        tree = ast.parse(path.read_text())
        in_function = {
            id(node)
            for func in ast.walk(tree)
            if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
            for node in ast.walk(func)
        }
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
                for alias in node.names:
                    targets.append(next((c for c in (f"{base}.{alias.name}", base) if c in files), None))
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names if a.name in files]
            for target in targets:
                if target and target != module and not module.startswith(target + "."):
                    edges[module].setdefault(target, []).append((node.lineno, id(node) in in_function))
    return edges


def _cycles(edges: dict[str, dict]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    sys.setrecursionlimit(10000)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in edges:
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle_counting_imports_inside_functions():
    assert _cycles(_import_edges()) == []


#: The floors of the package, lowest first: a module imports only its own floor and those below.
FLOORS = {
    "_kernels": 0,  # numba loops over plain arrays
    "_validation": 0,
    "_namespace": 0,
    "_events": 0,
    "_warnings": 0,
    "_optional": 0,
    "_buffer_size": 0,  # helpers every layer uses, and suggest_buffer_size
    "_time": 0,  # timestamps and time spans
    "_intervals": 0,  # labels from time intervals
    "_event_table": 0,  # the per-event and per-alarm tables
    "_numba_startup": 0,  # the command's numba start-up (skip the BLAS probe)
    "_engine": 1,
    "metrics": 2,
    "sklearn": 3,  # interfaces over the metrics
    "compat": 3,
    "PATE_metric": 3,
    "PATE_utils": 3,
    "benchmark": 3,  # the runner
    "compare": 4,  # statistics over a results table: draws nothing
    "plot": 5,  # Displays of metrics and statistics
    "accessor": 6,  # df.pate over all of them
    "_pandas_hook": 6,
    "report": 6,  # the HTML report over compare, plot and the runner; only the command imports it
    "cli": 7,  # the command over all of them
    "__main__": 7,  # python -m pate
}


def _floor(module: str) -> int | None:
    parts = module.split(".")
    return FLOORS[parts[1]] if len(parts) > 1 else None  # the top package `pate` itself: no floor


def test_every_module_has_a_floor():
    assert sorted({m.split(".")[1] for m in _module_files() if "." in m} - set(FLOORS)) == []


def test_imports_point_down_or_sideways():
    up = [
        f"{module} (floor {_floor(module)}) imports {target} (floor {_floor(target)}) at line {line}"
        for module, targets in _import_edges().items()
        for target, places in targets.items()
        for line, _ in places
        if _floor(module) is not None and _floor(target) is not None and _floor(target) > _floor(module)
    ]
    assert up == []


def test_compare_imports_nothing_from_plot_or_cli():
    bad = [
        f"{module} imports {target}"
        for module, targets in _import_edges().items()
        if module.startswith("pate.compare")
        for target in targets
        if target.startswith(("pate.plot", "pate.cli"))
    ]
    assert bad == []


def _function_level_imports() -> list[tuple[str, int, str, bool]]:
    """(file, line, source line, of a pate module?) of every import inside a function."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text()
        lines = text.splitlines()
        tree = ast.parse(text)
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.ImportFrom):
                    own = node.level > 0 or (node.module or "").split(".")[0] == "pate"
                elif isinstance(node, ast.Import):
                    own = any(a.name.split(".")[0] == "pate" for a in node.names)
                else:
                    continue
                out.append((str(path.relative_to(REPO)), node.lineno, lines[node.lineno - 1], own))
    return sorted(set(out))


def test_imports_inside_functions_are_few_and_say_why():
    # Deferred imports are for heavy third-party modules (numba compilation, scipy,
    # matplotlib, dask, cupy, ...) and the few that keep `import pate` light.
    found = _function_level_imports()
    own = [f for f in found if f[3]]
    assert len(own) <= 15, own
    silent = [f"{file}:{line}" for file, line, source, _ in found if "#" not in source]
    assert silent == []


@pytest.mark.slow  # a fresh interpreter per package
@pytest.mark.parametrize("first", ["pate.benchmark", "pate.compare", "pate.plot", "pate.cli", "pate.accessor"])
def test_each_package_imports_first_and_df_pate_still_registers(first):
    # pandas is first imported by the package itself; the accessor registers then
    # (pate._pandas_hook), while that package is half-imported.
    code = (
        f"import {first}, pandas as pd; "
        "print(pd.DataFrame({'label': [0, 1, 1, 0], 'score': [.1, .9, .8, .2]}).pate.score())"
    )
    assert _run(code) == "1.0"


def test_no_test_module_imports_conftest():
    # Fixtures come from conftest.py by name; helpers needed at import time from helpers.py.
    tests = Path(__file__).resolve().parent
    bad = [str(p.relative_to(tests)) for p in tests.rglob("*.py") if "from conftest import" in p.read_text()]
    assert bad == [str(Path(__file__).relative_to(tests))]  # only this test names it
