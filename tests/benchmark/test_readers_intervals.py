"""``read_csv_series(intervals=, time_column=)``, ``Series.timestamps`` and time spans in the runner."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from helpers import DATA, REPO

import pate
from pate.benchmark import Series, SeriesError, evaluate, read_csv_series

EXAMPLES = REPO / "pate" / "data"


def _bare_copy(tmp_path, name="ec2_request_latency_system_failure"):
    frame = pd.read_csv(EXAMPLES / f"{name}.csv.gz")
    path = tmp_path / "realKnownCause" / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.drop(columns="label").to_csv(path, index=False)
    return frame, path


def test_labels_from_the_interval_file_equal_the_label_column(tmp_path):
    frame, _ = _bare_copy(tmp_path)
    (source,) = read_csv_series(tmp_path, intervals=DATA / "nab_combined_windows.json")
    series = source.load()
    assert source.name == "realKnownCause/ec2_request_latency_system_failure"
    assert np.array_equal(series.y_true, frame["label"].to_numpy())
    assert "timestamp" not in series.scores and len(series.scores) == 16
    assert series.timestamps is not None and len(series.timestamps) == len(frame)
    want = evaluate(read_csv_series(EXAMPLES / "ec2_request_latency_system_failure.csv.gz"), progress=False)
    got = evaluate([source], progress=False)
    assert got["value"].tolist() == want["value"].tolist()


def test_every_file_needs_a_key_before_any_is_read(tmp_path):
    _bare_copy(tmp_path)
    (tmp_path / "w.json").write_text(json.dumps({"other.csv": []}))
    with pytest.raises(ValueError, match=r"ec2_request_latency_system_failure.csv: no intervals for this series"):
        read_csv_series(tmp_path, intervals=tmp_path / "w.json")
    with pytest.raises(TypeError, match="intervals must be an interval file"):
        read_csv_series(tmp_path, intervals=[("a", "b")])


def test_an_interval_that_labels_nothing_is_warned_once(tmp_path):
    _bare_copy(tmp_path)
    windows = pate.IntervalFile("w.json", {"ec2_request_latency_system_failure.csv": (("2030-01-01", "2030-01-02"),)})
    with pytest.warns(pate.EmptyIntervalWarning, match="series 'realKnownCause/ec2_request_latency_system_failure'"):
        evaluate(
            read_csv_series(tmp_path, intervals=windows),
            metrics=[("rpa_recall", {"undefined": "nan"})],
            progress=False,
            on_error="record",
        )


def test_time_columns(tmp_path):
    times = pd.date_range("2024-01-01", periods=50, freq="10min")
    y = np.zeros(50, dtype=int)
    y[20:30] = 1
    frame = pd.DataFrame({"when": times.astype(str), "date": "x", "time": "y", "det": np.linspace(0, 1, 50)})
    frame.to_csv(tmp_path / "s.csv", index=False)
    (tmp_path / "w.csv").write_text(f"start,end\n{times[20]},{times[29]}\n")
    series = read_csv_series(tmp_path / "s.csv", intervals=tmp_path / "w.csv", time_column="when")[0].load()
    assert series.y_true.tolist() == y.tolist() and list(series.scores) == ["det"]
    with pytest.raises(SeriesError, match=r"several columns could hold the times \(date, time\)"):
        read_csv_series(tmp_path / "s.csv", intervals=tmp_path / "w.csv")[0].load()
    with pytest.raises(SeriesError, match="no time column 'then'"):
        read_csv_series(tmp_path / "s.csv", intervals=tmp_path / "w.csv", time_column="then")[0].load()
    frame.loc[7, "when"] = "not a time"
    frame.to_csv(tmp_path / "s.csv", index=False)
    with pytest.raises(SeriesError, match=r"line 9, column 'when': 'not a time' is not a time"):
        read_csv_series(tmp_path / "s.csv", intervals=tmp_path / "w.csv", time_column="when")[0].load()


def test_a_time_span_option_gives_the_metric_the_times():
    times = pd.date_range("2024-01-01", periods=60, freq="1min")
    y = np.zeros(60, dtype=int)
    y[30:40] = 1
    alarms = np.zeros(60, dtype=int)
    alarms[28] = 1
    series = Series("s", y, {"det": alarms}, timestamps=times)
    table = evaluate(
        [series],
        metrics=[("mean_time_to_detect", {"max_early": "2min"}), ("mean_time_to_detect", {"max_early": 2})],
        progress=False,
    )
    assert table["value"].tolist() == [-120.0, -2.0]  # seconds with a time span, samples without
    bare = Series("s", y, {"det": alarms})
    failed = evaluate([bare], metrics=[("rpa_f1", {"max_early": "2min"})], progress=False, on_error="record")
    assert "no timestamps were given" in failed["error"].iloc[0]


def test_the_runner_reads_csv_times_for_a_time_span(tmp_path):
    times = pd.date_range("2024-01-01", periods=60, freq="1min")
    y = np.zeros(60, dtype=int)
    y[30:40] = 1
    score = np.zeros(60)
    score[28] = 1.0
    pd.DataFrame({"timestamp": times.astype(str), "label": y, "det": score}).to_csv(tmp_path / "s.csv", index=False)
    table = evaluate(tmp_path / "s.csv", metrics=[("pate_f1", {"early_buffer": "2min"})], progress=False)
    assert table["value"].iloc[0] == pate.pate_f1_score(y, score.astype(int), early_buffer=2)
