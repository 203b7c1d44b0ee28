"""Make docs/data/nab_scoreboard.csv.gz: NAB's per-series result tables at NAB's thresholds and at the exact ones.

    .venv/bin/python docs/_scripts/nab_scoreboard.py [--nab ../shared/data/nab]

Reads the 58 NAB series (the read-only ``../shared/data/nab`` folder beside
the repository; its category folders) with :func:`pate.benchmark.read_csv_series`,
scores the 16 detectors with :func:`pate.benchmark.nab_scoreboard` at NAB's
published thresholds (``config/thresholds.json`` of NAB at ea702d7, as stored
in ``tests/data/nab_reference.json.gz``) and at each detector's exactly optimal
threshold, and writes both ``per_series`` tables, one below the other, with a
column ``thresholds`` (``nab`` or ``exact``). The gallery example
``examples/plot_nab_scoreboard.py`` reads it. Takes a few seconds.
"""

from __future__ import annotations

import argparse
import gzip
import json
import warnings
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1]
REPO = DOCS.parent


def main() -> None:
    import pandas as pd

    from pate.benchmark import NabThresholdWarning, nab_scoreboard, read_csv_series

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nab", type=Path, default=REPO.parent / "shared" / "data" / "nab")
    args = parser.parse_args()
    with gzip.open(REPO / "tests" / "data" / "nab_reference.json.gz", "rt", encoding="utf-8") as handle:
        thresholds = json.load(handle)["thresholds"]
    folders = sorted(p for p in args.nab.iterdir() if p.is_dir())
    series = [source.load() for source in read_csv_series(folders)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NabThresholdWarning)  # null's 0.625 lies above its 0.5, as NAB has it
        published = nab_scoreboard(series, thresholds=thresholds)
    exact = nab_scoreboard(series)
    table = pd.concat(
        [published.per_series.assign(thresholds="nab"), exact.per_series.assign(thresholds="exact")],
        ignore_index=True,
    )
    out = DOCS / "data" / "nab_scoreboard.csv.gz"
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:  # reproducible bytes
        handle.write(table[["thresholds", *published.per_series.columns]].to_csv(index=False).encode())
    print(f"wrote {out} ({len(table)} rows)")


if __name__ == "__main__":
    main()
