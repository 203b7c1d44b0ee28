"""The ``constant`` flag survives the results table and its files: the Python leaderboard flags a constant
detector as ``pate compare`` does."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pate.benchmark import Series, evaluate
from pate.compare import leaderboard, read_results


def _data():
    out = []
    for i, seed in enumerate((1, 2, 3)):
        rng = np.random.default_rng(seed)
        y = np.zeros(200, dtype=int)
        y[60 + 10 * i : 90 + 10 * i] = 1
        out.append(
            Series(f"s{i}", y, {"good": y + rng.random(200), "noise": rng.random(200), "null": np.full(200, 0.5)})
        )
    return out


@pytest.fixture(scope="module")
def table():
    return evaluate(_data(), metrics=["pate_ap"], progress=False)  # the step rule: no few-valued warning


def test_the_results_table_carries_constant(table):
    assert list(table.columns)[-1] == "constant"
    flags = table.groupby("detector")["constant"].all()
    assert flags.to_dict() == {"good": False, "noise": False, "null": True}


def test_the_python_leaderboard_flags_constants(table):
    board = leaderboard(table, metric="pate_ap", random_state=0)
    assert bool(board.loc["null", "constant"]) and not bool(board.loc["good", "constant"])


def test_the_output_file_carries_constant_and_reads_back(tmp_path):
    out = tmp_path / "results.csv"
    evaluate(_data(), metrics=["pate_ap"], progress=False, output=out)
    back = read_results(out)
    assert "constant" in back.columns
    assert set(back.loc[back["detector"] == "null", "constant"].astype(bool)) == {True}
    assert not pd.isna(back["constant"]).any()
