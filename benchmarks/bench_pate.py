"""PATE speed: side by side with the published package, sklearn, and across sizes.

Run from the repository root (the results in docs/benchmarks.md come from it):

    .venv/bin/python benchmarks/bench_pate.py                  # ours, sklearn, scaling, fresh process
    <venv with scikit-learn<1.6 and PATE==0.1.1>/bin/python benchmarks/bench_pate.py \\
        --reference-site <that venv's site-packages>           # adds the published package

The published package only imports with scikit-learn < 1.6 and its module is
also called ``pate``; it is loaded by path under another name, never
vendored. Sections:

1. same inputs, published package vs ours, T = 1,000 / 2,000 / 5,000
   (the recipe of docs/spec/pate-definition.md, section 9: random scores plus 0.5 on labelled points,
   one event of 5-60 points per 500 points, buffers 50, defaults otherwise);
2. exact mode (``n_thresholds=None``) vs ``sklearn.metrics.average_precision_score``
   at T = 1,000,000;
3. scaling from T = 1e4 to 1e7 (default and exact mode);
4. a fresh process with a warm cache (T = 100,000, ``import pate`` included),
   and the first-ever call (compilation into an empty numba cache).
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from _common import REPO, best_time, machine

sys.path.insert(0, str(REPO))

import pate


def make_series(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The recipe of docs/spec/pate-definition.md, section 9.

    One event of 5-60 points per 500 points, scores = U(0,1) + 0.5 on events.
    """
    rng = np.random.default_rng(seed)
    y = np.zeros(n, dtype=np.int64)
    for block in range(0, n, 500):
        size = min(500, n - block)
        length = int(rng.integers(5, 61))
        if size > length:
            start = block + int(rng.integers(0, size - length))
            y[start : start + length] = 1
    return y, rng.random(n) + 0.5 * y


def load_published(site: str):
    """Import the published ``pate.PATE_metric`` from ``site`` without shadowing ours."""
    ours = {k: sys.modules.pop(k) for k in list(sys.modules) if k == "pate" or k.startswith("pate.")}
    sys.path.insert(0, site)
    try:
        module = importlib.import_module("pate.PATE_metric")
    finally:
        sys.path.remove(site)
        for k in [k for k in sys.modules if k == "pate" or k.startswith("pate.")]:
            sys.modules["published_" + k] = sys.modules.pop(k)
        sys.modules.update(ours)
    return module.PATE


def section_published(site: str | None, sizes: list[int]) -> None:
    print("\n## 1. Published PATE 0.1.1 vs pate (defaults, buffers 50, median of 3 / best of 5)")
    ours = lambda y, s: pate.pate_score(y, s, early_buffer=50, delay_buffer=50)  # noqa: E731
    ours(*make_series(1000))  # warm the JIT cache
    if site is None:
        print("published package: not given (--reference-site); only our times are shown")
    published = load_published(site) if site else None
    print(f"{'T':>8} {'published s':>12} {'pate s':>10} {'ratio':>10} {'|difference|':>13}")
    for n in sizes:
        y, s = make_series(n)
        t_ours, v_ours = best_time(lambda: ours(y, s), 5, warmup=False)
        if published is None:
            print(f"{n:>8} {'-':>12} {t_ours:>10.5f} {'-':>10} {'-':>13}")
            continue
        times = []
        for _ in range(3):
            t = time.perf_counter()
            v_pub = published(y, s, e_buffer=50, d_buffer=50)
            times.append(time.perf_counter() - t)
        t_pub = float(np.median(times))
        print(f"{n:>8} {t_pub:>12.2f} {t_ours:>10.5f} {t_pub / t_ours:>9.0f}x {abs(v_pub - v_ours):>13.2e}")


def section_sklearn(n: int) -> None:
    from sklearn.metrics import average_precision_score

    print(f"\n## 2. Exact mode (n_thresholds=None) vs sklearn average_precision_score, T = {n:,} (best of 5)")
    y, s = make_series(n)
    pate.pate_score(y[:1000], s[:1000], n_thresholds=None)
    t_ap, _ = best_time(lambda: average_precision_score(y, s), 5, warmup=False)
    t_exact, _ = best_time(lambda: pate.pate_score(y, s, n_thresholds=None), 5, warmup=False)
    t_default, _ = best_time(lambda: pate.pate_score(y, s), 5, warmup=False)
    print(f"average_precision_score: {t_ap:.3f} s")
    print(f"pate exact (4 buffer pairs, every threshold): {t_exact:.3f} s  (ratio to AP {t_exact / t_ap:.2f})")
    print(f"pate default (250 thresholds): {t_default:.3f} s")


def section_scaling(sizes: list[int]) -> None:
    print("\n## 3. Scaling (defaults, buffers 100; best of 3)")
    print(f"{'T':>10} {'default s':>10} {'exact s':>10} {'exact s / (T log2 T) x 1e9':>28}")
    for n in sizes:
        y, s = make_series(n)
        t_d, _ = best_time(lambda: pate.pate_score(y, s), 3, warmup=False)
        t_e, _ = best_time(lambda: pate.pate_score(y, s, n_thresholds=None), 3, warmup=False)
        print(f"{n:>10,} {t_d:>10.4f} {t_e:>10.4f} {1e9 * t_e / (n * np.log2(n)):>28.2f}")


FRESH = """
import time
t0 = time.perf_counter()
import numpy as np
import pate
t1 = time.perf_counter()
rng = np.random.default_rng(0)
y = np.zeros(100_000, dtype=np.int64)
for b in range(0, 100_000, 500):
    y[b + 100 : b + 130] = 1
s = rng.random(100_000) + 0.5 * y
v = pate.pate_score(y, s)
t2 = time.perf_counter()
print(f"{t1 - t0:.3f} {t2 - t1:.3f} {v!r}")
"""


def section_fresh_process() -> None:
    print("\n## 4. Fresh process, T = 100,000, defaults (wall time of the whole process, and inside it)")
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as empty_cache:
        env_cold = dict(env, NUMBA_CACHE_DIR=empty_cache)
        for label, e in (
            ("first call ever (empty numba cache)", env_cold),
            ("warm cache", env_cold),
            ("warm cache", env_cold),
        ):
            t = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", FRESH], env=e, capture_output=True, text=True, check=True)
            wall = time.perf_counter() - t
            imp, compute, _ = out.stdout.split()
            print(f"{label:<38} process {wall:.2f} s (import pate {imp} s, first pate_score {compute} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference-site", help="site-packages holding the published PATE 0.1.1 package")
    parser.add_argument("--published-sizes", default="1000,2000,5000")
    parser.add_argument("--scaling-sizes", default="10000,100000,1000000,10000000")
    parser.add_argument("--skip", default="", help="comma-separated section numbers to skip")
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    print(f"# bench_pate.py on {machine('numpy', 'numba', 'scikit-learn')}")
    if "1" not in skip:
        section_published(args.reference_site, [int(x) for x in args.published_sizes.split(",")])
    if "2" not in skip:
        section_sklearn(1_000_000)
    if "3" not in skip:
        section_scaling([int(x) for x in args.scaling_sizes.split(",")])
    if "4" not in skip:
        section_fresh_process()


if __name__ == "__main__":
    main()
