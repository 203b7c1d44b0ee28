"""``pate nab FILES|DIR``: NAB's scoreboard on the command line, run in-process through ``pate.cli.main``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from helpers import DATA, REPO

from pate.benchmark import nab_scoreboard, read_csv_series

DEMO = REPO / "pate" / "data"


def test_text_scoreboard_of_the_demo_files_equals_nab_scoreboard(cli):
    r = cli("nab", DEMO)
    assert r.returncode == 0, r.stderr
    board = nab_scoreboard(read_csv_series(DEMO))
    lines = r.stdout.splitlines()
    assert lines[0].startswith("NAB scoreboard: 2 series, 4 windows counted, at each detector's exactly optimal")
    header = lines[2].split()
    assert header[:4] == ["detector", "standard", "reward_low_FP_rate", "reward_low_FN_rate"]
    body = [line.split() for line in lines[3:]]
    assert [row[0] for row in body] == list(board.scores.index)  # sorted like NAB's README
    first = board.scores.index[0]
    assert body[0][1] == f"{board.scores.at[first, 'standard']:.2f}"


def test_json_is_final_results_layout_and_csv_one_row_per_detector_and_profile(cli, tmp_path):
    r = cli("nab", DEMO, "--format", "json", "--profile", "standard")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    board = nab_scoreboard(read_csv_series(DEMO), profiles=["standard"])
    assert data == board.to_dict()
    out = tmp_path / "board.csv"
    r = cli("nab", DEMO, "--format", "csv", "--profile", "standard", "--profile", "mine=1,0.5,1", "--output", out)
    assert r.returncode == 0 and r.stdout == ""
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == 16 * 2 and rows[0].keys() == {"detector", "profile", "score", "raw", "threshold"}
    assert {row["profile"] for row in rows} == {"standard", "mine"}


def test_saved_thresholds_are_reused(cli, tmp_path):
    saved = tmp_path / "thresholds.json"
    r = cli("nab", DEMO, "--format", "json", "--save-thresholds", saved)
    assert r.returncode == 0, r.stderr
    layout = json.loads(saved.read_text())
    assert set(layout["numenta"]["standard"]) == {"threshold", "score"}
    again = cli("nab", DEMO, "--format", "json", "--thresholds", saved)
    assert again.returncode == 0 and again.stderr == "" and json.loads(again.stdout) == json.loads(r.stdout)


def test_nab_thresholds_file_reproduces_final_results_on_nab_data(cli, nab_dir, tmp_path):
    import gzip

    with gzip.open(DATA / "nab_reference.json.gz", "rt", encoding="utf-8") as handle:
        reference = json.load(handle)
    path = tmp_path / "thresholds.json"  # NAB's config/thresholds.json, as NAB ships it
    path.write_text(json.dumps(reference["thresholds"]))
    folders = sorted(p for p in Path(nab_dir).iterdir() if p.is_dir())  # the categories: pate nab NAB/*/
    r = cli("nab", *folders, "--thresholds", path, "--format", "json")
    assert r.returncode == 0
    assert "null (standard, reward_low_FP_rate, reward_low_FN_rate): 0.6250000000000001 lies above" in r.stderr
    ours = json.loads(r.stdout)
    for detector, profiles in reference["final_results"].items():
        for profile, value in profiles.items():
            assert abs(ours[detector][profile] - value) < 1e-6


@pytest.mark.parametrize(
    "args, status, message",
    [
        (["--profile", "nope"], 2, "Unknown NAB profile 'nope'"),
        (["--profile", "mine=1,x,1"], 2, "the weights must be three numbers"),
        (["--profile", "mine=1,0,1"], 2, "A_fp must be a positive finite number"),
        (["--profile", "standard", "--profile", "standard"], 2, "--profile standard is given twice"),
        (["--probationary-percent", "2"], 2, "probationary_percent must be in [0.0, 1.0]"),
        (["--thresholds", "/no/such/file.json"], 2, "--thresholds /no/such/file.json: cannot be read"),
        (["--label", "value"], 1, "error: series 'ec2_request_latency_system_failure'"),
        (["--score", "numenta", "--format", "xml"], 2, "invalid choice: 'xml'"),
    ],
)
def test_errors_are_one_line_and_an_exit_status(cli, args, status, message):
    r = cli("nab", DEMO, *args)
    assert r.returncode == status
    assert message in r.stderr and "Traceback" not in r.stderr


def test_a_thresholds_file_with_a_detector_missing(cli, tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"numenta": {"standard": 0.5}}))
    r = cli("nab", DEMO, "--thresholds", path, "--profile", "standard")
    assert r.returncode == 2 and "thresholds has no detector 'numentaTM'" in r.stderr
    path.write_text("[1, 2]")
    r = cli("nab", DEMO, "--thresholds", path)
    assert r.returncode == 2 and "expected {detector: {profile: threshold}}" in r.stderr


def test_a_threshold_outside_the_scores_is_a_warning_line(cli, tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"numenta": {"standard": 54.2}}))
    r = cli("nab", DEMO, "--thresholds", path, "--profile", "standard", "--score", "numenta")
    assert r.returncode == 0
    assert "warning: NAB scoreboard, thresholds outside the scores: numenta (standard): 54.2 lies above" in r.stderr
