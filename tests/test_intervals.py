"""Labels from time intervals: ``pate.labels_from_intervals``, ``pate.read_intervals``, ``IntervalFile``.

The decisive check: NAB's ``labels/combined_windows.json`` (commit ea702d75,
copied to tests/data/nab_combined_windows.json) gives exactly the label
column of every series in ``../shared/data/nab`` (58/58), whose labels were
made by NAB's own rule. Then the plain-Python oracle (hypothesis), the
accepted forms of times, and every bad input.
"""

from __future__ import annotations

import datetime
import json
import warnings

import numpy as np
import pandas as pd
import pytest
from helpers import DATA
from hypothesis import given, settings
from hypothesis import strategies as st
from naive.events import naive_labels

import pate

WINDOWS = DATA / "nab_combined_windows.json"


def test_nab_windows_give_the_label_column_of_every_series(nab_dir):
    nab = nab_dir
    index = pd.read_csv(nab / "index.csv")
    windows = pate.read_intervals(WINDOWS)
    assert len(windows.intervals) == 58
    equal = 0
    for category, series, n_windows in zip(index["category"], index["series"], index["n_windows"], strict=True):
        path = nab / category / f"{series}.csv.gz"
        frame = pd.read_csv(path, usecols=["timestamp", "label"])
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no window may fall outside its series
            by_relative_path = windows.labels(path, frame["timestamp"], root=nab)
        # the same intervals are found from the file name alone
        assert windows.find(f"{series}.csv") == windows.find(path, root=nab)
        assert len(windows.find(path)) == n_windows
        equal += np.array_equal(by_relative_path, frame["label"].to_numpy())
    assert equal == len(index) == 58


@st.composite
def times_and_intervals(draw):
    n = draw(st.integers(1, 40))
    times = draw(st.lists(st.integers(0, 60), min_size=n, max_size=n))  # unsorted, repeated
    intervals = []
    for _ in range(draw(st.integers(0, 5))):
        a = draw(st.integers(-5, 65))
        intervals.append((a, a + draw(st.integers(0, 15))))
    return times, intervals


@settings(max_examples=300)
@given(times_and_intervals())
def test_equal_to_the_oracle(case):
    times, intervals = case
    want = naive_labels(times, intervals)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pate.EmptyIntervalWarning)
        got = pate.labels_from_intervals(times, intervals)
        assert got.tolist() == want and got.dtype == np.int8
        # as date-times: minutes after an origin, the intervals as text
        origin = pd.Timestamp("2014-02-19 10:00")
        stamps = [origin + pd.Timedelta(minutes=t) for t in times]
        text = [(str(origin + pd.Timedelta(minutes=a)), str(origin + pd.Timedelta(minutes=b))) for a, b in intervals]
        assert pate.labels_from_intervals(pd.DatetimeIndex(stamps), text).tolist() == want


def test_accepted_forms_of_times():
    times = pd.date_range("2014-02-19 10:40", periods=6, freq="5min")
    want = [0, 1, 1, 0, 0, 0]
    forms = [
        ("2014-02-19 10:45:00.000000", "2014-02-19 10:50:00.000000"),  # NAB's text
        (pd.Timestamp("2014-02-19 10:45"), pd.Timestamp("2014-02-19 10:50")),
        (np.datetime64("2014-02-19T10:45"), np.datetime64("2014-02-19T10:50")),
        (datetime.datetime(2014, 2, 19, 10, 45), datetime.datetime(2014, 2, 19, 10, 50)),
    ]
    for pair in forms:
        for stamps in (times, times.to_numpy(), times.astype(str).tolist(), pd.Series(times), list(times)):
            assert pate.labels_from_intervals(stamps, [pair]).tolist() == want
    frame = pd.DataFrame({"start": ["2014-02-19 10:45"], "end": ["2014-02-19 10:50"]})
    assert pate.labels_from_intervals(times, frame).tolist() == want
    assert pate.labels_from_intervals(times, []).tolist() == [0] * 6
    assert pate.labels_from_intervals([0.5, 1.5, 2.5], np.array([[1, 2]])).tolist() == [0, 1, 0]


def test_time_zones():
    times = pd.date_range("2014-02-19 10:40", periods=4, freq="5min", tz="Europe/Paris")
    # a naive end is read in the timestamps' zone; an aware one is converted
    assert pate.labels_from_intervals(times, [("2014-02-19 10:45", "2014-02-19 10:45")]).tolist() == [0, 1, 0, 0]
    assert pate.labels_from_intervals(times, [("2014-02-19 09:45Z", "2014-02-19 09:45Z")]).tolist() == [0, 1, 0, 0]
    with pytest.raises(ValueError, match="has a time zone but the timestamps have none"):
        pate.labels_from_intervals(times.tz_localize(None), [("2014-02-19 09:45Z", "2014-02-19 10:00Z")])


def test_overlapping_intervals_merge_into_one_event():
    labels = pate.labels_from_intervals(range(10), [(1, 4), (3, 6), (7, 7)])
    assert labels.tolist() == [0, 1, 1, 1, 1, 1, 1, 1, 0, 0]
    assert len(pate.event_table(labels, labels)) == 1  # touching runs are one run of ones


def test_an_interval_labelling_nothing_is_reported():
    times = pd.date_range("2014-02-19 10:40", periods=4, freq="5min")
    with pytest.warns(
        pate.EmptyIntervalWarning,
        match=r"2 of 3 intervals cover no timestamp.*after the last time.*"
        r"between two samples",
    ):
        labels = pate.labels_from_intervals(
            times,
            [
                ("2014-02-19 10:45", "2014-02-19 10:45"),
                ("2015-01-01", "2015-01-02"),
                ("2014-02-19 10:46", "2014-02-19 10:49"),
            ],
        )
    assert labels.tolist() == [0, 1, 0, 0]
    with pytest.warns(pate.EmptyIntervalWarning, match="before the first time"):
        pate.labels_from_intervals([5, 6], [(1, 2)])


@pytest.mark.parametrize(
    "times, intervals, error, match",
    [
        ([0, 1, 2], [(2, 1)], ValueError, r"intervals\[0\] \(2, 1\) starts after it ends"),
        (
            ["2014-01-01"],
            [("2014-01-01", "2014-01-02"), ("2014-01-03", "2014-01-02")],
            ValueError,
            r"intervals\[1\] .* starts after it ends",
        ),
        (["2014-01-01"], [("2014-01-01", "2014-13-45")], ValueError, r"the end '2014-13-45' is not a time"),
        (["2014-01-01"], [("soon", "2014-01-02")], ValueError, r"the start 'soon' is not a time"),
        (["2014-01-01"], [(1, 2)], TypeError, "is a number but the timestamps are date-times"),
        ([0, 1], [("a", 1)], ValueError, "the start 'a' is not a number"),
        ([0, 1], [(0, float("nan"))], TypeError, "finite number"),
        ([0, 1], [(0, 1, 2)], ValueError, r"intervals\[0\] must be a \(start, end\) pair"),
        ([0, 1], "0-1", TypeError, "list of \\(start, end\\) pairs"),
        (["2014-01-01", "tomorrow-ish"], [], ValueError, "timestamps row 1 holds 'tomorrow-ish', which is not a time"),
        ([0.0, float("nan")], [], ValueError, "at row 1"),
        (pd.Series([1, pd.NA, 3], dtype="Int64"), [], ValueError, "at row 1"),
        (np.array(["2014-01-01", 5], dtype=object), [], TypeError, "mixes numbers and times: row 1 holds the number 5"),
        ([True, False], [], TypeError, "booleans"),
        ([], [], ValueError, "empty"),
    ],
)
def test_bad_input(times, intervals, error, match):
    with pytest.raises(error, match=match):
        pate.labels_from_intervals(times, intervals)


def test_missing_times_are_named():
    with pytest.raises(ValueError, match="missing time .* at row 1"):
        pate.labels_from_intervals(pd.Series([pd.Timestamp("2014-01-01"), pd.NaT]), [])
    with pytest.raises(ValueError, match="missing time at row 1"):
        pate.labels_from_intervals(["2014-01-01", None], [])


def test_read_csv_layouts(tmp_path):
    with_series = tmp_path / "labels.csv"
    with_series.write_text(
        "series,start,end,comment\nmachine.csv,2014-02-19 10:45,2014-02-19 10:50,x\n"
        "machine.csv, 2014-02-19 11:00 , 2014-02-19 11:05,\nother.csv,1,2,\n"
    )
    windows = pate.read_intervals(with_series)
    assert windows.find("data/machine.csv.gz") == (
        ("2014-02-19 10:45", "2014-02-19 10:50"),
        ("2014-02-19 11:00", "2014-02-19 11:05"),
    )
    assert windows.labels("other.parquet", [0, 1, 2, 3]).tolist() == [0, 1, 1, 0]
    one = tmp_path / "one.csv"
    one.write_text("start,end\n1,2\n")
    assert pate.read_intervals(one).find("anything.csv") == (("1", "2"),)
    assert "2 series, 3 intervals" in repr(windows)


def test_find_by_relative_path_or_file_name(tmp_path):
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"a/x.csv": [[1, 2]], "b/x.csv": [[3, 4]], "y.csv": [], "c/z.csv": [[5, 6]]}))
    windows = pate.read_intervals(path)
    assert windows.find("data/a/x.csv.gz") == ((1, 2),)
    assert windows.find(tmp_path / "data" / "b" / "x.csv", root=tmp_path / "data") == ((3, 4),)
    assert windows.find("somewhere/y.csv.gz") == ()
    assert windows.find("z.csv") == ((5, 6),)  # the file name alone
    with pytest.raises(ValueError, match=r"x.csv: several keys of .* match this series \('a/x.csv', 'b/x.csv'\)"):
        windows.find("x.csv")
    with pytest.raises(ValueError, match=r"data/q.csv: no intervals for this series in .*w.json"):
        windows.find("data/q.csv")


@pytest.mark.parametrize(
    "name, text, match",
    [
        ("w.json", "[1, 2]", "expected a JSON object mapping each series"),
        ("w.json", "{not json", "not valid JSON"),
        ("w.json", '{"x.csv": "2014"}', "series 'x.csv' must map to a list"),
        ("w.json", '{"x.csv": [["2014"]]}', "interval 0 of series 'x.csv' must be a \\[start, end\\] pair"),
        ("w.json", '{"x.csv": [[null, "2014"]]}', "holds None"),
        ("w.csv", "", "the file is empty"),
        ("w.csv", "series,begin,stop\nx,1,2\n", "missing start, end"),
        ("w.csv", "series,start,end\nx,1,\n", "line 2: the end cell is empty"),
        ("w.csv", "series,start,end\nx,1,2\n,3,4\n", "line 3: the series cell is empty"),
    ],
)
def test_bad_interval_files(tmp_path, name, text, match):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ValueError, match=match):
        pate.read_intervals(path)
