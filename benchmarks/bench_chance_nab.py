"""Issue 23's NAB check: PATE's leaderboard raw and chance-adjusted, and the runner's time, on 52 x 16.

    .venv/bin/python benchmarks/bench_chance_nab.py                    # n_jobs=2, chance=99
    .venv/bin/python benchmarks/bench_chance_nab.py --jobs 1 --chance 999
    .venv/bin/python benchmarks/bench_chance_nab.py --output docs/data/nab_chance.csv

Runs ``pate.benchmark.evaluate(..., metrics=["pate"], chance=N, null="shift",
random_state=0)`` on the 52 labelled NAB series (the 6 without a labelled
window are left out: PATE is undefined there) with the 16 published
detectors, and prints the wall-clock time of the runner (files read by the
tasks included; a warm numba cache, from a first run on one series) with the
machine line, then the leaderboard by raw PATE and by chance-adjusted PATE
(``leaderboard(results, value="adjusted")``) side by side, and where NAB's
``null`` (a constant score) and ``random`` detectors fall. Target (issue 23):
under 2 minutes on 2 cores, and ``null`` and ``random`` in the adjusted
leaderboard's last three places.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import _common

from pate.benchmark import evaluate, read_csv_series
from pate.compare import leaderboard


def labelled_sources(nab_dir: Path) -> list:
    index = pd.read_csv(nab_dir / "index.csv", keep_default_na=False)
    labelled = [nab_dir / r.category / f"{r.series}.csv.gz" for r in index.itertuples() if int(r.n_windows) > 0]
    return read_csv_series(labelled)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nab-dir", type=Path, default=_common.REPO.parent / "shared" / "data" / "nab")
    parser.add_argument("--chance", type=int, default=99)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--output", type=Path, help="also write the results table (a .csv file)")
    args = parser.parse_args()

    sources = labelled_sources(args.nab_dir)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        evaluate(sources[:1], metrics=["pate"], chance=3, random_state=0, progress=False)  # numba cache
        start = time.perf_counter()
        results = evaluate(
            sources, metrics=["pate"], chance=args.chance, random_state=0, n_jobs=args.jobs, progress=False
        )
        elapsed = time.perf_counter() - start
        raw = leaderboard(results, random_state=0)
        adjusted = leaderboard(results, value="adjusted", random_state=0)
    n_series, n_detectors = results["series"].nunique(), results["detector"].nunique()
    print(f"{n_series} series x {n_detectors} detectors, PATE, chance={args.chance} (shift), n_jobs={args.jobs}")
    print(_common.machine("numpy", "numba", "pandas"))
    print(f"runner: {elapsed:.1f} s")
    print()
    print("| place | raw PATE | mean | chance-adjusted PATE | mean adjusted | beats chance | no better than chance |")
    print("|---:|---|---:|---|---:|---:|---|")
    for place, (d_raw, d_adj) in enumerate(zip(raw.index, adjusted.index), start=1):
        row = adjusted.loc[d_adj]
        print(
            f"| {place} | {d_raw} | {raw.loc[d_raw, 'mean']:.3f} | {d_adj} | {row['mean']:.3f} "
            f"| {row['beats_chance']:.0%} | {'yes' if row['no_better_than_chance'] else ''} |"
        )
    last_three = list(adjusted.index[-3:])
    print()
    for name in ("null", "random"):
        print(
            f"{name}: {list(raw.index).index(name) + 1} of {n_detectors} raw, "
            f"{list(adjusted.index).index(name) + 1} of {n_detectors} adjusted"
        )
    ok = {"null", "random"} <= set(last_three)
    print(f"last three by adjusted PATE: {last_three}: target {'met' if ok else 'NOT met'}")
    if args.output:
        results.to_csv(args.output, index=False, float_format="%.6g")


if __name__ == "__main__":
    main()
