"""Reference values for NAB's score and scoreboard (tests/metrics of ``nab_score`` and the scoreboard).

Run ONCE, outside the repository, on a copy of the Numenta Anomaly Benchmark at
commit ea702d75cc2258d9d7dd35ca8e5e2539d71f3140 (the commit the NAB data of
``../shared/data/nab`` were built from). NAB's code at that commit is Python 3
and its scorer needs only the standard library, so a bare virtualenv will do:

    git clone https://github.com/numenta/NAB /tmp/nab && git -C /tmp/nab checkout ea702d7
    python3 -m venv /tmp/nab-ref
    /tmp/nab-ref/bin/python tests/data/make_nab_reference.py /tmp/nab

It writes ``tests/data/nab_reference.json.gz`` with:

* ``published_tables``: NAB's published per-file result tables
  (``results/<detector>/<detector>_<profile>_scores.csv``) as they stand: for
  every detector x profile the threshold as printed, and per file
  ``[score, tp, tn, fp, fn, total_count]``, plus the ``Totals`` row. These
  tables were written by several older versions of NAB's scorer (2015-2022);
  ``random``'s tables come from another random draw on an older corpus (32
  files, an older label set), not from the scores in ``results/random/``.
* ``nab_code``: NAB's own scorer at this commit (``nab.sweeper.Sweeper``, run
  here on NAB's own results files and windows) for every detector x profile x
  file at the thresholds of ``config/thresholds.json``:
  ``[raw score, tp, tn, fp, fn]``; and NAB's own threshold optimiser at this
  commit (a sweep of ``calcScoreByThreshold`` over the whole corpus, the
  row of largest score first in a stable descending sort, as
  ``nab/optimizer.py`` does): ``{"threshold", "score"}``.
* ``thresholds`` (``config/thresholds.json``), ``final_results``
  (``results/final_results.json``), ``profiles`` (``config/profiles.json``)
  and ``readme_scoreboard``: the scoreboard table of NAB's README, as text.

Only values are stored, never NAB's code. The glue here feeds NAB's sweeper
the way ``nab/scorer.py`` and ``nab/optimizer.py`` do: timestamps from
``data/``, anomaly scores from the detector's results file (rows in that
file's order), windows from ``labels/combined_windows.json``.
"""

from __future__ import annotations

import csv
import gzip
import json
import platform
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

OUT = Path(__file__).with_name("nab_reference.json.gz")
COMMIT = "ea702d75cc2258d9d7dd35ca8e5e2539d71f3140"
DETECTORS = [
    "numenta",
    "numentaTM",
    "htmjava",
    "ARTime",
    "twitterADVec",
    "windowedGaussian",
    "relativeEntropy",
    "knncad",
    "contextOSE",
    "earthgeckoSkyline",
    "randomCutForest",
    "bayesChangePt",
    "expose",
    "skyline",
    "random",
    "null",
]
PROFILES = ["standard", "reward_low_FP_rate", "reward_low_FN_rate"]


def _time(text: str) -> datetime:
    return datetime.strptime(text[:19], "%Y-%m-%d %H:%M:%S")


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def published_tables(nab: Path) -> dict:
    out: dict = {}
    for detector in DETECTORS:
        for profile in PROFILES:
            rows = _read_csv(nab / "results" / detector / f"{detector}_{profile}_scores.csv")
            files = {}
            totals = None
            threshold = None
            for row in rows:
                values = [
                    float(row["Score"]),
                    int(row["TP"]),
                    int(row["TN"]),
                    int(row["FP"]),
                    int(row["FN"]),
                    int(row["Total_Count"]),
                ]
                if row["Detector"] == "Totals":
                    totals = values
                    continue
                threshold = row["Threshold"]
                files[row["File"]] = values
            out.setdefault(detector, {})[profile] = {"threshold": threshold, "files": files, "totals": totals}
    return out


def readme_scoreboard(nab: Path) -> dict:
    text = (nab / "README.md").read_text()
    table = {}
    section = text.split("#### Scoreboard", 1)[1]
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("Detector",) or set(cells[0]) <= set("-"):
            if table and not line.startswith("|"):
                break
            continue
        name = re.sub(r"\[([^]]*)\]\([^)]*\)", r"\1", cells[0])  # a link: its text
        name = re.sub(r"(\s|\*|&dagger;)+$", "", name)  # footnote marks
        table[name] = {"standard": cells[1], "reward_low_FP_rate": cells[2], "reward_low_FN_rate": cells[3]}
    return table


def nab_code(nab: Path) -> dict:
    sys.path.insert(0, str(nab))
    from nab.sweeper import Sweeper  # NAB's own code, from the checkout given on the command line

    profiles = json.loads((nab / "config" / "profiles.json").read_text())
    thresholds = json.loads((nab / "config" / "thresholds.json").read_text())
    windows = json.loads((nab / "labels" / "combined_windows.json").read_text())
    files = sorted(windows)
    timestamps = {f: [_time(r["timestamp"]) for r in _read_csv(nab / "data" / f)] for f in files}
    limits = {f: [(_time(a), _time(b)) for a, b in windows[f]] for f in files}
    out: dict = {}
    for detector in DETECTORS:
        scores = {}
        for f in files:
            category, name = f.split("/")
            rows = _read_csv(nab / "results" / detector / category / f"{detector}_{name}")
            scores[f] = [float(r["anomaly_score"]) for r in rows]
        for profile in PROFILES:
            sweeper = Sweeper(probationPercent=0.15, costMatrix=profiles[profile]["CostMatrix"])
            threshold = thresholds[detector][profile]["threshold"]
            per_file = {}
            corpus = []
            for f in files:
                _, row = sweeper.scoreDataSet(timestamps[f], scores[f], limits[f], f, threshold)
                per_file[f] = [row.score, row.tp, row.tn, row.fp, row.fn]
                corpus.extend(sweeper.calcSweepScore(timestamps[f], scores[f], limits[f], f))
            by_threshold = sorted(sweeper.calcScoreByThreshold(corpus), key=lambda r: r.score, reverse=True)
            best = by_threshold[0]
            out.setdefault(detector, {})[profile] = {
                "files": per_file,
                "optimum": {"threshold": best.threshold, "score": best.score},
            }
            print(f"{detector:18s} {profile:20s} optimum {best.score:.6f} at {best.threshold!r}", flush=True)
    return out


def main() -> None:
    nab = Path(sys.argv[1]).resolve()
    try:
        head = subprocess.run(["git", "-C", str(nab), "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    except OSError:
        head = ""
    reference = {
        "source": {
            "nab_commit": COMMIT,
            "checkout_head": head.strip() or "not a git checkout",
            "python": platform.python_version(),
            "probationary_percent": 0.15,
        },
        "profiles": json.loads((nab / "config" / "profiles.json").read_text()),
        "thresholds": json.loads((nab / "config" / "thresholds.json").read_text()),
        "final_results": json.loads((nab / "results" / "final_results.json").read_text()),
        "readme_scoreboard": readme_scoreboard(nab),
        "published_tables": published_tables(nab),
        "nab_code": nab_code(nab),
    }
    text = json.dumps(reference, separators=(",", ":"), sort_keys=True).encode()
    with open(OUT, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:  # reproducible bytes
        handle.write(text)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
