"""pate.compare's statistics against the established implementations.

Reference values were computed once by tests/data/make_compare_reference.py
with scipy, scikit-posthocs, statsmodels (multipletests, holm) and aeon in a
scratch virtualenv; none of them is a dependency of pate.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from helpers import DATA

from pate.compare import (
    friedman_test,
    holm_adjust,
    leaderboard,
    nemenyi_test,
    rank_groups,
    results_from_matrix,
    wilcoxon_holm_test,
)

DATA = json.loads((DATA / "compare_reference.json").read_text())
CASES = {case["name"]: case for case in DATA["cases"]}
ALPHA = DATA["alpha"]


def table(case):
    matrix = pd.DataFrame(case["values"], index=case["series"], columns=case["detectors"])
    return results_from_matrix(matrix, metric="auc_pr")


def pair(frame: pd.DataFrame, key: str) -> float:
    a, b = key.split("|")
    assert frame.loc[a, b] == frame.loc[b, a]
    return float(frame.loc[a, b])


def quiet_ties(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # identical detectors warn; tested elsewhere
        return func(*args, **kwargs)


@pytest.mark.parametrize("name", sorted(CASES))
def test_average_ranks_and_order(name):
    case = CASES[name]
    ref = case["reference"]
    board = leaderboard(table(case), n_resamples=99, random_state=0)
    assert list(board.index) == ref["order"]
    for det, rank in ref["average_ranks"].items():
        assert board.loc[det, "average_rank"] == pytest.approx(rank, abs=1e-12)


@pytest.mark.parametrize("name", [n for n in sorted(CASES) if "friedman" in CASES[n]["reference"]])
def test_friedman_matches_scipy(name):
    case = CASES[name]
    res = friedman_test(table(case))
    assert res.statistic == pytest.approx(case["reference"]["friedman"]["statistic"], rel=1e-12)
    assert res.pvalue == pytest.approx(case["reference"]["friedman"]["pvalue"], rel=1e-9, abs=1e-300)
    n, k = np.shape(case["values"])
    assert (res.n_series, res.n_detectors) == (n, k)
    # Iman-Davenport from its definition
    f = (n - 1) * res.statistic / (n * (k - 1) - res.statistic)
    assert res.iman_davenport_statistic == pytest.approx(f, rel=1e-12)


@pytest.mark.parametrize("name", sorted(CASES))
def test_nemenyi_pvalues_match_scikit_posthocs(name):
    case = CASES[name]
    res = nemenyi_test(table(case), alpha=ALPHA)
    for key, p in case["reference"]["nemenyi_pvalues"].items():
        assert pair(res.pvalues, key) == pytest.approx(p, rel=1e-9, abs=1e-12), key


@pytest.mark.parametrize("name", sorted(CASES))
def test_nemenyi_critical_difference_and_cliques_match_aeon(name):
    case = CASES[name]
    ref = case["reference"]
    res = nemenyi_test(table(case), alpha=ALPHA)
    # aeon's q_alpha comes from a 3-decimal table; ours is exact
    assert res.critical_difference == pytest.approx(ref["aeon_table_critical_difference"], rel=5e-4)
    assert res.groups == ref["aeon_nemenyi_cliques_exact_cd"]
    # aeon 1.6.0 itself reads q_alpha for k + 1 detectors: a larger CD than Demsar's (not copied)
    assert ref["aeon_published_critical_difference"] > res.critical_difference


@pytest.mark.parametrize("name", sorted(CASES))
def test_wilcoxon_and_holm_match_scipy_and_statsmodels(name):
    case = CASES[name]
    ref = case["reference"]
    res = quiet_ties(wilcoxon_holm_test, table(case), alpha=ALPHA)
    for key, p in ref["wilcoxon_pvalues"].items():
        assert pair(res.pvalues, key) == pytest.approx(p, rel=1e-12, abs=1e-300), key
    for key, p in ref["holm_adjusted_pvalues"].items():
        assert pair(res.adjusted_pvalues, key) == pytest.approx(p, rel=1e-12, abs=1e-300), key


@pytest.mark.parametrize("name", sorted(CASES))
def test_wilcoxon_holm_groups_against_aeon_clique_builder(name):
    """Same decisions -> aeon's cliques, except where aeon's first-member check admits a significant pair."""
    case = CASES[name]
    ref = case["reference"]
    res = quiet_ties(wilcoxon_holm_test, table(case), alpha=ALPHA)
    significant = res.adjusted_pvalues < ALPHA
    aeon_valid = [g for g in ref["aeon_holm_cliques"] if not significant.loc[g, g].to_numpy().any()]
    if aeon_valid == ref["aeon_holm_cliques"]:
        assert res.groups == ref["aeon_holm_cliques"]
    for group in res.groups:  # our groups never hold a significant pair, and are maximal runs
        assert not significant.loc[group, group].to_numpy().any()
        order = list(res.average_ranks.index)
        lo, hi = order.index(group[0]), order.index(group[-1])
        assert group == order[lo : hi + 1]
        for extended in (order[max(lo - 1, 0) : hi + 1], order[lo : hi + 2]):
            if extended != group:
                assert significant.loc[extended, extended].to_numpy().any()


def test_holm_matches_statsmodels_values_directly():
    case = CASES["many_detectors_40x30"]
    ref = case["reference"]
    raw = np.array(list(ref["wilcoxon_pvalues"].values()))
    adjusted = np.array(list(ref["holm_adjusted_pvalues"].values()))
    np.testing.assert_allclose(holm_adjust(raw), adjusted, rtol=1e-12)


def test_groups_never_hold_a_significant_pair_unlike_aeons_first_member_check():
    """aeon's builder would draw a, b, c as one clique (a~b, a~c); b and c differ, so pate draws a-b only."""
    names = ["a", "b", "c"]
    sig = pd.DataFrame(False, index=names, columns=names)
    sig.loc["b", "c"] = sig.loc["c", "b"] = True
    assert rank_groups(names, sig) == [["a", "b"]]
