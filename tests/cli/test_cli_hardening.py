"""The ``pate`` command on malformed and unusual input: no silent wrong answer, no traceback.

Every test runs the command in-process (``pate.cli.main``, the ``cli`` fixture) on files it writes.
One class of problem per test; ``test_no_error_path_shows_a_traceback`` runs
every error path the command has and checks its exit status, its one-line
message and that no Python traceback reaches the user.
"""

from __future__ import annotations

import bz2
import functools
import gzip
import importlib.util
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import REPO

import pate
from pate import pate_f1_score, pate_score
from pate.benchmark._tables import read_csv_names
from pate.metrics import get_metric

N = 120
LABEL = np.zeros(N, dtype=int)
LABEL[40:55] = 1
RNG = np.random.default_rng(11)
DET_A = np.round(RNG.random(N) + 0.5 * LABEL, 6)
DET_B = np.round(RNG.random(N), 6)


@pytest.fixture
def run(cli):
    """``pate ARGS`` in this process (tests/conftest.py ``cli``), from the repository root by default."""
    return functools.partial(cli, cwd=REPO)


def csv_text(sep: str = ",", decimal: str = ".") -> str:
    frame = pd.DataFrame({"timestamp": np.arange(N), "label": LABEL, "det_a": DET_A, "det_b": DET_B})
    return frame.to_csv(index=False, sep=sep, decimal=decimal)


@pytest.fixture
def good(tmp_path) -> Path:
    path = tmp_path / "good.csv"
    path.write_text(csv_text())
    return path


def rows_of(out) -> list[dict]:
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


# ------------------------------------------------------ silent wrong answers
def test_a_row_with_more_fields_than_the_header_is_an_error(run, tmp_path):
    # pandas would take the extra leading field as the index and shift every column
    bad = tmp_path / "shifted.csv"
    bad.write_text("label,det\n7,0,0.5\n8,1,0.9\n")
    out = run("evaluate", bad, "--format", "json")
    assert out.returncode == 1 and out.stdout == ""
    assert f"{bad}: line 2 has 3 fields, the header 2" in out.stderr
    short = tmp_path / "short.csv"
    short.write_text("label,det\n0,0.5\n1\n")
    out = run("evaluate", short)
    assert out.returncode == 1 and "line 3 has 1 field, the header 2" in out.stderr


def test_a_decimal_comma_in_a_comma_separated_file_is_reported_not_split(run, tmp_path):
    bad = tmp_path / "comma.csv"
    bad.write_text("label,det\n0,0.5\n1,0,9\n")
    out = run("evaluate", bad)
    assert out.returncode == 1
    assert "line 3 has 3 fields, the header 2" in out.stderr and "decimal comma" in out.stderr


def test_a_score_column_with_one_bad_cell_is_reported_not_dropped(run, tmp_path):
    text = csv_text().splitlines()
    cells = text[10].split(",")
    cells[3] = "0.4x"  # det_b on line 11
    text[10] = ",".join(cells)
    bad = tmp_path / "typo.csv"
    bad.write_text("\n".join(text) + "\n")
    out = run("evaluate", bad)  # default column selection
    assert out.returncode == 1 and out.stdout == ""
    assert "line 11, column 'det_b': '0.4x' is not a number" in out.stderr


def test_a_text_column_is_left_out_with_a_note(run, tmp_path):
    frame = pd.DataFrame({"label": LABEL, "det_a": DET_A, "host": ["web-1"] * N})
    path = tmp_path / "hosts.csv"
    frame.to_csv(path, index=False)
    out = run("evaluate", path, "--format", "json")
    assert [r["score"] for r in rows_of(out)] == ["det_a"]
    assert "pate: note:" in out.stderr and "host" in out.stderr and "not evaluated" in out.stderr


def test_duplicate_column_names_are_an_error(run, tmp_path):
    bad = tmp_path / "dup.csv"
    bad.write_text("label,det,det\n0,0.1,0.2\n1,0.9,0.8\n")
    out = run("evaluate", bad)
    assert out.returncode == 1
    assert "column name 'det' appears twice (fields 2 and 3)" in out.stderr


def test_duplicate_metric_and_score_names_are_evaluated_once_with_a_note(run, good):
    out = run("evaluate", good, "--metric", "pate,pate", "--score", "det_a,det_a", "--format", "json")
    rows = rows_of(out)
    assert [r["score"] for r in rows] == ["det_a"] and list(rows[0]) == ["series", "score", "pate", "constant"]
    assert "--metric names 'pate' more than once" in out.stderr
    assert "--score names 'det_a' more than once" in out.stderr
    out = run("evaluate", good, good, "--format", "json")
    assert len(rows_of(out)) == 2 and "named more than once" in out.stderr
    out = run("evaluate", good, "--early-buffer", "5", "--option", "early_buffer=6")
    assert out.returncode == 2 and "early_buffer is given twice with different values" in out.stderr


def test_names_like_null_survive_a_round_trip(run, tmp_path):
    frame = pd.DataFrame({"label": LABEL, "null": DET_A, "NA": DET_B})
    path = tmp_path / "nab_like.csv"
    frame.to_csv(path, index=False)
    result = tmp_path / "result.csv"
    out = run("evaluate", path, "--format", "csv", "--output", result)
    assert out.returncode == 0, out.stderr
    back = read_csv_names(result)
    assert back["score"].tolist() == ["null", "NA"]
    assert back["pate"].tolist() == [pate_score(LABEL, DET_A), pate_score(LABEL, DET_B)]
    assert pd.read_csv(result)["score"].isna().all()  # why docs/cli.md says keep_default_na=False


# ---------------------------------------------------------------- no tracebacks
def test_gzip_bz2_on_standard_input_are_decompressed(run, good):
    want = rows_of(run("evaluate", good, "--format", "json"))
    for compress in (gzip.compress, bz2.compress):
        got = rows_of(run("evaluate", "-", "--format", "json", stdin=compress(good.read_bytes())))
        assert [r["pate"] for r in got] == [r["pate"] for r in want]
        assert got[0]["series"] == "<stdin>"


def test_output_into_a_missing_directory_is_a_usage_error_before_any_work(run, good, tmp_path):
    out = run("evaluate", good, "--output", tmp_path / "nope" / "out.csv")
    assert out.returncode == 2 and "does not exist" in out.stderr and "pate: usage error: --output" in out.stderr
    out = run("evaluate", good, "--output", tmp_path)
    assert out.returncode == 2 and "is a directory" in out.stderr


@pytest.mark.skipif(importlib.util.find_spec("cupy") is not None, reason="CuPy is installed here")
def test_backend_cupy_without_cupy_is_a_usage_error(run, good):
    out = run("evaluate", good, "--option", "backend=cupy")
    assert out.returncode == 2
    assert "pate: usage error:" in out.stderr and 'pip install "pate-eval[gpu]"' in out.stderr


def test_huge_buffers_are_a_usage_error_naming_the_option(run, good):
    out = run("evaluate", good, "--early-buffer", str(2**70))
    assert out.returncode == 2 and "early_buffer must be at most 2**53" in out.stderr
    with pytest.raises(ValueError, match="early_buffer must be at most 2\\*\\*53"):
        pate_score(LABEL, DET_A, early_buffer=2**70)
    with pytest.raises(ValueError, match="window must be at most 2\\*\\*53"):
        get_metric("vus_pr")(LABEL, DET_A, window=2**60)


def test_standard_input_named_twice_is_a_usage_error(run, good):
    out = run("evaluate", "-", "-", stdin=good.read_text())
    assert out.returncode == 2 and "standard input (-) is named twice" in out.stderr


# ------------------------------------------------------ clearer errors, gaps
def test_keep_going_covers_a_file_that_needs_a_threshold(run, good, tmp_path):
    binary = tmp_path / "a_binary.csv"
    pd.DataFrame({"label": LABEL, "det_a": (DET_A > 0.9).astype(int)}).to_csv(binary, index=False)
    out = run("evaluate", binary, good, "--metric", "pate_f1", "--score", "det_a", "--format", "csv")
    assert out.returncode == 2 and "--threshold" in out.stderr and out.stdout == ""
    out = run("evaluate", binary, good, "--metric", "pate_f1", "--score", "det_a", "--format", "csv", "--keep-going")
    assert out.returncode == 1
    assert f"pate: error: {good}: metric 'pate_f1' needs binary predictions" in out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[0] == "series,score,pate_f1,constant" and len(lines) == 2 and lines[1].startswith("a_binary,")
    assert float(lines[1].split(",")[2]) == pate_f1_score(LABEL, (DET_A > 0.9).astype(int))


def test_n_thresholds_none_goes_only_to_metrics_that_accept_it(run, good):
    out = run(
        "evaluate",
        good,
        "--metric",
        "pate,vus_pr",
        "--n-thresholds",
        "none",
        "--score",
        "det_a",
        "--option",
        "window=5",
        "--format",
        "json",
    )
    row = rows_of(out)[0]
    assert row["pate"] == pate_score(LABEL, DET_A, n_thresholds=None)
    assert row["vus_pr"] == get_metric("vus_pr")(LABEL, DET_A, window=5)
    assert "--n-thresholds none applies to pate; vus_pr keeps the default n_thresholds" in out.stderr
    out = run("evaluate", good, "--metric", "vus_pr", "--n-thresholds", "none", "--output", "/nonexistent/x.csv")
    assert out.returncode == 2 and "accepts n_thresholds=None" in out.stderr  # before files or output


def test_option_values_are_python_literals(run, good):
    out = run(
        "evaluate",
        good,
        "--metric",
        "range_f1",
        "--threshold",
        "0.8",
        "--score",
        "det_a",
        "--option",
        "bias_p='front'",
        "--option",
        "alpha_r=0.5",
        "--format",
        "json",
    )
    want = get_metric("range_f1")(LABEL, DET_A >= 0.8, bias_p="front", alpha_r=0.5)
    assert rows_of(out)[0]["range_f1"] == want
    out = run("evaluate", good, "--option", "include_zero=false", "--score", "det_a", "--format", "json")
    assert rows_of(out)[0]["pate"] == pate_score(LABEL, DET_A, include_zero=False)
    out = run("evaluate", good, "--option", "early_buffer=1.5")
    assert out.returncode == 2 and "early_buffer" in out.stderr


@pytest.mark.parametrize(
    "name, sep, encoding, extra",
    [
        ("semicolon", ";", "utf-8", []),
        ("tab", "\t", "utf-8", []),
        ("pipe", "|", "utf-8", []),
        ("bom", ",", "utf-8-sig", []),
        ("utf16", "\t", "utf-16", []),
        ("latin1", ";", "latin-1", ["--encoding", "latin-1"]),
        ("decimal-comma", ";", "utf-8", ["--decimal", ","]),
    ],
)
def test_separators_and_encodings(run, tmp_path, name, sep, encoding, extra):
    frame = pd.DataFrame({"label": LABEL, "détecteur": DET_A})
    path = tmp_path / f"{name}.csv"
    path.write_bytes(frame.to_csv(index=False, sep=sep, decimal="," if "--decimal" in extra else ".").encode(encoding))
    row = rows_of(run("evaluate", path, "--format", "json", *extra))[0]
    assert row["score"] == "détecteur" and row["pate"] == pate_score(LABEL, DET_A)


def test_undecodable_bytes_get_a_hint_naming_encoding(run, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("label;d\xe9t\n0;0.1\n1;0.9\n".encode("latin-1"))
    out = run("evaluate", path)
    assert out.returncode == 1 and "line 1 is not valid UTF-8 (byte 0xe9)" in out.stderr
    assert "--encoding latin-1" in out.stderr
    semi = tmp_path / "semi.csv"
    semi.write_text("label;det\n0;0,1\n1;0,9\n")
    out = run("evaluate", semi)
    assert out.returncode == 1 and "'0,1' is not a number (a decimal comma? pass --decimal ,)" in out.stderr


def test_binary_metric_error_names_y_pred_and_the_fix():
    with pytest.raises(ValueError, match=r"y_pred must contain only 0 and 1.*y_pred = y_score >= threshold"):
        pate_f1_score(LABEL, DET_A)


def test_version(run):
    out = run("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"pate {pate.__version__}"


# -------------------------------------------------------------- every error path
_BAD_FILES = {
    "empty.csv": b"",
    "header_only.csv": b"label,det\n",
    "no_label.csv": b"lab,det\n0,0.1\n1,0.2\n",
    "not_number.csv": b"label,det\n0,0.1\n1,abc\n",
    "empty_cell.csv": b"label,det\n0,0.1\n1,\n",
    "nan_cell.csv": b"label,det\n0,0.1\n1,nan\n",
    "inf_cell.csv": b"label,det\n0,0.1\n1,inf\n",
    "label_2.csv": b"label,det\n0,0.1\n2,0.5\n",
    "shifted.csv": b"label,det\n9,0,0.5\n",
    "short_row.csv": b"label,det\n0,0.5\n1\n",
    "dup.csv": b"label,det,det\n0,0.1,0.2\n",
    "latin1.csv": "label,d\xe9t\n0,0.1\n".encode("latin-1"),
    "binary.csv": b"\x00\x01\x02PAR1",
    "zip.csv": b"PK\x03\x04rest",
    "truncated.csv.gz": gzip.compress(b"label,det\n0,0.1\n1,0.9\n" * 50)[:40],
    "unclosed_quote.csv": b'label,det\n0,"0.1\n1,0.9\n',
    "text_only.csv": b"label,host\n0,a\n1,b\n",
}

_ERROR_PATHS = [
    # (arguments, standard input, exit status, text in stderr)
    ([], None, 2, "the following arguments are required"),
    (["frobnicate"], None, 2, "invalid choice"),
    (["evaluate"], None, 2, "the following arguments are required"),
    (["evaluate", "missing.csv"], None, 2, "missing.csv: no such file or directory"),
    (["evaluate", "emptydir"], None, 2, "directory holds no .csv"),
    (["evaluate", "good.csv", "--metric", "nope"], None, 2, "Unknown metric 'nope'"),
    (["evaluate", "good.csv", "--metric", ","], None, 2, "--metric is empty"),
    (["evaluate", "good.csv", "--score", ","], None, 2, "--score is empty"),
    (["evaluate", "good.csv", "--option", "bogus=3"], None, 2, "option 'bogus' is not accepted"),
    (["evaluate", "good.csv", "--option", "nonsense"], None, 2, "expected NAME=VALUE"),
    (["evaluate", "good.csv", "--option", "early_buffer=-1"], None, 2, "early_buffer must be >= 0"),
    (["evaluate", "good.csv", "--early-buffer", str(2**70)], None, 2, "early_buffer must be at most 2**53"),
    (["evaluate", "good.csv", "--option", "backend='tpu'"], None, 2, "backend"),
    (["evaluate", "good.csv", "--n-thresholds", "abc"], None, 2, "n_thresholds"),
    (["evaluate", "good.csv", "--early-buffer", "x"], None, 2, "number of points, 'auto' or a time span"),
    (["evaluate", "good.csv", "--metric", "vus_pr", "--n-thresholds", "none"], None, 2, "accepts n_thresholds=None"),
    (["evaluate", "good.csv", "--sep", ";;"], None, 2, "--sep ';;': give one character"),
    (["evaluate", "good.csv", "--encoding", "klingon"], None, 2, "unknown encoding"),
    (["evaluate", "good.csv", "--sep", ",", "--decimal", ","], None, 2, "--decimal ','"),
    (["evaluate", "good.csv", "--decimal", ","], None, 1, "is also the field separator"),
    (["evaluate", "good.csv", "--output", "nodir/out.csv"], None, 2, "does not exist"),
    (["evaluate", "good.csv", "--output", "emptydir"], None, 2, "is a directory"),
    (["evaluate", "-", "-"], "label,det\n0,1\n", 2, "named twice"),
    (["evaluate", "good.csv", "--metric", "pate_f1"], None, 2, "pass --threshold X"),
    (["evaluate", "good.csv", "--score", "zz"], None, 1, "no score column 'zz'"),
    (["evaluate", "good.csv", "--label", "zz"], None, 1, "no label column 'zz'"),
    (["evaluate", "-"], gzip.compress(b"label,det\n0,0.1\n1,x\n"), 1, "<stdin>: line 3, column 'det'"),
    (["evaluate", "-"], b"", 1, "<stdin>: the file is empty"),
    (["metrics", "nope"], None, 2, "Unknown metric 'nope'"),
] + [(["evaluate", name], None, 1, f"{name}: ") for name in _BAD_FILES]


def test_no_error_path_shows_a_traceback(run, tmp_path):
    (tmp_path / "good.csv").write_text(csv_text())
    (tmp_path / "emptydir").mkdir()
    for name, content in _BAD_FILES.items():
        (tmp_path / name).write_bytes(content)

    def one(case):
        args, stdin, _, _ = case
        return run(*args, stdin=stdin, cwd=tmp_path)

    results = [one(case) for case in _ERROR_PATHS]
    for (args, _, status, text), out in zip(_ERROR_PATHS, results):
        shown = f"pate {' '.join(args)}: exit {out.returncode}, stderr {out.stderr!r}"
        assert "Traceback" not in out.stderr, shown
        assert out.returncode == status, shown
        assert text in out.stderr, shown
        assert out.stdout == "", shown
        errors = [line for line in out.stderr.splitlines() if "error" in line]
        assert len(errors) >= 1, shown


def test_a_warning_in_many_files_is_one_line(run, tmp_path):
    for i in range(3):
        frame = pd.DataFrame({"label": np.zeros(40, dtype=int), "a": np.linspace(0, 1, 40) + i, "b": np.arange(40) % 7})
        if i == 0:
            frame = frame.drop(columns="b")
        frame.to_csv(tmp_path / f"quiet_{i}.csv", index=False)
    out = run("evaluate", tmp_path, "--format", "csv")
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stderr.splitlines() if line.startswith("pate: warning:")]
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("pate: warning: 3 files (columns a x3, b x2; metric pate): PATE is undefined")


def test_metrics_listing_and_one_metric(run):
    out = run("metrics")
    assert out.returncode == 0
    lines = {line.split()[0]: line for line in out.stdout.splitlines()}
    assert set(lines) == {m.name for m in pate.list_metrics()}
    assert "VUS-PR" in lines["vus_pr"] and "[options: window, n_thresholds" in lines["vus_pr"]
    out = run("metrics", "pate")
    assert out.returncode == 0
    assert "early_buffer (default 100)" in out.stdout and "n_thresholds (default 250)" in out.stdout
    assert "guide:     docs/pate.md" in out.stdout and "KDD 2024" in out.stdout
    from pate.cli.metrics import PAGES

    for m in pate.list_metrics():  # every metric has a guide page that exists, and a reference
        page, reference = PAGES[m.func.__module__.rsplit(".", 1)[-1]]
        assert (REPO / page).is_file() and reference, m.name
