"""Range-AUC and VUS: our time and the published implementations' time, side by side.

Run from the repository root (the figures in benchmarks/results/vus.md come
from it)::

    .venv/bin/python benchmarks/bench_vus.py
    .venv/bin/python benchmarks/bench_vus.py --sizes 10000 100000 --window 100 --reference-budget 600

The references run in their own scratch environment (made as described at
the top of tests/data/make_vus_reference.py: vus 0.0.6 from PyPI, and the
VLDB'22 ``vus/utils/metrics.py`` of TheDatumOrg/VUS@b708919 loaded by path
with ``--legacy``), in a child process started with ``--reference-python`` on
the very same inputs (written to a temporary folder as .npy files). When that
environment is absent the script says so and prints only our times.

Rows (same inputs and window for both sides):

* ``vus_score`` vs vus 0.0.6 ``get_metrics(metric='vus', version='opt')``
  (VUS-ROC and VUS-PR together, 250 thresholds);
* ``range_auc_score`` vs vus 0.0.6 ``get_metrics(metric='range_auc')``;
* ``vus_score(version="legacy")`` vs the VLDB'22 ``RangeAUC_volume``;
* ``range_auc_score(version="legacy")`` vs the VLDB'22 ``RangeAUC``.

Inputs: one labelled event of 5-60 points per 500 points; scores uniform
noise plus 0.5 on labelled points. Ours: the best of several runs after a
warm-up (numba's cache already compiled), validation included. References:
one run each, bounded by ``--reference-budget`` seconds (a run past it is
reported as ``> budget``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from _common import REPO, best_time, machine
from _common import make_inputs as _make_inputs

sys.path.insert(0, str(REPO))

from pate.metrics._vus import range_auc_score, vus_score

DEFAULT_PYTHON = "/tmp/vusref/bin/python"
DEFAULT_LEGACY = "/tmp/vusref/legacy/legacy_metrics.py"

# Timed in the reference environment: one run of one metric, prints seconds and values.
REFERENCE_SNIPPET = r"""
import importlib.util, json, sys, time, warnings
import numpy as np
warnings.simplefilter("ignore")
folder, which, legacy_path, window = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
y = np.load(folder + "/y.npy"); s = np.load(folder + "/s.npy")
if which.endswith("legacy"):
    spec = importlib.util.spec_from_file_location("vus_legacy_metrics", legacy_path)
    module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
    grader = module.metricor()
    if which == "vus_legacy":
        run = lambda: grader.RangeAUC_volume(y, s, window)[-2:]
    else:
        run = lambda: grader.RangeAUC(labels=y, score=s, window=window, plot_ROC=True)[:2]
else:
    from vus.metrics import get_metrics
    if which == "vus":
        run = lambda: (lambda m: (m["VUS_ROC"], m["VUS_PR"]))(
            get_metrics(s, y, metric="vus", version="opt", slidingWindow=window, thre=250))
    else:
        run = lambda: (lambda m: (m["R_AUC_ROC"], m["R_AUC_PR"]))(
            get_metrics(s, y, metric="range_auc", slidingWindow=window))
start = time.perf_counter(); value = run(); elapsed = time.perf_counter() - start
print(json.dumps([elapsed, [float(v) for v in value]]))
"""

ROWS = [
    ("vus", "vus_score", lambda y, s, w: vus_score(y, s, window=w), "vus 0.0.6 get_metrics('vus')"),
    ("range_auc", "range_auc_score", lambda y, s, w: range_auc_score(y, s, window=w), "vus 0.0.6 RangeAUC"),
    (
        "vus_legacy",
        "vus_score(legacy)",
        lambda y, s, w: vus_score(y, s, window=w, version="legacy"),
        "VLDB'22 RangeAUC_volume",
    ),
    (
        "range_auc_legacy",
        "range_auc_score(legacy)",
        lambda y, s, w: range_auc_score(y, s, window=w, version="legacy"),
        "VLDB'22 RangeAUC",
    ),
]


def reference_time(python: str, legacy: str, folder: str, which: str, window: int, budget: float):
    try:
        out = subprocess.run(
            [python, "-c", REFERENCE_SNIPPET, folder, which, legacy, str(window)],
            capture_output=True,
            text=True,
            timeout=budget,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return None, None
    elapsed, value = json.loads(out.stdout.strip().splitlines()[-1])
    return elapsed, value


def make_inputs(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    y, _, s = _make_inputs(n, seed)
    return y, s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--window", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--reference-python", default=DEFAULT_PYTHON)
    parser.add_argument("--legacy", default=DEFAULT_LEGACY)
    parser.add_argument("--reference-budget", type=float, default=600.0)
    args = parser.parse_args()

    have_reference = Path(args.reference_python).is_file()
    have_legacy = Path(args.legacy).is_file()
    print(f"machine: {machine()}")
    print(f"window: {args.window}, 250 thresholds")
    if not have_reference:
        print(f"reference environment not found at {args.reference_python}: printing our times only")
    elif not have_legacy:
        print(f"legacy reference not found at {args.legacy}: no reference time for the legacy rows")
    header = f"{'T':>8}  {'metric':<24}{'ours (ms)':>10}  {'reference':<30}{'ref (s)':>9}{'ratio':>10}  max |diff|"
    print(header)
    for n in args.sizes:
        y, s = make_inputs(n)
        with tempfile.TemporaryDirectory() as folder:
            np.save(os.path.join(folder, "y.npy"), y)
            np.save(os.path.join(folder, "s.npy"), s)
            for which, ours_name, ours, ref_name in ROWS:
                ours_s, value = best_time(lambda: ours(y, s, args.window), args.repeats)
                line = f"{n:>8}  {ours_name:<24}{ours_s * 1e3:>10.2f}  {ref_name:<30}"
                usable = have_reference and (have_legacy or not which.endswith("legacy"))
                if not usable:
                    print(line + f"{'-':>9}{'-':>10}  -")
                    continue
                ref_s, ref_value = reference_time(
                    args.reference_python, args.legacy, folder, which, args.window, args.reference_budget
                )
                if ref_s is None:
                    print(line + f"{'> ' + str(int(args.reference_budget)):>9}{'-':>10}  -")
                    continue
                diff = max(abs(a - b) for a, b in zip(value, ref_value))
                print(line + f"{ref_s:>9.2f}{ref_s / ours_s:>9.0f}x  {diff:.1e}", flush=True)


if __name__ == "__main__":
    main()
