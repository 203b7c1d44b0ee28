"""Batched PATE on the CPU: a Python loop over ``pate_score`` vs the numba batch.

    .venv/bin/python benchmarks/bench_batch.py                       # the three batches of issue 16
    .venv/bin/python benchmarks/bench_batch.py --sizes 200x5000 --numpy
    .venv/bin/python benchmarks/bench_batch.py --single 10000000     # also one series, exact mode
    python3 benchmarks/bench_batch.py --fast --sizes 1000x1000,1000x100000 --single 10000000  # GPU check

Prints, side by side in one run and for each batch (series x points, random
scores plus 0.5 on labelled points, one event of 5-60 points per 500 points,
defaults otherwise: early/delay buffer 100, 250 thresholds, 4 buffer pairs):

* a Python loop over ``pate_score`` (numba backend);
* ``pate_score_batch`` (numba backend) with 1 thread and with every core
  (``n_jobs=-1``): one compiled pass over the packed batch;
* the floor the issue names: the sum of the series' stable argsorts
  (``np.argsort(kind="stable")``), per core;
* optionally (``--numpy``) the packed array-namespace engine on numpy, and
  CuPy where it and a GPU are present (device-resident inputs, warmed up on
  the same shapes first, so kernel compilation is not timed);

with the speed-ups, the largest difference to the loop, and the machine.
Timings are the best of ``--repeat`` runs (wall clock); the loop runs once.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import _common

import pate

# Issue 16's targets on a 2-core machine (batch with every core vs the loop,
# and 2 threads vs 1), by batch shape.
TARGETS = {(1000, 1000): (10.0, None), (1000, 10_000): (2.5, 1.6)}


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
    except Exception:  # noqa: BLE001 - no usable CUDA device, whatever CuPy raises
        return None


def sync() -> None:
    if "cupy" in sys.modules:
        import cupy

        cupy.cuda.Stream.null.synchronize()


def timed(fn, repeat: int):
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        sync()
        best = min(best, time.perf_counter() - t)
    return best, out


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover
        return os.cpu_count() or 1


def machine() -> str:
    """The shared machine line plus numba's threading layer (known once a parallel kernel ran)."""
    import numba

    return f"{_common.machine('numpy', 'numba')} ({numba.threading_layer()} threads)"


def bench(n_series: int, length: int, repeat: int, numpy_engine: bool, gpu: str | None, fast: bool = False) -> None:
    ys, ss = make_batch(n_series, length)
    n_cores = cores()
    print(f"\n## {n_series:,} series x {length:,} points ({n_series * length:,} points)")
    t_loop, want = timed(lambda: np.array([pate.pate_score(y, s) for y, s in zip(ys, ss)]), 1)
    rows = [("loop over pate_score", t_loop, want)]
    if not fast:
        t_sort, _ = timed(lambda: [np.argsort(s, kind="stable") for s in ss], repeat)
        t1, v1 = timed(lambda: pate.pate_score_batch(ys, ss, n_jobs=1), repeat)
        rows.append(("batch, numba, 1 thread", t1, v1))
    tn, vn = timed(lambda: pate.pate_score_batch(ys, ss, n_jobs=-1), repeat)
    rows.append((f"batch, numba, {n_cores} threads", tn, vn))
    if numpy_engine:
        t, v = timed(lambda: pate.pate_score_batch(ys, ss, backend="numpy"), repeat)
        rows.append(("batch, numpy namespace", t, v))
    if gpu:
        import cupy

        dy, ds = [cupy.asarray(y) for y in ys], [cupy.asarray(s) for s in ss]
        pate.pate_score_batch(dy, ds)  # warm up on the same shapes: kernel compilation is not timed
        sync()
        t_gpu, v = timed(lambda: pate.pate_score_batch(dy, ds), repeat)
        rows.append((f"batch, cupy ({gpu})", t_gpu, v))
    print(f"{'':<28} {'seconds':>9} {'ms/series':>10} {'vs loop':>8} {'max |diff| vs loop':>19}")
    for name, t, v in rows:
        diff = float(np.max(np.abs(np.asarray(v) - want))) if len(v) else 0.0
        print(f"{name:<28} {t:>9.3f} {1e3 * t / n_series:>10.3f} {t_loop / t:>7.1f}x {diff:>19.1e}")
    if gpu:
        print(f"cupy vs batch, numba, {n_cores} threads: {tn / t_gpu:.1f}x (issue 17's target: >= 20x)")
    if fast:
        print("(--fast: no 1-thread run, no argsort floor)")
        return
    floor = t_sort / n_cores
    print(
        f"{'stable argsorts / cores':<28} {floor:>9.3f} {1e3 * floor / n_series:>10.3f}"
        f"   (floor; batch, {n_cores} threads = {tn / floor:.2f}x floor)"
    )
    print(f"threads: {n_cores} vs 1 = {t1 / tn:.2f}x")
    target = TARGETS.get((n_series, length))
    if target:
        want_loop, want_threads = target
        verdict = f"target: >= {want_loop:g}x the loop: {'met' if t_loop / tn >= want_loop else 'NOT met'}"
        if want_threads:
            verdict += (
                f"; >= {want_threads:g}x from 1 to {n_cores} threads: {'met' if t1 / tn >= want_threads else 'NOT met'}"
            )
        print(verdict)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes",
        default="1000x1000,1000x10000,100x100000",
        help="comma-separated SERIESxPOINTS batches (default: issue 16's three)",
    )
    parser.add_argument("--series", type=int, help="with --length: one batch of this shape (instead of --sizes)")
    parser.add_argument("--length", type=int, help="points per series, with --series")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--numpy", action="store_true", help="also time the numpy array-namespace engine")
    parser.add_argument(
        "--fast", action="store_true", help="skip the 1-thread numba run and the argsort floor (a short GPU check)"
    )
    parser.add_argument("--single", type=int, default=0, help="also time one series of this length, exact mode")
    args = parser.parse_args()

    gpu = gpu_name()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ys, ss = make_batch(2, 1000)
        pate.pate_score_batch(ys, ss)  # load the compiled kernels (JIT cache)
        pate.pate_score(ys[0], ss[0])
        if args.numpy:
            pate.pate_score_batch(ys, ss, backend="numpy")
    print(f"# bench_batch.py on {machine()}; GPU: {gpu or 'none'}")
    sizes = f"{args.series}x{args.length}" if args.series and args.length else args.sizes
    for size in sizes.split(","):
        n_series, length = (int(x.replace("_", "")) for x in size.lower().split("x"))
        bench(n_series, length, args.repeat, args.numpy, gpu, args.fast)

    if args.single:
        print(f"\n## one series of {args.single:,} points, exact mode (n_thresholds=None)")
        (y,), (s,) = make_batch(1, args.single, seed=1)
        t, v = timed(lambda: pate.pate_score(y, s, n_thresholds=None, backend="numba"), 1)
        print(f"numba: {t:.3f} s")
        if args.numpy:
            t2, v2 = timed(lambda: pate.pate_score(y, s, n_thresholds=None, backend="numpy"), 1)
            print(f"numpy namespace: {t2:.3f} s (|diff| {abs(v2 - v):.1e})")
        if gpu:
            import cupy

            dy, ds = cupy.asarray(y), cupy.asarray(s)
            pate.pate_score(dy, ds, n_thresholds=None)  # warm up on the same shape
            sync()
            t3, v3 = timed(lambda: pate.pate_score(dy, ds, n_thresholds=None), args.repeat)
            print(f"cupy: {t3:.3f} s (|diff| {abs(v3 - v):.1e}; issue 17's target: < 0.5 s)")


if __name__ == "__main__":
    main()
