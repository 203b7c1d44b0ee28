"""Make ``tests/data/vus_reference.json``: Range-AUC and VUS values of the published code.

This script is not run by the tests; it documents where the numbers in the
JSON file come from. It runs the references in a scratch virtual environment
(never vendored into pate, never imported by the package or its tests):

1. The current version, vus 0.0.6 from PyPI (= TheDatumOrg/VUS head)::

       python3.11 -m venv /tmp/vusref
       /tmp/vusref/bin/pip install vus==0.0.6

2. The legacy version, the VLDB'22 code (TheDatumOrg/VUS at commit b708919,
   also vendored in the PATE authors' repository as ``metrics/vus``). Only
   its ``vus/utils/metrics.py`` is needed (it imports numpy and sklearn)::

       git clone https://github.com/TheDatumOrg/VUS /tmp/VUS
       mkdir -p /tmp/vusref/legacy
       git -C /tmp/VUS show b708919:vus/utils/metrics.py > /tmp/vusref/legacy/legacy_metrics.py

3. Run, from the repository root::

       /tmp/vusref/bin/python tests/data/make_vus_reference.py \
           --legacy /tmp/vusref/legacy/legacy_metrics.py --out tests/data/vus_reference.json

The corpus: random series (a few event lengths and gaps, scores drawn from a
small set of values so that ties are common, or continuous) and adversarial
ones (events at index 0 and at T - 1, length-1 events, events one point
apart, constant scores, perfect and inverted scores, all-zero and all-one
labels, T = 1, windows larger than the series, fewer points than
thresholds). Every case stores the labels as a 0/1 string, the scores as
floats (JSON keeps every float64 bit), and for each of the six reference
quantities either its value (NaN written as NaN) or the name of the
exception the reference raised.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import warnings

import numpy as np


def load_legacy(path: str):
    spec = importlib.util.spec_from_file_location("vus_legacy_metrics", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.metricor


def outcome(fn):
    """The reference's float values, or the name of the exception it raised."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return [float(v) for v in fn()]
    except Exception as exc:  # the reference's own error on degenerate input
        return type(exc).__name__


def random_labels(rng, n):
    y = np.zeros(n, dtype=np.int64)
    pos = int(rng.integers(0, 4))
    while pos < n:
        length = int(rng.choice([1, 1, 2, 3, 5, 8, 20]))
        y[pos : pos + length] = 1
        pos += length + int(rng.choice([1, 1, 2, 3, 4, 7, 15, 40]))
    return y


def random_scores(rng, n, y):
    kind = rng.integers(0, 4)
    if kind == 0:  # heavy ties
        s = rng.choice([0.0, 0.25, 0.5, 0.75, 1.0], size=n)
    elif kind == 1:  # continuous, few decimals
        s = np.round(rng.random(n), 3)
    elif kind == 2:  # informative: labels plus noise, smoothed
        s = np.round(np.convolve(y + 0.6 * rng.random(n), np.ones(3) / 3, mode="same"), 4)
    else:  # integer scores
        s = rng.integers(0, 6, size=n).astype(float)
    return s


def corpus(rng):
    cases = []

    def add(y, s, windows, thre=(250,)):
        cases.append((np.asarray(y, dtype=np.int64), np.asarray(s, dtype=np.float64), list(windows), list(thre)))

    # Adversarial, hand-made.
    n = 12
    add(
        [0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0],
        [0.1, 0.2, 0.3, 0.6, 0.9, 0.4, 0.5, 0.2, 0.1, 0.7, 0.3, 0],
        [0, 1, 2, 3, 4, 6, 30],
        [250, 2, 5],
    )
    add([1] + [0] * (n - 2) + [1], np.round(rng.random(n), 2), [0, 2, 3, 5, 8, 25])  # events at 0 and T-1
    add([1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0], np.round(rng.random(n), 2), [0, 1, 2, 3, 4, 5, 9])  # gap-1 neighbours
    add([0, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1], np.round(rng.random(n), 2), [2, 4, 6, 7])
    add([0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0], np.full(n, 0.3), [0, 2, 5, 10], [250, 3])  # constant score
    add([0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0], [0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0], [0, 3, 6])  # perfect
    add([0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0], [1, 1, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1], [0, 3, 6])  # inverted
    add([0] * 10, np.round(rng.random(10), 2), [0, 4])  # no label
    add([1] * 10, np.round(rng.random(10), 2), [0, 4])  # all labelled
    add([1], [0.5], [0, 3])  # T = 1 with a label
    add([0], [0.5], [0, 3])  # T = 1 without a label
    add([0, 1], [0.2, 0.9], [0, 1, 2, 3, 6])
    add([1, 0], [0.2, 0.2], [0, 2, 5])
    add([0, 1, 0], [0.0, 1.0, 0.0], [0, 2, 4, 8])
    add([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1], np.round(rng.random(n), 1), [0, 3, 4, 20])
    add([0] * 5 + [1] * 295, np.round(rng.random(300), 2), [0, 4, 10])  # almost all labelled, T > 250
    yy = np.zeros(300, dtype=np.int64)
    yy[0], yy[299], yy[150] = 1, 1, 1
    add(yy, np.round(rng.random(300), 3), [0, 2, 7, 40], [250, 300, 1000])  # T > thresholds
    # Random.
    for i in range(70):
        n = int(rng.choice([5, 9, 16, 30, 60, 120, 250, 400]))
        y = random_labels(rng, n)
        s = random_scores(rng, n, y)
        windows = sorted({0, 1, int(rng.integers(2, 8)), int(rng.integers(2, 30))})
        thre = [250] if i % 3 else [250, int(rng.integers(2, 40))]
        add(y, s, windows, thre)
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--legacy", required=True, help="path of the VLDB'22 vus/utils/metrics.py")
    parser.add_argument("--out", default="tests/data/vus_reference.json")
    parser.add_argument("--seed", type=int, default=20221201)
    args = parser.parse_args()

    import vus
    from vus.metrics import get_metrics
    from vus.utils.metrics import metricor

    legacy_metricor = load_legacy(args.legacy)
    rng = np.random.default_rng(args.seed)
    records = []
    for y, s, windows, thres in corpus(rng):
        for window in windows:
            for thre in thres:
                record = {
                    "y": "".join(map(str, y.tolist())),
                    "s": s.tolist(),
                    "window": window,
                    "n_thresholds": thre,
                    "vus": outcome(
                        lambda: (lambda m: (m["VUS_ROC"], m["VUS_PR"]))(
                            get_metrics(s, y, metric="vus", version="opt", slidingWindow=window, thre=thre)
                        )
                    ),
                }
                if thre == 250:  # the other three have the 250 thresholds built in
                    record["range_auc"] = outcome(
                        lambda: metricor().RangeAUC(labels=y, score=s, window=window, plot_ROC=True)[:2]
                    )
                    record["range_auc_legacy"] = outcome(
                        lambda: legacy_metricor().RangeAUC(labels=y, score=s, window=window, plot_ROC=True)[:2]
                    )
                    record["vus_legacy"] = outcome(lambda: legacy_metricor().RangeAUC_volume(y, s, window)[-2:])
                records.append(record)
    payload = {
        "about": "Range-AUC and VUS of vus 0.0.6 and of TheDatumOrg/VUS@b708919; "
        "made by tests/data/make_vus_reference.py",
        "vus_version": getattr(vus, "__version__", "0.0.6"),
        "numpy_version": np.__version__,
        "cases": records,
    }
    with open(args.out, "w") as fh:
        json.dump(payload, fh, separators=(",", ":"))
    print(f"wrote {len(records)} cases to {args.out}")


if __name__ == "__main__":
    main()
