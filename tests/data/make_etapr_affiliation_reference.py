"""Make tests/data/etapr_affiliation_reference.json from the published eTaPR and affiliation code.

Not run by the tests (they only read the JSON). The references are never
vendored: point this script at their source trees outside the repository.

    # sources (any checkout of the two public repositories):
    #   saurf4ng/eTaPR                 -> DIR_E (holds eTaPR_pkg/)
    #   ahstat/affiliation-metrics-py  -> DIR_A (holds affiliation/)
    python3 tests/data/make_etapr_affiliation_reference.py --etapr-src DIR_E --affiliation-src DIR_A

eTaPR imports pandas and matplotlib at module level (pip install numpy pandas
matplotlib), and OpenCV for its plotting helpers only, which this script
replaces by an empty stand-in module. eTaPR is called as
``evaluate_w_ranges(anomalies, predictions, theta_p, theta_r, delta)`` with
inclusive ``Range`` objects; affiliation as ``pr_from_events(events_pred,
events_gt, (0, T))`` with ``convert_vector_to_events``.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import sys
import types
from pathlib import Path

import numpy as np

OUT = Path(__file__).with_name("etapr_affiliation_reference.json")


def runs(y):
    m = np.concatenate(([0], np.asarray(y, dtype=int), [0]))
    d = np.diff(m)
    return list(zip(np.flatnonzero(d == 1).tolist(), (np.flatnonzero(d == -1) - 1).tolist()))


def label_pattern(rng, n):
    kind = rng.choice(["random", "runs", "edges", "gap1", "single"])
    y = np.zeros(n, dtype=int)
    if kind == "random":
        y = (rng.random(n) < rng.uniform(0.1, 0.6)).astype(int)
    elif kind == "single":
        y[rng.integers(0, n)] = 1
    else:
        for _ in range(rng.integers(1, 5)):
            a = int(rng.integers(0, n))
            y[a : a + int(rng.integers(1, max(2, n // 4)))] = 1
        if kind == "edges":
            y[0] = 1
            y[-1] = 1
        if kind == "gap1" and n > 6:
            a = int(rng.integers(0, n - 5))
            y[a : a + 2] = 1
            y[a + 2] = 0
            y[a + 3 : a + 5] = 1
    return y


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--etapr-src", required=True)
    parser.add_argument("--affiliation-src", required=True)
    parser.add_argument("--output", default=str(OUT))
    args = parser.parse_args()
    sys.path[:0] = [args.etapr_src, args.affiliation_src]
    # eTaPR's plotting helper imports OpenCV at module level; nothing here plots.
    sys.modules.setdefault("cv2", types.ModuleType("cv2"))
    from affiliation.generics import convert_vector_to_events
    from affiliation.metrics import pr_from_events
    from eTaPR_pkg import etapr
    from eTaPR_pkg.DataManage.Range import Range

    rng = np.random.default_rng(20261124)
    cases = []
    params = [(0.5, 0.1, 0.0), (0.5, 0.01, 0.0), (0.5, 0.1, 0.5), (0.7, 0.1, 1.0), (0.0, 0.0, 0.3), (1.0, 0.5, 0.2)]
    for c in range(400):
        n = int(rng.integers(1, 61)) if c < 360 else int(rng.integers(200, 2001))
        y, p = label_pattern(rng, n), label_pattern(rng, n)
        if rng.random() < 0.15:
            p = y.copy()
        case = {"id": f"c{c:03d}", "y_true": y.tolist(), "y_pred": p.tolist(), "etapr": [], "affiliation": None}
        A, B = runs(y), runs(p)
        for theta_p, theta_r, delta in params[: (6 if n <= 60 else 2)]:
            entry = {"theta_p": theta_p, "theta_r": theta_r, "delta": delta}
            try:
                res = etapr.evaluate_w_ranges(
                    [Range(a, b, "") for a, b in A], [Range(a, b, "") for a, b in B], theta_p, theta_r, delta
                )
                entry["value"] = [res["eTaP"], res["eTaR"], res["f1"]]
            except Exception as exc:
                entry["value"] = f"raises:{type(exc).__name__}"
            case["etapr"].append(entry)
        try:
            res = pr_from_events(convert_vector_to_events(p.tolist()), convert_vector_to_events(y.tolist()), (0, n))
            pr = [res["precision"], res["recall"]]
            case["affiliation"] = [None if (isinstance(v, float) and math.isnan(v)) else v for v in pr]
        except Exception as exc:
            case["affiliation"] = f"raises:{type(exc).__name__}"
        cases.append(case)
    doc = {
        "generator": f"tests/data/make_etapr_affiliation_reference.py; eTaPR (saurf4ng/eTaPR head), "
        f"affiliation (ahstat/affiliation-metrics-py head); numpy {np.__version__}, "
        f"Python {platform.python_version()}",
        "cases": cases,
    }
    Path(args.output).write_text(json.dumps(doc, separators=(",", ":")))


if __name__ == "__main__":
    main()
