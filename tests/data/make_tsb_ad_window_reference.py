"""Write tests/data/tsb_ad_window_reference.json: TSB-AD's period estimate and its VUS-PR, as its benchmark runs them.

This script is NOT run by the test suite. TSB-AD's benchmark scripts
(``benchmark_exp/Run_Detector_U.py`` and ``_M.py``) set the VUS window of each
series to ``find_length_rank(data[:, 0].reshape(-1, 1), rank=1)`` (module
``TSB_AD.utils.slidingWindows``; ``data[:, 0]`` is the series' first channel)
and score with ``get_metrics(output, label, slidingWindow=...)`` (module
``TSB_AD.evaluation.metrics``), whose ``"VUS-PR"`` is the value of the
published tables. This script runs both, from TSB-AD's own source, on:

* every input of ``tests/data/buffer_size_reference.json.gz`` (synthetic
  series, and every value and detector column of the 58 NAB series in
  ``../shared/data/nab``), recording the window;
* the two NAB series shipped in ``pate/data``: the window from the ``value``
  column and, for each of their 16 detectors, ``get_metrics(...)["VUS-PR"]``.

None of TSB-AD's code is copied here or into pate: it is imported from a
checkout in a scratch virtual environment outside the repository::

    python3 -m venv /tmp/i25-ref
    /tmp/i25-ref/bin/pip install 'numpy<2' scipy statsmodels scikit-learn pandas
    mkdir -p /tmp/i25-ref/src
    git -C /path/to/TSB-AD archive HEAD TSB_AD/__init__.py TSB_AD/evaluation \\
        TSB_AD/utils/__init__.py TSB_AD/utils/slidingWindows.py | tar -x -C /tmp/i25-ref/src

Run from the repository root (about a minute)::

    /tmp/i25-ref/bin/python tests/data/make_tsb_ad_window_reference.py --tsb-ad /tmp/i25-ref/src \\
        [--nab-dir ../shared/data/nab] [--commit COMMIT]

The committed file was made from TSB-AD commit
87630099ea8d0dafe89a957e31ed9720e88479eb; the versions used are recorded in it.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gzip
import io
import json
import platform
import sys
import warnings
from importlib.metadata import version
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def decode(values: list) -> np.ndarray:
    """The encoding of buffer_size_reference.json.gz: null is NaN, "inf"/"-inf" are infinities."""
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def window_of(find_length_rank, x: np.ndarray) -> dict:
    """As the benchmark scripts call it: the first channel as a column, rank 1."""
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            return {"value": int(find_length_rank(x.reshape(-1, 1), rank=1))}
    except Exception as exc:  # recorded, not raised
        return {"error": type(exc).__name__}


def read_columns(path: Path) -> dict[str, np.ndarray]:
    with gzip.open(path, "rt", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    return {col: np.array([float(r[j]) for r in rows]) for j, col in enumerate(header) if col != "timestamp"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tsb-ad", required=True, help="folder holding TSB-AD's TSB_AD package (its source)")
    ap.add_argument("--nab-dir", default=str(ROOT.parent / "shared" / "data" / "nab"))
    ap.add_argument("--commit", default="87630099ea8d0dafe89a957e31ed9720e88479eb")
    ap.add_argument("--output", default=str(HERE / "tsb_ad_window_reference.json"))
    args = ap.parse_args()

    sys.path.insert(0, args.tsb_ad)
    from TSB_AD.evaluation.metrics import get_metrics
    from TSB_AD.utils.slidingWindows import find_length_rank

    with gzip.open(HERE / "buffer_size_reference.json.gz", "rt") as f:
        inputs = json.load(f)
    synthetic = {}
    for case in inputs["synthetic"]:
        if case["id"].startswith("shape-"):
            continue  # the 2-D and 0-D inputs of that file: not a series' first channel
        synthetic[case["id"]] = window_of(find_length_rank, decode(case["x"]))

    nab = []
    nab_dir = Path(args.nab_dir)
    files = sorted({c["file"] for c in inputs["nab"]})
    if not (nab_dir / "index.csv").is_file():
        raise SystemExit(f"no NAB data at {nab_dir}")
    for rel in files:
        for column, x in read_columns(nab_dir / rel).items():
            if column == "label":
                continue
            result = window_of(find_length_rank, x)
            if "error" in result:
                raise SystemExit(f"{rel} {column}: {result['error']}")
            nab.append([rel, column, result["value"]])

    shipped = []
    for path in sorted((ROOT / "pate" / "data").glob("*.csv.gz")):
        columns = read_columns(path)
        label = columns.pop("label").astype(int)
        window = window_of(find_length_rank, columns.pop("value"))["value"]
        for detector, score in columns.items():
            with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                warnings.simplefilter("ignore")
                value = float(get_metrics(score, label, slidingWindow=window)["VUS-PR"])
            shipped.append({"file": f"pate/data/{path.name}", "window": window, "detector": detector, "vus_pr": value})

    out = {
        "generator": "tests/data/make_tsb_ad_window_reference.py (TSB-AD find_length_rank and get_metrics)",
        "tsb_ad_commit": args.commit,
        "versions": {
            "python": platform.python_version(),
            **{p: version(p) for p in ("numpy", "scipy", "statsmodels", "scikit-learn")},
        },
        "synthetic": synthetic,
        "nab": nab,
        "shipped_vus_pr": shipped,
    }
    Path(args.output).write_text(json.dumps(out, indent=0) + "\n", encoding="utf-8")
    print(f"{args.output}: {len(synthetic)} synthetic, {len(nab)} NAB columns, {len(shipped)} VUS-PR values")


if __name__ == "__main__":
    main()
