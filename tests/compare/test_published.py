"""Published per-series results shipped with pate: TSB-AD's tables, their licence, and its leaderboards reproduced.

The reference for the leaderboards is what TSB-AD prints on its site
(``docs/static/leaderboard/TSB-AD-{U,M}.html``), parsed by
``tests/data/make_published_tsb_ad.py`` into ``tests/data/tsb_ad_leaderboard_reference.json``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import subprocess
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import DATA as DATA_DIR

from pate.benchmark import RESULT_COLUMNS
from pate.compare import (
    friedman_test,
    leaderboard,
    list_published,
    published_results,
    published_series,
    results_from_frame,
)

REFERENCE = json.loads((DATA_DIR / "tsb_ad_leaderboard_reference.json").read_text("utf-8"))
DATA = files("pate") / "published" / "tsb-ad"
SOURCE = json.loads((DATA / "SOURCE.json").read_text("utf-8"))
NAMES = ("tsb-ad-u", "tsb-ad-m")
SHAPES = {"tsb-ad-u": (350, 32), "tsb-ad-m": (180, 23)}


# ------------------------------------------------------------------ the leaderboards
@pytest.mark.parametrize("name", NAMES)
def test_every_detectors_mean_rounds_to_the_published_vus_pr(name):
    board = leaderboard(published_results(name), n_resamples=100, random_state=0)
    printed = {row["method"]: row["values"]["VUS-PR"] for row in REFERENCE["leaderboards"][name]["rows"]}
    n_series, n_detectors = SHAPES[name]
    assert len(printed) == n_detectors and set(board.index) == set(printed)
    assert (board["n_series"] == n_series).all()
    ours = {detector: f"{mean:.2f}" for detector, mean in board["mean"].items()}
    differ = {d: (ours[d], printed[d]) for d in printed if ours[d] != printed[d]}
    assert not differ, f"means that do not round to the printed VUS-PR (ours, printed): {differ}"


@pytest.mark.parametrize("name", NAMES)
def test_the_published_order_is_the_order_of_the_means(name):
    # the site sorts by VUS-PR; where two print alike the unrounded means still decide
    board = leaderboard(published_results(name), n_resamples=100, random_state=0)
    published_order = [row["method"] for row in REFERENCE["leaderboards"][name]["rows"]]
    assert board["mean"].sort_values(ascending=False, kind="stable").index.tolist() == published_order


def test_friedman_test_over_the_32_univariate_detectors():
    res = friedman_test(published_results("tsb-ad-u"))
    assert res.n_series == 350 and res.n_detectors == 32
    assert res.pvalue < 1e-100  # 32 detectors of very different quality over 350 series


# ------------------------------------------------------------------ the results tables
@pytest.mark.parametrize("name", NAMES)
def test_published_results_is_a_tidy_results_table(name):
    results = published_results(name)
    n_series, n_detectors = SHAPES[name]
    assert tuple(results.columns) == RESULT_COLUMNS
    assert len(results) == n_series * n_detectors
    assert set(results["metric"]) == {"vus_pr"} and set(results["params"]) == {"window=period"}
    assert results["value"].dtype == np.float64 and results["value"].between(0, 1).all()
    assert not results.duplicated(["series", "detector"]).any()
    # the converters accept it unchanged
    pd.testing.assert_frame_equal(results_from_frame(results), results)
    # series named by TSB-AD's file names without .csv
    assert all(re.fullmatch(r"\d{3}_[A-Za-z0-9]+_id_\d+_.+", s) for s in results["series"])
    assert not results["series"].str.endswith(".csv").any()


def test_published_results_holds_the_published_numbers():
    # read the shipped file independently of the reader under test
    with gzip.open(DATA / "tsb-ad-u.csv.gz", "rt", encoding="utf-8") as stream:
        wide = pd.read_csv(stream)
    results = published_results("tsb-ad-u").set_index(["series", "detector"])["value"]
    first = wide.iloc[0]
    assert first.iloc[0] == "001_NAB_id_1_Facility_tr_1007_1st_2014.csv"
    assert results[("001_NAB_id_1_Facility_tr_1007_1st_2014", "Sub-PCA")] == first["Sub-PCA"]
    last = wide.iloc[-1]
    name = last.iloc[0].removesuffix(".csv")
    for detector in ("MOMENT (FT)", "Lag-Llama", "Sub-IForest"):
        assert results[(name, detector)] == last[detector]
    assert published_results("tsb-ad-m")["detector"].unique().tolist()[:3] == ["IForest", "LOF", "PCA"]


@pytest.mark.parametrize("name", NAMES)
def test_series_properties_are_kept_apart_from_the_detectors(name):
    results = published_results(name)
    info = published_series(name)
    columns = [
        "ts_len",
        "anomaly_len",
        "num_anomaly",
        "avg_anomaly_len",
        "anomaly_ratio",
        "point_anomaly",
        "seq_anomaly",
    ]
    assert info.columns.tolist() == columns
    assert not set(columns) & set(results["detector"])
    assert info.index.name == "series" and info.index.tolist() == results["series"].unique().tolist()
    # the published properties agree with each other
    assert (info["anomaly_len"] <= info["ts_len"]).all() and (info["num_anomaly"] >= 1).all()
    np.testing.assert_allclose(info["anomaly_ratio"], info["anomaly_len"] / info["ts_len"], rtol=1e-12)
    np.testing.assert_allclose(info["avg_anomaly_len"], info["anomaly_len"] / info["num_anomaly"], rtol=1e-12)


def test_a_copy_is_returned_each_time():
    results = published_results("tsb-ad-m")
    results.loc[0, "value"] = -1.0
    info = published_series("tsb-ad-m")
    info.iloc[0, 0] = -1
    assert published_results("tsb-ad-m").loc[0, "value"] >= 0
    assert published_series("tsb-ad-m").iloc[0, 0] >= 0


def test_list_published_names_the_tables_and_their_citation():
    listed = {p.name: p for p in list_published()}
    assert sorted(listed) == sorted(NAMES)
    for name, (n_series, n_detectors) in SHAPES.items():
        info = listed[name]
        assert (info.n_series, info.n_detectors, info.metric, info.params) == (
            n_series,
            n_detectors,
            "vus_pr",
            "window=period",
        )
        assert list(info.detectors) == published_results(name)["detector"].unique().tolist()
        assert "Liu" in info.citation and "Paparrizos" in info.citation and "NeurIPS 2024" in info.citation
        assert info.bibtex.startswith("@inproceedings{") and info.license == "Apache-2.0"
        assert re.fullmatch(r"[0-9a-f]{40}", info.commit) and info.commit == REFERENCE["commit"]
        assert info.url == "https://github.com/TheDatumOrg/TSB-AD"


@pytest.mark.parametrize(
    "name, message",
    [
        ("tsb-ad", r"no published results named 'tsb-ad'\. Did you mean 'tsb-ad-[um]' or 'tsb-ad-[um]'\?"),
        ("TSB-AD-U", r"Did you mean 'tsb-ad-u'"),
        ("tsbad-m", r"Did you mean 'tsb-ad-m'"),
        ("ucr", r"no published results named 'ucr'\. Known: 'tsb-ad-u' .*list_published"),
    ],
)
def test_an_unknown_name_is_an_error_with_the_close_matches(name, message):
    with pytest.raises(ValueError, match=message):
        published_results(name)
    with pytest.raises(ValueError, match=message):
        published_series(name)


def test_a_name_that_is_not_a_string_is_a_type_error():
    with pytest.raises(TypeError, match="name must be a string"):
        published_results(1)  # type: ignore[arg-type]


# ------------------------------------------------------------------ licence and provenance
def test_the_data_ship_with_tsb_ads_licence_and_a_notice():
    licence = (DATA / "LICENSE").read_text("utf-8")
    assert licence.lstrip().startswith("Apache License") and "Version 2.0, January 2004" in licence
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in licence
    notice = (DATA / "NOTICE").read_text("utf-8")
    assert SOURCE["commit"] in notice and "https://github.com/TheDatumOrg/TSB-AD" in notice
    assert "Apache License, Version 2.0" in notice and "What was changed" in notice
    for table in SOURCE["tables"].values():
        assert table["source_path"] in notice and table["file"] in notice


@pytest.mark.parametrize("name", NAMES)
def test_the_shipped_tables_are_the_source_files_unchanged(name):
    table = SOURCE["tables"][name]
    data = gzip.decompress((DATA / table["file"]).read_bytes())
    assert hashlib.sha256(data).hexdigest() == table["sha256"]


@pytest.mark.parametrize("name", NAMES)
def test_the_shipped_tables_equal_the_source_repository_at_its_commit(name):
    # an independent check where a clone of TheDatumOrg/TSB-AD is at hand (TSB_AD_REPO=path)
    repo = os.environ.get("TSB_AD_REPO", "/work/.mirror/TheDatumOrg+TSB-AD/repo")
    if not Path(repo).exists():
        pytest.skip(f"no clone of TheDatumOrg/TSB-AD at {repo} (set TSB_AD_REPO)")
    table = SOURCE["tables"][name]
    source = subprocess.run(
        ["git", "-C", repo, "show", f"{SOURCE['commit']}:{table['source_path']}"], capture_output=True, check=True
    ).stdout
    assert gzip.decompress((DATA / table["file"]).read_bytes()) == source
    licence = subprocess.run(
        ["git", "-C", repo, "show", f"{SOURCE['commit']}:LICENSE"], capture_output=True, check=True
    ).stdout
    assert (DATA / "LICENSE").read_bytes() == licence
