"""NAB's score and scoreboard against NAB's published results, on the 58 NAB series of ../shared.

Reference values: ``tests/data/nab_reference.json.gz`` (made by
``tests/data/make_nab_reference.py`` from NAB at commit ea702d7): NAB's
published per-file result tables, NAB's own scorer and optimiser run at that
commit, ``config/thresholds.json``, ``results/final_results.json`` and the
README's scoreboard. Skipped, with the reason, where ../shared is absent.
"""

from __future__ import annotations

import gzip
import json
import re
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from helpers import DATA

from pate.benchmark import NabThresholdWarning, nab_scoreboard, read_csv_series
from pate.metrics import NAB_PROFILES, nab_score

PROFILES = list(NAB_PROFILES)


@lru_cache(maxsize=None)
def reference() -> dict:
    with gzip.open(DATA / "nab_reference.json.gz", "rt", encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def corpus(nab_dir):
    """The 58 series, read by pate's own reader, each with NAB's file name (``category/series.csv``)."""
    categories = sorted(p for p in Path(nab_dir).iterdir() if p.is_dir())
    series = [source.load() for source in read_csv_series(categories)]
    by_name = {Path(f).name.removesuffix(".csv"): f for f in reference()["nab_code"]["numenta"]["standard"]["files"]}
    files = [by_name[s.name] for s in series]
    return series, files


@pytest.fixture(scope="module")
def at_nab_thresholds(corpus):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NabThresholdWarning)  # null's 0.625 lies above its 0.5
        return nab_scoreboard(corpus[0], thresholds=reference()["thresholds"])


def test_the_corpus_is_nab_corpus(corpus, at_nab_thresholds):
    series, files = corpus
    assert len(series) == 58 and len(set(files)) == 58 and at_nab_thresholds.n_windows == 116
    assert sorted(series[0].scores) == sorted(reference()["thresholds"])


@pytest.mark.parametrize("profile", PROFILES)
def test_per_series_raw_scores_and_counts_equal_nab_published_tables(corpus, profile):
    # NAB's results/<detector>/<detector>_<profile>_scores.csv, at the threshold each table was made with
    # (printed with 12 significant digits, as the scores). random's tables come from another random draw
    # on an older corpus (32 files, an older label set): they are not the scores we have, so not compared.
    series, files = corpus
    worst, compared = 0.0, 0
    for detector in series[0].scores:
        if detector == "random":
            continue
        table = reference()["published_tables"][detector][profile]
        assert set(table["files"]) == set(files)
        threshold = float(table["threshold"])
        for name, s in zip(files, series):
            got = nab_score(s.y_true, s.scores[detector] >= threshold, profile=profile, undefined="nan")
            raw, tp, tn, fp, fn, total = table["files"][name]
            assert (got.tp, got.tn, got.fp, got.fn) == (tp, tn, fp, fn), (detector, name)
            assert total in (len(s), tp + tn + fp + fn)  # older tables count every row, newer the scored ones
            worst = max(worst, abs(got.raw - raw))
            compared += 1
    assert compared == 15 * 58
    assert worst < 1e-10  # measured 4.6e-11: the tables print 12 significant digits


def test_per_series_values_equal_nab_own_scorer_at_nab_thresholds(corpus, at_nab_thresholds):
    # NAB's nab.sweeper at commit ea702d7 run on NAB's results files, all 16 detectors (random included)
    series, files = corpus
    file_of = dict(zip((s.name for s in series), files))
    rows = at_nab_thresholds.per_series
    assert len(rows) == 58 * 16 * 3
    worst = 0.0
    for row in rows.itertuples():
        raw, tp, tn, fp, fn = reference()["nab_code"][row.detector][row.profile]["files"][file_of[row.series]]
        assert (row.tp, row.tn, row.fp, row.fn) == (tp, tn, fp, fn), row
        assert row.threshold == reference()["thresholds"][row.detector][row.profile]["threshold"]
        worst = max(worst, abs(row.raw - raw))
    assert worst < 1e-11


def test_the_scoreboard_at_nab_thresholds_equals_final_results(at_nab_thresholds):
    ours = at_nab_thresholds.to_dict()
    final = reference()["final_results"]
    assert sorted(final) == sorted(d for d in ours if d != "bayesChangePt")  # NAB publishes it in the README only
    worst = max(abs(ours[d][p] - v) for d, profiles in final.items() for p, v in profiles.items())
    assert worst < 1e-6  # measured 4.6e-11


def test_bayes_change_point_equals_nab_table_totals_and_the_readme_where_it_can(at_nab_thresholds):
    # not in final_results.json: its per-file tables' totals, normalised as NAB's runner does, are the
    # published values; the README prints 17.7, 3.2 and 32.2, where 32.2 is not the tables' 32.257
    ours = at_nab_thresholds.to_dict()["bayesChangePt"]
    tables = reference()["published_tables"]
    for profile, weights in NAB_PROFILES.items():
        raw = tables["bayesChangePt"][profile]["totals"][0]
        null = tables["null"][profile]["totals"][0]
        assert abs(ours[profile] - 100 * (raw - null) / (weights.tp * 116 - null)) < 1e-6
    readme = reference()["readme_scoreboard"]["Bayesian Changepoint"]
    assert (round(ours["standard"], 1), round(ours["reward_low_FP_rate"], 1)) == (17.7, 3.2)
    assert readme["reward_low_FN_rate"] == "32.2" and round(ours["reward_low_FN_rate"], 2) == 32.26


def test_the_standard_scores_in_the_shared_readme(nab_dir, at_nab_thresholds):
    # ../shared/data/nab/README.md's "NAB thr." and "NAB score" columns, as printed there
    text = (Path(nab_dir) / "README.md").read_text()
    rows = re.findall(r"^\| `(\w+)` \|.*\| ([\d.]+) \| ([\d.]+) \|$", text, flags=re.M)
    assert len(rows) == 16
    for detector, threshold, score in rows:
        assert f"{at_nab_thresholds.scores.at[detector, 'standard']:.1f}" == score, detector
        assert abs(at_nab_thresholds.thresholds.at[detector, "standard"] - float(threshold)) < 5e-4


def test_sorted_like_nab_readme(at_nab_thresholds):
    order = list(at_nab_thresholds.scores.index)
    assert order[:3] == ["ARTime", "numenta", "contextOSE"] and order[-1] == "null"
    assert at_nab_thresholds.scores["standard"].is_monotonic_decreasing


def test_the_exact_optimum_is_never_below_nab_and_equals_nab_own_sweep(corpus, at_nab_thresholds):
    optimised = nab_scoreboard(corpus[0])
    assert optimised.optimised and not at_nab_thresholds.optimised
    for detector in optimised.scores.index:
        for profile in PROFILES:
            ours = optimised.raw.at[detector, profile]
            assert ours >= at_nab_thresholds.raw.at[detector, profile] - 1e-9, (detector, profile)
            nab = reference()["nab_code"][detector][profile]["optimum"]
            assert abs(ours - nab["score"]) < 1e-9, (detector, profile)
            threshold = optimised.thresholds.at[detector, profile]
            if nab["threshold"] == 1.1:  # NAB's "above every score": detect nothing
                assert threshold == np.nextafter(0.5, 1) and detector == "null"
            else:
                assert threshold == nab["threshold"], (detector, profile)
    gains = optimised.scores - at_nab_thresholds.scores.loc[optimised.scores.index]
    assert int((gains > 1e-6).to_numpy().sum()) == 10  # docs/nab.md's table
    assert gains.at["htmjava", "reward_low_FP_rate"] == pytest.approx(5.54, abs=0.005)


def test_thresholds_round_trip_through_nab_layout(corpus, at_nab_thresholds, tmp_path):
    optimised = nab_scoreboard(corpus[0], profiles=["standard"])
    path = tmp_path / "thresholds.json"
    path.write_text(json.dumps(optimised.thresholds_dict()))
    again = nab_scoreboard(corpus[0], thresholds=str(path), profiles=["standard"])
    assert again.scores.equals(optimised.scores) and again.per_series.equals(optimised.per_series)
