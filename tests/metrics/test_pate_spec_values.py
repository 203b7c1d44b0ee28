"""The published package's values on the inputs of docs/spec/pate-definition.md, section 8."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from helpers import series

from pate import pate_f1_score, pate_score

F1_CASES = [
    # (T, labels, prediction, options, expected)
    (500, [(40, 59)], [(30, 49)], dict(early_buffer=20, delay_buffer=20, include_zero=False), 0.7513087240782763),
    (40, [(20, 24)], [(14, 19)], dict(early_buffer=6, delay_buffer=4), 0.0),
    (40, [(20, 24)], [(14, 19), (23, 23)], dict(early_buffer=6, delay_buffer=4), Fraction(356, 1133)),
    (60, [(10, 29)], [(12, 13), (16, 27)], dict(early_buffer=0, delay_buffer=0), Fraction(2660, 3167)),
    (60, [(10, 29)], [(12, 23), (26, 27)], dict(early_buffer=0, delay_buffer=0), Fraction(2660, 2957)),
    (40, [(10, 14), (16, 19)], [(12, 17)], dict(early_buffer=5, delay_buffer=5), Fraction(5, 7)),
    (
        40,
        [(10, 14), (25, 25)],
        [(7, 12), (26, 28)],
        dict(early_buffer=1, delay_buffer=1, n_buffer_splits=3),
        Fraction(3, 7),
    ),
    (
        30,
        [(10, 14)],
        [(9, 9), (12, 12), (15, 15)],
        dict(early_buffer=3, delay_buffer=3, n_buffer_splits=9, include_zero=False),
        0.3414181748908424,
    ),
]


@pytest.mark.parametrize("n, labels, pred, options, expected", F1_CASES)
def test_pate_f1_matches_published_values(n, labels, pred, options, expected):
    got = pate_f1_score(series(n, *labels), series(n, *pred), **options)
    assert got == pytest.approx(float(expected), abs=1e-12)


def test_pate_defaults_on_the_smallest_example():
    assert pate_score(np.array([0, 1, 0, 1, 0]), np.array([0.1, 0.8, 0.1, 0.9, 0.2])) == 1.0


def test_pate_continuous_with_binary_scores():
    y, p = series(500, (40, 59)), series(500, (30, 49)).astype(float)
    got = pate_score(y, p, early_buffer=20, delay_buffer=20, include_zero=False, n_thresholds=None)
    assert got == pytest.approx(0.7593424904335389, abs=1e-12)


def test_pate_continuous_small_example():
    y = [0, 1, 1, 0, 0, 1, 0, 0]
    s = [0.1, 0.9, 0.3, 0.2, 0.8, 0.4, 0.1, 0.05]
    got = pate_score(y, s, early_buffer=2, delay_buffer=2, n_thresholds=None)
    assert got == pytest.approx(0.7807539682539683, abs=1e-12)


def test_exact_tie_follows_exact_arithmetic():
    # docs/spec/pate-definition.md, section 11: the sets at 0.9 and 0.5 have exactly equal recall 66/85;
    # the package's rounding drops the second (0.98137...), exact arithmetic keeps it.
    y = series(18, (0, 11), (13, 15))
    s = np.full(18, 0.1)
    s[2:8] = 0.9
    s[9] = 0.9
    s[13:16] = 0.9
    s[[0, 17]] = 0.5
    got = pate_score(y, s, early_buffer=0, delay_buffer=0)
    assert got == pytest.approx(float(Fraction(661, 680)), abs=1e-12)
