"""Post-hoc tests and the critical-difference diagram at scale: 1,000 detectors x 20 series.

``pate.compare.wilcoxon_holm_test`` tests every pair of detectors (k(k-1)/2
pairs: 499,500 at k = 1,000). It used to call ``scipy.stats.wilcoxon`` once
per pair; it now computes every pair's signed-rank p-value in a few array
operations (``pate.compare._signed_rank``). This script times the whole test
and the old per-pair loop on the same table. The loop over all pairs takes
many minutes, so by default it is timed on ``--loop-pairs`` pairs and
extrapolated linearly (said so in the output); ``--full-loop`` times it all.
Both give the same p-values (checked on the timed pairs). Then
``nemenyi_test`` and the whole critical-difference diagram (the test, the
drawing and a PNG written) with either test.

    .venv/bin/python benchmarks/bench_posthoc.py
    .venv/bin/python benchmarks/bench_posthoc.py --detectors 1000 --series 20 --loop-pairs 5000
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd
from _common import best_time, machine


def table(n_detectors: int, n_series: int, seed: int = 0) -> pd.DataFrame:
    """A results table: per series, every detector's value (uniform, a few ties by rounding)."""
    from pate.compare import results_from_matrix

    rng = np.random.default_rng(seed)
    values = np.round(rng.random((n_series, n_detectors)) + np.linspace(0, 0.5, n_detectors), 3)
    frame = pd.DataFrame(values, columns=[f"detector_{i:04d}" for i in range(n_detectors)])
    return results_from_matrix(frame, metric="pate")


def per_pair_loop(values: np.ndarray, pairs: list[tuple[int, int]]) -> np.ndarray:
    """The old way: one ``scipy.stats.wilcoxon`` call per pair."""
    from scipy.stats import wilcoxon

    out = np.empty(len(pairs))
    for n, (i, j) in enumerate(pairs):
        out[n] = wilcoxon(values[:, i], values[:, j]).pvalue if (values[:, i] != values[:, j]).any() else 1.0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--detectors", type=int, default=1000)
    parser.add_argument("--series", type=int, default=20)
    parser.add_argument("--loop-pairs", type=int, default=5000, help="pairs the per-pair loop is timed on")
    parser.add_argument("--full-loop", action="store_true", help="time the per-pair loop on every pair")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    from pate.compare import wilcoxon_holm_test

    print(machine("numpy", "scipy", "pandas"))
    results = table(args.detectors, args.series)
    k, n = args.detectors, args.series
    n_pairs = k * (k - 1) // 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        new, res = best_time(lambda: wilcoxon_holm_test(results), args.repeats)
    print(f"wilcoxon_holm_test, {k} detectors x {n} series ({n_pairs:,} pairs): {new:.2f} s (best of {args.repeats})")

    names = list(res.average_ranks.index)
    values = results.pivot_table(index="series", columns="detector", values="value")[names].to_numpy()
    first, second = np.triu_indices(k, 1)
    pairs = list(zip(first.tolist(), second.tolist()))
    timed = pairs if args.full_loop else pairs[:: max(1, n_pairs // args.loop_pairs)][: args.loop_pairs]
    start = time.perf_counter()
    loop = per_pair_loop(values, timed)
    elapsed = time.perf_counter() - start
    expected = np.array([res.pvalues.iloc[i, j] for i, j in timed])
    worst = float(np.max(np.abs(loop - expected)))
    if args.full_loop:
        old, how = elapsed, "measured"
    else:
        old, how = elapsed * n_pairs / len(timed), f"extrapolated from {len(timed):,} pairs timed in {elapsed:.2f} s"
    print(f"one scipy.stats.wilcoxon call per pair: {old:.1f} s ({how})")
    print(f"ratio: {old / new:,.0f}x; largest p-value difference on the timed pairs: {worst:.1e}")

    from pate.compare import nemenyi_test

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        seconds, _ = best_time(lambda: nemenyi_test(results), args.repeats)
    print(f"nemenyi_test, {k} detectors x {n} series: {seconds:.2f} s (best of {args.repeats})")
    for test in ("wilcoxon-holm", "nemenyi"):
        seconds, size = best_time(lambda test=test: diagram(results, test), args.repeats, warmup=False)
        print(f"critical-difference diagram ({test}), test + drawing + PNG ({size}): {seconds:.2f} s")


def diagram(results: pd.DataFrame, test: str) -> str:
    """The whole diagram: the test, the layout and a PNG; returns the picture's size in pixels."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from pate.plot import CriticalDifferenceDisplay

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        display = CriticalDifferenceDisplay.from_results(results, test=test)
    buffer = io.BytesIO()
    display.figure_.savefig(buffer, format="png")
    width, height = display.figure_.get_size_inches() * display.figure_.dpi
    plt.close(display.figure_)
    return f"{width:.0f} x {height:.0f} px"


if __name__ == "__main__":
    main()
