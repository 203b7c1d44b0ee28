"""Make tests/data/range_based_reference.json from the published implementations.

Not run by the tests; the tests only read the JSON it writes. The references
are never vendored or imported by the package: they live in a scratch
virtual environment outside the repository.

Make the environment (Python 3.11; prts and TSB-AD declare numpy < 2)::

    python3.11 -m venv /tmp/rbref
    /tmp/rbref/bin/pip install "numpy<2" prts==1.0.0.3 scikit-learn==1.5.2

(the corpus in the repository was last written from such an environment with
numpy 1.24.4 and scikit-learn 1.3.2; neither changes a recorded number)
    /tmp/rbref/bin/pip download --no-deps TSB-AD==1.5 -d /tmp/rbref/dl
    mkdir -p /tmp/rbref/tsb && cd /tmp/rbref/tsb && python3 -m zipfile -e ../dl/TSB_AD-1.5-py3-none-any.whl .

(Only ``TSB_AD/evaluation/basic_metrics.py`` is used; it is loaded by path so
that TSB-AD's heavy dependencies need not be installed.) Then, from the
repository root::

    /tmp/rbref/bin/python tests/data/make_range_based_reference.py \\
        --tsb /tmp/rbref/tsb/TSB_AD/evaluation/basic_metrics.py

What is recorded (series as strings of 0/1, scores as lists of floats):

* ``binary``: label/prediction pairs, random and adversarial (events at index
  0 and T-1, length-1 events, gap-1 neighbours, no events, whole-series
  events, T = 1 and 2). For each, prts' precision, recall and F-score under
  every option set of ``prts_options`` (``null`` where prts raises), and
  TSB-AD's ``metric_RF1`` with the prediction: ``tsb_compat`` on the arrays
  as given (integer 0/1), ``tsb_default`` on the arrays padded with a 0 at
  both ends, which lets TSB-AD's run finder see every event and changes
  nothing else (the definition without the run-finder bug).
* ``score``: label/score pairs (random, with ties, constant, 0/1-valued).
  ``best_compat`` is TSB-AD's ``metric_RF1`` without a prediction (its oracle
  grid); ``best_default`` is the maximum over the same grid of the padded
  ``metric_RF1``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "range_based_reference.json"

PRTS_OPTIONS = [
    dict(alpha_p=0.0, alpha_r=0.0, bias_p="flat", bias_r="flat", cardinality="one", beta=1.0),
    dict(alpha_p=0.0, alpha_r=0.0, bias_p="flat", bias_r="flat", cardinality="reciprocal", beta=1.0),
    dict(alpha_p=0.2, alpha_r=0.2, bias_p="flat", bias_r="flat", cardinality="one", beta=1.0),
    dict(alpha_p=0.0, alpha_r=0.2, bias_p="flat", bias_r="flat", cardinality="reciprocal", beta=1.0),
    dict(alpha_p=0.0, alpha_r=0.5, bias_p="back", bias_r="front", cardinality="reciprocal", beta=1.0),
    dict(alpha_p=0.3, alpha_r=0.0, bias_p="middle", bias_r="middle", cardinality="one", beta=2.0),
    dict(alpha_p=0.0, alpha_r=1.0, bias_p="front", bias_r="back", cardinality="reciprocal", beta=0.5),
    dict(alpha_p=1.0, alpha_r=0.7, bias_p="back", bias_r="middle", cardinality="one", beta=0.0),
    # prts' third cardinality, its default user-defined gamma
    dict(alpha_p=0.0, alpha_r=0.0, bias_p="flat", bias_r="flat", cardinality="udf_gamma", beta=1.0),
    dict(alpha_p=0.2, alpha_r=0.2, bias_p="flat", bias_r="flat", cardinality="udf_gamma", beta=1.0),
    dict(alpha_p=0.0, alpha_r=0.5, bias_p="back", bias_r="front", cardinality="udf_gamma", beta=2.0),
]


def load_tsb(path: str):
    spec = importlib.util.spec_from_file_location("tsb_basic_metrics", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.basic_metricor()


def series(n, *ranges):
    y = np.zeros(n, dtype=int)
    for a, b in ranges:
        y[a : b + 1] = 1
    return y


def random_binary(rng, n, density):
    """Runs of ones with geometric lengths: many short events and gaps."""
    y = np.zeros(n, dtype=int)
    t = int(rng.integers(0, 3))
    while t < n:
        if rng.random() < density:
            length = int(rng.geometric(0.3))
            y[t : t + length] = 1
            t += length
        t += int(rng.geometric(0.4))
    return y


def binary_cases(rng):
    cases = [
        # the spec's examples
        (series(30, (5, 14), (20, 21)), series(30, (3, 6), (8, 8), (10, 20))),
        (series(10, (0, 9)), series(10, (3, 4))),
        (series(10, (2, 4), (7, 7)), series(10, (3, 3), (6, 8))),
        # adversarial
        (series(1, (0, 0)), series(1, (0, 0))),
        (series(2, (0, 1)), series(2, (1, 1))),
        (series(2, (1, 1)), series(2, (0, 1))),
        (series(2, (0, 0)), series(2, (1, 1))),
        (series(10, (0, 0), (9, 9)), series(10, (0, 0), (9, 9))),
        (series(10, (0, 0), (9, 9)), series(10, (0, 9))),
        (series(10, (0, 9)), series(10, (0, 9))),
        (series(10, (0, 9)), series(10, (0, 0), (2, 2), (4, 4), (6, 6), (8, 8))),
        (series(10, (0, 1), (3, 4), (6, 7), (9, 9)), series(10, (1, 3), (5, 9))),
        (series(10, (0, 3)), series(10, (2, 2))),
        (series(10, (7, 9)), series(10, (9, 9))),
        (series(10, (9, 9)), series(10, (9, 9))),
        (series(12, (1, 1), (3, 3), (5, 5)), series(12, (0, 6))),
        (series(12, (0, 6)), series(12, (1, 1), (3, 3), (5, 5))),
        (series(20, (2, 17)), series(20, (2, 2), (5, 6), (9, 11), (14, 17))),
        (series(20, (5, 8)), series(20, (5, 8))),
        (series(20, (5, 8)), series(20, (9, 12))),
        (series(20, (5, 8)), series(20, (0, 19))),
        # no labels, no prediction, neither
        (series(10), series(10, (3, 4))),
        (series(10, (3, 4)), series(10)),
        (series(10), series(10)),
        (series(1), series(1)),
        (series(1, (0, 0)), series(1)),
    ]
    for _ in range(220):
        n = int(rng.choice([3, 5, 8, 13, 21, 40, 80, 150]))
        y = random_binary(rng, n, rng.uniform(0.05, 0.6))
        p = random_binary(rng, n, rng.uniform(0.05, 0.6))
        if rng.random() < 0.15:  # a perturbed copy of the labels: near-perfect predictions
            p = y.copy()
            flip = rng.random(n) < 0.1
            p[flip] = 1 - p[flip]
        cases.append((y, p))
    return cases


def score_cases(rng):
    cases = [
        (series(12, (4, 5), (9, 9)), np.array([0.1, 0.2, 0.3, 0.6, 0.9, 0.4, 0.5, 0.2, 0.1, 0.7, 0.3, 0.0])),
        (series(6, (2, 3)), np.array([0.1, 0.85, 0.9, 0.8, 0.3, 0.1])),
        (series(10, (4, 5)), np.zeros(10)),
        (series(10, (0, 9)), np.linspace(0, 1, 10)),
        (series(10, (0, 0), (9, 9)), np.array([0.9, 0.1, 0.2, 0.1, 0.0, 0.3, 0.1, 0.2, 0.5, 0.8])),
        (series(10), np.linspace(0, 1, 10)),
        (series(1, (0, 0)), np.array([0.5])),
        (series(2, (1, 1)), np.array([0.0, 1.0])),
        (series(8, (2, 4)), series(8, (2, 4)).astype(float)),
    ]
    for _ in range(140):
        n = int(rng.choice([4, 9, 25, 60, 120, 300]))
        y = random_binary(rng, n, rng.uniform(0.05, 0.5))
        kind = rng.integers(0, 4)
        if kind == 0:
            s = rng.random(n)
        elif kind == 1:  # many ties
            s = np.round(rng.random(n), 1)
        elif kind == 2:  # informative scores
            s = np.round(rng.random(n) + 0.7 * y, 3)
        else:  # few distinct values, binary-like
            s = rng.integers(0, 3, n).astype(float)
        cases.append((y, s))
    return cases


def as_bits(a) -> str:
    return "".join(map(str, np.asarray(a, dtype=int).tolist()))


def prts_values(y, p, o):
    import prts  # only in the scratch environment; imported here so that pytest can collect this file

    try:
        precision = prts.ts_precision(y, p, alpha=o["alpha_p"], cardinality=o["cardinality"], bias=o["bias_p"])
        recall = prts.ts_recall(y, p, alpha=o["alpha_r"], cardinality=o["cardinality"], bias=o["bias_r"])
        fscore = prts.ts_fscore(
            y,
            p,
            beta=o["beta"],
            p_alpha=o["alpha_p"],
            r_alpha=o["alpha_r"],
            cardinality=o["cardinality"],
            p_bias=o["bias_p"],
            r_bias=o["bias_r"],
        )
    except AssertionError:
        return None
    return [float(precision), float(recall), float(fscore)]


def tsb_default(tsb, y, p):
    pad = lambda a: np.concatenate(([0], a, [0])).astype(int)
    return float(tsb.metric_RF1(pad(y), None, preds=pad(p)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tsb", required=True, help="path of TSB-AD 1.5's evaluation/basic_metrics.py")
    parser.add_argument("--seed", type=int, default=20240617)
    args = parser.parse_args()
    tsb = load_tsb(args.tsb)
    rng = np.random.default_rng(args.seed)

    binary = []
    for y, p in binary_cases(rng):
        binary.append(
            dict(
                y_true=as_bits(y),
                y_pred=as_bits(p),
                prts=[prts_values(y, p, o) for o in PRTS_OPTIONS],
                tsb_compat=float(tsb.metric_RF1(y.astype(int), None, preds=p.astype(int))),
                tsb_default=tsb_default(tsb, y, p),
            )
        )

    score = []
    for y, s in score_cases(rng):
        thresholds = np.linspace(s.min(), s.max(), 100)
        best_default = max(tsb_default(tsb, y, (s > t).astype(int)) for t in thresholds)
        score.append(
            dict(
                y_true=as_bits(y),
                y_score=[float(v) for v in s],
                best_compat=float(tsb.metric_RF1(y.astype(int), s)),
                best_default=float(best_default),
            )
        )

    data = dict(
        source="prts 1.0.0.3; TSB-AD 1.5 basic_metrics.py; numpy " + np.__version__,
        prts_options=PRTS_OPTIONS,
        binary=binary,
        score=score,
    )
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes): {len(binary)} binary and {len(score)} score cases")


if __name__ == "__main__":
    main()
