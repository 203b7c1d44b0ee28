"""The leaderboard and the tests over chance-adjusted values, and the "no better than chance" mark."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from pate.compare import (
    friedman_test,
    leaderboard,
    read_results,
    results_from_frame,
    results_from_matrix,
    results_with_value,
)


def table(seed=0, n_series=30):
    """Three detectors: one beats chance everywhere, one on 1 series in 30 (3 %), one on 2 in 30 (7 %)."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n_series):
        for detector, p in (("good", 0.001), ("lucky", 0.01 if k == 0 else 0.5), ("twice", 0.01 if k < 2 else 0.5)):
            value = rng.random()
            expected = rng.random() * 0.5
            rows.append((f"s{k}", detector, "pate", value, "", expected, rng.random() - 0.5, p))
    return pd.DataFrame(rows, columns=["series", "detector", "metric", "value", "params", "expected", "adjusted",
                                       "pvalue"])  # fmt: skip


def test_value_adjusted_ranks_the_adjusted_values():
    results = table()
    board = leaderboard(results, value="adjusted", random_state=0)
    plain = results.assign(value=results["adjusted"]).drop(columns=["expected", "adjusted", "pvalue"])
    reference = leaderboard(plain, random_state=0)
    pd.testing.assert_frame_equal(board[reference.columns], reference)
    assert board.attrs["value"] == "adjusted"
    assert leaderboard(results, random_state=0).attrs["value"] == "value"


def test_no_better_than_chance_below_five_percent_of_series():
    board = leaderboard(table(), random_state=0)
    assert board.loc["good", "beats_chance"] == 1.0
    assert board.loc["lucky", "beats_chance"] == pytest.approx(1 / 30)
    assert board.loc["twice", "beats_chance"] == pytest.approx(2 / 30)
    assert board["no_better_than_chance"].to_dict() == {"good": False, "lucky": True, "twice": False}


def test_without_pvalues_no_chance_columns():
    board = leaderboard(table().drop(columns=["expected", "adjusted", "pvalue"]), random_state=0)
    assert "beats_chance" not in board.columns and "no_better_than_chance" not in board.columns


def test_a_nan_pvalue_does_not_beat_chance():
    results = table()
    results.loc[results["detector"] == "good", "pvalue"] = np.nan
    assert leaderboard(results, random_state=0).loc["good", "beats_chance"] == 0.0


def test_the_tests_read_the_adjusted_values_through_results_with_value():
    results = table()
    adjusted = results_with_value(results, "adjusted")
    assert (adjusted["value"] == results["adjusted"]).all() and "pvalue" in adjusted.columns
    matrix = results.pivot(index="series", columns="detector", values="adjusted")
    assert friedman_test(adjusted).statistic == friedman_test(results_from_matrix(matrix, metric="pate")).statistic


def test_a_table_without_chance_columns_says_how_to_make_them():
    plain = table().drop(columns=["expected", "adjusted", "pvalue"])
    with pytest.raises(ValueError, match=r"no 'adjusted' column.*chance=999.*--chance 999"):
        leaderboard(plain, value="adjusted")
    with pytest.raises(ValueError, match="value must be one of 'value', 'adjusted' or 'expected'|value must be"):
        leaderboard(table(), value="pvalue")


def test_the_chance_columns_survive_a_csv_file():
    text = table().to_csv(index=False)
    back = read_results(io.StringIO(text))
    assert list(back.columns[-3:]) == ["expected", "adjusted", "pvalue"]
    pd.testing.assert_frame_equal(back, results_from_frame(table()), check_exact=False, atol=1e-15)


def test_a_bad_number_in_a_chance_column_names_the_line():
    text = table(n_series=2).to_csv(index=False).replace("0.001", "abc", 1)
    with pytest.raises(ValueError, match=r"column 'pvalue': line \d+ holds 'abc'"):
        read_results(io.StringIO(text))
