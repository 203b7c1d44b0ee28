"""``df.pate.chance_level`` and ``df.pate.evaluate(chance=N)``: thin, they delegate."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import pate


@pytest.fixture
def frame():
    rng = np.random.default_rng(0)
    y = np.zeros(120, dtype=int)
    y[40:50] = 1
    index = pd.date_range("2024-01-01", periods=120, freq="1min")
    return pd.DataFrame({"label": y, "a": rng.random(120) + y, "b": rng.random(120)}, index=index)


def test_chance_level_delegates_with_time_span_buffers(frame):
    level = frame.pate.chance_level(score="a", metric="pate", early_buffer="3min", delay_buffer="2min",
                                    n_resamples=30, random_state=4)  # fmt: skip
    direct = pate.chance_level("pate", frame["label"], frame["a"], early_buffer=3, delay_buffer=2, n_resamples=30,
                               random_state=4)  # fmt: skip
    assert (level.observed, level.expected, level.pvalue) == (direct.observed, direct.expected, direct.pvalue)


def test_chance_level_of_a_binary_metric_thresholds_first(frame):
    level = frame.pate.chance_level(score="a", metric="pate_f1", threshold=0.9, n_resamples=10, random_state=0)
    direct = pate.chance_level("pate_f1", frame["label"], frame["a"] >= 0.9, n_resamples=10, random_state=0)
    assert np.array_equal(level.null_values, direct.null_values)


def test_evaluate_with_chance_has_a_value_expected_adjusted_pvalue_block_per_metric(frame):
    out = frame.pate.evaluate(metrics=["pate", "auc_roc"], chance=20, random_state=1)
    assert list(out.columns) == [
        (m, f) for m in ("pate", "auc_roc") for f in ("value", "expected", "adjusted", "pvalue")
    ]
    plain = frame.pate.evaluate(metrics=["pate", "auc_roc"])
    assert np.array_equal(out.xs("value", axis=1, level=1).to_numpy(), plain.to_numpy())
    assert out[("auc_roc", "pvalue")].between(1 / 21, 1).all()
    again = frame.pate.evaluate(metrics=["pate", "auc_roc"], chance=20, random_state=1)
    pd.testing.assert_frame_equal(out, again)
