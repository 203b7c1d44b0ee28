"""The one validation layer: errors that callers place (InvalidValuesError) and the one choice check."""

from __future__ import annotations

import numpy as np
import pytest

from pate._validation import InvalidValuesError, check_choice, check_labels, check_same_length, check_scores


def test_a_bad_value_says_where_and_what_for_callers_that_add_context():
    with pytest.raises(InvalidValuesError, match="y_true must contain only 0 and 1") as bad_label:
        check_labels([0, 1, 2, 0])
    assert bad_label.value.index == 2 and bad_label.value.located() == "index 2: label 2 is not 0 or 1."
    assert bad_label.value.located(lambda i: f"line {i + 2}, column 'label'") == (
        "line 4, column 'label': label 2 is not 0 or 1."
    )
    with pytest.raises(InvalidValuesError, match="y_score contains NaN at index 1") as nan:
        check_scores([0.1, np.nan])
    assert nan.value.located() == "index 1: the score is nan; scores must be finite numbers."
    with pytest.raises(InvalidValuesError, match="same length, got 3 and 2") as short:
        check_same_length(np.zeros(3), np.zeros(2), name="y_score")
    assert (
        short.value.index is None and short.value.located() == "2 scores for 3 labels; every time step needs one score."
    )


@pytest.mark.parametrize(
    "value, choices, message",
    [
        ("x", ("a", "b"), "kind must be 'a' or 'b'; got 'x'."),
        ("x", ("a", "b", "c"), "kind must be one of 'a', 'b', 'c'; got 'x'."),
        (1, (True, False), "kind must be True or False; got 1."),
        (None, ("a",), "kind must be 'a'; got None."),
    ],
)
def test_check_choice_names_the_argument_and_the_choices(value, choices, message):
    with pytest.raises(ValueError) as refused:
        check_choice(value, "kind", choices)
    assert str(refused.value) == message


def test_check_choice_returns_the_value():
    assert check_choice(np.str_("b"), "kind", ("a", "b")) == "b"
    assert check_choice(False, "flag", (True, False)) is False
