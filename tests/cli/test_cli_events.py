"""Events and time on the command line: ``pate evaluate --intervals``, time-span buffers, ``pate events``.

The decisive check: ``pate evaluate`` with ``--intervals`` (NAB's window
file) on files without a label column gives exactly the table it gives on
the same files with their label column, for every detector and metric.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from helpers import DATA, REPO

import pate

EXAMPLES = REPO / "pate" / "data"
WINDOWS = DATA / "nab_combined_windows.json"
METRICS = "pate,pate_f1,rpa_precision,rpa_recall,rpa_f1,mean_time_to_detect"


def _without_labels(source, target):
    frame = pd.read_csv(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    frame.drop(columns="label").to_csv(target, index=False)
    return frame


def _values(text):
    """The evaluate table as CSV, keyed by the file's name (its folder differs on purpose), sorted."""
    table = pd.read_csv(io.StringIO(text))
    table["series"] = table["series"].map(lambda f: f.replace("\\", "/").rsplit("/", 1)[-1].split(".")[0])
    return table.sort_values(["series", "score"]).reset_index(drop=True)


def test_intervals_give_the_same_table_as_the_label_column(cli, tmp_path):
    bare = tmp_path / "bare"
    for name, category in (
        ("ec2_request_latency_system_failure", "realKnownCause"),
        ("exchange-2_cpc_results", "realAdExchange"),
    ):
        _without_labels(EXAMPLES / f"{name}.csv.gz", bare / category / f"{name}.csv")
    common = ("--metric", METRICS, "--threshold", "0.5", "--format", "csv", "--quiet", "--undefined", "nan")
    with_labels = cli("evaluate", EXAMPLES, *common)
    from_intervals = cli("evaluate", bare, "--intervals", WINDOWS, *common)
    assert with_labels.returncode == from_intervals.returncode == 0, from_intervals.stderr
    want, got = _values(with_labels.stdout), _values(from_intervals.stdout)
    assert len(got) == 2 * 16
    pd.testing.assert_frame_equal(got, want)


def test_intervals_on_nab_series_with_repeated_times(cli, tmp_path, nab_dir):
    # three series whose timestamps repeat or go back (NAB's daylight-saving rows): labels by row time
    names = (
        "realAWSCloudwatch/ec2_network_in_5abac7",
        "realKnownCause/machine_temperature_system_failure",
        "realTraffic/speed_t4013",
    )
    for name in names:
        _without_labels(nab_dir / f"{name}.csv.gz", tmp_path / "bare" / f"{name}.csv")
        frame = pd.read_csv(nab_dir / f"{name}.csv.gz")
        (tmp_path / "labelled" / name).parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(tmp_path / "labelled" / f"{name}.csv", index=False)
    common = ("--metric", "pate,rpa_f1", "--threshold", "0.5", "--format", "csv", "--quiet", "--undefined", "nan")
    want = cli("evaluate", tmp_path / "labelled", *common)
    got = cli("evaluate", tmp_path / "bare", "--intervals", WINDOWS, *common)
    assert want.returncode == got.returncode == 0, got.stderr
    pd.testing.assert_frame_equal(_values(got.stdout), _values(want.stdout))


def test_a_file_without_a_key_is_an_error_naming_it(cli, tmp_path):
    _without_labels(EXAMPLES / "exchange-2_cpc_results.csv.gz", tmp_path / "mine.csv")
    out = cli("evaluate", tmp_path / "mine.csv", "--intervals", WINDOWS)
    assert out.returncode == 2
    assert f"--intervals: {tmp_path / 'mine.csv'}: no intervals for this series in {WINDOWS}" in out.stderr
    assert "Traceback" not in out.stderr


def test_a_csv_interval_file_and_a_named_time_column(cli, tmp_path):
    n = 60
    times = pd.date_range("2024-01-01", periods=n, freq="10min")
    y = np.zeros(n, dtype=int)
    y[20:26] = 1
    score = np.linspace(0, 1, n) + y
    pd.DataFrame({"when": times.astype(str), "det": score}).to_csv(tmp_path / "s.csv", index=False)
    (tmp_path / "iv.csv").write_text(f"series,start,end\ns.csv,{times[20]},{times[25]}\n")
    out = cli(
        "evaluate",
        tmp_path / "s.csv",
        "--intervals",
        tmp_path / "iv.csv",
        "--time-column",
        "when",
        "--format",
        "csv",
        "--early-buffer",
        "1h",
        "--delay-buffer",
        "30min",
    )
    assert out.returncode == 0, out.stderr
    value = pd.read_csv(io.StringIO(out.stdout))["pate"].iloc[0]
    assert value == pate.pate_score(y, score, early_buffer=6, delay_buffer=3)
    # no time column found
    missing = cli("evaluate", tmp_path / "s.csv", "--intervals", tmp_path / "iv.csv")
    assert missing.returncode == 1
    assert "no time column found (columns: when, det); name it with --time-column" in missing.stderr


def test_time_span_options_read_the_time_column(cli, tmp_path):
    n = 80
    times = pd.date_range("2024-01-01", periods=n, freq="5min")
    y = np.zeros(n, dtype=int)
    y[30:40] = 1
    alarms = np.zeros(n, dtype=int)
    alarms[28] = alarms[36] = alarms[60] = 1
    pd.DataFrame({"timestamp": times.astype(str), "label": y, "det": alarms}).to_csv(tmp_path / "s.csv", index=False)
    out = cli(
        "evaluate",
        tmp_path / "s.csv",
        "--metric",
        "pate_f1,rpa_f1,mean_time_to_detect",
        "--format",
        "csv",
        "--early-buffer",
        "10min",
        "--option",
        "max_early=10min",
    )
    assert out.returncode == 0, out.stderr
    row = pd.read_csv(io.StringIO(out.stdout)).iloc[0]
    assert row["pate_f1"] == pate.pate_f1_score(y, alarms, early_buffer=2)
    assert row["mean_time_to_detect"] == -600.0  # seconds: the tolerance is a time span
    assert row["rpa_f1"] == pate.get_metric("rpa_f1")(y, alarms, max_early=2)
    samples = cli(
        "evaluate", tmp_path / "s.csv", "--metric", "mean_time_to_detect", "--format", "csv", "--option", "max_early=2"
    )
    assert pd.read_csv(io.StringIO(samples.stdout))["mean_time_to_detect"].iloc[0] == -2.0  # samples


def test_bad_command_lines(cli, tmp_path):
    assert (
        "is not a whole number of points, 'auto' or a time span"
        in cli("evaluate", EXAMPLES, "--early-buffer", "soon").stderr
    )
    unreadable = cli("evaluate", EXAMPLES, "--intervals", tmp_path / "none.json")
    assert unreadable.returncode == 2 and "--intervals" in unreadable.stderr and "cannot be read" in unreadable.stderr
    (tmp_path / "bad.json").write_text("[1, 2]")
    assert "expected a JSON object" in cli("evaluate", EXAMPLES, "--intervals", tmp_path / "bad.json").stderr
    both = cli("evaluate", "--labels", tmp_path, "--scores", tmp_path, "--intervals", WINDOWS)
    assert both.returncode == 2 and "--intervals labels CSV files" in both.stderr


# ------------------------------------------------------------------ pate events
def test_events_lists_each_event_as_event_table(cli):
    path = EXAMPLES / "ec2_request_latency_system_failure.csv.gz"
    out = cli(
        "events", path, "--score", "numenta,ARTime", "--threshold", "0.5", "--early-buffer", "100", "--format", "csv"
    )
    assert out.returncode == 0, out.stderr
    got = pd.read_csv(io.StringIO(out.stdout))
    frame = pd.read_csv(path)
    for detector in ("numenta", "ARTime"):
        want = pate.event_table(
            frame["label"], y_score=frame[detector], threshold=0.5, timestamps=frame["timestamp"], early_buffer=100
        )
        mine = got[got["score"] == detector].reset_index(drop=True)
        assert mine["detected"].tolist() == want["detected"].tolist()
        assert mine["delay"].fillna(-1).tolist() == want["delay"].fillna(-1).astype(float).tolist()
        assert mine["first_alarm_time"].fillna("").tolist() == [
            "" if pd.isna(t) else str(t) for t in want["first_alarm_time"]
        ]
        assert mine["max_score"].tolist() == want["max_score"].tolist()


def test_events_from_intervals_and_the_false_alarms(cli, tmp_path):
    _without_labels(
        EXAMPLES / "ec2_request_latency_system_failure.csv.gz", tmp_path / "ec2_request_latency_system_failure.csv"
    )
    file = tmp_path / "ec2_request_latency_system_failure.csv"
    events = cli("events", file, "--intervals", WINDOWS, "--score", "numenta", "--threshold", "0.5")
    assert events.returncode == 0, events.stderr
    assert len(events.stdout.splitlines()) == 1 + 3  # header and NAB's three windows
    alarms = cli(
        "events",
        file,
        "--intervals",
        WINDOWS,
        "--score",
        "numenta",
        "--threshold",
        "0.5",
        "--alarms",
        "--format",
        "json",
    )
    rows = json.loads(alarms.stdout)
    frame = pd.read_csv(EXAMPLES / "ec2_request_latency_system_failure.csv.gz")
    want = pate.alarm_table(frame["label"], y_score=frame["numenta"], threshold=0.5)
    assert [r["start"] for r in rows] == want["start"].tolist()
    assert [r["nearest_event"] for r in rows] == want["nearest_event"].tolist()


def test_events_errors(cli, tmp_path):
    path = EXAMPLES / "ec2_request_latency_system_failure.csv.gz"
    out = cli("events", path, "--score", "numenta")
    assert out.returncode == 2 and "column 'numenta' is not 0/1: pass --threshold X" in out.stderr
    out = cli("events", path, "--score", "numenta", "--threshold", "0.5", "--early-buffer", "30min")
    assert out.returncode == 1
    assert "row 557 (2014-03-09 03:00:00) repeats the time of row 556" in out.stderr  # the daylight-saving rows
    out = cli("events", path, "--score", "nope", "--threshold", "0.5")
    assert out.returncode == 1 and "no score column 'nope'" in out.stderr
    assert "Traceback" not in out.stderr


def test_events_reads_standard_input(cli):
    csv = "time,label,det\n0,0,0\n1,1,0\n2,1,1\n3,0,0\n4,0,1\n"
    out = cli("events", "-", "--format", "csv", stdin=csv)
    assert out.returncode == 0, out.stderr
    table = pd.read_csv(io.StringIO(out.stdout))
    assert table[["start", "end", "detected", "first_alarm", "delay", "start_time"]].values.tolist() == [
        [1, 2, True, 2, 1, 1]
    ]


@pytest.mark.parametrize("command", ["evaluate", "events"])
def test_the_help_names_the_new_flags(cli, command):
    out = cli(command, "--help")
    assert "--intervals" in out.stdout and "--time-column" in out.stdout
