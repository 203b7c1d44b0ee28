"""``pate evaluate --early-buffer auto --delay-buffer auto``, ``--value``, ``--undefined`` and the
few-valued-score warning on the command line (in-process, through ``pate.cli.main``)."""

from __future__ import annotations

import contextlib
import io
import math

import numpy as np
import pandas as pd
import pytest

from pate import pate_score, suggest_buffer_size
from pate.cli import main

N = 1500
T = np.arange(N)
LABEL = np.zeros(N, dtype=int)
LABEL[700:730] = 1
RNG = np.random.default_rng(5)
VALUE = np.round(np.sin(2 * np.pi * T / 48) + 0.1 * RNG.standard_normal(N), 6)
DET = np.round(RNG.random(N) + 0.6 * LABEL, 6)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["evaluate", *map(str, args), "--quiet"])
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def series(tmp_path):
    path = tmp_path / "s.csv"
    pd.DataFrame({"timestamp": T, "value": VALUE, "label": LABEL, "det": DET, "flat": np.full(N, 0.3)}).to_csv(
        path, index=False
    )
    return path


def test_auto_buffers_come_from_the_value_column_and_are_reported(series, tmp_path):
    out = tmp_path / "out.csv"
    status, _, err = run(
        series,
        "--metric",
        "pate,pate_ap",
        "--early-buffer",
        "auto",
        "--delay-buffer",
        "auto",
        "--score",
        "det",
        "--format",
        "csv",
        "--output",
        out,
    )
    assert status == 0, err
    rows = pd.read_csv(out)
    size = suggest_buffer_size(VALUE).buffer_size
    assert size == 48
    assert list(rows.columns) == ["series", "score", "early_buffer", "delay_buffer", "pate", "pate_ap", "constant"]
    assert rows.loc[0, "early_buffer"] == rows.loc[0, "delay_buffer"] == size
    assert rows.loc[0, "pate"] == pytest.approx(pate_score(LABEL, DET, early_buffer=size, delay_buffer=size), abs=1e-12)
    assert rows.loc[0, "pate_ap"] == pytest.approx(
        pate_score(LABEL, DET, early_buffer=size, delay_buffer=size, interpolation="step"), abs=1e-12
    )


def test_one_auto_buffer_beside_a_number(series, tmp_path):
    out = tmp_path / "out.csv"
    assert (
        run(
            series,
            "--early-buffer",
            "auto",
            "--delay-buffer",
            "7",
            "--score",
            "det",
            "--format",
            "csv",
            "--output",
            out,
        )[0]
        == 0
    )
    rows = pd.read_csv(out)
    assert list(rows.columns) == ["series", "score", "early_buffer", "pate", "constant"]
    assert rows.loc[0, "pate"] == pytest.approx(pate_score(LABEL, DET, early_buffer=48, delay_buffer=7), abs=1e-12)


def test_value_names_another_column_which_is_then_not_a_score(tmp_path):
    path = tmp_path / "s.csv"
    pd.DataFrame({"signal": VALUE, "label": LABEL, "det": DET}).to_csv(path, index=False)
    out = tmp_path / "out.csv"
    assert run(path, "--early-buffer", "auto", "--value", "signal", "--format", "csv", "--output", out)[0] == 0
    rows = pd.read_csv(out)
    assert rows["score"].tolist() == ["det"] and rows.loc[0, "early_buffer"] == 48


def test_fallback_is_a_note_and_a_missing_value_column_an_error(tmp_path):
    path = tmp_path / "flat.csv"
    pd.DataFrame({"value": np.ones(N), "label": LABEL, "det": DET}).to_csv(path, index=False)
    status, out, err = run(path, "--early-buffer", "auto")
    assert status == 0 and "automatic buffer: the series is constant" in err and "default 100" in err
    path2 = tmp_path / "novalue.csv"
    pd.DataFrame({"label": LABEL, "det": DET}).to_csv(path2, index=False)
    status, out, err = run(path2, "--delay-buffer", "auto")
    assert status != 0 and "no column 'value'" in err and "--value COLUMN" in err and "Traceback" not in err


def test_auto_needs_a_metric_that_takes_buffers_and_bad_sizes_are_usage_errors(series):
    status, _, err = run(series, "--metric", "auc_roc", "--early-buffer", "auto")
    assert status != 0 and "no selected metric (auc_roc) takes early_buffer" in err
    status, _, err = run(series, "--early-buffer", "auto", "--tidy")
    assert status != 0 and "give a number of points" in err
    with pytest.raises(SystemExit):
        with contextlib.redirect_stderr(io.StringIO()):
            main(["evaluate", str(series), "--early-buffer", "soon"])


@pytest.mark.parametrize("policy, expected", [("nan", math.nan), ("zero", 0.0)])
def test_undefined_policy_on_the_command_line(tmp_path, policy, expected):
    path = tmp_path / "none.csv"
    pd.DataFrame({"label": np.zeros(N, int), "det": DET}).to_csv(path, index=False)
    out = tmp_path / "out.csv"
    status, _, err = run(
        path,
        "--metric",
        "pate,vus_pr,point_recall",
        "--threshold",
        "0.5",
        "--undefined",
        policy,
        "--format",
        "csv",
        "--output",
        out,
    )
    assert status == 0 and "UndefinedMetric" not in err and "undefined" not in err
    values = pd.read_csv(out).iloc[0][["pate", "vus_pr", "point_recall"]].astype(float).tolist()
    assert all((math.isnan(v) if math.isnan(expected) else v == expected) for v in values)
    status, _, err = run(path, "--metric", "pate", "--undefined", "warn")
    assert status == 0 and "PATE is undefined when y_true has no anomaly" in err


def test_few_valued_warning_once_per_file_and_column(series):
    status, _, err = run(series, "--metric", "pate,pate_ap,auc_pr_trapz,auc_pr", "--score", "det,flat")
    assert status == 0
    lines = [line for line in err.splitlines() if "takes one value" in line]
    # one line per message: pate's and the trapezoid AUC-PR's, each naming the column flat
    assert len(lines) == 2
    assert "(column flat; metric pate)" in lines[0] and "(column flat; metric auc_pr_trapz)" in lines[1]
