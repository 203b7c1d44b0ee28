"""Your results joined with a published table (``join_published``): names, missing series, clear errors."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from pate.compare import join_published, leaderboard, published_results, results_from_frame
from pate.compare._published import series_key

TSB = published_results("tsb-ad-u")
SUB_PCA = TSB[TSB["detector"] == "Sub-PCA"].set_index("series")["value"]


def mine(values: pd.Series, detector: str = "mine", *, suffix: str = ".csv", params: str = "window=period"):
    return pd.DataFrame(
        {
            "series": values.index + suffix,
            "detector": detector,
            "metric": "vus_pr",
            "value": values.to_numpy(),
            "params": params,
        }
    )


def dominating() -> pd.Series:
    """Halfway between Sub-PCA and 1 on every series: better than Sub-PCA everywhere."""
    return 1 - (1 - SUB_PCA) / 2


def test_a_detector_that_dominates_sub_pca_ranks_first():
    values = dominating()
    assert (values > SUB_PCA).all()
    joined = join_published(mine(values), "tsb-ad-u")
    assert joined.against == "tsb-ad-u" and joined.yours == ("mine",) and joined.dropped_series == ()
    board = leaderboard(joined.results, n_resamples=100, random_state=0)
    assert board.index[0] == "mine" and len(board) == 33
    assert board.loc["mine", "n_series"] == 350
    # the published detectors keep their published means
    published = leaderboard(TSB, n_resamples=100, random_state=0)
    pd.testing.assert_series_equal(board["mean"].drop("mine").sort_index(), published["mean"].sort_index())


def test_the_joined_table_carries_the_published_metric_params_and_names():
    joined = join_published(mine(dominating(), suffix=".csv"), "tsb-ad-u")
    results = joined.results
    pd.testing.assert_frame_equal(results_from_frame(results), results)
    assert set(results["metric"]) == {"vus_pr"} and set(results["params"]) == {"window=period"}
    ours = results[results["detector"] == "mine"]
    assert ours["series"].tolist() == SUB_PCA.index.tolist()  # .csv gone


@pytest.mark.parametrize("suffix", ["", ".csv", ".CSV", ".csv.gz"])
def test_series_names_match_with_or_without_csv(suffix):
    joined = join_published(mine(dominating(), suffix=suffix), "tsb-ad-u")
    assert len(joined.results) == 350 * 33


def test_series_names_match_with_a_folder():
    table = mine(dominating())
    table["series"] = "data/TSB-AD-U/" + table["series"]
    assert len(join_published(table, "tsb-ad-u").results) == 350 * 33
    assert series_key("C:\\data\\001_a.csv") == "001_a"


def test_several_detectors_of_yours_and_the_wide_form():
    table = pd.concat([mine(dominating(), "a"), mine(SUB_PCA / 2, "b")])
    wide = table.pivot(index="series", columns="detector", values="value")
    wide = wide.reset_index().melt(id_vars="series", var_name="detector", value_name="vus_pr")
    wide["params"] = "window=period"
    joined = join_published(wide, "tsb-ad-u")
    assert joined.yours == ("a", "b")
    board = leaderboard(joined.results, n_resamples=100, random_state=0)
    assert board.index[0] == "a"
    assert board.loc["b", "average_rank"] > board.loc["Sub-PCA", "average_rank"]  # half of Sub-PCA everywhere


def test_five_missing_series_are_an_error_naming_five():
    values = dominating().iloc[5:]
    with pytest.raises(ValueError) as info:
        join_published(mine(values), "tsb-ad-u")
    message = str(info.value)
    assert "lacks 5 of the 350 series of tsb-ad-u" in message
    for name in SUB_PCA.index[:5]:
        assert repr(name) in message
    assert "pass missing='drop-series' to compare on the 345 common series" in message


def test_missing_drop_series_drops_them_with_a_warning_saying_how_many():
    values = dominating().iloc[5:]
    with pytest.warns(
        UserWarning,
        match=r"compared on the 345 series .*; dropped 5 series of tsb-ad-u missing from the results table \('001_",
    ):
        joined = join_published(mine(values), "tsb-ad-u", missing="drop-series")
    assert joined.dropped_series == tuple(SUB_PCA.index[:5])
    assert joined.results["series"].nunique() == 345
    assert leaderboard(joined.results, n_resamples=10).loc["mine", "n_series"] == 345


def test_series_that_are_not_published_are_an_error_naming_them():
    table = mine(dominating())
    extra = pd.DataFrame(
        {
            "series": ["my_series_1.csv", "my_series_2.csv"],
            "detector": "mine",
            "metric": "vus_pr",
            "value": [0.5, 0.5],
            "params": "window=period",
        }
    )
    with pytest.raises(ValueError, match=r"2 series of the results table are not in tsb-ad-u: 'my_series_1.csv', "):
        join_published(pd.concat([table, extra]), "tsb-ad-u")
    with pytest.warns(
        UserWarning,
        match=r"dropped 2 series of the results table not in tsb-ad-u \('my_series_1.csv', 'my_series_2.csv'\)",
    ):
        joined = join_published(pd.concat([table, extra]), "tsb-ad-u", missing="drop-series")
    assert joined.dropped_series == ("my_series_1.csv", "my_series_2.csv")
    assert joined.results["series"].nunique() == 350


def test_no_common_series_is_an_error_even_when_dropping():
    table = pd.DataFrame({"series": ["a", "b"], "detector": "mine", "metric": "vus_pr", "value": [0.1, 0.2]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match="no series is common to both"):
            join_published(table, "tsb-ad-u", missing="drop-series")


def test_another_metric_or_none_of_the_published_metric_is_an_error():
    with pytest.raises(ValueError, match="tsb-ad-u holds 'vus_pr' values only; metric 'pate' cannot be compared"):
        join_published(mine(dominating()), "tsb-ad-u", metric="pate")
    table = mine(dominating()).assign(metric="pate")
    with pytest.raises(ValueError, match=r"holds no 'vus_pr' values \(it holds 'pate'\)"):
        join_published(table, "tsb-ad-u")


def test_a_detector_named_like_a_published_one_is_an_error():
    with pytest.raises(ValueError, match=r"'IForest' of the results table are also published detectors"):
        join_published(mine(dominating(), "IForest"), "tsb-ad-u")


def test_rows_at_several_params_must_be_chosen():
    table = pd.concat([mine(dominating(), params="window=100"), mine(SUB_PCA, params="window=period")])
    with pytest.raises(ValueError, match=r"several params for the same series and detector.*'window=100', "):
        join_published(table, "tsb-ad-u")
    joined = join_published(table, "tsb-ad-u", params="window=100")
    assert joined.results.loc[joined.results["detector"] == "mine", "value"].tolist() == dominating().tolist()
    joined = join_published(table, "tsb-ad-u", metric="vus_pr[window=period]")
    assert joined.results.loc[joined.results["detector"] == "mine", "value"].tolist() == SUB_PCA.tolist()


def test_a_window_per_series_is_one_params_per_series_and_accepted():
    table = mine(dominating())
    table["params"] = [f"window={w}" for w in np.arange(len(table)) % 7 + 6]
    assert len(join_published(table, "tsb-ad-u").results) == 350 * 33


def test_rows_without_params_warn_about_the_window():
    with pytest.warns(UserWarning, match=r"carry no params: pate's default window \(100\)"):
        join_published(mine(dominating(), params=""), "tsb-ad-u")


def test_two_spellings_of_one_series_are_an_error():
    table = mine(dominating())
    twin = table.iloc[:1].assign(series=table["series"].iloc[0].removesuffix(".csv"))
    with pytest.raises(ValueError, match=r"are one series of tsb-ad-u"):
        join_published(pd.concat([table, twin]), "tsb-ad-u")


def test_bad_arguments():
    with pytest.raises(ValueError, match="Did you mean 'tsb-ad-u'"):
        join_published(mine(dominating()), "tsb-ad-v")
    with pytest.raises(ValueError, match="missing must be 'raise' or 'drop-series'"):
        join_published(mine(dominating()), "tsb-ad-u", missing="drop")  # type: ignore[arg-type]


# ------------------------------------------------------------------ leaderboard(against=), the accessor, the diagram
def test_leaderboard_against_ranks_yours_among_the_published():
    board = leaderboard(mine(dominating()), against="tsb-ad-u", n_resamples=100, random_state=0)
    assert board.index[0] == "mine" and len(board) == 33
    assert board.attrs["against"] == "tsb-ad-u" and board.attrs["yours"] == ("mine",)
    assert board.attrs["metric"] == "vus_pr" and board.attrs["params"] == "window=period"
    assert board.attrs["n_series"] == 350 and board.attrs["dropped_series"] == ()


def test_leaderboard_against_with_dropped_series_records_them():
    with pytest.warns(UserWarning, match="dropped 5 series of tsb-ad-u"):
        board = leaderboard(
            mine(dominating().iloc[5:]), against="tsb-ad-u", missing="drop-series", n_resamples=10, random_state=0
        )
    assert board.attrs["n_series"] == 345 and board.attrs["dropped_series"] == tuple(SUB_PCA.index[:5])


def test_leaderboard_against_refuses_what_cannot_be_compared():
    with pytest.raises(ValueError, match="pass metric= as one name, not a list"):
        leaderboard(mine(dominating()), against="tsb-ad-u", metric=["vus_pr"])
    with pytest.raises(ValueError, match="leave higher_is_better at True"):
        leaderboard(mine(dominating()), against="tsb-ad-u", higher_is_better=False)
    with pytest.raises(ValueError, match="lacks 5 of the 350 series"):
        leaderboard(mine(dominating().iloc[5:]), against="tsb-ad-u")


def test_the_accessor_delegates_against():
    import pate  # noqa: F401 - registers df.pate

    board = mine(dominating()).pate.leaderboard(against="tsb-ad-u", n_resamples=10, random_state=0)
    assert board.index[0] == "mine" and board.attrs["yours"] == ("mine",)


def test_the_diagram_against_highlights_yours(close_figures):
    pytest.importorskip("matplotlib")
    import pate  # noqa: F401 - registers df.pate
    from pate.plot import CriticalDifferenceDisplay

    display = mine(dominating()).pate.critical_difference_diagram(against="tsb-ad-u")
    assert isinstance(display, CriticalDifferenceDisplay)
    assert display.highlight == ("mine",) and display.n_series == 350 and len(display.labels_) == 33
    assert display.average_ranks.index[0] == "mine"
    assert display.labels_["mine"].get_fontweight() == "bold"
    assert display.labels_["Sub-PCA"].get_fontweight() == "normal"
    assert display.labels_["mine"].get_color() != display.labels_["Sub-PCA"].get_color()
