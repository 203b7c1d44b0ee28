"""Start-up: a command imports only what its metrics need.

Timings are in ``benchmarks/bench_startup.py`` (docs/benchmarks.md); these
tests check the cause of a slow start-up, the modules a fresh process loads,
in a subprocess each.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# Never needed to evaluate a metric: scikit-learn (only for its UndefinedMetricWarning class, imported when
# a warning is raised), scipy.stats (pate.compare's statistics), the optional extras.
NEEDLESS = ("sklearn", "scipy.stats", "matplotlib", "dask", "distributed", "cupy")


def _loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def tiny_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("startup") / "tiny.csv"
    labels = [1 if 50 <= i < 60 or 150 <= i < 155 else 0 for i in range(200)]
    scores = [round((i * 37 % 101) / 100, 2) for i in range(200)]
    path.write_text("label,score\n" + "".join(f"{y},{s}\n" for y, s in zip(labels, scores, strict=True)))
    return path


@pytest.mark.parametrize("metric", ["pate", "vus_pr", "point_f1", "pate_f1,auc_pr"])
def test_pate_evaluate_loads_nothing_its_metrics_do_not_need(tiny_csv, metric):
    threshold = ["--threshold", "0.5"] if "f1" in metric else []
    argv = ["evaluate", str(tiny_csv), "--metric", metric, *threshold]
    loaded = _loaded_after(
        "import contextlib, io\n"
        "from pate.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main({argv!r}) == 0\n"
    )
    assert [m for m in NEEDLESS if m in loaded] == []


@pytest.mark.parametrize("name", ["vus_pr", "vus_roc", "point_recall", "range_f1", "affiliation_f1", "pate"])
def test_a_defined_metric_value_does_not_import_scikit_learn(name):
    # A registry entry that is one field of a tuple result (vus_pr of vus_score) used to fetch the warning
    # class, and so import scikit-learn (about 0.5 s, seconds on a cold disk), on every call.
    code = (
        "import numpy as np\n"
        "from pate.metrics import get_metric\n"
        "y = np.zeros(300, dtype=int); y[100:120] = 1\n"
        "s = np.linspace(0, 1, 300)\n"
        f"get_metric({name!r})(y, (s > 0.5).astype(int) if {name!r} in ('point_recall', 'range_f1', "
        "'affiliation_f1') else s)\n"
    )
    assert "sklearn" not in _loaded_after(code)


def test_an_undefined_value_still_warns_with_scikit_learns_class():
    # The promise kept (docs/undefined.md): the class is scikit-learn's, imported when a warning is raised.
    code = (
        "import warnings, numpy as np\n"
        "from sklearn.exceptions import UndefinedMetricWarning\n"
        "from pate.metrics import get_metric\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    value = get_metric('vus_pr')(np.zeros(50, dtype=int), np.linspace(0, 1, 50))\n"
        "assert [w.category for w in caught] == [UndefinedMetricWarning], caught\n"
    )
    _loaded_after(code)


def test_the_command_can_have_numba_skip_its_blas_probe():
    # numba imports scipy.linalg (0.1-0.2 s) to probe for BLAS when its first function loads; the pate
    # command, whose kernels use no BLAS, turns the probe off. BLAS stays usable, scipy stays importable.
    code = (
        "from pate._numba_startup import skip_blas_probe\n"
        "assert skip_blas_probe()\n"
        "import sys, numpy as np\n"
        "from pate import pate_score\n"
        "y = np.zeros(100, dtype=int); y[40:50] = 1\n"
        "assert 0 < pate_score(y, np.linspace(0, 1, 100)) < 1\n"
        "assert 'scipy.linalg' not in sys.modules and 'scipy.linalg.cython_blas' not in sys.modules\n"
        "import numba\n"
        "dot = numba.njit(lambda a, b: np.dot(a, b))\n"
        "assert dot(np.ones(3), np.ones(3)) == 3.0\n"
        "import scipy.stats\n"
        "assert not skip_blas_probe()  # too late once numba's array math is loaded\n"
    )
    loaded = _loaded_after(code)
    assert "scipy.linalg" in loaded  # loaded on demand (np.dot, scipy.stats), not at start-up


def test_the_library_leaves_numbas_blas_probe_alone():
    code = (
        "import numpy as np\n"
        "from pate import pate_score\n"
        "y = np.zeros(100, dtype=int); y[40:50] = 1\n"
        "pate_score(y, np.linspace(0, 1, 100))\n"
        "import numba.np.arraymath\n"
        "assert numba.np.arraymath._HAVE_BLAS\n"
    )
    _loaded_after(code)


def test_the_pate_command_does_not_import_scipy_linalg(tiny_csv):
    probe = (
        "import runpy, sys, json, contextlib, io\n"
        f"sys.argv = ['pate', 'evaluate', {str(tiny_csv)!r}, '--metric', 'pate,vus_pr']\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        runpy.run_module('pate', run_name='__main__')\n"
        "    except SystemExit as stop:\n"
        "        assert stop.code == 0\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert [m for m in (*NEEDLESS, "scipy.linalg") if m in loaded] == []
