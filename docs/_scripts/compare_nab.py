"""Make the NAB results table and the critical-difference diagrams of docs/compare.md.

    .venv/bin/python docs/_scripts/compare_nab.py [--nab ../shared/data/nab]

Evaluates the 16 NAB detectors on the 58 NAB series (the read-only
``../shared/data/nab`` folder beside the repository) under PATE (published
defaults), best PA-F1, AUC-PR and VUS-PR, writes the results in the wide form
of ``pate evaluate`` with a ``constant`` column to ``docs/data/nab_results.csv``
and draws ``docs/images/compare_nab_cd_pate.png`` and ``..._vus_pr.png``.
Takes about 15 s.
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1]
REPO = DOCS.parent
METRICS = ("pate", "best_pa_f1", "auc_pr", "vus_pr")
# Where AUC-PR and VUS-PR are undefined (the six series without anomalies) the table keeps nan
# (undefined="nan"), so that docs/compare.md shows how missing values are handled; PATE and best
# PA-F1 have the default rule's 0.0 there (docs/undefined.md).
OPTIONS = {"auc_pr": {"undefined": "nan"}, "vus_pr": {"undefined": "nan"}}


def build(nab: Path):
    import numpy as np
    import pandas as pd

    from pate import get_metric

    index = pd.read_csv(nab / "index.csv", keep_default_na=False)
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # series without anomalies: undefined values, 0.0 or nan (OPTIONS)
        for entry in index.itertuples():
            frame = pd.read_csv(nab / entry.category / f"{entry.series}.csv.gz", keep_default_na=False)
            y = frame["label"].to_numpy()
            for detector in frame.columns[3:]:
                scores = frame[detector].to_numpy(float)
                row = {"series": entry.series, "detector": detector}
                for metric in METRICS:
                    row[metric] = float(get_metric(metric)(y, scores, **OPTIONS.get(metric, {})))
                row["constant"] = bool(np.ptp(scores) == 0)
                rows.append(row)
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nab", type=Path, default=REPO.parent / "shared" / "data" / "nab")
    args = parser.parse_args()

    import matplotlib

    matplotlib.use("Agg")
    from pate.compare import results_from_wide
    from pate.plot import CriticalDifferenceDisplay

    wide = build(args.nab)
    out = DOCS / "data" / "nab_results.csv"
    wide.to_csv(out, index=False, float_format="%.10g")
    results = results_from_wide(wide)
    for metric in ("pate", "vus_pr"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # dropped series are named in the docs
            display = CriticalDifferenceDisplay.from_results(results, metric=metric, missing="drop-series")
        path = DOCS / "images" / f"compare_nab_cd_{metric}.png"
        display.figure_.savefig(path, dpi=110, bbox_inches="tight")
        print(f"wrote {path.relative_to(REPO)}")
    print(f"wrote {out.relative_to(REPO)} ({len(wide)} rows)")


if __name__ == "__main__":
    main()
