"""``pate compare MINE.csv --against tsb-ad-u``: your detectors ranked among TSB-AD's, run in-process."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pate.compare import published_results

TSB = published_results("tsb-ad-u")
SUB_PCA = TSB[TSB["detector"] == "Sub-PCA"].set_index("series")["value"]


def write_mine(path, values: pd.Series, *, detector="mine", suffix=".csv", params="window=period"):
    frame = pd.DataFrame(
        {"series": values.index + suffix, "detector": detector, "metric": "vus_pr", "value": values.to_numpy()}
    )
    frame["params"] = params
    frame.to_csv(path, index=False)
    return path


def dominating() -> pd.Series:
    """Halfway between Sub-PCA and 1: better than Sub-PCA on every one of the 350 series."""
    return 1 - (1 - SUB_PCA) / 2


def test_a_detector_that_dominates_sub_pca_ranks_first_and_the_diagram_is_written(cli, tmp_path):
    pytest.importorskip("matplotlib", reason="--plot needs the plot extra (matplotlib)")
    mine = write_mine(tmp_path / "mine.csv", dominating())
    out = cli("compare", mine, "--against", "tsb-ad-u", "--format", "json", "--plot", tmp_path / "cd.png")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["against"] == "tsb-ad-u" and doc["yours"] == ["mine"]
    assert (doc["metric"], doc["params"], doc["n_series"]) == ("vus_pr", "window=period", 350)
    board = doc["leaderboard"]
    assert board[0]["detector"] == "mine" and board[0]["yours"] is True and len(board) == 33
    assert not any(row["yours"] for row in board[1:])
    sub_pca = next(row for row in board if row["detector"] == "Sub-PCA")
    assert sub_pca["mean"] == pytest.approx(SUB_PCA.mean()) and sub_pca["average_rank"] > board[0]["average_rank"]
    assert doc["friedman"]["n_detectors"] == 33 and doc["test"]["name"] == "wilcoxon-holm"
    png = (tmp_path / "cd.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    assert out.stderr == ""


def test_five_missing_series_are_a_clear_error_naming_five(cli, tmp_path):
    mine = write_mine(tmp_path / "mine.csv", dominating().iloc[5:])
    out = cli("compare", mine, "--against", "tsb-ad-u")
    assert out.returncode == 1 and out.stdout == ""
    line = out.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert line.startswith(f"pate: error: {mine}: the results table lacks 5 of the 350 series of tsb-ad-u: ")
    assert repr(SUB_PCA.index[0]) in line
    assert line.endswith("pass --missing drop-series to compare on the 345 common series.")


def test_missing_drop_series_gives_a_note_with_how_many(cli, tmp_path):
    mine = write_mine(tmp_path / "mine.csv", dominating().iloc[5:])
    out = cli("compare", mine, "--against", "tsb-ad-u", "--missing", "drop-series", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert out.stderr.startswith(f"pate: note: {mine}: compared on the 345 series common to the results table")
    assert "(--missing drop-series); dropped 5 series of tsb-ad-u missing from the results table" in out.stderr
    doc = json.loads(out.stdout)
    assert doc["n_series"] == 345 and doc["dropped_series"] == SUB_PCA.index[:5].tolist()
    assert doc["leaderboard"][0]["detector"] == "mine"


def test_series_of_yours_not_published_are_an_error(cli, tmp_path):
    values = pd.concat([dominating(), pd.Series([0.5, 0.5], index=["my_1", "my_2"])])
    mine = write_mine(tmp_path / "mine.csv", values)
    out = cli("compare", mine, "--against", "tsb-ad-u")
    assert out.returncode == 1
    assert "2 series of the results table are not in tsb-ad-u: 'my_1.csv', 'my_2.csv'" in out.stderr


@pytest.mark.parametrize("suffix", ["", ".csv"])
def test_the_wide_form_with_or_without_csv_and_the_text_table(cli, tmp_path, suffix):
    values = dominating()
    wide = pd.DataFrame({"file": values.index + suffix, "score": "mine", "vus_pr[window=period]": values.to_numpy()})
    wide.to_csv(tmp_path / "wide.csv", index=False)
    out = cli("compare", tmp_path / "wide.csv", "--against", "tsb-ad-u")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("metric vus_pr[window=period] (higher is better): 350 series, 33 detectors")
    assert "(1 yours among 32 of tsb-ad-u)" in lines[0]
    assert lines[2].split()[-1] == "yours" and lines[3].split()[0] == "mine" and lines[3].split()[-1] == "true"


def test_several_metrics_in_the_file_default_to_the_published_one(cli, tmp_path):
    values = dominating()
    mine = pd.DataFrame({"file": values.index, "score": "mine", "pate": 0.1, "vus_pr": values.to_numpy()})
    mine.to_csv(tmp_path / "mine.csv", index=False)
    out = cli("compare", tmp_path / "mine.csv", "--against", "tsb-ad-u", "--format", "json")
    assert out.returncode == 0
    assert json.loads(out.stdout)["leaderboard"][0]["detector"] == "mine"
    # the default window (no params): said, not refused
    assert "warning:" in out.stderr and "carry no params: pate's default window (100)" in out.stderr
    out = cli("compare", tmp_path / "mine.csv", "--against", "tsb-ad-u", "--metric", "pate")
    assert out.returncode == 1 and "tsb-ad-u holds 'vus_pr' values only; metric 'pate'" in out.stderr


def test_usage_errors(cli, tmp_path):
    mine = write_mine(tmp_path / "mine.csv", dominating())
    out = cli("compare", mine, "--against", "tsb-ad")
    assert out.returncode == 2
    assert "--against tsb-ad: no such published table (did you mean tsb-ad-u or tsb-ad-m?)" in out.stderr
    out = cli("compare", mine, "--against", "tsb-ad-u", "--lower-is-better")
    assert out.returncode == 2 and "higher-is-better" in out.stderr
    out = cli("compare", "--help")
    assert "--against NAME" in out.stdout and "tsb-ad-u" in out.stdout


def test_a_detector_named_like_a_published_one(cli, tmp_path):
    mine = write_mine(tmp_path / "mine.csv", dominating(), detector="IForest")
    out = cli("compare", mine, "--against", "tsb-ad-u")
    assert out.returncode == 1 and "'IForest' of the results table are also published detectors" in out.stderr


def test_several_params_ask_for_params(cli, tmp_path):
    first = write_mine(tmp_path / "a.csv", dominating(), params="window=100")
    both = pd.concat([pd.read_csv(first), pd.read_csv(first).assign(params="window=period")])
    both.to_csv(tmp_path / "both.csv", index=False)
    out = cli("compare", tmp_path / "both.csv", "--against", "tsb-ad-u")
    assert out.returncode == 1 and "choose one with --params" in out.stderr
    out = cli("compare", tmp_path / "both.csv", "--against", "tsb-ad-u", "--params", "window=100")
    assert out.returncode == 0, out.stderr
