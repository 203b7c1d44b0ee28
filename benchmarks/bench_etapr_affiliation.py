"""eTaPR and affiliation: pate side by side with the published code.

    .venv/bin/python benchmarks/bench_etapr_affiliation.py \\
        --etapr-src DIR_E --affiliation-src DIR_A [--reference-python PY]

DIR_E / DIR_A: checkouts of saurf4ng/eTaPR and ahstat/affiliation-metrics-py
(never vendored). The references run in a subprocess of PY (a Python with
numpy, pandas and matplotlib; see tests/data/make_etapr_affiliation_reference.py),
on the same inputs, once each; ours: best of 5 after a warm-up.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from _common import REPO, best_time, machine

sys.path.insert(0, str(REPO))

from pate.metrics import (
    affiliation_precision_recall_fscore,
    best_affiliation_f1_score,
    etapr_precision_recall_fscore,
)

REFERENCE = r"""
import json, sys, time, types
import numpy as np
sys.path[:0] = [sys.argv[2], sys.argv[3]]
sys.modules.setdefault("cv2", types.ModuleType("cv2"))
from eTaPR_pkg import etapr
from eTaPR_pkg.DataManage.Range import Range
from affiliation.generics import convert_vector_to_events
from affiliation.metrics import pr_from_events
data = np.load(sys.argv[1])
y, p = data["y"], data["p"]
def runs(v):
    m = np.concatenate(([0], v.astype(int), [0])); d = np.diff(m)
    return list(zip(np.flatnonzero(d == 1).tolist(), (np.flatnonzero(d == -1) - 1).tolist()))
out = {}
t = time.perf_counter()
r = etapr.evaluate_w_ranges([Range(a, b, "") for a, b in runs(y)], [Range(a, b, "") for a, b in runs(p)], 0.5, 0.1, 0.0)
out["etapr"] = [time.perf_counter() - t, [r["eTaP"], r["eTaR"], r["f1"]]]
t = time.perf_counter()
r = pr_from_events(convert_vector_to_events(p.tolist()), convert_vector_to_events(y.tolist()), (0, len(y)))
out["affiliation"] = [time.perf_counter() - t, [r["precision"], r["recall"]]]
print(json.dumps(out))
"""


def make(n, seed=0):
    rng = np.random.default_rng(seed)
    y = np.zeros(n, dtype=int)
    for block in range(0, n - 60, 500):
        start = block + int(rng.integers(0, 440))
        y[start : start + int(rng.integers(5, 61))] = 1
    s = rng.random(n) + 0.5 * y
    return y, s, (s > 0.95).astype(int)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--etapr-src")
    parser.add_argument("--affiliation-src")
    parser.add_argument("--reference-python", default=sys.executable)
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    print(f"# bench_etapr_affiliation.py on {machine()}")
    print(f"{'T':>8}  {'metric':<34} {'pate (ms)':>10} {'reference (s)':>14} {'ratio':>9} {'max |diff|':>11}")
    for n in map(int, args.sizes.split(",")):
        y, s, p = make(n)
        t_e, v_e = best_time(lambda: etapr_precision_recall_fscore(y, p), 5)
        t_a, v_a = best_time(lambda: affiliation_precision_recall_fscore(y, p), 5)
        t_b, _ = best_time(lambda: best_affiliation_f1_score(y, s), 3)
        ref = None
        if args.etapr_src and args.affiliation_src:
            with tempfile.TemporaryDirectory() as tmp:
                np.savez(Path(tmp) / "in.npz", y=y, p=p)
                out = subprocess.run(
                    [
                        args.reference_python,
                        "-c",
                        REFERENCE,
                        str(Path(tmp) / "in.npz"),
                        args.etapr_src,
                        args.affiliation_src,
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                ref = json.loads(out.stdout)
        for name, t, ours, key in (
            ("etapr_precision_recall_fscore", t_e, v_e, "etapr"),
            ("affiliation_precision_recall_fscore", t_a, v_a[:2], "affiliation"),
        ):
            if ref is None:
                print(f"{n:>8}  {name:<34} {1e3 * t:>10.3f} {'-':>14} {'-':>9} {'-':>11}")
                continue
            t_ref, v_ref = ref[key]
            diff = max(abs(a - b) for a, b in zip(ours, v_ref))
            print(f"{n:>8}  {name:<34} {1e3 * t:>10.3f} {t_ref:>14.3f} {t_ref / t:>8.0f}x {diff:>11.1e}")
        print(f"{n:>8}  {'best_affiliation_f1_score':<34} {1e3 * t_b:>10.3f} {'(not timed)':>14}")
    if not (args.etapr_src and args.affiliation_src):
        print("references not given (--etapr-src, --affiliation-src): only our times are shown")


if __name__ == "__main__":
    main()
