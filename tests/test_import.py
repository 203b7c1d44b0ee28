"""``import pate`` stays light: no numba, pandas, scikit-learn, cupy, matplotlib or dask."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("numba", "pandas", "sklearn", "cupy", "matplotlib", "dask")


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_import_pate_loads_no_heavy_module():
    loaded = _run(f"import sys, pate; print([m for m in {HEAVY!r} if m in sys.modules])")
    assert loaded == "[]"


def test_accessors_register_whether_pandas_comes_first_or_later():
    code = "import pandas as pd; df = pd.DataFrame({{'label': [0, 1, 1, 0], 'score': [.1, .9, .8, .2]}}); print(df.pate.score())"
    assert _run("import pate; " + code.format()) == "1.0"
    assert _run(code.format().replace("import pandas as pd;", "import pandas as pd; import pate;")) == "1.0"
