"""NAB leaderboards under `pate` (trapezoid, as published) and `pate_ap` (step).

The step rule is docs/spec/pate-definition.md section 7b.

    .venv/bin/python benchmarks/nab_leaderboard.py [--nab-dir ../shared/data/nab] [--metrics pate,pate_ap,vus_pr,auc_pr]

Scores every labelled NAB series (52 of 58; the 6 without a labelled window
are left out, since PATE is undefined there) for each of the 16 published
detectors with each metric at its defaults, and prints one markdown table:
detectors ordered by their average rank under the first metric, with mean
and average rank (1 = best over the 16 detectors, ties averaged) under each
metric, and the number of distinct score values each detector outputs
(median over the series). The table in docs/pate.md ("Constant and few-valued
scores") is this script's output. About a minute on 2 cores.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pate import get_metric  # noqa: E402


def load_series(nab_dir: Path):
    index = pd.read_csv(nab_dir / "index.csv", keep_default_na=False)
    for row in index.itertuples():
        if int(row.n_windows) == 0:
            continue
        frame = pd.read_csv(nab_dir / row.category / f"{row.series}.csv.gz")
        yield f"{row.category}/{row.series}", frame


def evaluate(nab_dir: Path, metrics: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, distinct = [], []
    for name, frame in load_series(nab_dir):
        y = frame["label"].to_numpy()
        detectors = [c for c in frame.columns if c not in ("timestamp", "value", "label")]
        for det in detectors:
            s = frame[det].to_numpy(dtype=float)
            distinct.append({"series": name, "detector": det, "distinct": int(np.unique(s).size)})
            for metric in metrics:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # the few-valued warning, on purpose here
                    value = get_metric(metric)(y, s)
                rows.append({"series": name, "detector": det, "metric": metric, "value": float(value)})
    return pd.DataFrame(rows), pd.DataFrame(distinct)


def table(results: pd.DataFrame, distinct: pd.DataFrame, metrics: list[str]) -> str:
    wide = results.pivot_table(index=["series", "detector"], columns="metric", values="value")
    out = pd.DataFrame(index=sorted(results["detector"].unique()))
    for metric in metrics:
        matrix = wide[metric].unstack("detector")  # series x detector
        ranks = matrix.rank(axis=1, ascending=False, method="average")
        out[f"{metric} mean"] = matrix.mean()
        out[f"{metric} rank"] = ranks.mean()
        out[f"{metric} place"] = out[f"{metric} rank"].rank(method="min").astype(int)
    out["distinct scores"] = distinct.groupby("detector")["distinct"].median().astype(int)
    out = out.sort_values([f"{metrics[0]} rank"]).reset_index(names="detector")
    header = ["detector"] + [f"`{m}` mean (place)" for m in metrics] + ["distinct scores (median)"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for d in out.to_dict("records"):
        cells = [f"`{d['detector']}`"]
        for m in metrics:
            cells.append(f"{d[f'{m} mean']:.3f} ({d[f'{m} place']})")
        cells.append(str(d["distinct scores"]))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nab-dir", default=str(ROOT.parent / "shared" / "data" / "nab"))
    ap.add_argument("--metrics", default="pate,pate_ap,vus_pr,auc_pr")
    args = ap.parse_args()
    metrics = args.metrics.split(",")
    results, distinct = evaluate(Path(args.nab_dir), metrics)
    n_series = results["series"].nunique()
    print(f"NAB: {n_series} labelled series x {results['detector'].nunique()} detectors, default options;")
    print("place = position by average rank over the series (1 = best).\n")
    print(table(results, distinct, metrics))


if __name__ == "__main__":
    main()
