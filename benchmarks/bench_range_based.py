"""Range-based metrics: our time and the published implementations' time, side by side.

Run from the repository root (the figures in benchmarks/results/range_based.md
come from it)::

    .venv/bin/python benchmarks/bench_range_based.py
    .venv/bin/python benchmarks/bench_range_based.py --sizes 10000 100000 --reference-budget 900

The references run in their own scratch environment (made as described at the
top of tests/data/make_range_based_reference.py), in a child process started
with ``--reference-python`` on the very same inputs (written to a temporary
folder as .npy files); TSB-AD's ``basic_metrics.py`` is loaded there by path
(``--tsb``). When that environment is absent the script says so and prints
only our times.

Rows (same inputs for both sides):

* ``range_precision_recall_fscore`` vs ``prts.ts_fscore`` (defaults);
* ``range_f1_tsb_score`` vs TSB-AD ``metric_RF1(label, score, preds=p)``;
* ``best_range_f1_score`` vs TSB-AD ``metric_RF1(label, score)`` (100 thresholds).

Inputs: one labelled event of 5-60 points per 500 points; scores uniform
noise plus 0.5 on labelled points; the binary prediction is ``score > 0.95``
(most events detected, many short false alarms). Ours: the best of several
runs after a warm-up (numba's cache already compiled). References: one run,
each bounded by ``--reference-budget`` seconds (a run past it is reported as
``> budget``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
from _common import REPO, best_time, machine, make_inputs

sys.path.insert(0, str(REPO))

from pate.metrics._range_based import (
    best_range_f1_score,
    range_f1_tsb_score,
    range_precision_recall_fscore,
)

DEFAULT_PYTHON = "/tmp/rbref/bin/python"
DEFAULT_TSB = "/tmp/rbref/tsb/TSB_AD/evaluation/basic_metrics.py"

# Timed in the reference environment: one run of one metric, prints seconds and value.
REFERENCE_SNIPPET = r"""
import importlib.util, json, sys, time
import numpy as np
folder, which, tsb_path = sys.argv[1], sys.argv[2], sys.argv[3]
y = np.load(folder + "/y.npy"); p = np.load(folder + "/p.npy"); s = np.load(folder + "/s.npy")
if which == "prts":
    import prts
    run = lambda: prts.ts_fscore(y, p)
else:
    spec = importlib.util.spec_from_file_location("tsb_basic_metrics", tsb_path)
    module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
    grader = module.basic_metricor()
    run = (lambda: grader.metric_RF1(y, s, preds=p)) if which == "tsb" else (lambda: grader.metric_RF1(y, s))
start = time.perf_counter(); value = run(); elapsed = time.perf_counter() - start
print(json.dumps([elapsed, float(value)]))
"""


def reference_time(python: str, tsb: str, folder: str, which: str, budget: float):
    try:
        out = subprocess.run(
            [python, "-c", REFERENCE_SNIPPET, folder, which, tsb],
            capture_output=True,
            text=True,
            timeout=budget,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return None, None
    elapsed, value = json.loads(out.stdout.strip().splitlines()[-1])
    return elapsed, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--reference-python", default=DEFAULT_PYTHON)
    parser.add_argument("--tsb", default=DEFAULT_TSB)
    parser.add_argument("--reference-budget", type=float, default=600.0, help="seconds per reference run")
    args = parser.parse_args()

    have_reference = Path(args.reference_python).exists() and Path(args.tsb).exists()
    print(f"machine: {machine()}")
    if not have_reference:
        print(
            f"reference environment not found ({args.reference_python}, {args.tsb}); "
            "printing our times only (see tests/data/make_range_based_reference.py to make it)"
        )
    warnings.simplefilter("ignore")
    rows = [
        (
            "range_precision_recall_fscore",
            "prts.ts_fscore",
            "prts",
            lambda y, p, s: range_precision_recall_fscore(y, p).fscore,
        ),
        (
            "range_f1_tsb_score(compat=True)",
            "TSB-AD metric_RF1(preds=p)",
            "tsb",
            lambda y, p, s: range_f1_tsb_score(y, p, compat=True),
        ),
        (
            "best_range_f1_score(compat=True)",
            "TSB-AD metric_RF1 (oracle grid)",
            "best",
            lambda y, p, s: best_range_f1_score(y, s, compat=True),
        ),
    ]
    header = f"{'T':>8}  {'metric':<34}{'ours (ms)':>11}  {'reference':<32}{'ref (s)':>10}{'ratio':>10}  same value"
    print(header)
    for n in args.sizes:
        y, p, s = make_inputs(n)
        with tempfile.TemporaryDirectory() as folder:
            for name, array in (("y", y), ("p", p), ("s", s)):
                np.save(f"{folder}/{name}.npy", array)
            for ours_name, ref_name, which, func in rows:
                ours, value = best_time(lambda: func(y, p, s), args.repeats)
                ref_s = ratio = same = "-"
                if have_reference:
                    elapsed, ref_value = reference_time(
                        args.reference_python, args.tsb, folder, which, args.reference_budget
                    )
                    if elapsed is None:
                        ref_s, ratio = f"> {args.reference_budget:.0f}", f"> {args.reference_budget / ours:.0f}x"
                    else:
                        ref_s, ratio = f"{elapsed:.3f}", f"{elapsed / ours:.0f}x"
                        same = str(ref_value == value)
                print(
                    f"{n:>8}  {ours_name:<34}{ours * 1e3:>11.3f}  {ref_name:<32}{ref_s:>10}{ratio:>10}  {same}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
