"""Make tests/data/pointwise_reference.json from the published implementations.

Covers the point-wise, AUC, point-adjusted, PA%K, event-based and best-F1
metrics (docs/spec/baseline-metrics.md, sections 1-6 and 12). Not run by the tests; the
tests only read the JSON it writes. The references are never vendored or
imported by the package: they live in a scratch directory outside the
repository.

Make the environment (Python 3.11; TSB-AD declares numpy < 2)::

    python3.11 -m venv /tmp/pwref
    /tmp/pwref/bin/pip install numpy==1.26.4 scikit-learn==1.5.2 tadpak==0.3.3 tqdm
    /tmp/pwref/bin/pip download --no-deps TSB-AD==1.5 -d /tmp/pwref/dl
    mkdir -p /tmp/pwref/tsb && cd /tmp/pwref/tsb && python3 -m zipfile -e ../dl/TSB_AD-1.5-py3-none-any.whl .

and copy the PATE authors' point adjustment out of their repository
(github.com/raminghorbanii/PATE, file ``metrics/f1_score_f1_pa.py``, commit
2d358ce) to ``/tmp/pwref/pate_repo/f1_score_f1_pa.py``. Both files are loaded
by path (TSB-AD's heavy dependencies need not be installed). Then, from the
repository root::

    /tmp/pwref/bin/python tests/data/make_pointwise_reference.py \\
        --tsb /tmp/pwref/tsb/TSB_AD/evaluation/basic_metrics.py \\
        --pate /tmp/pwref/pate_repo/f1_score_f1_pa.py

What is recorded (series as strings of 0/1, scores as lists of floats; ``null``
where the reference raises; nan is written as the string ``"nan"``):

* ``binary``: every label/prediction pair with T <= 4, then adversarial and
  random pairs. For each:
  ``point`` sklearn ``precision_recall_fscore_support(zero_division=0)``,
  positive class; ``pa`` the PATE authors' ``get_adjust_F1PA`` (precision,
  recall, F1; on a copy, it writes into its input); ``pa_tsb`` TSB-AD's
  ``metric_PointF1PA`` with the prediction; ``pa_default`` ``get_adjust_F1PA``
  on both arrays with a leading 0 (which lets its backward fill reach the first
  real point and changes no count: the definition without the index-0 quirk);
  ``pak`` tadpak's ``pak`` + sklearn ``f1_score`` for every ``k`` in ``PAK_K``;
  ``event`` TSB-AD's ``metric_EventF1PA`` with the prediction; ``event_default``
  the same on both arrays with a trailing 0 (its event list then ends every
  event where it ends; the 1e-15 stays, it is far below the tests' 1e-9).
* ``score``: label/score pairs (random, ties, constant, scores lying exactly on
  the oracle grid, informative, no labels, all labels). For each: ``roc``
  (``roc_auc_score``), ``ap`` (``average_precision_score``), ``trapz``
  (``auc(recall, precision)`` over ``precision_recall_curve``), and the best
  F1 over thresholds: ``best_point``, ``best_pa``, ``best_event`` from TSB-AD's
  ``metric_PointF1``/``metric_PointF1PA``/``metric_EventF1PA`` without a
  prediction (compat); ``best_point_default`` the maximum of ``2PR/(P+R)``
  over sklearn's precision-recall curve, ``best_pa_default`` the maximum over
  the oracle grid of tadpak's ``k = 0`` adjustment (no index-0 quirk),
  ``best_event_default`` TSB-AD's ``metric_EventF1PA`` on the arrays with a
  trailing label 0 / score ``min(s)`` (never predicted, so the grid and the
  precision are unchanged).
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import math
import warnings
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "pointwise_reference.json"
PAK_K = [0.0, 10.0, 20.0, 25.0, 100.0 / 3.0, 50.0, 67.0, 99.5, 100.0]


def load_module(name: str, path: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
    cases = []
    for n in range(1, 5):  # exhaustive: every label/prediction pair up to T = 4
        patterns = [np.array(bits, dtype=int) for bits in itertools.product([0, 1], repeat=n)]
        cases += [(y, p) for y in patterns for p in patterns]
    cases += [
        (series(10, (2, 4), (7, 7)), series(10, (3, 3), (6, 8))),
        (series(10, (0, 3)), series(10, (2, 2))),
        (series(10, (0, 3)), series(10, (0, 0))),
        (series(10, (0, 3)), series(10, (2, 3))),
        (series(10, (0, 9)), series(10, (3, 4))),
        (series(10, (7, 9)), series(10, (9, 9))),
        (series(10, (7, 9)), series(10, (8, 8))),
        (series(10, (9, 9)), series(10, (9, 9))),
        (series(10), series(10, (3, 3))),
        (series(10, (3, 4)), series(10)),
        (series(10, (0, 0), (9, 9)), series(10, (0, 0), (9, 9))),
        (series(10, (0, 1), (3, 4), (6, 7), (9, 9)), series(10, (1, 3), (5, 9))),
        (series(12, (1, 1), (3, 3), (5, 5)), series(12, (0, 6))),
        (series(20, (2, 17)), series(20, (2, 2), (5, 6), (9, 11), (14, 17))),
        (series(20, (0, 19)), series(20, (19, 19))),
        (series(20, (0, 19)), series(20, (0, 19))),
    ]
    for _ in range(260):
        n = int(rng.choice([5, 8, 13, 21, 40, 80, 150]))
        y = random_binary(rng, n, rng.uniform(0.05, 0.6))
        p = random_binary(rng, n, rng.uniform(0.05, 0.6))
        if rng.random() < 0.2:  # a perturbed copy of the labels: near-perfect predictions
            p = y.copy()
            flip = rng.random(n) < 0.1
            p[flip] = 1 - p[flip]
        cases.append((y, p))
    return cases


def score_cases(rng):
    grid = np.linspace(0.0, 1.0, 100)
    cases = [
        (series(6, (2, 3)), np.array([0.1, 0.85, 0.9, 0.8, 0.3, 0.1])),
        (series(5, (1, 1), (3, 3)), np.array([0.2, 0.2, 0.2, 0.9, 0.1])),
        (series(10, (4, 5)), np.zeros(10)),
        (series(5), np.array([0.1, 0.2, 0.3, 0.4, 0.5])),
        (series(12, (4, 5), (9, 9)), np.array([0.1, 0.2, 0.3, 0.6, 0.9, 0.4, 0.5, 0.2, 0.1, 0.7, 0.3, 0.0])),
        (series(10, (0, 9)), np.linspace(0, 1, 10)),
        (series(10, (0, 3)), np.array([0.1, 0.2, 0.9, 0.3, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0])),
        (series(10, (0, 0), (9, 9)), np.array([0.9, 0.1, 0.2, 0.1, 0.0, 0.3, 0.1, 0.2, 0.5, 0.8])),
        (series(10, (7, 9)), np.array([0, 0, 0, 0, 0, 0, 0, 0.2, 0.3, 1.0])),
        (series(10, (9, 9)), np.array([0, 0.5, 0, 0, 0, 0, 0, 0, 0, 1.0])),
        (series(1, (0, 0)), np.array([0.5])),
        (series(2, (1, 1)), np.array([0.0, 1.0])),
        (series(2, (0, 0)), np.array([0.0, 1.0])),
        (series(8, (2, 4)), series(8, (2, 4)).astype(float)),
        (series(8, (0, 7)), np.arange(8.0)),
    ]
    for _ in range(200):
        n = int(rng.choice([3, 6, 11, 25, 60, 120]))
        y = random_binary(rng, n, rng.uniform(0.05, 0.5))
        if rng.random() < 0.05:
            y[:] = 0
        kind = int(rng.integers(0, 6))
        if kind == 0:
            s = rng.random(n)
        elif kind == 1:  # many ties
            s = np.round(rng.random(n), 1)
        elif kind == 2:  # informative scores
            s = np.round(rng.random(n) + 0.7 * y, 3)
        elif kind == 3:  # few distinct values, binary-like
            s = rng.integers(0, 3, n).astype(float)
        elif kind == 4:  # every score lies exactly on a threshold of the oracle grid
            s = grid[rng.integers(0, 100, n)]
            s[rng.integers(0, n)], s[rng.integers(0, n)] = 0.0, 1.0
        else:  # constant, or constant but one point
            s = np.full(n, 0.25)
            if rng.random() < 0.5:
                s[rng.integers(0, n)] = 0.75
        cases.append((y, s))
    return cases


def as_bits(a) -> str:
    return "".join(map(str, np.asarray(a, dtype=int).tolist()))


def num(x):
    """JSON-safe float; nan as the string "nan"."""
    x = float(x)
    return "nan" if math.isnan(x) else x


def guarded(f):
    try:
        return f()
    except (IndexError, ValueError, ZeroDivisionError):
        return None


def binary_record(y, p, tsb, pate_pa, skm, pak):
    point = guarded(lambda: [num(v[1]) for v in skm.precision_recall_fscore_support(y, p, zero_division=0)[:3]])
    pa = [num(v) for v in pate_pa(p.copy(), y)[1:]]
    pad = lambda a: np.concatenate(([0], a)).astype(int)
    pa_default = [num(v) for v in pate_pa(pad(p), pad(y))[1:]]
    tail = lambda a: np.concatenate((a, [0])).astype(int)
    return dict(
        y_true=as_bits(y),
        y_pred=as_bits(p),
        point=point,
        pa=pa,
        pa_tsb=num(tsb.metric_PointF1PA(y, p.astype(float), preds=p)),
        pa_default=pa_default,
        pak=[num(skm.f1_score(y, pak(p.astype(float), y, 0.5, k=k))) for k in PAK_K],
        event=num(tsb.metric_EventF1PA(y, p.astype(float), preds=p)),
        event_default=num(tsb.metric_EventF1PA(tail(y), tail(p).astype(float), preds=tail(p))),
    )


def best_point_default(y, s, skm):
    precision, recall, _ = skm.precision_recall_curve(y, s)
    total = precision + recall
    return float(np.max(np.where(total > 0, 2 * precision * recall / np.where(total > 0, total, 1), 0.0)))


def best_pa_default(y, s, skm, pak):
    thresholds = np.linspace(s.min(), s.max(), 100)
    return max(float(skm.f1_score(y, pak(s, y, theta, k=0))) for theta in thresholds)


def score_record(y, s, tsb, skm, pak):
    def trapz():
        precision, recall, _ = skm.precision_recall_curve(y, s)
        return num(skm.auc(recall, precision))

    return dict(
        y_true=as_bits(y),
        y_score=[float(v) for v in s],
        roc=guarded(lambda: num(skm.roc_auc_score(y, s))),
        ap=num(skm.average_precision_score(y, s)),
        trapz=trapz(),
        best_point=num(tsb.metric_PointF1(y, s)),
        best_pa=num(tsb.metric_PointF1PA(y, s)),
        best_event=num(tsb.metric_EventF1PA(y, s)),
        best_point_default=num(best_point_default(y, s, skm)),
        best_pa_default=num(best_pa_default(y, s, skm, pak)),
        best_event_default=num(tsb.metric_EventF1PA(np.append(y, 0).astype(int), np.append(s, s.min()))),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tsb", required=True, help="path of TSB-AD 1.5's evaluation/basic_metrics.py")
    parser.add_argument("--pate", required=True, help="path of the PATE repository's metrics/f1_score_f1_pa.py")
    parser.add_argument("--seed", type=int, default=20240618)
    args = parser.parse_args()
    import sklearn
    import sklearn.metrics as skm  # only in the scratch environment
    from tadpak.pak import pak

    tsb = load_module("tsb_basic_metrics", args.tsb).basic_metricor()
    pate_pa = load_module("pate_f1_score_f1_pa", args.pate).get_adjust_F1PA
    rng = np.random.default_rng(args.seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the references warn on every degenerate case
        binary = [binary_record(y, p, tsb, pate_pa, skm, pak) for y, p in binary_cases(rng)]
        score = [score_record(y, s, tsb, skm, pak) for y, s in score_cases(rng)]
    data = dict(
        versions=dict(numpy=np.__version__, sklearn=sklearn.__version__, tadpak="0.3.3", tsb_ad="1.5"),
        pak_k=PAK_K,
        binary=binary,
        score=score,
    )
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({len(binary)} binary, {len(score)} score cases)")


if __name__ == "__main__":
    main()
