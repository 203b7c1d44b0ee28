"""Benchmark of ``pate.benchmark.evaluate``: the whole NAB corpus, one machine and a cluster.

Prints, in one run, side by side (markdown tables, with the machine):

1. the whole NAB corpus (58 series x 16 detectors) over the TSB-AD metric set
   (AUC-PR, AUC-ROC, VUS-PR, VUS-ROC, best point F1, best PA-F1, best event
   F1, best R-based F1, best affiliation F1; ``compat=True`` where TSB-AD
   differs from the default) plus PATE and PATE-F1 (top 10 % of each series'
   scores as predictions) with ``n_jobs=1``, ``n_jobs=2`` and a 2-worker
   dask.distributed ``LocalCluster``, in (series x detector) pairs per second;
   the three tables must be identical;
2. dask's scheduler overhead per task (no-op tasks through the same cluster);
3. from 1 and 2, an estimate for TSB-AD's 1,070 series x 40 detectors on 1, 8
   and 64 workers;
4. a random sample of (series, detector) pairs evaluated with TSB-AD 1.5's
   ``get_metrics(score, labels)`` in a scratch virtualenv (``--tsb-python``,
   never imported here) and with ``evaluate`` on the same pairs: time ratio and
   the largest difference of the nine values;
5. peak memory (max RSS of a fresh process, ``n_jobs=1``) for the corpus and
   the corpus repeated 10 times (580 series): flat in the number of series
   because series are read and evaluated one at a time.

Usage::

    .venv/bin/python benchmarks/bench_evaluate.py --nab ../shared/data/nab \\
        --tsb-python /work/scratch/tsbad/venv/bin/python --sample 12

The TSB-AD environment: ``python -m venv /work/scratch/tsbad/venv`` then
``pip install 'numpy<2' 'scikit-learn<1.6' pandas tqdm`` and
``pip install --no-deps TSB-AD==1.5`` (its other requirements, torch and so
on, are for its detectors, not its metrics). Without it, section 4 says so.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from _common import machine  # benchmarks/ is first on sys.path when run as a script

ROOT = Path(__file__).resolve().parents[1]
TSB_METRICS = [
    ("auc_pr", {}, "AUC-PR"),
    ("auc_roc", {}, "AUC-ROC"),
    ("vus_pr", {}, "VUS-PR"),
    ("vus_roc", {}, "VUS-ROC"),
    ("best_point_f1", {"compat": True}, "Standard-F1"),
    ("best_pa_f1", {"compat": True}, "PA-F1"),
    ("best_event_f1", {"compat": True}, "Event-based-F1"),
    ("best_range_f1", {"compat": True}, "R-based-F1"),
    ("best_affiliation_f1", {"compat": True}, "Affiliation-F"),
]
METRICS = [(n, o) for n, o, _ in TSB_METRICS] + [("pate", {}), ("pate_f1", {"contamination": 0.1})]

TSB_SNIPPET = r"""
import json, sys, time, warnings
import numpy as np
warnings.simplefilter("ignore")
from TSB_AD.evaluation.metrics import get_metrics
folder, n = sys.argv[1], int(sys.argv[2])
out, total = [], 0.0
for i in range(n):
    y = np.load(f"{folder}/y{i}.npy"); s = np.load(f"{folder}/s{i}.npy")
    t = time.perf_counter()
    try:
        m = get_metrics(s, y)
    except Exception as exc:  # TSB-AD fails on some inputs: reported, not timed
        out.append({"error": f"{type(exc).__name__}: {exc}"})
        continue
    total += time.perf_counter() - t
    out.append({k: float(v) for k, v in m.items()})
import sklearn, numpy
print(json.dumps({"seconds": total, "values": out, "numpy": numpy.__version__, "sklearn": sklearn.__version__}))
"""


def nab_sources(nab: Path):
    from pate.benchmark import read_csv_series

    categories = sorted(p for p in nab.iterdir() if p.is_dir())
    return read_csv_series(categories)


def timed(func):
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


def cpu_seconds() -> float:
    """CPU time of this process and all its children alive now (loky and dask workers)."""
    import psutil  # installed with distributed

    me = psutil.Process()
    total = sum(me.cpu_times()[:2])
    for child in me.children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except psutil.Error:
            pass
    return total


def timed_cpu(func):
    """(wall seconds, CPU seconds of this process and its workers, value)."""
    before = cpu_seconds()
    wall, value = timed(func)
    return wall, cpu_seconds() - before, value


def quiet_evaluate(data, **kwargs):
    from pate.benchmark import evaluate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return evaluate(data, metrics=METRICS, progress=False, **kwargs)


def section_corpus(sources) -> dict:
    import distributed
    import pandas as pd

    pairs = sum(len(s.load().scores) for s in sources[:1]) * len(sources)
    quiet_evaluate(sources[:2])  # numba's on-disk cache loaded, pandas warmed
    t1, c1, one = timed_cpu(lambda: quiet_evaluate(sources, n_jobs=1))
    t2, c2, two = timed_cpu(lambda: quiet_evaluate(sources, n_jobs=2))
    quiet_evaluate(sources[:2], n_jobs=2)  # loky workers are reused: time them warm too
    t2w, c2w, _ = timed_cpu(lambda: quiet_evaluate(sources, n_jobs=2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tc, cluster = timed(
            lambda: distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50
            )
        )
    client = distributed.Client(cluster)
    try:
        quiet_evaluate(sources[:2], scheduler=client)  # workers import pate and load the JIT cache
        td, cd, on_dask = timed_cpu(lambda: quiet_evaluate(sources, scheduler=client))
        overhead = scheduler_overhead(client)
    finally:
        client.close()
        cluster.close()
    pd.testing.assert_frame_equal(one, two)
    pd.testing.assert_frame_equal(one, on_dask)
    rows = len(one)
    print(
        f"\n## 1. Whole NAB corpus: {len(sources)} series x 16 detectors = {pairs} pairs, "
        f"{len(METRICS)} metrics ({rows} rows)\n"
    )
    print("| runner | time | pairs / s | vs n_jobs=1 | CPU time (all processes) | 2 x CPU(n_jobs=1) / CPU |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, t, c in (
        ("n_jobs=1", t1, c1),
        ("n_jobs=2 (cold loky workers)", t2, c2),
        ("n_jobs=2 (warm workers)", t2w, c2w),
        (f"LocalCluster, 2 workers (+{tc:.1f} s start)", td, cd),
    ):
        bound = f"{2 * c1 / c:.2f}x" if name != "n_jobs=1" else ""
        print(f"| {name} | {t:.2f} s | {pairs / t:.0f} | {t1 / t:.2f}x | {c:.2f} s | {bound} |")
    print(
        "\nThe three tables are identical (pandas.testing.assert_frame_equal). The last column is the speed-up "
        "two idle cores would give: the CPU work of one process spread over two, against the CPU work the "
        "parallel run really did (workers' start and data transfer included)."
    )
    print("\n## 2. dask scheduler overhead per task\n")
    print(
        f"{overhead['n']} no-op tasks, same 2-worker cluster: {overhead['bulk'] * 1e3:.2f} ms per task submitted "
        f"in bulk (throughput), {overhead['round'] * 1e3:.2f} ms per task one at a time (round trip)."
    )
    mean_length = sum(len(s.load()) for s in sources) / len(sources)
    per_pair = t1 / pairs
    print(f"\n## 3. Estimate: TSB-AD's 1,070 series x 40 detectors, same {len(METRICS)} metrics\n")
    print(
        f"Measured: {per_pair * 1e3:.2f} ms per (series, detector) pair on one core (n_jobs=1 above; NAB's mean "
        f"series length {mean_length:,.0f} points; the cost grows about linearly with the length), "
        f"{overhead['bulk'] * 1e3:.2f} ms of scheduler time per task (one task per series).\n"
    )
    print("| workers (1 core each) | compute | scheduler | estimate |")
    print("|---:|---:|---:|---:|")
    for workers in (1, 8, 64):
        compute = 1070 * 40 * per_pair / workers
        sched = 1070 * overhead["bulk"]
        total = compute + sched
        print(f"| {workers} | {compute:,.0f} s | {sched:.1f} s | {total:,.0f} s ({total / 60:.1f} min) |")
    return {
        "t1": t1,
        "t2": t2,
        "t2w": t2w,
        "td": td,
        "tc": tc,
        "pairs": pairs,
        "series": len(sources),
        "overhead": overhead,
    }


def _noop(i):
    return i


def scheduler_overhead(client, n: int = 500) -> dict:
    futures = client.map(_noop, range(20), pure=False)
    client.gather(futures)
    start = time.perf_counter()
    client.gather(client.map(_noop, range(n), pure=False))
    bulk = (time.perf_counter() - start) / n
    start = time.perf_counter()
    for i in range(50):
        client.submit(_noop, i, pure=False).result()
    return {"n": n, "bulk": bulk, "round": (time.perf_counter() - start) / 50}


def section_tsb(sources, tsb_python: str | None, sample: int, seed: int) -> dict | None:
    from pate.benchmark import Series, evaluate

    print(f"\n## 4. TSB-AD 1.5 get_metrics on a random sample of {sample} (series, detector) pairs\n")
    if not tsb_python or not Path(tsb_python).exists():
        print(f"TSB-AD environment not found ({tsb_python}); see this script's docstring. Skipped.")
        return None
    rng = random.Random(seed)
    loaded = {}
    picks = []
    while len(picks) < sample:
        src = rng.choice(sources)
        series = loaded.setdefault(src.name, src.load())
        detector = rng.choice(list(series.scores))
        if (src.name, detector) not in picks:
            picks.append((src.name, detector))
    with tempfile.TemporaryDirectory() as folder:
        data = []
        for i, (name, detector) in enumerate(picks):
            series = loaded[name]
            np.save(f"{folder}/y{i}.npy", np.asarray(series.y_true, dtype=np.int64))
            np.save(f"{folder}/s{i}.npy", series.scores[detector])
            data.append(Series(f"{name}#{i}", series.y_true, {detector: series.scores[detector]}))
        tsb_metrics = [(n, o) for n, o, _ in TSB_METRICS]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            table = evaluate(data, metrics=tsb_metrics, progress=False)  # JIT cache loaded for every path
            tp = min(timed(lambda: evaluate(data, metrics=tsb_metrics, progress=False))[0] for _ in range(3))
        out = subprocess.run(
            [tsb_python, "-c", TSB_SNIPPET, folder, str(len(picks))], capture_output=True, text=True, check=True
        )
    reference = json.loads(out.stdout)
    worst = 0.0
    worst_at = ""
    failed = [(picks[i], v["error"]) for i, v in enumerate(reference["values"]) if "error" in v]
    for i, values in enumerate(reference["values"]):
        if "error" in values:
            continue
        ours = table[table.series == data[i].name].set_index("metric")["value"]
        for name, _, tsb_name in TSB_METRICS:
            diff = abs(ours[name] - values[tsb_name])
            if diff > worst:
                worst, worst_at = diff, f"{tsb_name} on {picks[i][0]} / {picks[i][1]}"
    total = sum(len(loaded[n]) for n, _ in picks)
    ts = reference["seconds"]
    compared = sample - len(failed)
    print(f"Pairs (seed {seed}): {', '.join(f'{n}/{d}' for n, d in picks)}; {total:,} points in all.")
    print(f"TSB-AD env: numpy {reference['numpy']}, scikit-learn {reference['sklearn']}.\n")
    print("| | time | pairs / s |")
    print("|---|---:|---:|")
    print(f"| TSB-AD 1.5 `get_metrics(score, labels)` | {ts:.2f} s | {compared / ts:.2f} |")
    print(f"| `pate.benchmark.evaluate`, same 9 metrics, n_jobs=1 (best of 3) | {tp:.3f} s | {sample / tp:.1f} |")
    for (name, detector), error in failed:
        print(f"\nTSB-AD failed on {name}/{detector} ({error}); not timed, not compared.")
    print(
        f"\nRatio (time per pair): {(ts / max(compared, 1)) / (tp / sample):,.0f}x. Largest difference over the "
        f"{9 * compared} values: {worst:.2e}" + (f" ({worst_at})" if worst_at else "") + "."
    )
    return {"ratio": ts / tp, "worst": worst, "tsb": ts, "pate": tp}


MEMORY_SNIPPET = r"""
import dataclasses, resource, sys, warnings
sys.path.insert(0, sys.argv[3])
from bench_evaluate import METRICS, nab_sources
from pathlib import Path
from pate.benchmark import evaluate
warnings.simplefilter("ignore")
sources = nab_sources(Path(sys.argv[1]))
repeat = int(sys.argv[2])
data = (dataclasses.replace(s, name=f"{s.name}#{r}") for r in range(repeat) for s in sources)
table = evaluate(data, metrics=METRICS, progress=False, n_jobs=1)
print(len(table), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def section_memory(nab: Path) -> dict:
    print("\n## 5. Peak memory against the number of series (fresh process, n_jobs=1, data streamed)\n")
    print("| series | rows | time | max RSS |")
    print("|---:|---:|---:|---:|")
    out = {}
    for repeat in (1, 10):
        start = time.perf_counter()
        run = subprocess.run(
            [sys.executable, "-c", MEMORY_SNIPPET, str(nab), str(repeat), str(Path(__file__).parent)],
            capture_output=True,
            text=True,
            check=True,
        )
        elapsed = time.perf_counter() - start
        rows, rss_kib = map(int, run.stdout.split())
        out[repeat] = rss_kib
        print(f"| {58 * repeat} | {rows:,} | {elapsed:.1f} s | {rss_kib / 1024:.0f} MiB |")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nab", default=str(ROOT.parent / "shared" / "data" / "nab"))
    parser.add_argument("--tsb-python", default="/work/scratch/tsbad/venv/bin/python")
    parser.add_argument("--sample", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--skip", default="", help="comma-separated sections to skip: 1 (corpus, with 2 and 3), 4 (TSB-AD), 5 (memory)"
    )
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    nab = Path(args.nab)
    if not (nab / "index.csv").is_file():
        sys.exit(f"NAB data not found at {nab}; pass --nab DIR.")
    print("# bench_evaluate\n")
    print(f"Machine: {machine('numpy', 'numba', 'pandas')}.")
    print(
        "Load average before the run (1, 5, 15 min): "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg())
        + " (other processes share the cores: figures are only as quiet as the machine)."
    )
    print(f"Command: {' '.join([Path(sys.executable).name] + sys.argv)}")
    sources = nab_sources(nab)
    if "1" not in skip:
        section_corpus(sources)
    if "4" not in skip:
        section_tsb(sources, args.tsb_python, args.sample, args.seed)
    if "5" not in skip:
        section_memory(nab)
    print("\nLoad average after the run: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()) + ".")


if __name__ == "__main__":
    main()
