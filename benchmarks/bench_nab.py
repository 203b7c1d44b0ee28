"""NAB's score: one series at 1,048,576 points against one np.argsort, and the whole exact-optimised scoreboard.

Run from the repository root (the figures in docs/benchmarks.md come from it)::

    .venv/bin/python benchmarks/bench_nab.py
    .venv/bin/python benchmarks/bench_nab.py --nab-dir ../shared/data/nab --nab-code /tmp/nab

1. ``nab_score`` (validation included) on ``T`` points (default 2**20 =
   1,048,576, the largest size of TSADMetrics' published timing table) next
   to one ``np.argsort`` of ``T`` float64 scores, and the ratio to
   TSADMetrics' published 219.76 s for its ``nab_score`` at that size (mean
   of its runs; kdis-lab/TSADMetrics, analysis/results/04_computational_complexity/
   csv/mean_timings.csv: a table, not run here).
2. ``pate.benchmark.nab_scoreboard`` over NAB's 58 series x 16 detectors x
   3 profiles with each detector's threshold optimised exactly per profile,
   then every series scored at those thresholds (validation and the tidy
   per-series table included), with and without reading the 58 files.
3. With ``--nab-code DIR`` (a checkout of NAB at commit ea702d7, Python 3,
   standard library only), NAB's own ``Sweeper`` on the same series of step
   1 and its own corpus optimiser for one detector and profile, same inputs.

Best of ``--repeats`` runs after a warm-up (the numba cache loaded).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from _common import REPO, best_time, machine, make_inputs

sys.path.insert(0, str(REPO))

from pate.metrics import NAB_PROFILES, nab_score

TSADMETRICS_SECONDS = 219.75668647  # nab_score at 1,048,576 points, their mean_timings.csv


def load_nab(folder: Path):
    """The 58 series as pate.benchmark.Series (read by pate's strict reader), their labels and detectors' scores."""
    from pate.benchmark import read_csv_series

    series = [source.load() for source in read_csv_series(sorted(p for p in folder.iterdir() if p.is_dir()))]
    labels = [np.asarray(s.y_true) == 1 for s in series]
    scores = {d: [np.asarray(s.scores[d], dtype=float) for s in series] for d in series[0].scores}
    return series, labels, scores


def scoreboard(series):
    """The whole exact-optimised scoreboard: pate.benchmark.nab_scoreboard with its defaults."""
    from pate.benchmark import nab_scoreboard

    return nab_scoreboard(series)


def nab_own(nab_code: Path, y: np.ndarray, pred: np.ndarray, labels, scores, repeats: int) -> None:
    sys.path.insert(0, str(nab_code))
    from nab.sweeper import Sweeper  # NAB's own code, from the checkout given

    def windows(lab):
        d = np.diff(np.concatenate(([0], lab.astype(np.int8), [0])))
        return list(zip(np.flatnonzero(d == 1).tolist(), (np.flatnonzero(d == -1) - 1).tolist(), strict=True))

    cost = {"tpWeight": 1.0, "fpWeight": 0.11, "fnWeight": 1.0}
    sweeper = Sweeper(probationPercent=0.15, costMatrix=cost)
    stamps = list(range(y.size))  # row numbers as timestamps: NAB finds windows by equality
    ours, _ = best_time(lambda: nab_score(y, pred), repeats)
    start = time.perf_counter()
    sweeper.scoreDataSet(stamps, pred.astype(float).tolist(), windows(y), "series", 0.5)
    theirs = time.perf_counter() - start
    print(
        f"NAB's Sweeper.scoreDataSet, same series ({y.size:,} points), one run: {theirs:.2f} s "
        f"(nab_score {ours * 1e3:.1f} ms, {theirs / ours:,.0f}x)"
    )
    detector = "numenta"
    start = time.perf_counter()
    rows = []
    for lab, s in zip(labels, scores[detector], strict=True):
        rows.extend(sweeper.calcSweepScore(list(range(lab.size)), s.tolist(), windows(lab), str(len(rows))))
    best = sorted(sweeper.calcScoreByThreshold(rows), key=lambda r: r.score, reverse=True)[0]
    theirs = time.perf_counter() - start
    from pate.metrics._nab_corpus import NabCorpus

    corpus = NabCorpus(labels, 0.15)
    ours, (threshold, total) = best_time(lambda: corpus.sweep(scores[detector]).best(NAB_PROFILES["standard"]), repeats)
    print(
        f"NAB's optimiser (calcSweepScore + calcScoreByThreshold), {detector}, standard: {theirs:.2f} s, "
        f"optimum {best.score:.6f} at {best.threshold!r}; ours {ours * 1e3:.1f} ms, optimum {total:.6f} at "
        f"{threshold!r} ({theirs / ours:,.0f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=2**20)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--nab-dir", type=Path, default=REPO.parent / "shared" / "data" / "nab")
    parser.add_argument("--nab-code", type=Path, default=None, help="a checkout of NAB at ea702d7 (optional)")
    args = parser.parse_args()
    print(machine("numpy", "numba"))

    y, pred, s = make_inputs(args.points)
    ours, result = best_time(lambda: nab_score(y, pred), args.repeats)
    sort, _ = best_time(lambda: np.argsort(s), args.repeats)
    print(
        f"\n1. nab_score, {args.points:,} points (validation included): {ours * 1e3:.1f} ms; "
        f"np.argsort of {args.points:,} float64: {sort * 1e3:.1f} ms; ratio {ours / sort:.2f}x "
        f"(score {result.score:.4f})"
    )
    if args.points == 2**20:
        print(
            f"   TSADMetrics' published nab_score at 1,048,576 points: {TSADMETRICS_SECONDS:.1f} s, "
            f"{TSADMETRICS_SECONDS / ours:,.0f}x our time"
        )

    if (args.nab_dir / "index.csv").is_file():
        start = time.perf_counter()
        series, labels, scores = load_nab(args.nab_dir)
        reading = time.perf_counter() - start
        whole, board = best_time(lambda: scoreboard(series), args.repeats)
        n_points = sum(lab.size for lab in labels)
        print(
            f"\n2. scoreboard, exact optimum: {len(labels)} series ({n_points:,} points) x {len(scores)} detectors "
            f"x {len(NAB_PROFILES)} profiles: {whole:.2f} s; reading the files {reading:.2f} s; "
            f"total {whole + reading:.2f} s"
        )
        print(
            f"   e.g. numenta standard {board.scores.at['numenta', 'standard']:.4f}, "
            f"htmjava reward_low_FP_rate {board.scores.at['htmjava', 'reward_low_FP_rate']:.4f}"
        )
        if args.nab_code is not None:
            print()
            nab_own(args.nab_code, y, pred, labels, scores, args.repeats)
    else:
        print(f"\n2. skipped: no NAB data at {args.nab_dir}")


if __name__ == "__main__":
    main()
