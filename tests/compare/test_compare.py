"""pate.compare: results tables, leaderboard and statistics on small hand-made tables."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import friedmanchisquare, rankdata, wilcoxon

from pate.benchmark import format_params, parse_params
from pate.compare import (
    FriedmanResult,
    buffer_sensitivity,
    friedman_test,
    leaderboard,
    nemenyi_test,
    rank_agreement,
    read_results,
    results_from_frame,
    results_from_matrix,
    results_from_wide,
    results_to_matrix,
    results_to_wide,
    wilcoxon_holm_test,
)


def matrix_table(values, detectors=None, metric="pate"):
    values = np.asarray(values, float)
    detectors = detectors or [f"d{j}" for j in range(values.shape[1])]
    frame = pd.DataFrame(values, index=[f"s{i}" for i in range(values.shape[0])], columns=detectors)
    return results_from_matrix(frame, metric=metric)


# ------------------------------------------------------------------ tables
def test_tidy_wide_matrix_round_trip():
    tidy = pd.DataFrame(
        {
            "series": ["s1", "s1", "s2", "s2"] * 2,
            "detector": ["a", "b"] * 4,
            "metric": ["pate"] * 4 + ["pa_f1"] * 4,
            "value": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
            "params": ["early_buffer=5"] * 4 + [""] * 4,
        }
    )
    canonical = results_from_frame(tidy)
    wide = results_to_wide(canonical)
    assert list(wide.columns) == ["series", "detector", "pate[early_buffer=5]", "pa_f1"]
    back = results_from_wide(wide)
    pd.testing.assert_frame_equal(
        back.sort_values(["metric", "series", "detector"]).reset_index(drop=True),
        canonical.sort_values(["metric", "series", "detector"]).reset_index(drop=True),
    )
    m = results_to_matrix(canonical, metric="pa_f1")
    assert m.loc["s2", "b"] == 0.8
    again = results_from_matrix(m, metric="pa_f1")
    pd.testing.assert_frame_equal(again, canonical[canonical.metric == "pa_f1"].reset_index(drop=True))


def test_the_wide_form_of_pate_evaluate_is_read():
    text = (
        "file,score,pate,pate_f1\na.csv,null,0.5,0.1\na.csv,numenta,0.4,0.2\n"
        "b.csv,null,0.6,0.3\nb.csv,numenta,0.3,0.4\n"
    )
    tidy = read_results(io.StringIO(text))
    assert set(tidy["detector"]) == {"null", "numenta"}  # 'null' stays a name, not NaN
    assert list(tidy.columns) == ["series", "detector", "metric", "value", "params"]
    assert len(tidy) == 8


@pytest.mark.parametrize("name", ["null", "NA", "nan", "None", "N/A", ""])
def test_names_that_pandas_reads_as_missing_stay_names(name):
    if name == "":
        text = "series,detector,metric,value\ns1,,pate,0.5\n"
        with pytest.raises(ValueError, match="missing name"):
            read_results(io.StringIO(text))
        return
    text = f"series,detector,metric,value\ns1,{name},pate,0.5\ns2,{name},pate,0.25\n"
    assert read_results(io.StringIO(text))["detector"].tolist() == [name, name]


def test_a_table_read_with_default_na_gets_a_clear_error():
    frame = pd.read_csv(io.StringIO("series,detector,metric,value\ns1,null,pate,0.5\n"))
    with pytest.raises(ValueError, match="keep_default_na=False"):
        results_from_frame(frame)


def test_bad_tables_are_named():
    with pytest.raises(ValueError, match="row 1 holds 'abc'"):
        results_from_frame(
            pd.DataFrame({"series": ["a", "b"], "detector": ["x", "x"], "metric": ["m", "m"], "value": ["0.1", "abc"]})
        )
    dup = pd.DataFrame({"series": ["a", "a"], "detector": ["x", "x"], "metric": ["m", "m"], "value": [1, 2]})
    with pytest.raises(ValueError, match="repeat a .*series='a', detector='x'"):
        results_from_frame(dup)
    with pytest.raises(ValueError, match="pass metric=NAME"):
        results_from_frame(pd.DataFrame({"a": [1.0], "b": [2.0]}))
    with pytest.raises(TypeError, match="DataFrame"):
        results_from_frame([[1, 2]])


def test_params_are_canonical():
    text = format_params({"early_buffer": 10, "delay_buffer": 20, "include_zero": False})
    assert text == "delay_buffer=20;early_buffer=10;include_zero=False"
    assert parse_params(text) == {"delay_buffer": 20, "early_buffer": 10, "include_zero": False}
    assert format_params({}) == "" and parse_params("") == {}


def test_metric_and_params_must_be_chosen_when_several():
    tidy = pd.concat([matrix_table([[1, 2], [3, 4]], metric="pate"), matrix_table([[1, 2], [3, 4]], metric="vus_pr")])
    with pytest.raises(ValueError, match="several metrics.*'pate', 'vus_pr'"):
        leaderboard(tidy)
    with pytest.raises(ValueError, match="metric 'auc_pr' is not in the results table"):
        leaderboard(tidy, metric="auc_pr")
    assert list(leaderboard(tidy, metric="vus_pr", n_resamples=9).index) == ["d1", "d0"]


# ----------------------------------------------------------- missing values
def test_missing_pairs_raise_naming_them_or_drop_series_with_a_warning():
    tidy = matrix_table([[0.1, 0.2, 0.3], [0.4, np.nan, 0.6], [0.7, 0.8, 0.9], [0.2, 0.1, 0.0]])
    tidy = tidy[~((tidy.series == "s3") & (tidy.detector == "d2"))]  # a pair absent altogether
    with pytest.raises(ValueError, match=r"2 \(series, detector\) pair\(s\).*\('s1', 'd1'\).*\('s3', 'd2'\)"):
        friedman_test(tidy)
    with pytest.warns(UserWarning, match="dropped 2 series.*'s1', 's3'"):
        board = leaderboard(tidy, missing="drop-series", n_resamples=9)
    assert board.attrs["dropped_series"] == ("s1", "s3")
    assert (board["n_series"] == 2).all()
    assert board.loc["d0", "mean"] == pytest.approx((0.1 + 0.7) / 2)
    with pytest.warns(UserWarning, match="dropped"):
        res = friedman_test(tidy, missing="drop-series")
    assert res.n_series == 2


def test_too_few_detectors_or_series_are_clear_errors():
    with pytest.raises(ValueError, match="1 detector.*at least 2"):
        friedman_test(matrix_table([[0.1], [0.2]]))
    with pytest.raises(ValueError, match="1 series.*at least 2"):
        wilcoxon_holm_test(matrix_table([[0.1, 0.2, 0.3]]))
    with pytest.raises(ValueError, match="missing must be"):
        leaderboard(matrix_table([[0.1, 0.2], [0.3, 0.4]]), missing="ignore")


# --------------------------------------------------------------- leaderboard
def test_leaderboard_columns_ranks_wins_and_ties():
    values = [[0.9, 0.9, 0.1], [0.5, 0.7, 0.7], [0.3, 0.2, 0.1]]
    board = leaderboard(matrix_table(values, ["b", "a", "c"]), random_state=1, n_resamples=199)
    assert list(board.columns) == [
        "mean",
        "std",
        "median",
        "min",
        "max",
        "n_series",
        "average_rank",
        "wins",
        "ci_low",
        "ci_high",
        "constant",
    ]
    # ranks per series: (1.5, 1.5, 3), (3, 1.5, 1.5), (1, 2, 3) -> b 5.5/3, a 5/3, c 7.5/3
    assert board["average_rank"].to_dict() == pytest.approx({"a": 5 / 3, "b": 5.5 / 3, "c": 2.5})
    assert list(board.index) == ["a", "b", "c"]
    assert board["wins"].to_dict() == {"a": 2, "b": 2, "c": 1}  # ties count for every tied detector
    assert board.loc["a", "std"] == pytest.approx(np.std([0.9, 0.7, 0.2], ddof=1))
    assert (board["ci_low"] <= board["mean"]).all() and (board["mean"] <= board["ci_high"]).all()
    assert board["constant"].isna().all()  # the table does not say
    assert board.attrs["higher_is_better"] is True and board.attrs["n_series"] == 3


def test_leaderboard_rank_ties_are_broken_by_name():
    board = leaderboard(matrix_table([[0.5, 0.5], [0.5, 0.5]], ["zeta", "alpha"]), n_resamples=9)
    assert list(board.index) == ["alpha", "zeta"]


def test_lower_is_better_must_be_declared():
    tidy = matrix_table([[0.1, 0.9], [0.2, 0.8]], ["low", "high"], metric="error")
    assert list(leaderboard(tidy, n_resamples=9).index) == ["high", "low"]
    board = leaderboard(tidy, higher_is_better=False, n_resamples=9)
    assert list(board.index) == ["low", "high"] and board.attrs["higher_is_better"] is False
    assert board.loc["low", "wins"] == 2


def test_bootstrap_interval_is_scipys_percentile_interval():
    from scipy.stats import bootstrap

    values = np.array([[0.1, 0.5], [0.4, 0.6], [0.35, 0.2], [0.8, 0.9], [0.55, 0.3]])
    board = leaderboard(matrix_table(values), n_resamples=999, confidence_level=0.9, random_state=7)
    ref = bootstrap(
        (values,),
        np.mean,
        axis=0,
        vectorized=True,
        method="percentile",
        n_resamples=999,
        confidence_level=0.9,
        rng=np.random.default_rng(7),
    )
    np.testing.assert_allclose(board.loc[["d0", "d1"], "ci_low"], ref.confidence_interval.low)
    np.testing.assert_allclose(board.loc[["d0", "d1"], "ci_high"], ref.confidence_interval.high)


def test_constant_detectors_are_marked_from_the_table():
    tidy = matrix_table([[0.6, 0.2, 0.3], [0.7, 0.5, 0.1], [0.6, 0.4, 0.9]], ["null", "x", "y"])
    tidy["constant"] = tidy["detector"].eq("null") | ((tidy["detector"] == "y") & (tidy["series"] == "s0"))
    board = leaderboard(tidy, n_resamples=9)
    assert board.index[0] == "null"
    assert board["constant"].to_dict() == {"null": True, "y": False, "x": False}


def test_several_metrics_give_one_block_each():
    tidy = pd.concat(
        [
            matrix_table([[0.9, 0.1], [0.8, 0.2]], ["a", "b"], metric="pate"),
            matrix_table([[0.1, 0.9], [0.2, 0.8]], ["a", "b"], metric="pa_f1"),
        ]
    )
    board = leaderboard(tidy, metric=["pate", "pa_f1"], n_resamples=9)
    assert list(board.columns.get_level_values(0).unique()) == ["pate", "pa_f1"]
    assert list(board.index) == ["a", "b"]  # ordered by the first metric
    assert board[("pa_f1", "average_rank")].tolist() == [2.0, 1.0]


@given(st.integers(2, 6), st.integers(2, 8), st.integers(0, 10_000))
def test_leaderboard_means_and_rank_sums(k, n, seed):
    rng = np.random.default_rng(seed)
    values = np.round(rng.random((n, k)), 1)  # many ties
    tidy = matrix_table(values)
    board = leaderboard(tidy, n_resamples=9, random_state=0)
    means = tidy.groupby("detector")["value"].mean()
    np.testing.assert_allclose(board["mean"], means.loc[board.index], rtol=1e-12)
    # ranks within a series sum to k(k+1)/2, so average ranks sum to it too
    assert board["average_rank"].sum() == pytest.approx(k * (k + 1) / 2)
    assert (board["wins"] >= 0).all() and board["wins"].sum() >= n


# ------------------------------------------------------------------ Friedman
def test_friedman_two_detectors_and_results_type():
    values = np.array([[0.1, 0.5], [0.3, 0.2], [0.4, 0.8], [0.5, 0.9]])
    res = friedman_test(matrix_table(values))
    assert isinstance(res, FriedmanResult)
    # k = 2: chi2 = (R1 - R2)^2 / N with ranks per series (same as the sign test statistic)
    ranks = rankdata(-values, axis=1)
    chi2 = 12 / (4 * 2 * 3) * (ranks.sum(0) ** 2).sum() - 3 * 4 * 3
    assert res.statistic == pytest.approx(chi2)
    with pytest.raises(AttributeError):  # FrozenInstanceError
        res.statistic = 0.0  # frozen


def test_friedman_perfect_agreement_gives_infinite_iman_davenport():
    res = friedman_test(matrix_table([[0.9, 0.5, 0.1], [0.8, 0.6, 0.2], [0.7, 0.4, 0.3]]))
    assert res.statistic == pytest.approx(3 * 2)  # N (k - 1)
    assert res.iman_davenport_statistic == math.inf and res.iman_davenport_pvalue == 0.0
    # with a tie repeated in every series, too
    res = friedman_test(matrix_table([[0.9, 0.9, 0.1], [0.8, 0.8, 0.2]]))
    assert res.iman_davenport_statistic == math.inf


def test_friedman_all_rows_tied_is_nan_with_a_warning():
    with pytest.warns(UserWarning, match="same value"):
        res = friedman_test(matrix_table([[0.5, 0.5, 0.5], [0.2, 0.2, 0.2]]))
    assert all(math.isnan(v) for v in (res.statistic, res.pvalue, res.iman_davenport_statistic))


@given(st.integers(3, 6), st.integers(2, 10), st.integers(0, 10_000))
def test_friedman_matches_scipy_with_ties(k, n, seed):
    values = np.round(np.random.default_rng(seed).random((n, k)), 1)
    if np.all(values == values[:, :1]):
        return
    ref = friedmanchisquare(*values.T)
    res = friedman_test(matrix_table(values))
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-9)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-9)


# ------------------------------------------------------------ post-hoc tests
def test_identical_detectors_get_p_one_with_a_warning():
    base = np.array([[0.1, 0.5, 0.3], [0.3, 0.2, 0.1], [0.4, 0.8, 0.2], [0.5, 0.9, 0.6], [0.2, 0.6, 0.4]])
    values = np.column_stack([base, base[:, 0]])
    tidy = matrix_table(values, ["a", "b", "c", "a_copy"])
    with pytest.warns(UserWarning, match=r"1 pair\(s\).*\('a', 'a_copy'\)|\('a_copy', 'a'\)"):
        res = wilcoxon_holm_test(tidy)
    assert res.pvalues.loc["a", "a_copy"] == 1.0 and res.adjusted_pvalues.loc["a", "a_copy"] == 1.0
    assert res.pvalues.loc["a", "b"] == pytest.approx(wilcoxon(base[:, 0], base[:, 1]).pvalue)
    assert any({"a", "a_copy"} <= set(g) for g in res.groups)


def test_posthoc_tests_on_two_detectors_and_one_group():
    values = np.column_stack([np.arange(10) / 10, np.arange(10) / 10 + 0.05])
    res = wilcoxon_holm_test(matrix_table(values, ["lo", "hi"]))
    assert list(res.average_ranks.index) == ["hi", "lo"]
    assert res.pvalues.loc["hi", "lo"] == pytest.approx(wilcoxon(values[:, 0], values[:, 1]).pvalue)
    assert res.adjusted_pvalues.loc["hi", "lo"] == res.pvalues.loc["hi", "lo"]  # one pair: Holm is identity
    assert res.groups == []  # 10 of 10 series favour 'hi': p = 0.002
    nem = nemenyi_test(matrix_table(values, ["lo", "hi"]))
    assert nem.average_ranks.tolist() == [1.0, 2.0]


def test_groups_match_the_pairwise_decisions():
    rng = np.random.default_rng(5)
    values = rng.random((30, 7)) + np.linspace(0, 1.2, 7)
    tidy = matrix_table(values)
    for res in (wilcoxon_holm_test(tidy, alpha=0.05), nemenyi_test(tidy, alpha=0.05)):
        p = res.adjusted_pvalues if hasattr(res, "adjusted_pvalues") else res.pvalues
        order = list(res.average_ranks.index)
        covered = set()
        for group in res.groups:
            assert (p.loc[group, group] >= 0.05).all().all()
            covered.update((a, b) for a in group for b in group)
        # every adjacent non-significant pair lies in some group
        for a, b in zip(order, order[1:]):
            if p.loc[a, b] >= 0.05:
                assert (a, b) in covered


def test_nemenyi_critical_difference_is_exact():
    from scipy.stats import studentized_range

    res = nemenyi_test(matrix_table(np.random.default_rng(0).random((12, 5))), alpha=0.1)
    q = studentized_range.ppf(0.9, 5, np.inf) / math.sqrt(2)
    assert res.critical_difference == pytest.approx(q * math.sqrt(5 * 6 / (6 * 12)), rel=1e-12)
    with pytest.raises(ValueError, match="alpha"):
        nemenyi_test(matrix_table([[1, 2], [3, 4]]), alpha=1.5)


# ------------------------------------------------------------ rank agreement
def test_rank_agreement_kendall_and_spearman():
    from scipy.stats import kendalltau, spearmanr

    rng = np.random.default_rng(2)
    a = rng.random((8, 5))
    b = a + rng.normal(0, 0.3, a.shape)
    tidy = pd.concat([matrix_table(a, metric="pate"), matrix_table(b, metric="pa_f1")])
    res = rank_agreement(tidy, metrics=["pate", "pa_f1"])
    ra = rankdata(-a, axis=1).mean(0)
    rb = rankdata(-b, axis=1).mean(0)
    names = [f"d{j}" for j in range(5)]
    assert res.average_ranks.loc[names, "pate"].tolist() == pytest.approx(ra.tolist())
    assert res.kendall_tau.loc["pate", "pa_f1"] == pytest.approx(kendalltau(ra, rb).statistic)
    assert res.spearman_pvalues.loc["pa_f1", "pate"] == pytest.approx(spearmanr(ra, rb).pvalue)
    assert res.kendall_tau.loc["pate", "pate"] == 1.0 and res.n_series == 8
    with pytest.raises(ValueError, match="two or more"):
        rank_agreement(tidy, metrics=["pate"])


# -------------------------------------------------------- buffer sensitivity
def test_buffer_sensitivity_table_and_summary():
    rows = []
    grid = {(10, 10): [0.9, 0.5, 0.2], (10, 50): [0.6, 0.7, 0.2], (100, 100): [0.5, 0.8, 0.3]}
    for (early, delay), means in grid.items():
        params = format_params({k: v for k, v in (("early_buffer", early), ("delay_buffer", delay)) if v != 100})
        for s in range(3):
            for det, mean in zip("abc", means):
                rows.append((f"s{s}", det, "pate", mean + 0.01 * s, params))
    tidy = pd.DataFrame(rows, columns=["series", "detector", "metric", "value", "params"])
    res = buffer_sensitivity(tidy)
    assert len(res.table) == 9
    at_default = res.table[(res.table.early_buffer == 100) & (res.table.delay_buffer == 100)]
    assert at_default.set_index("detector")["rank"].to_dict() == {"b": 1, "a": 2, "c": 3}
    assert res.summary.loc["a", "mean_range"] == pytest.approx(0.4)
    assert res.summary.loc["c", ["rank_min", "rank_max"]].tolist() == [3, 3]
    assert res.kendall_tau.loc[(10, 10), (100, 100)] == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="no rows of metric 'pate_f1'"):
        buffer_sensitivity(tidy, metric="pate_f1")


@pytest.mark.slow  # a fresh interpreter
def test_import_pate_does_not_import_compare_or_scipy_stats():
    import subprocess
    import sys

    code = "import sys, pate; print('pate.compare' in sys.modules, 'scipy.stats' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


names = st.sampled_from(["null", "NA", "nan", "None", "a", "b b", "ß", "0", "1.5", "True"])


@given(
    st.lists(names, min_size=1, max_size=4, unique=True),
    st.lists(names, min_size=1, max_size=4, unique=True),
    st.integers(0, 1000),
)
def test_round_trip_through_csv_keeps_every_name_and_value(series, detectors, seed):
    rng = np.random.default_rng(seed)
    values = rng.random((len(series), len(detectors)))
    values[rng.random(values.shape) < 0.2] = np.nan
    tidy = results_from_matrix(pd.DataFrame(values, index=series, columns=detectors), metric="pate")
    tidy["params"] = "early_buffer=5"
    text = results_to_wide(tidy).to_csv(index=False)
    back = read_results(io.StringIO(text))
    pd.testing.assert_frame_equal(back, tidy, check_exact=False, rtol=1e-15)
