"""Chance levels: 999 shifts of PATE through ``pate.chance_level`` against one ``pate_score`` call.

    .venv/bin/python benchmarks/bench_chance.py                  # issue 23's figure: 10,000 points, 999 shifts
    .venv/bin/python benchmarks/bench_chance.py --length 100000 --loop
    .venv/bin/python benchmarks/bench_chance.py --jobs 1         # one thread

Prints, side by side in one run, for one series (random scores plus 0.5 on
labelled points, one event of 5-60 points per 500 points, PATE's defaults:
early/delay buffer 100, 250 thresholds, 4 buffer pairs):

* one ``pate_score`` call (numba backend);
* ``chance_level("pate", ..., null="shift", n_resamples=999)``: the observed
  value plus 999 shifted evaluations through the resampling kernel, and the
  ratio to one call (issue 23's target: at most 60x; a loop is about 1,000x);
* the same 999 shifts through ``pate_score_batch`` (the packed batch, each
  shift a new series) and, with ``--loop``, through a loop over ``pate_score``;
* ``pate_ap`` and ``pate_f1`` (the prediction ``score > 0.95``) likewise;

with the largest difference between the paths and the machine. Timings are
the best of ``--repeat`` runs (wall clock), after a warm-up that loads the
numba cache.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import _common

import pate

TARGET = 60.0  # issue 23: 999 shifts of PATE cost at most 60x one pate_score call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--length", type=int, default=10_000)
    parser.add_argument("--shifts", type=int, default=999)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--jobs", type=int, default=None, help="threads of the numba engines (default: all cores)")
    parser.add_argument("--loop", action="store_true", help="also time a loop over pate_score (slow)")
    args = parser.parse_args()

    y, pred, score = _common.make_inputs(args.length)
    # the shifts chance_level draws with random_state=0 (pate._chance draws them so)
    shifts = 1 + np.random.default_rng(0).choice(args.length - 1, size=args.shifts, replace=False)
    print(f"series of {args.length:,} points, {int(y.sum()):,} labelled; {args.shifts} shifts; n_jobs={args.jobs}")
    print(_common.machine("numpy", "numba"))
    print()
    print("| metric | one call | chance_level | ratio | pate_*_batch of the shifts | ratio | max difference |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, values in (("pate", score), ("pate_ap", score), ("pate_f1", pred)):
        metric = pate.get_metric(name)
        one, _ = _common.best_time(lambda: metric(y, values), args.repeat * 4)
        chance, result = _common.best_time(
            lambda: pate.chance_level(name, y, values, n_resamples=args.shifts, random_state=0, n_jobs=args.jobs),
            args.repeat,
        )
        rolled = [np.roll(values, k) for k in shifts]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if name == "pate_f1":
                batch, reference = _common.best_time(
                    lambda: pate.pate_f1_score_batch([y] * len(rolled), rolled, n_jobs=args.jobs), 1
                )
            else:
                interpolation = "step" if name == "pate_ap" else "trapezoid"
                batch, reference = _common.best_time(
                    lambda: pate.pate_score_batch(
                        [y] * len(rolled), rolled, interpolation=interpolation, n_jobs=args.jobs
                    ),
                    1,
                )
        difference = float(np.max(np.abs(result.null_values - reference)))
        print(
            f"| {name} | {one * 1e3:.2f} ms | {chance * 1e3:.1f} ms | **{chance / one:.0f}x** "
            f"| {batch * 1e3:.0f} ms | {batch / one:.0f}x | {difference:.1e} |"
        )
        if name == "pate" and args.loop:
            loop, _ = _common.best_time(lambda: [metric(y, r) for r in rolled], 1, warmup=False)
            print(f"| pate, loop over pate_score | | {loop * 1e3:.0f} ms | {loop / one:.0f}x | | | |")
    print()
    print(f"Target (issue 23): chance_level('pate', 999 shifts) at most {TARGET:.0f}x one pate_score call.")


if __name__ == "__main__":
    main()
