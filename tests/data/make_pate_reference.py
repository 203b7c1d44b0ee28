"""Write tests/data/pate_reference.json: values computed by the published PATE 0.1.1.

This script is NOT run by the test suite. It runs the published PyPI package
``PATE`` 0.1.1 (module ``pate.PATE_metric``, function ``PATE``) on a fixed,
seeded set of inputs and stores the inputs with the package's results. None of
the package's code is copied here; it is loaded from a separate virtualenv.

Set-up (a scratch virtualenv outside the repository; the package's metadata pins
numpy 1.24.4 / scikit-learn 1.3.2, so it is installed without its dependencies;
it needs scikit-learn < 1.6-ish for the private ``_binary_clf_curve`` and
statsmodels at import time)::

    python3 -m venv /tmp/pateref
    /tmp/pateref/bin/pip install --no-deps 'PATE==0.1.1'
    /tmp/pateref/bin/pip install 'scikit-learn==1.5.2' 'numpy==2.0.2' statsmodels pandas joblib scipy

Run (from anywhere; about a minute or two on 2 cores)::

    /tmp/pateref/bin/python tests/data/make_pate_reference.py \
        [--reference-path /tmp/pateref/lib/python3.11/site-packages/pate/PATE_metric.py] \
        [--nab-dir ../shared/data/nab] [--output tests/data/pate_reference.json]

The published module is itself called ``pate``, which clashes with this
project's package. It is therefore loaded by file path under the name
``pate_published`` (its ``from pate.PATE_utils import ...`` line is served by
a temporary ``sys.modules`` entry that is removed again afterwards).

Output format::

    {"generator": "...", "cases": [{"id", "mode": "continuous"|"binary",
      "y_true": [0/1], "y_score": [...], "params": {"early_buffer", "delay_buffer",
      "n_buffer_splits", "include_zero", "n_thresholds" (null = Big_Data off),
      "drop_intermediate"}, "value": float}, ...],
     "extra_cases": [... same, plus "pos_label"/"sample_weight" in params ...]}

Parameter mapping to the published call: early_buffer -> e_buffer,
delay_buffer -> d_buffer, n_buffer_splits -> num_splits_MaxBuffer,
n_thresholds None -> Big_Data=False, n_thresholds k -> Big_Data=True and
num_desired_thresholds=k, drop_intermediate -> drop_intermediate,
mode "binary" -> binary_scores=True. "extra_cases" use pos_label /
sample_weight, which the main reference test does not pass on.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.util
import io
import json
import platform
import sys
import sysconfig
import time
import types
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SEED = 20240512


# --------------------------------------------------------------------------
# loading the published package under another name
# --------------------------------------------------------------------------
def find_reference_path(given: str | None) -> Path:
    if given:
        return Path(given)
    for key in ("purelib", "platlib"):
        p = Path(sysconfig.get_paths()[key]) / "pate" / "PATE_metric.py"
        if p.is_file():
            return p
    raise SystemExit("PATE_metric.py not found; pass --reference-path")


def load_published(path: Path):
    pkg_dir = path.parent
    utils_spec = importlib.util.spec_from_file_location("pate_published_utils", pkg_dir / "PATE_utils.py")
    utils = importlib.util.module_from_spec(utils_spec)
    utils_spec.loader.exec_module(utils)
    saved = {k: sys.modules.get(k) for k in ("pate", "pate.PATE_utils")}
    fake_pkg = types.ModuleType("pate")
    fake_pkg.__path__ = []  # a package with nothing else in it
    fake_pkg.PATE_utils = utils
    sys.modules["pate"] = fake_pkg
    sys.modules["pate.PATE_utils"] = utils
    try:
        spec = importlib.util.spec_from_file_location("pate_published", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
    finally:
        for k, v in saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v
    return mod


# --------------------------------------------------------------------------
# case construction
# --------------------------------------------------------------------------
DEFAULTS = dict(
    early_buffer=100, delay_buffer=100, n_buffer_splits=1, include_zero=True, n_thresholds=250, drop_intermediate=True
)


def make_case(cid, mode, y_true, y_score, **params):
    p = dict(DEFAULTS)
    p.update(params)
    y_true = [int(v) for v in y_true]
    if mode == "binary":
        y_score = [int(v) for v in y_score]
    else:
        y_score = [float(v) for v in y_score]
    return {"id": cid, "mode": mode, "y_true": y_true, "y_score": y_score, "params": p}


def run_published(PATE, case):
    p = case["params"]
    kw = dict(
        e_buffer=p["early_buffer"],
        d_buffer=p["delay_buffer"],
        num_splits_MaxBuffer=p["n_buffer_splits"],
        include_zero=p["include_zero"],
        drop_intermediate=p["drop_intermediate"],
    )
    if p["n_thresholds"] is None:
        kw["Big_Data"] = False
    else:
        kw["Big_Data"] = True
        kw["num_desired_thresholds"] = p["n_thresholds"]
    if "pos_label" in p:
        kw["pos_label"] = p["pos_label"]
    if "sample_weight" in p:
        kw["sample_weight"] = np.array(p["sample_weight"], dtype=float)
    y = np.array(case["y_true"], dtype=int)
    if case["mode"] == "binary":
        s = np.array(case["y_score"], dtype=int)
        kw["binary_scores"] = True
    else:
        s = np.array(case["y_score"], dtype=float)
    return float(PATE(y, s, **kw))


def ranges_to_array(T, ranges):
    a = np.zeros(T, dtype=int)
    for s, e in ranges:
        a[s : e + 1] = 1
    return a


def spec_table_cases():
    """Section 8 of docs/spec/pate-definition.md; (case, expected value)."""
    out = []
    add = lambda c, v: out.append((c, v))
    add(make_case("spec-01", "continuous", [0, 1, 0, 1, 0], [0.1, 0.8, 0.1, 0.9, 0.2]), 1.0)
    y = ranges_to_array(500, [(40, 59)])
    s = ranges_to_array(500, [(30, 49)])
    add(
        make_case(
            "spec-02", "continuous", y, s, early_buffer=20, delay_buffer=20, include_zero=False, n_thresholds=None
        ),
        0.7593424904335389,
    )
    add(
        make_case("spec-03", "binary", y, s, early_buffer=20, delay_buffer=20, include_zero=False, n_thresholds=None),
        0.7513087240782763,
    )
    y = ranges_to_array(40, [(20, 24)])
    add(make_case("spec-04", "binary", y, ranges_to_array(40, [(14, 19)]), early_buffer=6, delay_buffer=4), 0.0)
    add(
        make_case("spec-05", "binary", y, ranges_to_array(40, [(14, 19), (23, 23)]), early_buffer=6, delay_buffer=4),
        0.3142100617828773,
    )
    y = ranges_to_array(60, [(10, 29)])
    add(
        make_case("spec-06", "binary", y, ranges_to_array(60, [(12, 13), (16, 27)]), early_buffer=0, delay_buffer=0),
        0.839911588253868,
    )
    add(
        make_case("spec-07", "binary", y, ranges_to_array(60, [(12, 23), (26, 27)]), early_buffer=0, delay_buffer=0),
        0.8995603652350355,
    )
    add(
        make_case(
            "spec-08",
            "binary",
            ranges_to_array(40, [(10, 14), (16, 19)]),
            ranges_to_array(40, [(12, 17)]),
            early_buffer=5,
            delay_buffer=5,
        ),
        0.7142857142857143,
    )
    add(
        make_case(
            "spec-09",
            "binary",
            ranges_to_array(40, [(10, 14), (25, 25)]),
            ranges_to_array(40, [(7, 12), (26, 28)]),
            early_buffer=1,
            delay_buffer=1,
            n_buffer_splits=3,
        ),
        0.42857142857142855,
    )
    y = [0, 1, 1, 0, 0, 1, 0, 0]
    s = [0.1, 0.9, 0.3, 0.2, 0.8, 0.4, 0.1, 0.05]
    add(make_case("spec-10", "continuous", y, s, early_buffer=2, delay_buffer=2, n_thresholds=None), 0.7807539682539683)
    c = make_case("spec-11", "continuous", y, s, early_buffer=2, delay_buffer=2, n_thresholds=None)
    c["params"]["sample_weight"] = [1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0]
    add(c, 0.8670634920634921)
    add(
        make_case(
            "spec-12",
            "binary",
            ranges_to_array(30, [(10, 14)]),
            ranges_to_array(30, [(9, 9), (12, 12), (15, 15)]),
            early_buffer=3,
            delay_buffer=3,
            n_buffer_splits=9,
            include_zero=False,
        ),
        0.3414181748908424,
    )
    y = ranges_to_array(18, [(0, 11), (13, 15)])
    s = np.full(18, 0.1)
    s[2:8] = 0.9
    s[9] = 0.9
    s[13:16] = 0.9
    s[0] = 0.5
    s[17] = 0.5
    add(make_case("spec-13", "continuous", y, s, early_buffer=0, delay_buffer=0), 0.9813725490196079)
    return out


def random_runs(rng, T, n_events, min_len=1, max_len=8):
    """Up to n_events disjoint runs separated by >= 1 normal point."""
    y = np.zeros(T, dtype=int)
    for _ in range(n_events):
        L = int(rng.integers(min_len, max_len + 1))
        if L > T:
            continue
        s = int(rng.integers(0, T - L + 1))
        lo, hi = max(0, s - 1), min(T, s + L + 1)
        if y[lo:hi].any():
            continue
        y[s : s + L] = 1
    return y


def label_pattern(rng, kind, T):
    if kind == "none":
        return np.zeros(T, dtype=int)
    if kind == "all":
        return np.ones(T, dtype=int)
    if kind == "random":
        return random_runs(rng, T, int(rng.integers(1, 5)), 1, max(1, T // 5))
    if kind == "edges":  # events touching index 0 and T-1
        y = random_runs(rng, T, int(rng.integers(0, 3)), 1, max(1, T // 6))
        a = int(rng.integers(1, max(2, T // 5)))
        b = int(rng.integers(1, max(2, T // 5)))
        y[:a] = 1
        y[T - b :] = 1
        return y
    if kind == "singletons":  # length-1 events
        y = np.zeros(T, dtype=int)
        idx = rng.choice(T, size=min(T, int(rng.integers(1, 5))), replace=False)
        for i in sorted(idx):
            if (i == 0 or y[i - 1] == 0) and (i == T - 1 or y[i + 1] == 0):
                y[i] = 1
        if not y.any():
            y[int(rng.integers(0, T))] = 1
        return y
    if kind == "gap1":  # events separated by exactly one normal point
        y = np.zeros(T, dtype=int)
        pos = int(rng.integers(0, max(1, T // 4)))
        while pos < T:
            L = int(rng.integers(1, 6))
            y[pos : min(T, pos + L)] = 1
            pos += L + 1
            if rng.random() < 0.3:
                pos += int(rng.integers(1, 8))
        return y
    raise ValueError(kind)


def score_pattern(rng, kind, y):
    T = len(y)
    if kind == "uniform":
        return np.round(rng.random(T), 6)
    if kind == "bump":
        return np.round(rng.random(T) * 0.7 + 0.4 * y * rng.random(T) + 0.2 * np.roll(y, int(rng.integers(-3, 4))), 6)
    if kind == "ties":
        k = int(rng.integers(2, 5))
        return rng.integers(0, k, T) / k
    if kind == "constant":
        return np.full(T, float(rng.choice([0.0, 0.5, 1.0, 3.25])))
    if kind == "binary01":
        return (rng.random(T) < rng.choice([0.1, 0.3, 0.6])).astype(float)
    raise ValueError(kind)


def random_params(rng, T, mode):
    bufs = [0, 1, 2, 3, 5, T + int(rng.integers(0, 5)), int(rng.integers(0, 12))]
    e = int(rng.choice(bufs))
    d = int(rng.choice(bufs))
    if rng.random() < 0.05:
        n_splits, include_zero = 9, False
    else:
        n_splits = int(rng.integers(1, 4))
        include_zero = bool(rng.random() < 0.5)
    p = dict(early_buffer=e, delay_buffer=d, n_buffer_splits=n_splits, include_zero=include_zero)
    if mode == "continuous":
        r = rng.random()
        p["n_thresholds"] = None if r < 0.4 else int(rng.choice([1, 2, 5, 250, 250]))
        p["drop_intermediate"] = bool(rng.random() < 0.8)
    return p


def small_cases(rng):
    cases = []
    label_kinds = ["random", "edges", "singletons", "gap1", "none", "all"]
    score_kinds = ["uniform", "bump", "ties", "constant", "binary01"]
    n = 0
    # continuous: every label kind x score kind, several times
    for rep in range(7):
        for lk in label_kinds:
            for sk in score_kinds:
                for _ in range(3 if lk not in ("none", "all") else 1):
                    T = int(rng.integers(1, 61)) if rng.random() < 0.8 else int(rng.integers(1, 8))
                    y = label_pattern(rng, lk, T)
                    s = score_pattern(rng, sk, y)
                    n += 1
                    cases.append(
                        make_case(
                            f"small-c{n:04d}-{lk}-{sk}", "continuous", y, s, **random_params(rng, T, "continuous")
                        )
                    )
    # binary mode
    n = 0
    for rep in range(25):
        for lk in label_kinds:
            T = int(rng.integers(1, 61))
            y = label_pattern(rng, lk, T)
            r = rng.random()
            if r < 0.6:
                pred = (rng.random(T) < rng.choice([0.05, 0.2, 0.5])).astype(int)
            elif r < 0.8:  # shifted / dilated labels
                pred = np.roll(y, int(rng.integers(-4, 5)))
                if rng.random() < 0.5:
                    pred = pred | np.roll(pred, 1)
            elif r < 0.9:
                pred = np.zeros(T, dtype=int)
            else:
                pred = np.ones(T, dtype=int)
            n += 1
            cases.append(make_case(f"small-b{n:04d}-{lk}", "binary", y, pred, **random_params(rng, T, "binary")))
    return cases


def realistic(rng, T, min_len=5, max_len=60, per=500):
    y = np.zeros(T, dtype=int)
    n_events = max(1, T // per)
    for k in range(n_events):
        L = int(rng.integers(min_len, max_len + 1))
        lo = k * T // n_events
        hi = (k + 1) * T // n_events
        if hi - lo < L + 4:
            continue
        s = int(rng.integers(lo + 2, hi - L - 1))
        y[s : s + L] = 1
    return y


def medium_cases(rng):
    cases = []
    sizes = [200, 300, 500, 800, 1000, 1500, 2000, 3000]
    n = 0
    for T in sizes:
        y = realistic(rng, T, per=int(rng.choice([250, 500])))
        noise = rng.random(T)
        s = np.round(noise + 0.5 * y, 6)
        n += 1
        cases.append(make_case(f"medium-{n:02d}-T{T}-defaults", "continuous", y, s))
        if T <= 1500:
            # a shifted, smeared bump, other parameters
            bump = np.convolve(np.roll(y, int(rng.integers(-10, 11))), np.ones(7) / 7, mode="same")
            s2 = np.round(0.6 * rng.random(T) + bump, 6)
            n += 1
            cases.append(
                make_case(
                    f"medium-{n:02d}-T{T}-grid",
                    "continuous",
                    y,
                    s2,
                    early_buffer=30,
                    delay_buffer=60,
                    n_buffer_splits=2,
                    include_zero=False,
                    n_thresholds=50,
                )
            )
            n += 1
            cases.append(
                make_case(
                    f"medium-{n:02d}-T{T}-binary",
                    "binary",
                    y,
                    (s2 >= 0.6).astype(int),
                    early_buffer=20,
                    delay_buffer=40,
                    n_buffer_splits=3,
                )
            )
    # exact thresholds (Big_Data off) on a coarse-valued score
    T = 600
    y = realistic(rng, T, per=200)
    s = np.round(rng.random(T) + 0.4 * y, 2)
    n += 1
    cases.append(
        make_case(
            f"medium-{n:02d}-T{T}-allthr", "continuous", y, s, early_buffer=25, delay_buffer=25, n_thresholds=None
        )
    )
    n += 1
    cases.append(
        make_case(
            f"medium-{n:02d}-T{T}-allthr-nodrop",
            "continuous",
            y,
            s,
            early_buffer=25,
            delay_buffer=25,
            n_thresholds=None,
            drop_intermediate=False,
        )
    )
    return cases


NAB_SERIES = [
    ("realTraffic/TravelTime_387.csv.gz", 2500, ["numenta", "ARTime", "null"]),
    ("realAdExchange/exchange-4_cpc_results.csv.gz", 1600, ["numenta", "knncad"]),
    ("realKnownCause/rogue_agent_key_hold.csv.gz", 1800, ["ARTime", "skyline"]),
]


def nab_cases(nab_dir: Path):
    cases = []
    for rel, rows, detectors in NAB_SERIES:
        path = nab_dir / rel
        if not path.is_file():
            print(f"warning: {path} missing, skipped", file=sys.stderr)
            continue
        with gzip.open(path, "rt", newline="") as f:
            data = list(csv.DictReader(io.StringIO(f.read())))[:rows]
        y = [int(r["label"]) for r in data]
        name = Path(rel).name.removesuffix(".csv.gz")
        for det in detectors:
            s = [float(r[det]) for r in data]
            cases.append(make_case(f"nab-{name}-{rows}-{det}", "continuous", y, s))
        det = detectors[0]
        pred = [int(float(r[det]) >= 0.5) for r in data]
        cases.append(make_case(f"nab-{name}-{rows}-{det}-ge0.5", "binary", y, pred))
    return cases


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reference-path", help="path of the published pate/PATE_metric.py")
    ap.add_argument(
        "--nab-dir",
        default=str(HERE.parents[2] / "shared" / "data" / "nab"),
        help="NAB data folder (default: ../shared/data/nab beside the repository)",
    )
    ap.add_argument("--output", default=str(HERE / "pate_reference.json"))
    args = ap.parse_args()

    ref = find_reference_path(args.reference_path)
    mod = load_published(ref)
    PATE = mod.PATE

    import sklearn

    try:
        from importlib.metadata import version

        pate_version = version("PATE")
    except Exception:  # pragma: no cover
        pate_version = "unknown"
    generator = (
        f"tests/data/make_pate_reference.py (seed {SEED}) with the published PATE {pate_version} "
        f"({ref.name}), numpy {np.__version__}, scikit-learn {sklearn.__version__}, "
        f"Python {platform.python_version()}"
    )

    rng = np.random.default_rng(SEED)
    cases, extra = [], []
    mismatches = []
    t0 = time.time()
    for case, expected in spec_table_cases():
        case["value"] = run_published(PATE, case)
        if case["value"] != expected:
            mismatches.append((case["id"], expected, case["value"]))
        (extra if "sample_weight" in case["params"] else cases).append(case)
    all_new = small_cases(rng) + medium_cases(rng) + nab_cases(Path(args.nab_dir))
    for case in all_new:
        t = time.time()
        try:
            case["value"] = run_published(PATE, case)
        except Exception as exc:  # keep going; report what the package refuses
            print(f"{case['id']}: published package raised {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        if time.time() - t > 5:
            print(f"{case['id']}: {time.time() - t:.1f} s", file=sys.stderr)
        cases.append(case)
    for cid, exp, got in mismatches:
        print(f"MISMATCH with spec table: {cid}: spec {exp!r}, package {got!r}", file=sys.stderr)

    out = {"generator": generator, "cases": cases, "extra_cases": extra}
    text = json.dumps(out, separators=(",", ":"))
    Path(args.output).write_text(text + "\n")
    print(
        f"{len(cases)} cases (+{len(extra)} extra) written to {args.output} "
        f"({len(text) / 1e6:.2f} MB) in {time.time() - t0:.0f} s; {len(mismatches)} spec mismatches"
    )


if __name__ == "__main__":
    main()
