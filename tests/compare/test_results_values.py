"""An infinite value in a results table is refused like NaN, never averaged (issue 29, messages).

``leaderboard`` on a table holding ``inf`` let numpy's RuntimeWarnings
through and ranked ``inf`` as a number; ``pate compare`` accepted it
silently while refusing NaN. Now both refuse it, naming the row or line.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from pate.compare import friedman_test, leaderboard, read_results, results_from_matrix


def test_leaderboard_refuses_an_infinite_value_naming_the_row():
    matrix = pd.DataFrame({"a": [0.5, np.inf, 0.7], "b": [0.4, 0.3, 0.6]}, index=["s1", "s2", "s3"])
    with pytest.raises(ValueError, match="column 'a': row 1 holds inf; a metric value is a finite number or missing"):
        leaderboard(results_from_matrix(matrix, metric="pate"))


def test_a_results_file_with_inf_names_the_line():
    text = "series,detector,metric,value\ns1,a,pate,0.5\ns1,b,pate,-inf\n"
    with pytest.raises(ValueError, match="line 3 holds '-inf'"):
        read_results(io.StringIO(text))


def test_finite_values_are_unchanged():
    matrix = pd.DataFrame({"a": [0.5, 0.9, 0.7], "b": [0.4, 0.3, 0.6]})
    assert friedman_test(results_from_matrix(matrix, metric="pate")).n_detectors == 2
