"""Declared options: each registry row says its options' types and allowed values, as the metric checks them.

A declaration's check is the metric's own (the same ``pate._validation``
function): for every option of every metric, a bad value is refused by the
declaration with the metric's own error, and a value the declaration
accepts is accepted by the metric. ``pate evaluate`` and
``pate.benchmark.evaluate`` check options this way, without running the metric.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from pate.benchmark import Series, evaluate, metric_requests
from pate.metrics import get_metric_info, list_metrics

Y = np.array([0, 0, 1, 1, 0, 0, 0, 1, 0, 0])
S = np.array([0.1, 0.2, 0.9, 0.8, 0.3, 0.1, 0.2, 0.7, 0.2, 0.1])
BAD = [-1, 1.5, 2**70, "nonsense", None, True, 1e9]
PAIRS = [(m.name, option) for m in list_metrics() for option in m.params if option != "backend"]


def _run(info, options):
    y = (S > 0.5).astype(int) if info.input == "binary" else S
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return info.func(Y, y, **options)


def test_every_option_of_every_metric_is_declared():
    for info in list_metrics():
        assert list(info.options) == list(info.params), info.name


@pytest.mark.parametrize("metric, option", PAIRS)
def test_the_declaration_refuses_what_the_metric_refuses_with_its_message(metric, option):
    info = get_metric_info(metric)
    declared = info.options[option]
    for value in BAD + list(declared.choices):
        try:
            _run(info, {option: value})
        except (TypeError, ValueError) as exc:
            with pytest.raises(type(exc)) as refused:
                info.check_options({option: value})
            message = str(refused.value)
            assert str(exc) in message and f"metric {metric!r}, option {option}" in message
            assert declared.allowed in message  # in the metric's own words, or added
        else:
            info.check_options({option: value})  # accepted by both


def test_choices_are_the_metrics_values():
    assert get_metric_info("pate").options["interpolation"].choices == ("trapezoid", "step")
    assert get_metric_info("range_f1").options["bias_p"].choices == ("flat", "front", "middle", "back")
    assert get_metric_info("pate").options["n_thresholds"].accepts_none
    assert not get_metric_info("vus_pr").options["n_thresholds"].accepts_none


def test_the_runner_checks_options_before_reading_any_series():
    class Unreadable:
        name = "never read"

        def load(self):  # pragma: no cover - must not be called
            raise AssertionError("a series was read before the options were checked")

    with pytest.raises(ValueError, match="metric 'pate', option early_buffer: early_buffer must be >= 0.*integer >= 0"):
        evaluate([Unreadable()], metrics=[("pate", {"early_buffer": -1})], progress=False)
    with pytest.raises(ValueError, match="metric 'range_f1', option bias_p: .*'flat', 'front', 'middle', 'back'"):
        metric_requests([("range_f1", {"bias_p": "sideways", "threshold": 0.5})])


def test_automatic_buffers_per_series_from_its_values():
    from pate import pate_score, suggest_buffer_size

    t = np.arange(600)
    values = np.sin(2 * np.pi * t / 24)
    y = np.zeros(600, dtype=int)
    y[300:320] = 1
    scores = np.random.default_rng(1).random(600) + y
    size = suggest_buffer_size(values).buffer_size
    assert size == 24
    table = evaluate(
        [Series("s", y, {"d": scores}, values=values), Series("bare", y, {"d": scores})],
        metrics=[("pate", {"early_buffer": "auto"})],
        progress=False,
        on_error="record",
    )
    assert table["params"].tolist() == ["early_buffer=auto"] * 2
    assert table["value"].iloc[0] == pate_score(y, scores, early_buffer=size)
    assert np.isnan(table["value"].iloc[1]) and "reads the series' values" in table["error"].iloc[1]
