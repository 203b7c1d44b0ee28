"""One input rule for every container (issue 29, item 2 and the messages about numeric input).

Scores are compared as float64. An integer that float64 cannot hold exactly
(beyond 2**53 some are not; beyond ~1.8e308 none is) is refused with an
error naming the argument and the index, whatever holds it: a list, an
object array, an int64 or uint64 array, a pandas Series (plain or nullable),
a batch. Before, Python integers beyond 2**64 silently became one constant
score while an int64 array of the same values was refused, and 10**400 raised
a bare OverflowError. Strings are never numbers: numeric strings were
accepted in object arrays and pandas string columns but refused in numpy
string arrays, naming the wrong index.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pate import pate_f1_score, pate_score, pate_score_batch
from pate._validation import check_labels, check_predictions, check_scores

N = 40
LABELS = np.zeros(N, dtype=int)
LABELS[10:15] = 1
BEYOND_INT64 = [2**64 + i for i in range(N)]  # the break-it case: became a constant score
CSV_COLUMN = [2**62 + i for i in range(N)]  # a CSV column of 2**62 + i (pandas reads it as int64)

CONTAINERS = {
    "list": list,
    "tuple": tuple,
    "object array": lambda v: np.array(v, dtype=object),
    "pandas Series": pd.Series,
}


@pytest.mark.parametrize("make", CONTAINERS.values(), ids=CONTAINERS.keys())
@pytest.mark.parametrize("values", [BEYOND_INT64, CSV_COLUMN], ids=["beyond 2**64", "2**62 + i"])
def test_integers_float64_cannot_hold_are_refused_the_same_way_in_every_container(make, values):
    with pytest.raises(ValueError, match=r"y_score holds the integer \d+ at index 1, which float64 cannot hold"):
        pate_score(LABELS, make(values))


@pytest.mark.parametrize("dtype", [np.int64, np.uint64, "Int64", "UInt64"])
def test_integer_arrays_follow_the_same_rule(dtype):
    values = pd.Series(CSV_COLUMN, dtype=dtype) if isinstance(dtype, str) else np.array(CSV_COLUMN, dtype=dtype)
    with pytest.raises(ValueError, match=r"y_score holds the integer 4611686018427387905 at index 1"):
        pate_score(LABELS, values)


def test_uint64_beyond_int64_is_checked_too():
    values = np.array([2**63 + 2**11 * i for i in range(N)], dtype=np.uint64)  # exact: multiples of 2**11
    assert np.unique(check_scores(values)).size == N
    values[3] += 1
    with pytest.raises(ValueError, match="index 3"):
        check_scores(values)


def test_large_integers_that_float64_holds_exactly_are_accepted_with_their_ranks():
    exact = [2**62 + 1024 * i for i in range(N)]  # float64 spacing at 2**62 is 1024
    for make in (list, lambda v: np.array(v, dtype=object), np.array, pd.Series):
        scores = check_scores(make(exact))
        assert np.array_equal(np.argsort(scores, kind="stable"), np.arange(N))
        assert np.unique(scores).size == N
    assert pate_score(LABELS, exact, early_buffer=2, delay_buffer=2) == pate_score(
        LABELS, np.arange(N), early_buffer=2, delay_buffer=2
    )


def test_an_integer_beyond_the_largest_double_names_the_argument_not_an_overflow():
    for values in ([10**400] + [1] * (N - 1), np.array([10**400] + [1] * (N - 1), dtype=object)):
        with pytest.raises(ValueError, match="y_score holds an integer of 401 digits at index 0"):
            pate_score(LABELS, values)


@pytest.mark.parametrize("check, name", [(check_labels, "y_true"), (check_predictions, "y_pred")])
def test_huge_integers_in_labels_and_predictions_are_named_as_non_binary(check, name):
    for values in ([0, 10**400, 1], np.array([0, 2**64 + 1, 1], dtype=object), [0, 2**63 + 1, 1]):
        with pytest.raises(ValueError, match=rf"{name} must contain only 0 and 1 .*index 1 holds"):
            check(values)


def test_a_batch_follows_the_same_rule():
    with pytest.raises(ValueError, match=r"series 1: y_score holds the integer \d+ at index 1"):
        pate_score_batch([LABELS, LABELS], [np.arange(N), [2**63 + i for i in range(N)]])
    with pytest.raises(ValueError, match=r"series 0: y_score holds the integer \d+ at index 1"):
        pate_score_batch([LABELS], [np.array(CSV_COLUMN)])


TEXT = {
    "numpy string array": lambda v: np.array(v),
    "list of strings": list,
    "object array": lambda v: np.array(v, dtype=object),
    "pandas object Series": pd.Series,
    "pandas string Series": lambda v: pd.Series(v, dtype="string"),
}


@pytest.mark.parametrize("make", TEXT.values(), ids=TEXT.keys())
def test_numeric_strings_are_refused_in_every_container_naming_the_first(make):
    values = ["0.1", "0.2", "0.9"] + ["0.1"] * (N - 3)
    with pytest.raises(TypeError, match=r"y_score must hold numbers; index 0 holds the string '0\.1'"):
        pate_score(LABELS, make(values))


def test_the_first_string_is_named_among_numbers():
    values = np.array([0.1, 0.2, "0.3", "abc"] + [0.1] * (N - 4), dtype=object)
    with pytest.raises(TypeError, match="index 2 holds the string '0.3'"):  # was: index 3 ('abc')
        pate_score(LABELS, values)


def test_labels_and_predictions_follow_the_string_rule_too():
    with pytest.raises(TypeError, match="y_true must hold numbers; index 0 holds the string '0'"):
        pate_score(np.array(["0", "1"] * (N // 2), dtype=object), np.linspace(0, 1, N))
    with pytest.raises(TypeError, match="y_pred must hold numbers; index 0 holds the string '1'"):
        pate_f1_score(LABELS, ["1"] * N)


def test_ordinary_inputs_are_unchanged():
    scores = np.linspace(0, 1, N)
    want = pate_score(LABELS, scores, early_buffer=2, delay_buffer=2)
    for values in (
        scores.tolist(),
        scores.astype(object),
        pd.Series(scores),
        np.arange(N),
        list(range(N)),
        pd.Series(range(N), dtype="Int64"),
        [True, False] * (N // 2),
    ):
        got = pate_score(LABELS, values, early_buffer=2, delay_buffer=2)
        assert 0.0 <= got <= 1.0
    assert pate_score(LABELS, scores.astype(object), early_buffer=2, delay_buffer=2) == want


# ------------------------------------------------------------ files: the same rule, the place named
def test_a_csv_column_of_large_integers_is_refused_naming_line_and_column(tmp_path):
    from pate.benchmark import SeriesError, evaluate, read_csv_series

    pd.DataFrame({"label": LABELS, "det": CSV_COLUMN}).to_csv(tmp_path / "big.csv", index=False)
    with pytest.raises(SeriesError, match=r"line 3, column 'det': the score is the integer 4611686018427387905"):
        evaluate(read_csv_series(tmp_path / "big.csv"), progress=False)


@pytest.mark.parametrize("suffix", [".npy", ".txt"])
def test_score_files_of_large_integers_are_refused_naming_the_place(tmp_path, suffix):
    from pate.benchmark import SeriesError, evaluate, read_label_score_trees

    (tmp_path / "labels").mkdir()
    (tmp_path / "scores" / "det").mkdir(parents=True)
    np.save(tmp_path / "labels" / "s.npy", LABELS)
    if suffix == ".npy":
        np.save(tmp_path / "scores" / "det" / "s.npy", np.array(CSV_COLUMN))
        where = "index 1"
    else:
        (tmp_path / "scores" / "det" / "s.txt").write_text("\n".join(map(str, CSV_COLUMN)) + "\n")
        where = "line 2"
    with pytest.raises(SeriesError, match=rf"{where}: the score is the integer 4611686018427387905, which float64"):
        evaluate(read_label_score_trees(tmp_path / "labels", tmp_path / "scores"), progress=False)
