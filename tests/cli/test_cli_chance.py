"""``pate evaluate --chance N --null --seed`` and ``pate compare --value adjusted``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


@pytest.fixture
def files(tmp_path):
    """A directory of three CSV files (outputs go beside it, not into it)."""
    rng = np.random.default_rng(0)
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    for k in range(3):
        y = np.zeros(200, dtype=int)
        y[50 + 10 * k : 70 + 10 * k] = 1
        frame = pd.DataFrame({"label": y, "good": rng.random(200) + y, "noise": rng.random(200), "flat": 0.3})
        frame.to_csv(tmp_path / f"s{k}.csv", index=False)
    return tmp_path


def test_evaluate_with_chance_writes_the_tidy_table_with_the_chance_columns(cli, files):
    out = files.parent
    done = cli("evaluate", files, "--metric", "pate,auc_roc", "--chance", "19", "--seed", "3", "--output",
               out / "r.csv", "--quiet")  # fmt: skip
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(out / "r.csv", keep_default_na=False)
    assert list(table.columns) == [
        *("series", "detector", "metric", "value", "params"),
        *("expected", "adjusted", "pvalue", "constant"),
    ]
    again = cli("evaluate", files, "--metric", "pate,auc_roc", "--chance", "19", "--seed", "3", "--quiet")
    assert again.returncode == 0
    assert again.stdout.splitlines()[0].split()[-4:] == ["expected", "adjusted", "pvalue", "constant"]
    flat = table[(table["detector"] == "flat") & (table["metric"] == "pate")]
    assert (flat["adjusted"] == 0).all() and (flat["pvalue"] == 1).all()


def test_the_seed_sets_the_numbers(cli, files):
    a = cli("evaluate", files, "--metric", "pate", "--chance", "9", "--seed", "1", "--format", "csv", "--quiet")
    b = cli("evaluate", files, "--metric", "pate", "--chance", "9", "--seed", "1", "--format", "csv", "--quiet")
    c = cli("evaluate", files, "--metric", "pate", "--chance", "9", "--seed", "2", "--format", "csv", "--quiet")
    assert a.stdout == b.stdout != c.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--chance", "0"], "--chance 0: the number of resamples must be at least 1"),
        (["--null", "permutation"], "--null sets the resamples of --chance N"),
        (["--chance", "9", "--null", "permutation", "--metric", "pate_f1", "--threshold", "0.5"],
         "--null permutation needs metrics of continuous scores; 'pate_f1'"),
        (["--chance", "9", "--null", "bootstrap"], "invalid choice: 'bootstrap'"),
    ],
)  # fmt: skip
def test_bad_chance_flags_are_one_line_and_exit_2(cli, files, args, message):
    done = cli("evaluate", files, *args, "--quiet")
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


def test_compare_value_adjusted_ranks_adjusted_values_and_marks_chance(cli, files):
    results = files.parent / "out.csv"
    assert (
        cli("evaluate", files, "--metric", "pate_ap", "--chance", "99", "--output", results, "--quiet").returncode == 0
    )
    done = cli("compare", results, "--value", "adjusted", "--format", "csv")
    assert done.returncode == 0, done.stderr
    board = pd.read_csv(__import__("io").StringIO(done.stdout), keep_default_na=False)
    assert {"beats_chance", "no_better_than_chance"} <= set(board.columns)
    assert board.set_index("detector").loc["flat", "no_better_than_chance"] == True  # noqa: E712 - csv text
    assert board["detector"].iloc[0] == "good"
    assert "no better than chance whatever their rank: 'flat'" in done.stderr or "'flat'" in done.stderr
    text = cli("compare", results, "--value", "adjusted")
    assert "ranked by adjusted" in text.stdout


def test_compare_value_adjusted_on_a_table_without_chance_levels(cli, files):
    results = files.parent / "plain.csv"
    assert cli("evaluate", files, "--metric", "pate", "--tidy", "--output", results, "--quiet").returncode == 0
    done = cli("compare", results, "--value", "adjusted")
    assert done.returncode == 1
    assert "no 'adjusted' column" in done.stderr and "--chance 999" in done.stderr
