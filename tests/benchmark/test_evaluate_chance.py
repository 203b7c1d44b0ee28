"""Chance levels in the runner: ``pate.benchmark.evaluate(..., chance=N, null=, random_state=)``.

Each row's ``expected``, ``adjusted`` and ``pvalue`` are :func:`pate.chance_level`
of that row with the row's own seed (the run's ``random_state`` and the row's
key), so the table does not depend on the workers, the order of work, the
other rows, or a resumed run.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

import pate
from pate.benchmark import CHANCE_COLUMNS, RESULT_COLUMNS, Series, evaluate
from pate.benchmark._task import ChanceRequest


def corpus(n_series=3, n=300, seed=0):
    rng = np.random.default_rng(seed)
    out = []
    for k in range(n_series):
        y = np.zeros(n, dtype=int)
        y[60 + 20 * k : 80 + 20 * k] = 1
        y[200:205] = 1
        detectors = {"good": rng.random(n) + y, "noise": rng.random(n), "flat": np.full(n, 0.2)}
        out.append(Series(f"s{k}", y, detectors))
    return out


METRICS = ["pate", ("pate_f1", {"threshold": 0.9, "early_buffer": 5}), "auc_pr", ("vus_pr", {"window": 5})]


def run(data, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return evaluate(data, metrics=METRICS, progress=False, **kwargs)


def test_the_chance_columns_are_chance_level_of_each_row_with_its_own_seed():
    data = corpus()
    table = run(data, chance=40, random_state=7)
    assert list(table.columns) == [*RESULT_COLUMNS, *CHANCE_COLUMNS, "constant"]
    assert table.attrs == {"chance": 40, "null": "shift", "random_state": 7}
    request = ChanceRequest(40, "shift", 7)
    by_name = {s.name: s for s in data}
    for row in table.itertuples(index=False):
        series = by_name[row.series]
        scores = np.asarray(series.scores[row.detector], dtype=float)
        if row.metric == "pate_f1":
            y, options = (scores >= 0.9).astype(int), {"early_buffer": 5}
        else:
            y, options = scores, ({"window": 5} if row.metric == "vus_pr" else {})
        seed = request.seed(row.series, row.detector, row.metric, row.params)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            level = pate.chance_level(row.metric, series.y_true, y, n_resamples=40, random_state=seed, **options)
        assert (row.value, row.expected, row.adjusted, row.pvalue) == pytest.approx(
            (level.observed, level.expected, level.adjusted, level.pvalue), nan_ok=True
        )


def test_without_chance_the_table_is_unchanged():
    plain = run(corpus())
    assert list(plain.columns) == [*RESULT_COLUMNS, "constant"]
    with_chance = run(corpus(), chance=5, random_state=0)
    pd.testing.assert_frame_equal(plain, with_chance[[*RESULT_COLUMNS, "constant"]])


def test_a_row_does_not_depend_on_the_other_rows():
    data = corpus()
    full = run(data, chance=30, random_state=3)
    alone = run(data[2:], chance=30, random_state=3)
    pd.testing.assert_frame_equal(full[full["series"] == "s2"].reset_index(drop=True), alone)


@pytest.mark.slow  # loky worker processes
def test_the_same_table_on_one_or_two_workers():
    data = corpus(n_series=4)
    one = run(data, chance=25, random_state=11)
    two = run(data, chance=25, random_state=11, n_jobs=2)
    pd.testing.assert_frame_equal(one, two)


def test_without_random_state_the_seed_used_is_recorded():
    data = corpus(n_series=1)
    first = run(data, chance=20)
    again = run(data, chance=20, random_state=first.attrs["random_state"])
    pd.testing.assert_frame_equal(first, again)


def test_every_shift_when_chance_reaches_the_length():
    y = np.zeros(40, dtype=int)
    y[10:14] = 1
    s = np.random.default_rng(0).random(40) + y
    table = run([Series("s", y, {"d": s})], chance=10_000, random_state=0)
    row = table[table["metric"] == "auc_pr"].iloc[0]
    loop = [pate.get_metric("auc_pr")(y, np.roll(s, k)) for k in range(1, 40)]
    assert row["expected"] == pytest.approx(np.mean(loop), abs=1e-12)


def test_permutation_null():
    data = corpus(n_series=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = evaluate(data, metrics=["auc_roc", ("point_f1", {"threshold": "best"})], progress=False,
                         chance=20, null="permutation", random_state=0)  # fmt: skip
    assert (table.loc[table["metric"] == "auc_roc", "expected"].dropna() == 0.5).all()
    assert table.attrs["null"] == "permutation"


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"chance": 0}, ValueError, "chance must be >= 1"),
        ({"chance": 2.5}, TypeError, "chance must be an integer"),
        ({"chance": 9, "null": "bootstrap"}, ValueError, "null must be 'shift' or 'permutation'"),
        ({"null": "permutation"}, ValueError, "need chance=N"),
        ({"random_state": 1}, ValueError, "need chance=N"),
        ({"chance": 9, "random_state": -1}, ValueError, "random_state must be None or an integer >= 0"),
        ({"chance": 9, "random_state": "x"}, TypeError, "random_state must be None or an integer >= 0"),
        ({"chance": 9, "null": "permutation"}, ValueError, "null='permutation' needs metrics of continuous scores"),
    ],
)
def test_bad_chance_arguments_are_named_before_any_work(kwargs, error, match):
    with pytest.raises(error, match=match):
        evaluate(corpus(n_series=1), metrics=["pate", ("pate_f1", {"threshold": 0.5})], progress=False, **kwargs)


def test_resume_keeps_the_chance_columns(tmp_path):
    data = corpus()
    output = tmp_path / "results.csv"
    run(data[:1], chance=15, random_state=2, output=output)
    resumed = run(data, chance=15, random_state=2, output=output, resume=True)
    full = run(data, chance=15, random_state=2)
    pd.testing.assert_frame_equal(resumed, full, check_exact=False, rtol=0, atol=1e-15)
    back = pd.read_csv(output, keep_default_na=False)
    assert list(back.columns) == [*RESULT_COLUMNS, *CHANCE_COLUMNS, "constant"]


def test_resume_refuses_a_file_written_with_other_chance_settings(tmp_path):
    output = tmp_path / "results.csv"
    run(corpus(n_series=1), output=output)
    with pytest.raises(ValueError, match="written without chance levels .* this run asks with"):
        run(corpus(), chance=5, random_state=0, output=output, resume=True)
    output.unlink()
    run(corpus(n_series=1), output=output, chance=5, random_state=0)
    with pytest.raises(ValueError, match="written with chance levels .* this run asks without"):
        run(corpus(), output=output, resume=True)


def test_an_undefined_chance_level_follows_the_rule_not_an_error():
    y = np.zeros(50, dtype=int)  # no anomaly: AUC-PR is undefined on every resample: 0.0 by the rule
    table = run([Series("s", y, {"d": np.random.default_rng(0).random(50)})], chance=5, random_state=0)
    row = table[table["metric"] == "auc_pr"].iloc[0]
    assert (row["value"], row["expected"], row["adjusted"], row["pvalue"]) == (0.0, 0.0, 0.0, 1.0)
    table = run([Series("s", y, {"d": np.random.default_rng(0).random(50)})], chance=5, random_state=0, undefined="nan")
    row = table[table["metric"] == "auc_pr"].iloc[0]
    assert math.isnan(row["value"]) and math.isnan(row["expected"]) and math.isnan(row["pvalue"])
