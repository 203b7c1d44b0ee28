"""Every NAB series x detector: the packed array-namespace batch vs a loop over the numba engine.

    python3 benchmarks/gpu_nab_agreement.py ../shared/data/nab              # CuPy where present, else numpy
    python3 benchmarks/gpu_nab_agreement.py ../shared/data/nab --backend numpy

With CuPy the inputs are CuPy arrays (the batch runs on the device); with
numpy the same packed engine runs on the CPU. For PATE (defaults; exact
mode with other buffers; the step rule) and PATE-F1 (scores >= 0.5) it
prints the largest |difference| to the loop over ``pate_score`` /
``pate_f1_score`` (numba backend), the time of the batch (second run, so
that compilation is not timed) and how many (series, pair) cells needed
the host keep walk. Exits 1 when a difference exceeds 1e-9 (issue 17).
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pate
from pate._engine import xp_batch

TOLERANCE = 1e-9
OPTIONS = {
    "defaults": {},
    "exact, buffers 50/20, 2 splits": dict(n_thresholds=None, early_buffer=50, delay_buffer=20, n_buffer_splits=2),
    "step rule": dict(interpolation="step"),
}


def read_nab(folder: Path) -> tuple[list[str], list[np.ndarray], list[np.ndarray]]:
    index = pd.read_csv(folder / "index.csv", keep_default_na=False)
    names, ys, ss = [], [], []
    for category, series in zip(index["category"], index["series"]):
        with gzip.open(folder / category / f"{series}.csv.gz", "rt") as f:
            frame = pd.read_csv(f)
        for detector in (c for c in frame.columns if c not in ("timestamp", "value", "label")):
            names.append(f"{category}/{series}:{detector}")
            ys.append(frame["label"].to_numpy(dtype=np.int64))
            ss.append(frame[detector].to_numpy(dtype=np.float64))
    return names, ys, ss


def cupy_or_none():
    try:
        import cupy

        if cupy.cuda.runtime.getDeviceCount() == 0:
            return None
        return cupy
    except Exception:  # noqa: BLE001 - no usable CUDA device, whatever CuPy raises
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("nab", type=Path, help="the NAB folder (holds index.csv)")
    parser.add_argument(
        "--backend",
        choices=["auto", "cupy", "numpy"],
        default="auto",
        help="auto: cupy when CuPy and a GPU are present, else numpy",
    )
    args = parser.parse_args()
    if not (args.nab / "index.csv").is_file():
        print(f"NAB data not found: {args.nab / 'index.csv'} is missing", file=sys.stderr)
        return 2
    cupy = cupy_or_none()
    backend = args.backend if args.backend != "auto" else ("cupy" if cupy else "numpy")
    if backend == "cupy" and cupy is None:
        print("CuPy or a GPU is absent: cannot run --backend cupy", file=sys.stderr)
        return 2
    warnings.simplefilter("ignore")
    names, ys, ss = read_nab(args.nab)
    print(
        f"# NAB agreement, {backend} packed batch vs the numba loop: {len(names)} series x detector "
        f"({sum(y.size for y in ys):,} points)"
    )
    if cupy is not None and backend == "cupy":
        dys, dss = [cupy.asarray(y) for y in ys], [cupy.asarray(s) for s in ss]
        dpreds = [s >= 0.5 for s in dss]
        print(f"# GPU: {cupy.cuda.runtime.getDeviceProperties(0)['name'].decode()}, CuPy {cupy.__version__}")
    else:
        dys, dss, dpreds = ys, ss, [s >= 0.5 for s in ss]

    host_cells = []
    original = xp_batch._HostCurves.curve

    def counted(self, *a):
        host_cells.append(a)
        return original(self, *a)

    xp_batch._HostCurves.curve = counted

    def sync():
        if cupy is not None and backend == "cupy":
            cupy.cuda.Stream.null.synchronize()

    worst = 0.0
    cases = [(label, options, True) for label, options in OPTIONS.items()] + [("PATE-F1, scores >= 0.5", {}, False)]
    for label, options, continuous in cases:
        t = time.perf_counter()
        if continuous:
            want = np.array([pate.pate_score(y, s, backend="numba", **options) for y, s in zip(ys, ss)])
        else:
            want = np.array([pate.pate_f1_score(y, s >= 0.5, backend="numba") for y, s in zip(ys, ss)])
        t_loop = time.perf_counter() - t
        batch = pate.pate_score_batch if continuous else pate.pate_f1_score_batch
        others = dss if continuous else dpreds
        kwargs = dict(options, backend=backend)
        batch(dys, others, **kwargs)  # compile / warm up
        sync()
        host_cells.clear()
        t = time.perf_counter()
        got = batch(dys, others, **kwargs)
        sync()
        t_batch = time.perf_counter() - t
        diff = np.abs(np.asarray(got) - want)
        worst = max(worst, float(diff.max()))
        at = int(np.argmax(diff))
        print(
            f"{label:<34} max |diff| {diff.max():.1e} ({names[at]}); loop {t_loop:.3f} s, "
            f"batch {t_batch:.3f} s; host keep-walk cells {len(host_cells)}"
        )
    verdict = "OK" if worst <= TOLERANCE else "FAILED"
    print(f"largest |diff| {worst:.1e}: {verdict} (tolerance {TOLERANCE:g})")
    return 0 if worst <= TOLERANCE else 1


if __name__ == "__main__":
    sys.exit(main())
