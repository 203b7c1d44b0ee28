"""Point-wise, AUC, PA, PA%K, event-based and best-F1 metrics: our time and the references' time.

Run from the repository root (the figures in benchmarks/results/pointwise.md
come from it)::

    .venv/bin/python benchmarks/bench_pointwise.py
    .venv/bin/python benchmarks/bench_pointwise.py --sizes 10000 100000 --reference-budget 900

The references run in their own scratch environment (made as described at the
top of tests/data/make_pointwise_reference.py: scikit-learn 1.5.2, numpy
1.26.4, tadpak 0.3.3, TSB-AD 1.5's ``basic_metrics.py`` and the PATE
repository's ``f1_score_f1_pa.py`` loaded by path), in a child process started
with ``--reference-python`` on the very same inputs (written to a temporary
folder as .npy files). When that environment is absent the script says so and
prints only our times.

Inputs: one labelled event of 5-60 points per 500 points; scores uniform
noise plus 0.5 on labelled points; the binary prediction is ``score > 0.95``.
Ours: the best of ``--repeats`` runs after a warm-up, validation included.
References: the best of ``--repeats`` runs when one run takes under a second,
else one run, bounded by ``--reference-budget`` seconds (a run past it is
reported as ``> budget``). Both sides call the metric with the same arrays; the
last column is ``|ours - reference|``.
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

from pate.metrics._best_f1 import best_event_f1_score, best_pa_f1_score, best_point_f1_score
from pate.metrics._event_based import event_f1_score
from pate.metrics._point_adjust import pak_f1_score, point_adjusted_precision_recall_fscore
from pate.metrics._pointwise import (
    auc_pr_score,
    auc_pr_trapz_score,
    auc_roc_score,
    point_precision_recall_fscore,
)

DEFAULT_PYTHON = "/tmp/pwref/bin/python"
DEFAULT_TSB = "/tmp/pwref/tsb/TSB_AD/evaluation/basic_metrics.py"
DEFAULT_PATE = "/tmp/pwref/pate_repo/f1_score_f1_pa.py"

# Timed in the reference environment: one metric, prints [seconds, value].
REFERENCE_SNIPPET = r"""
import importlib.util, json, sys, time, warnings
import numpy as np
from sklearn import metrics
folder, which, tsb_path, pate_path, repeats = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
warnings.simplefilter("ignore")
y = np.load(folder + "/y.npy"); p = np.load(folder + "/p.npy"); s = np.load(folder + "/s.npy")
def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
    return module
if which in ("event", "best_point", "best_pa", "best_event"):
    tsb = load("tsb_basic_metrics", tsb_path).basic_metricor()
if which == "point":
    run = lambda: metrics.precision_recall_fscore_support(y, p, zero_division=0)[2][1]
elif which == "roc":
    run = lambda: metrics.roc_auc_score(y, s)
elif which == "ap":
    run = lambda: metrics.average_precision_score(y, s)
elif which == "trapz":
    def run():
        precision, recall, _ = metrics.precision_recall_curve(y, s)
        return metrics.auc(recall, precision)
elif which == "pa":
    adjust = load("pate_f1_score_f1_pa", pate_path).get_adjust_F1PA
    run = lambda: adjust(p.copy(), y)[3]
elif which == "pak":
    from tadpak.pak import pak
    run = lambda: metrics.f1_score(y, pak(p.astype(float), y, 0.5, k=20))
elif which == "event":
    run = lambda: tsb.metric_EventF1PA(y, s, preds=p)
elif which == "best_point":
    run = lambda: tsb.metric_PointF1(y, s)
elif which == "best_pa":
    run = lambda: tsb.metric_PointF1PA(y, s)
elif which == "best_event":
    run = lambda: tsb.metric_EventF1PA(y, s)
start = time.perf_counter(); value = run(); best = time.perf_counter() - start
if best < 1.0:
    for _ in range(repeats):
        start = time.perf_counter(); value = run(); best = min(best, time.perf_counter() - start)
print(json.dumps([best, float(value)]))
"""

# (our call, reference name, key of the reference snippet)
ROWS = [
    (
        "point_precision_recall_fscore",
        "sklearn p_r_f_support",
        "point",
        lambda y, p, s: point_precision_recall_fscore(y, p).fscore,
    ),
    ("auc_roc_score", "sklearn roc_auc_score", "roc", lambda y, p, s: auc_roc_score(y, s)),
    ("auc_pr_score", "sklearn average_precision", "ap", lambda y, p, s: auc_pr_score(y, s)),
    ("auc_pr_trapz_score", "sklearn auc(pr_curve)", "trapz", lambda y, p, s: auc_pr_trapz_score(y, s)),
    (
        "point_adjusted_p_r_f(compat)",
        "PATE repo get_adjust_F1PA",
        "pa",
        lambda y, p, s: point_adjusted_precision_recall_fscore(y, p, compat=True).fscore,
    ),
    ("pak_f1_score(k=20)", "tadpak pak + f1_score", "pak", lambda y, p, s: pak_f1_score(y, p, k=20.0)),
    (
        "event_f1_score(compat)",
        "TSB-AD metric_EventF1PA(p)",
        "event",
        lambda y, p, s: event_f1_score(y, p, compat=True),
    ),
    (
        "best_point_f1_score(compat)",
        "TSB-AD metric_PointF1",
        "best_point",
        lambda y, p, s: best_point_f1_score(y, s, compat=True),
    ),
    (
        "best_pa_f1_score(compat)",
        "TSB-AD metric_PointF1PA",
        "best_pa",
        lambda y, p, s: best_pa_f1_score(y, s, compat=True),
    ),
    (
        "best_event_f1_score(compat)",
        "TSB-AD metric_EventF1PA",
        "best_event",
        lambda y, p, s: best_event_f1_score(y, s, compat=True),
    ),
]


def reference_time(args, folder: str, which: str):
    command = [args.reference_python, "-c", REFERENCE_SNIPPET, folder, which, args.tsb, args.pate, str(args.repeats)]
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=args.reference_budget, check=True)
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
    parser.add_argument("--pate", default=DEFAULT_PATE)
    parser.add_argument("--reference-budget", type=float, default=600.0, help="seconds per reference run")
    args = parser.parse_args()

    have_reference = all(Path(x).exists() for x in (args.reference_python, args.tsb, args.pate))
    print(f"machine: {machine()}")
    if not have_reference:
        print(
            f"reference environment not found ({args.reference_python}, {args.tsb}, {args.pate}); "
            "printing our times only (see tests/data/make_pointwise_reference.py to make it)"
        )
    warnings.simplefilter("ignore")
    print(f"{'T':>8}  {'metric':<31}{'ours (ms)':>11}  {'reference':<28}{'ref (ms)':>12}{'ratio':>9}  |diff|")
    for n in args.sizes:
        y, p, s = make_inputs(n)
        with tempfile.TemporaryDirectory() as folder:
            for name, array in (("y", y), ("p", p), ("s", s)):
                np.save(f"{folder}/{name}.npy", array)
            for ours_name, ref_name, which, func in ROWS:
                ours, value = best_time(lambda: func(y, p, s), args.repeats)
                ref_ms = ratio = diff = "-"
                if have_reference:
                    elapsed, ref_value = reference_time(args, folder, which)
                    if elapsed is None:
                        ref_ms = f"> {args.reference_budget * 1e3:.0f}"
                        ratio = f"> {args.reference_budget / ours:.0f}x"
                    else:
                        ref_ms, ratio, diff = (
                            f"{elapsed * 1e3:.3f}",
                            f"{elapsed / ours:.1f}x",
                            f"{abs(ref_value - value):.1e}",
                        )
                print(
                    f"{n:>8}  {ours_name:<31}{ours * 1e3:>11.3f}  {ref_name:<28}{ref_ms:>12}{ratio:>9}  {diff}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
