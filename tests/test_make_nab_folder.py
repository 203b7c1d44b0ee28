"""``benchmarks/make_nab_folder.py``: the NAB folder the docs use, built from a clone of numenta/NAB.

Three checks: the rules on a small clone made here (labels from windows, text
copied as it is, randomCutForest's rows put back in order, errors naming the
file and row); the shared folder's own series rebuilt from a clone laid out
the way NAB lays it out; and, where a real clone is at hand
(``PATE_NAB_CLONE=/path/to/NAB``), every file of the shared folder rebuilt
byte for byte.
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import io
import json
import os
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "make_nab_folder.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("make_nab_folder", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


nab_script = _load_script()
DETECTORS = nab_script.DETECTORS
RESULTS_HEADER = "timestamp,value,anomaly_score,label,S(t)_reward_low_FP_rate,S(t)_reward_low_FN_rate,S(t)_standard"


def _write_clone(root: Path, series: dict[str, dict]) -> None:
    """A NAB-like clone: data/, labels/combined_windows.json and results/ for each series.

    ``series[name]`` has ``rows`` [(timestamp, value text)], ``windows`` and
    ``scores`` {detector: [score text]}; ``results_rows`` {detector: [(timestamp, value text, score)]}
    overrides a results file's rows as written (order, printing).
    """
    windows = {}
    for name, spec in series.items():
        category, file_name = name.split("/")
        data = root / "data" / category / file_name
        data.parent.mkdir(parents=True, exist_ok=True)
        data.write_text("timestamp,value\n" + "".join(f"{t},{v}\n" for t, v in spec["rows"]))
        windows[name] = spec["windows"]
        for det in DETECTORS:
            rows = spec.get("results_rows", {}).get(det)
            if rows is None:
                rows = [(t, v, s) for (t, v), s in zip(spec["rows"], spec["scores"][det], strict=True)]
            path = root / "results" / det / category / f"{det}_{file_name}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(RESULTS_HEADER + "\n" + "".join(f"{t},{v},{s},0,0.0,0.0,0.0\n" for t, v, s in rows))
    (root / "labels").mkdir(parents=True, exist_ok=True)
    (root / "labels" / "combined_windows.json").write_text(json.dumps(windows, indent=4))


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(gzip.decompress(path.read_bytes()).decode())))


def _small_series() -> dict:
    # the stream goes back in time (rows 1, 2) and repeats a time stamp with the same value (rows 3, 4)
    stamps = [
        "2014-04-01 00:00:00",
        "2014-04-01 02:00:00",
        "2014-04-01 01:00:00",
        "2014-04-01 03:00:00",
        "2014-04-01 03:00:00",
        "2014-04-01 04:00:00",
    ]
    values = ["10844", "8127", "74.93588199999998", "42.0", "42.0", "3"]
    scores = {det: [f"0.{i}{j}" for j in range(6)] for i, det in enumerate(DETECTORS)}
    scores["numenta"] = ["0.0301029996659", "7.27874009036e-05", "1", "0", "0.5", "0.25"]
    return {
        "rows": list(zip(stamps, values, strict=True)),
        "windows": [["2014-04-01 01:00:00.000000", "2014-04-01 03:00:00.000000"]],
        "scores": scores,
    }


def test_the_rules_on_a_small_clone(tmp_path):
    spec = _small_series()
    stamps = [t for t, _ in spec["rows"]]
    # randomCutForest writes its rows sorted by time and prints values as floats; the twins keep their order
    rcf = spec["scores"]["randomCutForest"]
    printed = ["10844.0", "8127.0", "74.935882", "42.0", "42.0", "3.0"]
    spec["results_rows"] = {
        "randomCutForest": [(stamps[i], printed[i], rcf[i]) for i in (0, 2, 1, 3, 4, 5)],
        # another detector prints a value differently (NAB does) but keeps the data's order
        "knncad": [(t, p, s) for t, p, s in zip(stamps, printed, spec["scores"]["knncad"], strict=True)],
    }
    empty = {"rows": spec["rows"][:3], "windows": [], "scores": {d: ["0.5"] * 3 for d in DETECTORS}}
    _write_clone(tmp_path / "NAB", {"realTest/b_series.csv": spec, "artificialNone/a_series.csv": empty})

    index = nab_script.build(tmp_path / "NAB", tmp_path / "out")

    assert [(r["category"], r["series"]) for r in index] == [("artificialNone", "a_series"), ("realTest", "b_series")]
    assert (tmp_path / "out" / "index.csv").read_text() == (
        "category,series,rows,n_windows,labelled_points\nartificialNone,a_series,3,0,0\nrealTest,b_series,6,1,4\n"
    )
    rows = _rows(tmp_path / "out" / "realTest" / "b_series.csv.gz")
    assert list(rows[0]) == ["timestamp", "value", "label", *DETECTORS]
    assert [(r["timestamp"], r["value"]) for r in rows] == spec["rows"]  # the data's text, in its order
    assert [r["label"] for r in rows] == ["0", "1", "1", "1", "1", "0"]  # by time stamp, both window ends included
    assert [r["numenta"] for r in rows] == spec["scores"]["numenta"]  # the score text as written
    assert [r["randomCutForest"] for r in rows] == rcf  # back in the data's order, twins in order
    assert [r["knncad"] for r in rows] == spec["scores"]["knncad"]
    assert all(r["label"] == "0" for r in _rows(tmp_path / "out" / "artificialNone" / "a_series.csv.gz"))

    # the same bytes on a second run: no time stamp or file name in the gzip header
    first = (tmp_path / "out" / "realTest" / "b_series.csv.gz").read_bytes()
    nab_script.build(tmp_path / "NAB", tmp_path / "again")
    assert (tmp_path / "again" / "realTest" / "b_series.csv.gz").read_bytes() == first
    assert first[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"


def test_a_results_file_out_of_step_is_an_error_naming_file_and_row(tmp_path, capsys):
    # only randomCutForest may list the rows in another order
    spec = _small_series()
    rows = [(t, v, s) for (t, v), s in zip(spec["rows"], spec["scores"]["skyline"], strict=True)]
    rows[1], rows[2] = rows[2], rows[1]
    spec["results_rows"] = {"skyline": rows}
    _write_clone(tmp_path / "NAB", {"realTest/b_series.csv": spec})
    with pytest.raises(nab_script.NabError, match=r"skyline_b_series\.csv: row 1 is"):
        nab_script.build(tmp_path / "NAB", tmp_path / "out")
    assert nab_script.main([str(tmp_path / "NAB"), str(tmp_path / "out2"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("make_nab_folder: ") and err.count("\n") == 1 and "row 1" in err


def test_not_a_clone_is_an_error_saying_what_to_give(tmp_path, capsys):
    assert nab_script.main([str(tmp_path), str(tmp_path / "out")]) == 1
    assert "clone of https://github.com/numenta/NAB" in capsys.readouterr().err


def _clone_from_folder(folder: Path, names: list[str], root: Path) -> None:
    """A NAB-like clone holding ``names`` (``category/series``) of the built folder, laid out as NAB lays it out.

    Windows from the label runs (NAB's timestamp format), randomCutForest's
    rows sorted by timestamp then value text, as NAB has them.
    """
    spec = {}
    for name in names:
        rows = _rows(folder / f"{name}.csv.gz")
        windows, start = [], None
        for i, row in enumerate(rows):
            if row["label"] == "1" and start is None:
                start = row["timestamp"]
            if row["label"] == "1" and (i + 1 == len(rows) or rows[i + 1]["label"] == "0"):
                windows.append([f"{start}.000000", f"{row['timestamp']}.000000"])
                start = None
        data = [(r["timestamp"], r["value"]) for r in rows]
        rcf = sorted(((r["timestamp"], r["value"], r["randomCutForest"]) for r in rows), key=lambda x: (x[0], x[1]))
        spec[f"{name}.csv"] = {
            "rows": data,
            "windows": windows,
            "scores": {det: [r[det] for r in rows] for det in DETECTORS},
            "results_rows": {"randomCutForest": rcf},
        }
    _write_clone(root, spec)


def test_the_shared_folder_series_are_rebuilt_byte_for_byte(tmp_path, nab_dir):
    nab = nab_dir
    # exchange-2_cpc_results: a repeated timestamp, so randomCutForest's rows differ from the data's order
    names = ["realAdExchange/exchange-2_cpc_results", "artificialNoAnomaly/art_flatline"]
    _clone_from_folder(nab, names, tmp_path / "NAB")
    nab_script.build(tmp_path / "NAB", tmp_path / "out")
    for name in names:
        assert (tmp_path / "out" / f"{name}.csv.gz").read_bytes() == (nab / f"{name}.csv.gz").read_bytes(), name


@pytest.mark.skipif(not os.environ.get("PATE_NAB_CLONE"), reason="PATE_NAB_CLONE (a clone of numenta/NAB) is not set")
def test_a_real_clone_gives_the_shared_folder(tmp_path, nab_dir):
    nab = nab_dir
    out = tmp_path / "nab"
    nab_script.build(Path(os.environ["PATE_NAB_CLONE"]), out)
    built = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    shared = sorted(p.relative_to(nab) for p in nab.rglob("*") if p.is_file() and p.name != "README.md")
    assert built == shared
    assert [p for p in built if (out / p).read_bytes() != (nab / p).read_bytes()] == []
