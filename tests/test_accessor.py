"""The pandas accessors on frames with a RangeIndex and with a DatetimeIndex."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import pate  # noqa: F401  (registers the accessors)
from pate import pate_f1_score, pate_score

rng = np.random.default_rng(7)
N = 400
LABEL = np.zeros(N, dtype=int)
LABEL[[*range(50, 80), *range(300, 302)]] = 1
FRAME = pd.DataFrame(
    {"label": LABEL, "a": rng.random(N) + 0.5 * LABEL, "b": rng.random(N), "c": (rng.random(N) > 0.8).astype(int)}
)
TIMED = FRAME.set_index(pd.date_range("2024-03-01", periods=N, freq="10min"))


@pytest.mark.parametrize("frame", [FRAME, TIMED], ids=["range-index", "datetime-index"])
def test_score_delegates_to_the_public_functions(frame):
    assert frame.pate.score(score="a") == pate_score(LABEL, frame["a"])
    assert frame.pate.score(score="a", early_buffer=20, delay_buffer=3, n_thresholds=None) == pate_score(
        LABEL, frame["a"], early_buffer=20, delay_buffer=3, n_thresholds=None
    )
    assert frame.pate.score(score="c", metric="pate_f1") == pate_f1_score(LABEL, frame["c"])
    assert frame.pate.score(score="a", metric="pate_f1", threshold=0.9) == pate_f1_score(LABEL, frame["a"] >= 0.9)


def test_evaluate_gives_one_row_per_column_and_one_column_per_metric():
    table = FRAME.pate.evaluate(scores=["a", "b"], metrics=["pate", "pate_f1"], threshold=0.7, early_buffer=5)
    assert list(table.index) == ["a", "b"] and list(table.columns) == ["pate", "pate_f1"]
    assert table.loc["b", "pate"] == pate_score(LABEL, FRAME["b"], early_buffer=5)
    assert table.loc["a", "pate_f1"] == pate_f1_score(LABEL, FRAME["a"] >= 0.7, early_buffer=5)
    default = FRAME.pate.evaluate()
    assert list(default.index) == ["a", "b", "c"] and list(default.columns) == ["pate"]


def test_time_span_buffers_are_converted_with_the_index_frequency():
    got = TIMED.pate.score(score="a", early_buffer="1h", delay_buffer=pd.Timedelta("30min"))
    assert got == pate_score(LABEL, TIMED["a"], early_buffer=6, delay_buffer=3)


def test_time_span_errors_are_clear():
    with pytest.raises(ValueError, match="DatetimeIndex"):
        FRAME.pate.score(score="a", early_buffer="1h")
    irregular = TIMED.iloc[[*range(0, 100), *range(101, N)]]
    with pytest.raises(ValueError, match="irregular: rows 0-1 are .* rows 99-100"):
        irregular.pate.score(score="a", early_buffer="1h")


def test_time_spans_round_down_like_the_library():
    # one rule for df.pate and pate_score(timestamps=...): floor(span / step) samples
    step = TIMED.index[1] - TIMED.index[0]
    got = TIMED.pate.score(score="a", early_buffer=1.5 * step)
    assert got == pate_score(LABEL, TIMED["a"], early_buffer=1)
    assert got == pate_score(LABEL, TIMED["a"], early_buffer=1.5 * step, timestamps=TIMED.index)


def test_validation_lives_in_the_public_functions():
    with pytest.raises(ValueError, match="early_buffer must be >= 0"):
        FRAME.pate.score(score="a", early_buffer=-1)
    with pytest.raises(ValueError, match="y_pred must contain only 0 and 1"):
        FRAME.pate.score(score="a", metric="pate_f1")
    with pytest.raises(KeyError, match="'zz' not found"):
        FRAME.pate.score(score="zz")
    with pytest.raises(ValueError, match="Unknown metric"):
        FRAME.pate.score(score="a", metric="nope")
    with pytest.raises(TypeError, match="not accepted"):
        FRAME.pate.evaluate(window=3)


def test_series_events():
    events = TIMED["label"].pate.events()
    assert list(events.columns) == ["start", "end", "length"]
    assert events["length"].tolist() == [30, 2]
    assert events["start"].iloc[0] == TIMED.index[50] and events["end"].iloc[0] == TIMED.index[79]
    assert FRAME["label"].pate.events()["start"].tolist() == [50, 300]
    with pytest.raises(ValueError, match="only 0 and 1"):
        (FRAME["label"] * 2).pate.events()


# ------------------------------------------------------------- hardening (issue 18)
def test_default_columns_are_the_command_lines(tmp_path, cli):
    import json

    frame = FRAME.assign(timestamp=np.arange(N), value=rng.random(N), host="web-1")
    assert list(frame.pate.evaluate().index) == ["a", "b", "c"]
    path = tmp_path / "frame.csv"
    frame.to_csv(path, index=False)
    out = cli("evaluate", path, "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [r["score"] for r in rows] == ["a", "b", "c"]
    assert [r["pate"] for r in rows] == frame.pate.evaluate()["pate"].tolist()


def test_a_text_column_with_one_bad_cell_is_not_dropped():
    frame = FRAME.assign(d=FRAME["b"].astype(str))
    frame.loc[7, "d"] = "0,5"
    with pytest.raises(TypeError, match="score column 'd', metric 'pate': y_score must hold numbers"):
        frame.pate.evaluate()


def test_a_string_is_one_name():
    table = FRAME.pate.evaluate(scores="a", metrics="pate")
    assert list(table.index) == ["a"] and list(table.columns) == ["pate"]
    with pytest.raises(ValueError, match="metrics names 'pate' more than once"):
        FRAME.pate.evaluate(metrics=["pate", "pate"])
    with pytest.raises(ValueError, match="scores names 'a' more than once"):
        FRAME.pate.evaluate(scores=["a", "a"])


def test_duplicate_frame_columns_are_an_error():
    frame = pd.concat([FRAME[["label", "a"]], FRAME[["a"]]], axis=1)
    with pytest.raises(ValueError, match="score column 'a' appears 2 times"):
        frame.pate.score(score="a")


def test_errors_name_the_column_and_the_fix():
    with pytest.raises(
        ValueError, match=r"score column 'a', metric 'pate_f1': y_pred .*y_score >= threshold.*threshold="
    ):
        FRAME.pate.score(score="a", metric="pate_f1")
    bad_labels = FRAME.assign(label=FRAME["label"] * 2)
    with pytest.raises(ValueError, match="label column 'label', metric 'pate': y_true must contain only 0 and 1"):
        bad_labels.pate.score(score="a")


def test_window_takes_a_time_span_too():
    from pate.metrics import get_metric

    assert TIMED.pate.score(score="a", metric="vus_pr", window="1h") == get_metric("vus_pr")(
        LABEL, TIMED["a"], window=6
    )
    with pytest.raises(ValueError, match="text without a unit"):
        TIMED.pate.score(score="a", early_buffer="12")


def test_no_pandas_warning_reaches_the_user():
    import warnings

    no_freq = TIMED.set_axis(pd.DatetimeIndex(list(TIMED.index)))
    assert no_freq.index.freq is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert no_freq.pate.score(score="a", early_buffer="1h") == pate_score(LABEL, TIMED["a"], early_buffer=6)
    monthly = FRAME.iloc[:24].set_axis(pd.date_range("2020-01-31", periods=24, freq="ME"))
    with pytest.raises(ValueError, match="irregular"):
        monthly.pate.score(score="a", early_buffer="31D")
