"""Batched PATE: numba (all cores) vs the array-namespace engine (numpy, CuPy).

    .venv/bin/python benchmarks/bench_batch.py                        # small: 200 x 10,000
    .venv/bin/python benchmarks/bench_batch.py --series 1000 --length 100000
    .venv/bin/python benchmarks/bench_batch.py --single 10000000      # one series, exact mode

Prints, side by side in one run, series per second and points per second of
each backend (CuPy only where it and a GPU are present), the agreement
between backends, and the machine. numba runs the series in a thread pool
(all cores, and one thread for comparison); numpy and CuPy run the packed
array-namespace engine on the whole batch at once (the same code). The CuPy
row times device-resident inputs (lists of CuPy arrays), synchronised.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pate  # noqa: E402


def make_batch(n_series: int, length: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    ys, ss = [], []
    for _ in range(n_series):
        y = np.zeros(length, dtype=np.int64)
        for block in range(0, length - 60, 500):
            start = block + int(rng.integers(0, 440))
            y[start : start + int(rng.integers(5, 61))] = 1
        ys.append(y)
        ss.append(rng.random(length) + 0.5 * y)
    return ys, ss


def gpu_name() -> str | None:
    try:
        import cupy

        if cupy.cuda.runtime.getDeviceCount() == 0:
            return None
        return cupy.cuda.runtime.getDeviceProperties(0)["name"].decode()
    except Exception:
        return None


def timed(fn, repeat: int = 1):
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        sync()
        best = min(best, time.perf_counter() - t)
    return best, out


def sync() -> None:
    if "cupy" in sys.modules:
        import cupy

        cupy.cuda.Stream.null.synchronize()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--series", type=int, default=200)
    parser.add_argument("--length", type=int, default=10_000)
    parser.add_argument("--single", type=int, default=0, help="also time one series of this length in exact mode")
    parser.add_argument("--skip-numpy", action="store_true")
    args = parser.parse_args()

    gpu = gpu_name()
    print(f"# bench_batch.py on {platform.platform()}, {os.cpu_count()} logical CPUs, "
          f"Python {platform.python_version()}, numpy {np.__version__}; GPU: {gpu or 'none (cupy not available)'}")
    ys, ss = make_batch(args.series, args.length)
    points = args.series * args.length
    pate.pate_score_batch(ys[:2], ss[:2])  # compile / warm up the JIT cache
    print(f"\n## batch: {args.series} series x {args.length:,} points, defaults (250 thresholds, 4 buffer pairs)")
    print(f"{'backend':<30} {'seconds':>9} {'series/s':>10} {'points/s':>12} {'max |diff| vs numba':>20}")
    t_numba, ref = timed(lambda: pate.pate_score_batch(ys, ss, backend="numba"))
    rows = [("numba, threads (all cores)", t_numba, ref)]
    t1, one = timed(lambda: pate.pate_score_batch(ys, ss, backend="numba", n_jobs=1))
    rows.append(("numba, 1 thread", t1, one))
    if not args.skip_numpy:
        t_np, np_vals = timed(lambda: pate.pate_score_batch(ys, ss, backend="numpy"))
        rows.append(("numpy namespace, packed (CPU)", t_np, np_vals))
    if gpu:
        import cupy

        dy = [cupy.asarray(y) for y in ys]
        ds = [cupy.asarray(s) for s in ss]
        pate.pate_score_batch(dy[:2], ds[:2], backend="cupy")
        t_cp, cp_vals = timed(lambda: pate.pate_score_batch(dy, ds, backend="cupy"))
        rows.append((f"cupy ({gpu})", t_cp, cp_vals))
    else:
        print("cupy: not available on this machine (not measured)")
    for name, t, vals in rows:
        diff = float(np.max(np.abs(vals - ref))) if len(vals) else 0.0
        print(f"{name:<30} {t:>9.3f} {args.series / t:>10.1f} {points / t:>12.3g} {diff:>20.2e}")
    if gpu:
        print(f"cupy throughput / numba (all cores): {t_numba / rows[-1][1]:.1f}x")

    if args.single:
        print(f"\n## one series of {args.single:,} points, exact mode (n_thresholds=None)")
        (y,), (s,) = make_batch(1, args.single, seed=1)
        t, v = timed(lambda: pate.pate_score(y, s, n_thresholds=None, backend="numba"))
        print(f"numba: {t:.3f} s")
        if not args.skip_numpy:
            t2, v2 = timed(lambda: pate.pate_score(y, s, n_thresholds=None, backend="numpy"))
            print(f"numpy namespace: {t2:.3f} s (|diff| {abs(v2 - v):.1e})")
        if gpu:
            import cupy

            dy, ds = cupy.asarray(y), cupy.asarray(s)
            pate.pate_score(dy[:100000], ds[:100000], n_thresholds=None)
            t3, v3 = timed(lambda: pate.pate_score(dy, ds, n_thresholds=None), repeat=3)
            print(f"cupy: {t3:.3f} s (|diff| {abs(v3 - v):.1e})")


if __name__ == "__main__":
    main()
