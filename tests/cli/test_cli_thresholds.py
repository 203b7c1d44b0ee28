"""``pate evaluate --thresholds FILE.json [--profile NAME]``, ``--contamination R``, ``--threshold best`` (issue 28).

The command offers every thresholding strategy of the runner; each is the
runner's own (the values equal ``pate.benchmark.evaluate`` with the same
request), and a strategy given with only score metrics is a usage error.
"""

from __future__ import annotations

import gzip
import json
import warnings

import pandas as pd
import pytest
from helpers import DATA, REPO

from pate._warnings import undefined_metric_warning_class
from pate.benchmark import evaluate, read_csv_series, read_thresholds

DEMO = REPO / "pate" / "data"


@pytest.fixture(scope="module")
def nab_thresholds(tmp_path_factory):
    """NAB's config/thresholds.json, as NAB ships it (three profiles, 16 detectors and more)."""
    with gzip.open(DATA / "nab_reference.json.gz", "rt", encoding="utf-8") as handle:
        published = json.load(handle)["thresholds"]
    path = tmp_path_factory.mktemp("nab") / "thresholds.json"
    path.write_text(json.dumps(published))
    return path


def _csv(text):
    from io import StringIO

    return pd.read_csv(StringIO(text), keep_default_na=False)


def _runner(request):
    with warnings.catch_warnings():  # detectors that never reach NAB's threshold: PATE-F1 0.0, as the command gives
        warnings.simplefilter("ignore", undefined_metric_warning_class())
        table = evaluate(read_csv_series(DEMO), metrics=[request], progress=False)
    return {(s, d): v for s, d, v in zip(table["series"], table["detector"], table["value"])}


@pytest.mark.parametrize("profile", [None, "reward_low_FP_rate"])
def test_nabs_thresholds_file_with_a_profile_equals_the_runner(cli, nab_thresholds, profile):
    extra = ("--profile", profile) if profile else ()
    out = cli("evaluate", DEMO, "--metric", "pate_f1", "--thresholds", nab_thresholds, *extra, "--format", "csv",
              "--quiet")  # fmt: skip
    assert out.returncode == 0, out.stderr
    got = _csv(out.stdout)
    want = _runner(("pate_f1", {"threshold": read_thresholds(nab_thresholds, profile=profile)}))
    assert len(got) == 32
    for row in got.itertuples():
        assert row.pate_f1 == pytest.approx(want[(row.series, row.score)], abs=1e-12)


def test_the_tidy_table_names_one_params_string(cli, nab_thresholds, tmp_path):
    out = cli("evaluate", DEMO, "--metric", "pate_f1,point_f1", "--thresholds", nab_thresholds, "--tidy",
              "--output", tmp_path / "r.csv", "--quiet")  # fmt: skip
    assert out.returncode == 0, out.stderr
    table = pd.read_csv(tmp_path / "r.csv", keep_default_na=False)
    assert table["params"].nunique() == 1 and table["params"].iloc[0].startswith("threshold=per-detector:")
    compared = cli("compare", tmp_path / "r.csv", "--metric", "pate_f1")
    assert compared.returncode == 0, compared.stderr


def test_a_plain_thresholds_file_and_a_missing_column(cli, tmp_path):
    plain = tmp_path / "t.json"
    plain.write_text(json.dumps({"numenta": 0.5}))
    out = cli("evaluate", DEMO, "--metric", "pate_f1", "--thresholds", plain, "--quiet")
    assert out.returncode == 2
    assert "column 'numentaTM' has no threshold in --thresholds (it names 'numenta')" in out.stderr
    assert "--score" in out.stderr
    out = cli("evaluate", DEMO, "--metric", "pate_f1", "--thresholds", plain, "--score", "numenta", "--quiet")
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--thresholds", "NAB", "--profile", "strict"),
            "--thresholds .*thresholds.json: thresholds\\['.*'\\] has no profile 'strict'",
        ),
        (("--thresholds", "missing.json"), "--thresholds missing.json: cannot read the thresholds file"),
        (("--profile", "standard"), "--profile standard: the profile is read from a --thresholds file"),
        (("--threshold", "0.5", "--thresholds", "NAB"), "--threshold and --thresholds: give one thresholding strategy"),
        (("--threshold", "0.5", "--contamination", "0.1"), "give one thresholding strategy"),
        (("--contamination", "1.5"), "strictly between 0 and 1"),
        (("--threshold", "nan"), "a threshold is a finite number"),
        (("--threshold", "best"), "--threshold best: pate_f1 has no best-F1 metric in the registry"),
    ],
)
def test_usage_errors(cli, nab_thresholds, tmp_path, args, message):
    args = tuple(str(nab_thresholds) if a == "NAB" else a for a in args)
    out = cli("evaluate", DEMO, "--metric", "pate_f1", *args, "--quiet", cwd=tmp_path)
    assert out.returncode == 2
    assert pd.Series([out.stderr]).str.contains(message).item(), out.stderr


@pytest.mark.parametrize("flag", [("--thresholds", "NAB"), ("--contamination", "0.1"), ("--threshold", "best")])
def test_a_strategy_with_only_score_metrics_is_a_usage_error(cli, nab_thresholds, flag):
    args = tuple(str(nab_thresholds) if a == "NAB" else a for a in flag)
    out = cli("evaluate", DEMO, "--metric", "pate,vus_pr", *args, "--quiet")
    assert out.returncode == 2
    assert f"{flag[0]} " in out.stderr and "no selected metric takes binary predictions" in out.stderr


def test_contamination_and_best_are_the_runners(cli):
    for flag, request in (
        (("--contamination", "0.1"), ("point_f1", {"contamination": 0.1})),
        (("--threshold", "best"), ("point_f1", {"threshold": "best"})),
    ):
        out = cli("evaluate", DEMO, "--metric", "point_f1", *flag, "--format", "csv", "--quiet")
        assert out.returncode == 0, out.stderr
        want = _runner(request)
        for row in _csv(out.stdout).itertuples():
            assert row.point_f1 == pytest.approx(want[(row.series, row.score)], abs=1e-12)
