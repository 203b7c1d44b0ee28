"""NAB's corpus-wide threshold optimiser and scoring at thresholds (pate.metrics._nab_corpus) against brute force.

The oracle (``tests/naive/nab.py``) scores every candidate threshold of the
corpus from scratch with exact (Fraction) totals; the sweep must give the same
total at every candidate, the same largest total, and the highest threshold
among equal totals.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import series
from hypothesis import given
from hypothesis import strategies as st
from naive.nab import naive_candidates, naive_corpus_total, naive_nab_score, naive_optimise

from pate.metrics import NAB_PROFILES, NabProfile
from pate.metrics._nab import check_nab_profile
from pate.metrics._nab_corpus import NabCorpus

STANDARD = NAB_PROFILES["standard"]


def corpus_of(labels, p=0.0):
    return NabCorpus([np.asarray(y).astype(bool) for y in labels], p)


@st.composite
def corpora(draw):
    k = draw(st.integers(1, 3))
    labels, scores = [], []
    levels = draw(st.integers(2, 8))  # few distinct scores: ties between points and series
    for _ in range(k):
        n = draw(st.integers(1, 40))
        y = np.zeros(n, dtype=int)
        for _ in range(draw(st.integers(0, 3))):
            a = draw(st.integers(0, n - 1))
            y[a : a + draw(st.integers(1, 12))] = 1
        labels.append(y)
        scores.append(np.array(draw(st.lists(st.integers(0, levels), min_size=n, max_size=n)), dtype=float) / levels)
    return labels, scores


weights = st.floats(0.05, 5.0, allow_nan=False)
profiles = st.one_of(st.sampled_from(list(NAB_PROFILES)), st.tuples(weights, weights, weights))


@given(data=corpora(), profile=profiles, p=st.sampled_from([0.0, 0.15, 0.3]))
def test_the_sweep_equals_brute_force_at_every_candidate(data, profile, p):
    labels, scores = data
    weights_ = check_nab_profile(profile)
    corpus = corpus_of(labels, p)
    sweep = corpus.sweep(scores)
    candidates = naive_candidates(labels, scores, probationary_percent=p)
    assert sweep.thresholds.tolist() == candidates
    totals = sweep.totals(weights_)
    want = [
        naive_corpus_total(labels, scores, t, profile=tuple(weights_), probationary_percent=p)
        for t in [math.inf, *candidates]
    ]
    np.testing.assert_allclose(totals, [float(w) for w in want], rtol=1e-12, atol=1e-12)


@given(data=corpora(), profile=profiles, p=st.sampled_from([0.0, 0.15]))
def test_the_optimum_is_the_largest_total_at_the_highest_threshold(data, profile, p):
    labels, scores = data
    weights_ = check_nab_profile(profile)
    threshold, total = corpus_of(labels, p).sweep(scores).best(weights_)
    _, totals = naive_optimise(labels, scores, profile=tuple(weights_), probationary_percent=p)
    best = max(totals.values())
    assert total == pytest.approx(float(best), rel=1e-12, abs=1e-12)
    # every nonzero change of a total here is far above 1e-9 (weights >= 0.05, windows <= 40 points),
    # so "within 1e-9 of the best" are exactly the ties; the highest of them wins
    tied = [key for key, value in totals.items() if abs(float(value - best)) <= 1e-9]
    if tied[0] is None:  # detecting nothing: the next float above every scored point
        top = max(naive_candidates(labels, scores, probationary_percent=p), default=-math.inf)
        assert threshold == np.nextafter(top, math.inf)
    else:
        assert threshold == tied[0]


@given(data=corpora(), profile=profiles, p=st.sampled_from([0.0, 0.15]), t=st.floats(-0.2, 1.2))
def test_scoring_at_a_threshold_equals_the_oracle_per_series(data, profile, p, t):
    labels, scores = data
    weights_ = check_nab_profile(profile)
    got = corpus_of(labels, p).score_at(scores, t, weights_)
    for y, s, counts in zip(labels, scores, got, strict=True):
        _, raw, perfect, _, tp, fp, fn, tn = naive_nab_score(y, s >= t, profile=tuple(weights_), probationary_percent=p)
        assert (counts.tp, counts.fp, counts.fn, counts.tn) == (tp, fp, fn, tn)
        assert counts.raw == pytest.approx(raw, rel=1e-12, abs=1e-12)
        assert counts.counted * weights_.tp == perfect


def test_a_tie_goes_to_the_higher_threshold():
    # the lower threshold adds only a later point of an already detected window: the same total
    y = series(30, (10, 19))
    s = np.zeros(30)
    s[12], s[15] = 0.9, 0.5
    threshold, total = corpus_of([y]).sweep([s]).best(STANDARD)
    assert threshold == 0.9
    assert total == pytest.approx(naive_corpus_total([y], [s], 0.9, profile=tuple(STANDARD), probationary_percent=0.0))


def test_detecting_nothing_wins_when_every_detection_costs():
    y = series(200, (10, 19))
    s = np.full(200, 0.5)
    s[10:20] = 0.1  # only false positives at the top; the window only below 190 of them
    threshold, total = corpus_of([y]).sweep([s]).best(STANDARD)
    assert threshold == np.nextafter(0.5, 1.0) and total == -1.0
    counts = corpus_of([y]).score_at([s], threshold, STANDARD)[0]
    assert (counts.raw, counts.tp, counts.fp) == (-1.0, 0, 0)


def test_the_optimum_depends_on_the_profile():
    # one window; a second peak far from it: worth detecting only when false positives are cheap
    y = series(200, (100, 119))
    s = np.zeros(200)
    s[110], s[150:160] = 0.8, 0.6  # lower threshold: the window's earlier point 101 too, and 10 false positives
    s[101] = 0.6
    sweep = corpus_of([y]).sweep([s])
    assert sweep.best(NabProfile(1.0, 0.001, 1.0))[0] == 0.6
    assert sweep.best(NabProfile(1.0, 1.0, 1.0))[0] == 0.8


def test_score_arrays_must_match_the_corpus():
    corpus = corpus_of([series(10, (2, 4)), series(12, (5, 6))])
    with pytest.raises(ValueError, match="expected 2 score arrays"):
        corpus.sweep([np.zeros(10)])
