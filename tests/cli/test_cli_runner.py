"""``pate evaluate`` with the runner's flags: --tidy, --jobs, --labels/--scores, --output/--resume, Ctrl-C."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pate.benchmark import evaluate, read_csv_series
from pate.benchmark._results_io import read_output
from pate.cli import main

BUNDLED = str(files("pate") / "data")


def _run(argv, capsys):
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_tidy_csv_is_the_results_table(capsys):
    status, out, err = _run(
        [
            "evaluate",
            BUNDLED,
            "--tidy",
            "--format",
            "csv",
            "--metric",
            "pate,auc_pr",
            "--early-buffer",
            "50",
            "--quiet",
        ],
        capsys,
    )
    assert status == 0, err
    printed = pd.read_csv(io.StringIO(out), keep_default_na=False, na_values={"value": ["nan"]})
    expected = evaluate(read_csv_series(BUNDLED), progress=False, metrics=[("pate", {"early_buffer": 50}), "auc_pr"])
    assert list(printed.columns) == ["series", "detector", "metric", "value", "params", "constant"]
    pd.testing.assert_frame_equal(printed, expected, check_dtype=False)
    assert set(printed["params"]) == {"early_buffer=50", ""}


@pytest.mark.slow  # worker processes or a subprocess
def test_jobs_gives_the_same_wide_output_as_one_process(capsys):
    argv = ["evaluate", BUNDLED, "--format", "csv", "--metric", "pate,pate_f1", "--threshold", "0.5", "--quiet"]
    status1, plain, _ = _run(argv, capsys)
    status2, parallel, _ = _run(argv + ["--jobs", "2"], capsys)
    assert status1 == status2 == 0
    assert parallel == plain


def _tree(root: Path):
    rng = np.random.default_rng(0)
    (root / "labels").mkdir()
    y = np.zeros(200, dtype=int)
    y[50:70] = 1
    for name in ("s1", "s2"):
        np.save(root / "labels" / f"{name}.npy", y)
    for det in ("a", "b"):
        (root / "scores" / det).mkdir(parents=True)
        for name in ("s1", "s2"):
            if (det, name) != ("b", "s2"):
                np.save(root / "scores" / det / f"{name}.npy", rng.random(200) + y)
    return str(root / "labels"), str(root / "scores")


def test_label_and_score_trees_with_keep_going(tmp_path, capsys):
    labels, scores = _tree(tmp_path)
    argv = ["evaluate", "--labels", labels, "--scores", scores, "--tidy", "--format", "csv", "--metric", "auc_pr"]
    status, out, err = _run(argv, capsys)
    assert status == 1 and out == ""
    assert "series 's2', detector 'b': no score file" in err and "--keep-going" in err
    status, out, err = _run(argv + ["--keep-going"], capsys)
    assert status == 1
    printed = pd.read_csv(io.StringIO(out), keep_default_na=False, na_values={"value": ["nan"]})
    assert printed[["series", "detector"]].values.tolist() == [["s1", "a"], ["s1", "b"], ["s2", "a"], ["s2", "b"]]
    assert printed["value"].isna().tolist() == [False, False, False, True]
    assert "no score file" in printed["error"].iloc[3]
    assert "1 of 4 row(s) could not be evaluated" in err


@pytest.mark.parametrize("name", ["results.csv", "results.parquet"])
def test_output_file_and_resume(tmp_path, capsys, name):
    out = tmp_path / name
    argv = ["evaluate", BUNDLED, "--tidy", "--metric", "auc_pr,vus_pr", "--output", str(out), "--quiet"]
    status, stdout, err = _run(argv, capsys)
    assert status == 0 and stdout == "", err
    full = read_output(out)
    assert len(full) == 2 * 16 * 2
    partial = full[full.series == full.series.iloc[0]].copy()
    partial.loc[0, "value"] = 42.0  # a done row: kept as it is by --resume
    partial.to_parquet(out) if name.endswith(".parquet") else partial.to_csv(out, index=False)
    status, _, err = _run(argv + ["--resume"], capsys)
    assert status == 0, err
    resumed = read_output(out)
    expected = full.copy()
    expected.loc[0, "value"] = 42.0
    pd.testing.assert_frame_equal(resumed, expected)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--tidy", "--scheduler-address", "h:1"], "--scheduler-address needs --scheduler dask"),
        (["--labels", "x"], "--labels and --scores go together"),
        (["--tidy", "--resume"], "--resume continues a results file"),
        (["--jobs", "2", "--output", "r.parquet"], "add --tidy"),
        (["--jobs", "0"], "--jobs must be"),
        (["--tidy", "--metric", "pate_f"], "Unknown metric 'pate_f'"),
        (["--tidy", "--compare"], "run pate compare on the --tidy output"),
    ],
)
def test_usage_errors(argv, message, capsys):
    status, _, err = _run(["evaluate", BUNDLED] + argv, capsys)
    assert status == 2 and message in err


def _write_series(folder: Path, count: int, n: int) -> None:
    rng = np.random.default_rng(1)
    y = np.zeros(n, dtype=int)
    y[n // 2 : n // 2 + 200] = 1
    for i in range(count):
        frame = pd.DataFrame({"label": y, "a": rng.random(n) + y, "b": rng.random(n)})
        frame.to_csv(folder / f"s{i:02d}.csv", index=False)


@pytest.mark.slow  # worker processes or a subprocess
def test_ctrl_c_exits_130_saying_what_was_written_and_resume_finishes(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    _write_series(data, count=40, n=20000)
    out = tmp_path / "results.csv"
    command = [
        sys.executable,
        "-m",
        "pate",
        "evaluate",
        str(data),
        "--tidy",
        "--metric",
        "pate,vus_pr",
        "--output",
        str(out),
    ]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not out.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    saved = read_output(out)
    assert f"{len(saved)} rows are in {out}" in err and "--resume" in err
    done = saved["series"].unique()
    assert 0 < len(done) < 40 and len(saved) == len(done) * 2 * 2  # whole series only
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
    finished = subprocess.run(command + ["--resume", "--quiet"], capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    resumed = read_output(out)
    assert len(resumed) == 40 * 2 * 2
    pd.testing.assert_frame_equal(resumed[resumed.series.isin(done)].reset_index(drop=True), saved)
