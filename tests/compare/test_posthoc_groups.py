"""Post-hoc groups and Nemenyi's p-values at scale (issue 29, item 13).

The groups of a critical-difference diagram were found by extending a run
from every start, O(k^3) at worst; Nemenyi's p-values evaluated the
studentized range survival function (a numerical integral) once per pair of
detectors: a million integrals at k = 1,000. The groups now come from one
pass over each detector's nearest significant partner, and the survival
function is evaluated once per distinct rank difference. Both give what
they gave before: the tests compare them with the plain definitions.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from pate.compare import nemenyi_test, rank_groups, results_from_matrix


def groups_by_definition(order, significant):
    """Maximal runs of two or more detectors, contiguous in ``order``, with no significant pair inside
    (a pair (i, j), i <= j in ``order``, is read from ``significant.loc[order[i], order[j]]``)."""
    sig = significant.loc[order, order].to_numpy(dtype=bool)
    k = len(order)
    clean = [
        (s, e)
        for s in range(k)
        for e in range(s + 1, k)
        if not any(sig[i, j] for j in range(s, e + 1) for i in range(s, j + 1))
    ]
    maximal = [(s, e) for s, e in clean if not any(a <= s and e <= b and (a, b) != (s, e) for a, b in clean)]
    return [list(order[s : e + 1]) for s, e in sorted(maximal)]


@settings(max_examples=300)
@given(k=st.integers(0, 9), density=st.floats(0, 1), symmetric=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_rank_groups_are_the_maximal_clean_runs(k, density, symmetric, seed):
    rng = np.random.default_rng(seed)
    names = [f"d{i}" for i in range(k)]
    sig = rng.random((k, k)) < density
    if symmetric:
        sig = sig | sig.T
    np.fill_diagonal(sig, False)  # a detector never differs from itself
    frame = pd.DataFrame(sig, index=names, columns=names)
    order = [names[i] for i in rng.permutation(k)]
    assert rank_groups(order, frame) == groups_by_definition(order, frame)


def test_nemenyi_evaluates_the_survival_function_once_per_distinct_difference(monkeypatch):
    sf = scipy.stats.studentized_range.sf
    evaluated = []

    def counting_sf(x, *args, **kwargs):
        evaluated.append(np.size(x))
        if np.size(x) > 50_000:
            raise AssertionError(f"studentized_range.sf evaluated at {np.size(x)} points")
        return sf(x, *args, **kwargs)

    monkeypatch.setattr(scipy.stats.studentized_range, "sf", counting_sf)
    n, k = 20, 600
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.random((n, k)) + np.linspace(0, 3, k), columns=[f"d{i:03d}" for i in range(k)])
    res = nemenyi_test(results_from_matrix(frame, metric="pate"))
    assert sum(evaluated) <= 2 * n * (k - 1) + 1  # rank sums are multiples of 1/2
    assert res.pvalues.shape == (k, k)


def test_nemenyi_pvalues_are_the_survival_function_of_each_pair():
    rng = np.random.default_rng(1)
    values = np.round(rng.random((12, 7)) + np.linspace(0, 1, 7), 1)
    frame = pd.DataFrame(values, columns=list("abcdefg"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = nemenyi_test(results_from_matrix(frame, metric="pate"))
    ranks = res.average_ranks
    scale = math.sqrt(7 * 8 / (6.0 * 12))
    for a in ranks.index:
        for b in ranks.index:
            want = (
                1.0
                if a == b
                else float(
                    scipy.stats.studentized_range.sf(abs(ranks[a] - ranks[b]) / scale * math.sqrt(2.0), 7, np.inf)
                )
            )
            assert res.pvalues.loc[a, b] == pytest.approx(min(max(want, 0.0), 1.0), abs=1e-15)
