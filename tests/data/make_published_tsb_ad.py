"""Build ``pate/published/tsb-ad/`` and ``tests/data/tsb_ad_leaderboard_reference.json`` from TSB-AD.

This script is NOT run by the test suite. It reads a local git clone (bare or
not) of TheDatumOrg/TSB-AD (Apache-2.0) and writes:

``pate/published/tsb-ad/``
    ``tsb-ad-u.csv.gz``, ``tsb-ad-m.csv.gz``: TSB-AD's per-series VUS-PR tables
    ``benchmark_exp/benchmark_eval_results/{uni,multi}_mergedTable_VUS-PR.csv``,
    byte for byte, gzip-compressed (level 9, no name or time stamp in the
    header, so the same input always gives the same bytes);
    ``LICENSE``: TSB-AD's licence text, byte for byte;
    ``NOTICE``: what was taken, from which commit, what was changed;
    ``SOURCE.json``: the repository, commit, paths, the SHA-256 of each source
    file and the shape of each table (read by ``pate.compare.list_published``).

``tests/data/tsb_ad_leaderboard_reference.json``
    TSB-AD's published leaderboards (``docs/static/leaderboard/TSB-AD-U.html``
    and ``-M.html``) parsed: every method's printed values, as printed (two
    decimals), in the published order. The tests check that the means of the
    shipped tables round to the printed VUS-PR column.

Nothing of TSB-AD's code runs here; only its data files are read. Standard
library only. Run from the repository root::

    git clone https://github.com/TheDatumOrg/TSB-AD /tmp/i25-tsb-ad   # or any clone / mirror
    python tests/data/make_published_tsb_ad.py --repo /tmp/i25-tsb-ad [--rev HEAD]

The committed files were made from commit 87630099ea8d0dafe89a957e31ed9720e88479eb
(2025-10-26).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import html.parser
import io
import json
import re
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
OUT_DATA = REPO_ROOT / "pate" / "published" / "tsb-ad"
OUT_REFERENCE = REPO_ROOT / "tests" / "data" / "tsb_ad_leaderboard_reference.json"
URL = "https://github.com/TheDatumOrg/TSB-AD"

#: name in pate -> (source table, source leaderboard, title)
TABLES = {
    "tsb-ad-u": (
        "benchmark_exp/benchmark_eval_results/uni_mergedTable_VUS-PR.csv",
        "docs/static/leaderboard/TSB-AD-U.html",
        "TSB-AD-U: univariate evaluation split",
    ),
    "tsb-ad-m": (
        "benchmark_exp/benchmark_eval_results/multi_mergedTable_VUS-PR.csv",
        "docs/static/leaderboard/TSB-AD-M.html",
        "TSB-AD-M: multivariate evaluation split",
    ),
}
#: The tables' columns after the detectors: properties of each series, not detectors.
SERIES_COLUMNS = (
    "ts_len",
    "anomaly_len",
    "num_anomaly",
    "avg_anomaly_len",
    "anomaly_ratio",
    "point_anomaly",
    "seq_anomaly",
)
MEDALS = re.compile("[\U0001f947\U0001f948\U0001f949]")  # the gold, silver and bronze medals before the top 3


def git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True).stdout


def gzip_bytes(data: bytes) -> bytes:
    """Reproducible gzip: no file name, time stamp 0."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as stream:
        stream.write(data)
    return buffer.getvalue()


class _LeaderboardParser(html.parser.HTMLParser):
    """The header cells and the body rows of the one table on the page, as text."""

    def __init__(self) -> None:
        super().__init__()
        self.header: list[str] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._in_head:
                self.header = self._row
            elif self._row:
                self.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse_leaderboard(text: str) -> dict:
    parser = _LeaderboardParser()
    parser.feed(text)
    header = parser.header
    if not header or header[0] != "Method" or "VUS-PR" not in header:
        raise SystemExit(f"unexpected leaderboard header: {header}")
    rows = []
    for cells in parser.rows:
        if len(cells) != len(header):
            raise SystemExit(f"leaderboard row {cells} has {len(cells)} cells, the header {len(header)}")
        method = MEDALS.sub("", cells[0]).strip()
        values = {}
        for column, cell in zip(header[1:], cells[1:], strict=True):
            if not re.fullmatch(r"\d\.\d\d", cell):
                raise SystemExit(f"leaderboard cell {column} of {method}: {cell!r} is not a two-decimal number")
            values[column] = cell  # kept as printed text: "0.40", not 0.4
        rows.append({"method": method, "values": values})
    return {"columns": header[1:], "rows": rows}


def table_shape(data: bytes, path: str) -> dict:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    header, body = rows[0], rows[1:]
    if header[0] not in ("file", "File"):
        raise SystemExit(f"{path}: the first column is {header[0]!r}, expected file names")
    tail = tuple(header[-len(SERIES_COLUMNS) :])
    if tail != SERIES_COLUMNS:
        raise SystemExit(f"{path}: the last columns are {tail}, expected {SERIES_COLUMNS}")
    detectors = header[1 : -len(SERIES_COLUMNS)]
    if any(len(r) != len(header) for r in body):
        raise SystemExit(f"{path}: ragged rows")
    names = [r[0] for r in body]
    if len(set(names)) != len(names) or not all(n.endswith(".csv") for n in names):
        raise SystemExit(f"{path}: series names repeat or do not end in .csv")
    return {"series_column": header[0], "n_series": len(body), "detectors": detectors}


NOTICE = """\
pate ships data from TSB-AD
===========================

This folder holds data taken from TSB-AD, "The Elephant in the Room: Towards A
Reliable Time-Series Anomaly Detection Benchmark" (Qinghua Liu and John
Paparrizos, NeurIPS 2024),

  {url}

licensed under the Apache License, Version 2.0 (the text is in the file
LICENSE beside this one).

Taken from commit {commit} ({date}):

{files}

What was changed: each file was compressed with gzip and renamed as listed;
its content is unchanged (the SHA-256 of the uncompressed file equals that of
the source file, recorded in SOURCE.json). TSB-AD's licence text was copied
unchanged into LICENSE. Nothing else of TSB-AD is included.

pate reads these tables in pate.compare.published_results; the file names
without ".csv" name the series; the columns after the detectors are
properties of each series (pate.compare.published_series):

  {series_columns}

pate's own code is under its own licence; this notice and the LICENSE file
cover only the data in this folder.

Made by tests/data/make_published_tsb_ad.py in the pate repository.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", required=True, type=Path, help="a git clone or mirror of TheDatumOrg/TSB-AD")
    parser.add_argument("--rev", default="HEAD", help="the commit to read (default HEAD)")
    args = parser.parse_args()

    commit = git(args.repo, "rev-parse", f"{args.rev}^{{commit}}").decode().strip()
    date = git(args.repo, "show", "-s", "--format=%cI", commit).decode().strip()
    licence = git(args.repo, "show", f"{commit}:LICENSE")
    if b"Apache License" not in licence or b"Version 2.0" not in licence:
        raise SystemExit("LICENSE at that commit is not the Apache License 2.0; check before shipping the data")

    OUT_DATA.mkdir(parents=True, exist_ok=True)
    source = {"repository": URL, "commit": commit, "commit_date": date, "license": "Apache-2.0", "tables": {}}
    reference = {"repository": URL, "commit": commit, "commit_date": date, "leaderboards": {}}
    listed = []
    for name, (table_path, board_path, title) in TABLES.items():
        data = git(args.repo, "show", f"{commit}:{table_path}")
        shape = table_shape(data, table_path)
        (OUT_DATA / f"{name}.csv.gz").write_bytes(gzip_bytes(data))
        source["tables"][name] = {
            "file": f"{name}.csv.gz",
            "title": title,
            "source_path": table_path,
            "sha256": hashlib.sha256(data).hexdigest(),
            "metric": "vus_pr",
            "series_column": shape["series_column"],
            "n_series": shape["n_series"],
            "detectors": shape["detectors"],
            "series_columns": list(SERIES_COLUMNS),
            "leaderboard_path": board_path,
        }
        listed.append(f"  {table_path}\n    -> {name}.csv.gz")
        board = parse_leaderboard(git(args.repo, "show", f"{commit}:{board_path}").decode("utf-8"))
        methods = [r["method"] for r in board["rows"]]
        if sorted(methods) != sorted(shape["detectors"]):
            raise SystemExit(f"{board_path} lists {methods}, the table {shape['detectors']}")
        reference["leaderboards"][name] = {"source_path": board_path, **board}
    listed.append("  LICENSE\n    -> LICENSE")

    (OUT_DATA / "LICENSE").write_bytes(licence)
    (OUT_DATA / "NOTICE").write_text(
        NOTICE.format(
            url=URL, commit=commit, date=date, files="\n".join(listed), series_columns=", ".join(SERIES_COLUMNS)
        ),
        encoding="utf-8",
    )
    (OUT_DATA / "SOURCE.json").write_text(json.dumps(source, indent=1) + "\n", encoding="utf-8")
    OUT_REFERENCE.write_text(json.dumps(reference, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for path in sorted(OUT_DATA.iterdir()):
        print(f"{path.relative_to(REPO_ROOT)}: {path.stat().st_size} bytes")
    print(f"{OUT_REFERENCE.relative_to(REPO_ROOT)}: {OUT_REFERENCE.stat().st_size} bytes")


if __name__ == "__main__":
    main()
