"""Build the NAB data folder that the docs, tests and benchmarks read, from a clone of numenta/NAB.

    git clone https://github.com/numenta/NAB /tmp/NAB
    git -C /tmp/NAB checkout ea702d75cc2258d9d7dd35ca8e5e2539d71f3140    # the commit the folder was built from
    python benchmarks/make_nab_folder.py /tmp/NAB ../shared/data/nab

Writes one gzip-compressed CSV per series, ``<category>/<series>.csv.gz``
(58 in all), and ``index.csv``; about 15 MB, a few seconds. The files are
byte for byte those of the folder the project's docs call
``../shared/data/nab`` (docs/nab_data.md describes the layout). Only the
repository's data files are read: ``data/<category>/<series>.csv``
(timestamp, value), ``labels/combined_windows.json`` (the anomaly windows) and
``results/<detector>/<category>/<detector>_<series>.csv`` (each detector's
``anomaly_score``); no NAB code is run. The data are Numenta's, under NAB's
MIT licence (``LICENSE.txt`` of the clone); cite Ahmad, Lavin, Purdy & Agha
(2017), Neurocomputing, doi:10.1016/j.neucom.2017.04.070.

Each file has the header ``timestamp,value,label,<16 detectors>``:

* ``timestamp`` and ``value``: the text of ``data/`` as it is, rows in its
  order (the stream order, not always sorted by time);
* ``label``: 1 where the timestamp lies in one of the series' windows, both
  ends included, else 0 (the ``label`` columns of the results files are not
  used: one of them, ``random`` on ``machine_temperature_system_failure``,
  carries an older window set);
* one column per detector: its ``anomaly_score`` text as NAB wrote it.

A results file must have the data's rows: the same number, the same
timestamps and numerically equal values (NAB sometimes prints ``10844.0`` for
``10844``, or ``74.935882`` for ``74.93588199999998``: equal to 1e-9
relative). ``randomCutForest`` wrote its rows sorted by timestamp, so where
timestamps repeat or go back its rows are put back in data order by matching
(timestamp, value); twins are matched in order of appearance. Any other
mismatch stops the script with the file and the row.

Standard library only, so that it runs without installing anything.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import struct
import sys
import zlib
from collections import defaultdict
from datetime import datetime
from pathlib import Path

__all__ = ["DETECTORS", "build", "build_series", "main"]

# Column order of the folder's files (NAB's scoreboard detectors; README of the folder).
DETECTORS = (
    "numenta", "numentaTM", "htmjava", "ARTime", "twitterADVec", "windowedGaussian", "relativeEntropy",
    "knncad", "contextOSE", "earthgeckoSkyline", "randomCutForest", "bayesChangePt", "expose", "skyline",
    "random", "null",
)  # fmt: skip
# Detectors whose results files may list the data's rows in another order (sorted by time).
REORDERED = ("randomCutForest",)


class NabError(ValueError):
    """The clone does not have what the folder is built from (the message names the file and row)."""


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    if not path.is_file():
        raise NabError(f"{path}: no such file (is the NAB clone complete, at commit ea702d7?)")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        raise NabError(f"{path}: empty file")
    return rows[0], rows[1:]


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _labels(timestamps: list[str], windows: list[list[str]]) -> list[str]:
    bounds = [(_time(start), _time(end)) for start, end in windows]
    out = []
    for text in timestamps:
        t = _time(text)
        out.append("1" if any(start <= t <= end for start, end in bounds) else "0")
    return out


def _same(a: tuple[str, float], b: tuple[str, float]) -> bool:
    """The same timestamp text and the same value up to printing (``74.935882`` for ``74.93588199999998``)."""
    return a[0] == b[0] and abs(a[1] - b[1]) <= 1e-9 * max(1.0, abs(a[1]), abs(b[1]))


def _scores(path: Path, timestamps: list[str], values: list[str], may_reorder: bool) -> list[str]:
    """The ``anomaly_score`` column of one results file, row ``i`` for data row ``i``."""
    header, rows = _read_csv(path)
    try:
        t_col, v_col, s_col = header.index("timestamp"), header.index("value"), header.index("anomaly_score")
    except ValueError:
        raise NabError(f"{path}: the header has no timestamp, value or anomaly_score column: {header}") from None
    if len(rows) != len(timestamps):
        raise NabError(f"{path}: {len(rows)} rows, the data file {len(timestamps)}")
    keys = [(row[t_col], float(row[v_col])) for row in rows]
    wanted = [(t, float(v)) for t, v in zip(timestamps, values, strict=True)]
    mismatch = next((i for i, (a, b) in enumerate(zip(keys, wanted, strict=True)) if not _same(a, b)), None)
    if mismatch is None:
        return [row[s_col] for row in rows]
    if not may_reorder:
        raise NabError(
            f"{path}: row {mismatch} is {keys[mismatch]}, the data file's row {mismatch} is {wanted[mismatch]}"
        )
    # Put the rows back in data order: each data row takes the first unused row with its timestamp and value.
    by_time: dict[str, list[int]] = defaultdict(list)
    for i, (t, _) in enumerate(keys):
        by_time[t].append(i)
    scores = []
    for i, key in enumerate(wanted):
        candidates = by_time[key[0]]
        match = next((j for j in candidates if _same(keys[j], key)), None)
        if match is None:
            raise NabError(f"{path}: no row matches the data file's row {i} {key}")
        candidates.remove(match)
        scores.append(rows[match][s_col])
    return scores


def build_series(nab: Path, name: str, windows: list[list[str]]) -> tuple[bytes, dict[str, object]]:
    """The gzip-compressed CSV of one series (``name`` = ``category/series.csv``) and its ``index.csv`` row."""
    category, file_name = name.split("/")
    series = file_name[: -len(".csv")]
    header, rows = _read_csv(nab / "data" / category / file_name)
    if header != ["timestamp", "value"]:
        raise NabError(f"{nab / 'data' / name}: header {header}, expected ['timestamp', 'value']")
    timestamps = [row[0] for row in rows]
    values = [row[1] for row in rows]
    columns = [timestamps, values, _labels(timestamps, windows)]
    for detector in DETECTORS:
        path = nab / "results" / detector / category / f"{detector}_{file_name}"
        columns.append(_scores(path, timestamps, values, detector in REORDERED))
    text = io.StringIO()
    text.write(",".join(["timestamp", "value", "label", *DETECTORS]) + "\n")
    for cells in zip(*columns, strict=True):
        text.write(",".join(cells) + "\n")
    labels = columns[2]
    row = {
        "category": category,
        "series": series,
        "rows": len(rows),
        "n_windows": len(windows),
        "labelled_points": labels.count("1"),
    }
    return _gzip(text.getvalue().encode("utf-8")), row


def _gzip(raw: bytes) -> bytes:
    """``raw`` as a gzip member with a fixed header (no name, time 0, OS unknown) and level-9 deflate.

    Written out rather than ``gzip.compress``, whose OS byte depends on the
    Python version, so that the files are the same bytes on every run and
    machine (given the same zlib).
    """
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = deflate.compress(raw) + deflate.flush()
    header = b"\x1f\x8b\x08\x00" + struct.pack("<I", 0) + b"\x02\xff"
    return header + body + struct.pack("<II", zlib.crc32(raw), len(raw) & 0xFFFFFFFF)


def build(nab: Path, out: Path, *, log=None) -> list[dict[str, object]]:
    """Write every series of the clone ``nab`` and ``index.csv`` into ``out``; returns the index rows."""
    windows_file = nab / "labels" / "combined_windows.json"
    if not windows_file.is_file():
        raise NabError(f"{windows_file}: no such file; give the root of a clone of https://github.com/numenta/NAB")
    windows = json.loads(windows_file.read_text(encoding="utf-8"))
    index = []
    for name in sorted(windows):
        data, row = build_series(nab, name, windows[name])
        target = out / str(row["category"]) / f"{row['series']}.csv.gz"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        index.append(row)
        if log is not None:
            log(f"{target} ({row['rows']} rows, {row['n_windows']} windows)")
    lines = ["category,series,rows,n_windows,labelled_points"]
    lines += [
        ",".join(str(r[k]) for k in ("category", "series", "rows", "n_windows", "labelled_points")) for r in index
    ]
    (out / "index.csv").write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    return index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("nab", type=Path, help="root of a clone of https://github.com/numenta/NAB")
    parser.add_argument("out", type=Path, help="folder to write (for example ../shared/data/nab)")
    parser.add_argument("--quiet", action="store_true", help="do not list the files written")
    args = parser.parse_args(argv)
    try:
        index = build(args.nab, args.out, log=None if args.quiet else print)
    except NabError as exc:
        print(f"make_nab_folder: {exc}", file=sys.stderr)
        return 1
    print(f"{len(index)} series and index.csv written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
