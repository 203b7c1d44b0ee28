"""Write tests/data/buffer_size_reference.json.gz: values of the published ``pate.PATE_utils`` helpers.

This script is NOT run by the test suite. It runs the published PyPI package
``PATE`` 0.1.1 (module ``pate.PATE_utils``: ``ACF_find_buffer_size``,
``convert_vector_to_events_PATE``, ``convert_events_to_array_PATE``,
``generate_buffer_points``) and stores the inputs with the package's results.
None of the package's code is copied here; it is loaded from a separate
virtualenv by file path (the published module is called ``pate`` too).

Set-up (a scratch virtualenv outside the repository; the package pins numpy
1.24.4 and scikit-learn 1.3.2, and needs statsmodels and scipy)::

    python3 -m venv /tmp/pate011
    /tmp/pate011/bin/pip install 'PATE==0.1.1' 'scikit-learn<1.6' statsmodels scipy

Run (a few seconds)::

    /tmp/pate011/bin/python tests/data/make_buffer_size_reference.py \
        [--reference-path .../site-packages/pate/PATE_utils.py] \
        [--nab-dir ../shared/data/nab] [--output tests/data/buffer_size_reference.json.gz]

Output::

    {"generator": ..., "versions": {...},
     "nab": [{"file": "<category>/<series>.csv.gz", "column": "value"|detector,
              "value": int, "printed": bool}, ...],
     "synthetic": [{"id", "x": [floats, or null for NaN, or "inf"/"-inf"],
                    "value": int | null, "printed": bool, "error": str | null}, ...],
     "events": [{"vector": [...], "events": [[s, e], ...]}, ...],
     "arrays": [{"ranges": [[s, e], ...], "length": n, "array": [...]}, ...],
     "buffer_points": [{"max_buffer_size", "num_splits", "include_zero", "points": [...]}, ...]}

NAB cases read the column as float64 from the CSV text, every row (series longer
than 20,000 rows exercise the published cut at 20,000 points). Synthetic series
are rounded to 6 decimals before the published function sees them, so the JSON
holds exactly the doubles it was given. ``printed`` records whether the published
function printed its "No local maxima found" line.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gzip
import importlib.util
import io
import json
import platform
import sys
import sysconfig
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SEED = 20261204


def find_reference_path(given: str | None) -> Path:
    if given:
        return Path(given)
    for key in ("purelib", "platlib"):
        p = Path(sysconfig.get_paths()[key]) / "pate" / "PATE_utils.py"
        if p.is_file():
            return p
    raise SystemExit("PATE_utils.py not found; pass --reference-path")


def load_published(path: Path):
    spec = importlib.util.spec_from_file_location("pate_published_utils", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def call(func, *args):
    """(result, printed, error) of one call; stdout captured."""
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            out = func(*args)
        err = None
    except Exception as exc:  # recorded, not raised
        out, err = None, type(exc).__name__
    return out, "No local maxima found" in buf.getvalue(), err


def encode(x: np.ndarray) -> list:
    out = []
    for v in x.tolist():
        if isinstance(v, float) and np.isnan(v):
            out.append(None)
        elif isinstance(v, float) and np.isinf(v):
            out.append("inf" if v > 0 else "-inf")
        else:
            out.append(v)
    return out


def synthetic_series(rng):
    """(id, array) pairs: periodic, noisy, trending, degenerate, short."""
    out = []
    add = lambda name, x: out.append((name, np.round(np.asarray(x, dtype=float), 6)))
    for i in range(40):
        n = int(rng.choice([60, 150, 400, 800, 1500, 3000]))
        period = float(rng.choice([4, 5, 6, 7, 8, 12, 24, 48, 96, 150, 288, 300, 303, 304, 350, 420]))
        period += float(rng.choice([0.0, 0.0, 0.37]))
        t = np.arange(n)
        noise = float(rng.choice([0.0, 0.05, 0.3, 1.0, 3.0]))
        x = np.sin(2 * np.pi * t / period) + noise * rng.standard_normal(n)
        if rng.random() < 0.3:
            x += float(rng.choice([0.001, 0.01])) * t  # trend
        add(f"sine-{i:02d}-n{n}-p{period:g}-noise{noise:g}", x)
    for i in range(10):
        n = int(rng.choice([200, 1000, 2500]))
        p1, p2 = (int(v) for v in rng.choice([7, 24, 60, 168, 250, 330], size=2, replace=False))
        t = np.arange(n)
        a = float(rng.uniform(0.2, 1.5))
        x = np.sin(2 * np.pi * t / p1) + a * np.sin(2 * np.pi * t / p2) + 0.2 * rng.standard_normal(n)
        add(f"two-periods-{i:02d}-n{n}-p{p1}-p{p2}", x)
    for i in range(8):
        n = int(rng.choice([300, 1200]))
        period = int(rng.choice([10, 25, 64, 100, 280]))
        t = np.arange(n)
        kind = ["square", "sawtooth", "spikes", "steps"][i % 4]
        if kind == "square":
            x = ((t % period) < period // 2).astype(float)
        elif kind == "sawtooth":
            x = (t % period).astype(float)
        elif kind == "spikes":
            x = (t % period == 0).astype(float) * 5 + 0.01 * rng.standard_normal(n)
        else:
            x = (t // period).astype(float) % 3
        add(f"{kind}-{i:02d}-n{n}-p{period}", x)
    for i in range(6):
        n = int(rng.choice([100, 1000, 4000]))
        add(f"random-walk-{i:02d}-n{n}", np.cumsum(rng.standard_normal(n)))
        add(f"white-noise-{i:02d}-n{n}", rng.standard_normal(n))
    for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20):
        add(f"short-noise-n{n}", rng.standard_normal(n))
        add(f"short-sine-n{n}", np.sin(2 * np.pi * np.arange(n) / 4.0))
    for n in (1, 10, 500):
        add(f"constant-n{n}", np.full(n, 3.5))
    add("constant-zero-n100", np.zeros(100))
    x = np.sin(2 * np.pi * np.arange(600) / 50)
    x[123] = np.nan
    add("sine-with-nan", x)
    x = np.sin(2 * np.pi * np.arange(600) / 50)
    x[10] = np.inf
    add("sine-with-inf", x)
    add("integers-0-1", (rng.random(700) < 0.1).astype(float))
    add("near-constant", 1.0 + 1e-9 * (np.arange(400) % 17 == 0))
    # longer than the 20,000-point cut: the period changes after it
    t = np.arange(24000)
    x = np.where(t < 20000, np.sin(2 * np.pi * t / 40.0), 5 * np.sin(2 * np.pi * t / 130.0))
    add("cut-at-20000-p40-then-p130", x + 0.1 * rng.standard_normal(t.size))
    return out


def nab_cases(utils, nab_dir: Path):
    cases = []
    if not (nab_dir / "index.csv").is_file():
        print(f"warning: no NAB data at {nab_dir}; NAB cases skipped", file=sys.stderr)
        return cases
    with open(nab_dir / "index.csv", newline="") as f:
        index = list(csv.DictReader(f))
    for row in index:
        rel = f"{row['category']}/{row['series']}.csv.gz"
        with gzip.open(nab_dir / rel, "rt", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            rows = list(reader)
        for j, col in enumerate(header):
            if col in ("timestamp", "label"):
                continue
            x = np.array([float(r[j]) for r in rows])
            value, printed, err = call(utils.ACF_find_buffer_size, x)
            assert err is None, (rel, col, err)
            cases.append({"file": rel, "column": col, "value": int(value), "printed": printed})
    return cases


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reference-path", help="path of the published pate/PATE_utils.py")
    ap.add_argument("--nab-dir", default=str(ROOT.parent / "shared" / "data" / "nab"))
    ap.add_argument("--output", default=str(HERE / "buffer_size_reference.json.gz"))
    args = ap.parse_args()

    utils = load_published(find_reference_path(args.reference_path))
    rng = np.random.default_rng(SEED)

    synthetic = []
    for name, x in synthetic_series(rng):
        value, printed, err = call(utils.ACF_find_buffer_size, x)
        synthetic.append(
            {
                "id": name,
                "x": encode(x),
                "value": None if value is None else int(value),
                "printed": printed,
                "error": err,
            }
        )
    # input shapes: 2-D and 0-D return 0; empty raises
    for name, x in [("2d", np.zeros((5, 2))), ("0d", np.array(1.0)), ("empty", np.zeros(0))]:
        value, printed, err = call(utils.ACF_find_buffer_size, x)
        synthetic.append(
            {
                "id": f"shape-{name}",
                "shape": list(x.shape),
                "x": encode(x.ravel()),
                "value": None if value is None else int(value),
                "printed": printed,
                "error": err,
            }
        )

    events = []
    for _ in range(60):
        n = int(rng.integers(0, 40))
        v = (rng.random(n) < rng.choice([0.1, 0.5, 0.9])).astype(int)
        if rng.random() < 0.3 and n:
            v = v * rng.choice([-1, 2, 1])  # values other than 0/1: events are where > 0
        out, _, err = call(utils.convert_vector_to_events_PATE, v)
        assert err is None
        events.append({"vector": v.tolist(), "events": [[int(s), int(e)] for s, e in out]})

    arrays = []
    for _ in range(40):
        n = int(rng.integers(1, 40))
        k = int(rng.integers(0, 5))
        ranges = []
        for _ in range(k):
            s = int(rng.integers(0, n))
            e = int(rng.integers(s, min(n, s + 8)))
            ranges.append([s, e])
        out, _, err = call(utils.convert_events_to_array_PATE, ranges, n)
        assert err is None
        arrays.append({"ranges": ranges, "length": n, "array": out.tolist()})

    buffer_points = []
    for m in (0, 1, 2, 3, 7, 10, 50, 99, 100, 101, 250, 1000):
        for k in (0, 1, 2, 3, 4, 5, 7, 9, 10, 13):
            for zero in (True, False):
                out, _, err = call(utils.generate_buffer_points, m, k, zero)
                buffer_points.append(
                    {
                        "max_buffer_size": m,
                        "num_splits": k,
                        "include_zero": zero,
                        "points": None if out is None else out.tolist(),
                        "error": err,
                    }
                )

    import scipy
    import sklearn
    import statsmodels

    data = {
        "generator": "tests/data/make_buffer_size_reference.py (published PATE 0.1.1, pate.PATE_utils)",
        "versions": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "statsmodels": statsmodels.__version__,
            "scikit-learn": sklearn.__version__,
        },
        "nab": nab_cases(utils, Path(args.nab_dir)),
        "synthetic": synthetic,
        "events": events,
        "arrays": arrays,
        "buffer_points": buffer_points,
    }
    # mtime=0: the same inputs give the same bytes
    with gzip.GzipFile(args.output, "wb", mtime=0) as raw, io.TextIOWrapper(raw, encoding="utf-8") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    n_print = sum(c["printed"] for c in data["nab"]) + sum(c["printed"] for c in synthetic)
    print(
        f"wrote {args.output}: {len(data['nab'])} NAB columns, {len(synthetic)} synthetic series "
        f"({n_print} defaults printed)"
    )


if __name__ == "__main__":
    main()
