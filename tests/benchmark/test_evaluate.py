"""pate.benchmark.evaluate: the tidy table, metric requests, readers, errors, output and resume."""

from __future__ import annotations

import math
import os
import re
import warnings
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pate.benchmark import (
    EvaluationInterrupted,
    Series,
    SeriesError,
    canonical_params,
    evaluate,
    metric_requests,
    parse_params,
    read_csv_series,
    read_label_score_trees,
)
from pate.benchmark._results_io import read_output
from pate.compare import read_results
from pate.metrics import get_metric

BUNDLED = str(files("pate") / "data")
COLUMNS = ["series", "detector", "metric", "value", "params"]


def _series(name="s", n=60, seed=0, detectors=("a", "b")):
    rng = np.random.default_rng(seed)
    y = np.zeros(n, dtype=int)
    y[n // 3 : n // 3 + 6] = 1
    return Series(name, y, {d: rng.random(n) + 0.5 * y * (i + 1) for i, d in enumerate(detectors)})


def _quiet(**kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return evaluate(progress=False, **kwargs)


# ------------------------------------------------------------- the table
def test_table_columns_order_and_values_equal_direct_calls():
    data = [_series("s1", seed=1), _series("s2", seed=2, detectors=("b", "a", "c"))]
    metrics = ["pate", "auc_roc", ("pate", {"early_buffer": 5, "delay_buffer": 5})]
    table = evaluate(data, metrics=metrics, progress=False)
    assert list(table.columns) == COLUMNS + ["constant"]  # constant: where the scores are one value
    assert table["value"].dtype == np.float64
    expected = []
    for s in data:
        for d, scores in s.scores.items():
            for name, params, options in (
                ("pate", "", {}),
                ("auc_roc", "", {}),
                ("pate", "delay_buffer=5;early_buffer=5", {"early_buffer": 5, "delay_buffer": 5}),
            ):
                expected.append((s.name, d, name, get_metric(name)(s.y_true, scores, **options), params))
    got = list(table[COLUMNS].itertuples(index=False, name=None))
    assert [r[:3] + r[4:] for r in got] == [r[:3] + r[4:] for r in expected]
    np.testing.assert_array_equal(table["value"].to_numpy(), [r[3] for r in expected])


def test_empty_data_gives_an_empty_table_with_the_columns():
    table = evaluate([], metrics="pate", progress=False)
    assert list(table.columns) == COLUMNS and len(table) == 0


def test_dataframes_and_pairs_are_series():
    s = _series("x")
    frame = pd.DataFrame({"timestamp": range(len(s)), "label": s.y_true, **s.scores})
    frame.attrs["name"] = "x"
    by_frame = evaluate([frame], metrics="auc_pr", progress=False)
    by_pair = evaluate({"x": frame}, metrics="auc_pr", progress=False)
    by_series = evaluate([s], metrics="auc_pr", progress=False)
    pd.testing.assert_frame_equal(by_frame, by_series)
    pd.testing.assert_frame_equal(by_pair, by_series)


def test_inputs_are_never_modified():
    s = _series()
    y0, a0 = s.y_true.copy(), s.scores["a"].copy()
    evaluate([s], metrics=["pate", ("point_f1", {"contamination": 0.2})], progress=False)
    np.testing.assert_array_equal(s.y_true, y0)
    np.testing.assert_array_equal(s.scores["a"], a0)


# ------------------------------------------------------- metric requests
def test_params_are_canonical_and_round_trip():
    assert canonical_params({"b": 1.0, "a": True, "c": None}) == "a=True;b=1;c=None"
    assert canonical_params({"compat": True}, {"compat": False}) == "compat=True"
    assert canonical_params({"k": 1}, {"k": True}) == "k=1"
    assert canonical_params({"early_buffer": 100}, {"early_buffer": 100}) == ""
    text = canonical_params({"threshold": 0.25, "window": 20, "compat": False})
    assert parse_params(text) == {"threshold": 0.25, "window": 20, "compat": False}
    # Default values are left out whatever their spelling.
    assert metric_requests([("pate", {"early_buffer": 100.0})])[0].params == ""


def test_unknown_metric_and_option_name_close_names():
    with pytest.raises(ValueError, match="Unknown metric 'pate_f'.*'pate_f1'"):
        evaluate([_series()], metrics=["pate_f"])
    with pytest.raises(ValueError, match="no option 'windw'.*'window'"):
        evaluate([_series()], metrics=[("vus_pr", {"windw": 3})])
    with pytest.raises(ValueError, match="requested twice"):
        metric_requests(["pate", ("pate", {"early_buffer": 100})])
    with pytest.raises(ValueError, match="only applies to binary"):
        metric_requests([("pate", {"threshold": 0.5})])
    with pytest.raises(ValueError, match="no best-F1 oracle"):
        metric_requests([("pate_f1", {"threshold": "best"})])
    with pytest.raises(ValueError, match="contamination must be"):
        metric_requests([("point_f1", {"contamination": 1.5})])


def test_binary_metrics_need_an_explicit_strategy():
    s = _series()
    with pytest.raises(SeriesError, match="series 's', detector 'a'.*not 0/1.*threshold"):
        evaluate([s], metrics=["point_f1"], progress=False)
    # 0/1 scores are predictions as they are.
    binary = Series("b", s.y_true, {"p": s.y_true.copy()})
    assert evaluate([binary], metrics=["point_f1"], progress=False)["value"].tolist() == [1.0]


def test_thresholding_strategies_equal_their_definitions():
    s = _series(n=200, seed=3)
    y, a = s.y_true, s.scores["a"]
    table = evaluate(
        [s],
        progress=False,
        metrics=[
            ("point_f1", {"threshold": 0.7}),
            ("point_f1", {"contamination": 0.1}),
            ("point_f1", {"threshold": "best"}),
            ("pa_f1", {"threshold": "best"}),
        ],
    ).query("detector == 'a'")
    f1 = get_metric("point_f1")
    top = (a >= np.sort(a)[::-1][math.ceil(0.1 * a.size) - 1]).astype(int)
    assert top.sum() == 20
    assert table["params"].tolist() == ["threshold=0.7", "contamination=0.1", "threshold=best", "threshold=best"]
    assert table["value"].tolist() == [
        f1(y, (a >= 0.7).astype(int)),
        f1(y, top),
        get_metric("best_point_f1")(y, a),
        get_metric("best_pa_f1")(y, a),
    ]


# ------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "detector, scores, message",
    [
        ("short", np.zeros(59), "59 scores for 60 labels"),
        ("nan", np.r_[np.zeros(10), np.nan, np.zeros(49)], "index 10: the score is nan"),
    ],
)
def test_bad_scores_raise_or_record(detector, scores, message):
    s = _series()
    bad = Series("s", s.y_true, {"a": s.scores["a"], detector: scores})
    with pytest.raises(SeriesError, match=f"series 's', detector '{detector}'.*{message}"):
        evaluate([bad], metrics=["pate", "auc_pr"], progress=False)
    table = evaluate([bad], metrics=["pate", "auc_pr"], progress=False, on_error="record")
    assert list(table.columns) == COLUMNS + ["constant", "error"]
    good, broken = table[table.detector == "a"], table[table.detector == detector]
    assert (good["error"] == "").all() and good["value"].notna().all()
    assert len(broken) == 2 and broken["value"].isna().all()
    assert broken["error"].str.contains(message).all()


def test_labels_not_01_fail_the_whole_series():
    s = _series()
    y = s.y_true.copy()
    y[5] = 2
    bad = Series("bad", y, s.scores)
    with pytest.raises(SeriesError, match="series 'bad': index 5: label 2 is not 0 or 1"):
        evaluate([bad], metrics="pate", progress=False)
    table = evaluate([_series("ok"), bad], metrics=["pate", "auc_pr"], progress=False, on_error="record")
    rows = table[table.series == "bad"]
    assert rows[["detector", "metric"]].values.tolist() == [
        ["a", "pate"],
        ["a", "auc_pr"],
        ["b", "pate"],
        ["b", "auc_pr"],
    ]
    assert rows["value"].isna().all() and rows["error"].str.contains("label 2 is not 0 or 1").all()
    assert (table[table.series == "ok"]["error"] == "").all()


def test_undefined_metric_warnings_are_gathered_once_per_metric():
    from sklearn.exceptions import UndefinedMetricWarning

    flat = [
        Series(f"n{i}", np.zeros(30, int), {"a": np.random.default_rng(i).random(30), "b": np.ones(30)})
        for i in range(3)
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = evaluate(flat, metrics="pate", progress=False)
    assert len(table) == 6
    undefined = [w for w in caught if issubclass(w.category, UndefinedMetricWarning)]
    assert len(undefined) == 1
    assert "series 'n0', detector 'a' and 5 more" in str(undefined[0].message)


# --------------------------------------------------------------- readers
def test_csv_reader_matches_the_bundled_files():
    sources = read_csv_series(BUNDLED)
    assert [s.name for s in sources] == ["ec2_request_latency_system_failure", "exchange-2_cpc_results"]
    table = evaluate(BUNDLED, metrics="auc_roc", progress=False)
    frame = pd.read_csv(sources[1].path)
    detectors = [c for c in frame.columns if c not in ("timestamp", "value", "label")]
    rows = table[table.series == "exchange-2_cpc_results"]
    assert rows["detector"].tolist() == detectors
    for d, v in zip(detectors, rows["value"]):
        assert v == get_metric("auc_roc")(frame["label"].to_numpy(), frame[d].to_numpy())


def test_csv_reader_names_file_line_and_column(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "one.csv").write_text("label,a,b\n0,0.1,0.2\n1,0.9,x\n0,0.2,0.1\n")
    (tmp_path / "two.csv").write_text("label,a\n0,0.1\n2,0.9\n")
    sources = read_csv_series(tmp_path)
    assert [s.name for s in sources] == ["sub/one", "two"]
    with pytest.raises(SeriesError, match=r"series 'sub/one', detector 'b' \(.*one.csv\): line 3, column 'b': 'x'"):
        evaluate(sources, metrics="auc_pr", progress=False)
    table = evaluate(sources, metrics="auc_pr", progress=False, on_error="record")
    assert table[["series", "detector"]].values.tolist() == [["sub/one", "a"], ["sub/one", "b"], ["two", ""]]
    assert "line 3, column 'label': label 2 is not 0 or 1" in table["error"].iloc[2]
    with pytest.raises(FileNotFoundError, match="no such file"):
        read_csv_series(tmp_path / "missing")


def _tree(root: Path, series: dict, detectors: dict, fmt="npy"):
    (root / "labels").mkdir()
    for name, y in series.items():
        np.save(root / "labels" / f"{name}.npy", np.asarray(y))
    for det, per_series in detectors.items():
        (root / "scores" / det).mkdir(parents=True)
        for name, s in per_series.items():
            path = root / "scores" / det / f"{name}.{fmt}"
            if fmt == "npy":
                np.save(path, np.asarray(s))
            elif fmt == "txt":
                path.write_text("\n".join(repr(float(v)) for v in s) + "\n")
            else:
                pd.DataFrame({"score": s}).to_csv(path, index=False)
    return root / "labels", root / "scores"


@pytest.mark.parametrize("fmt", ["npy", "txt", "csv"])
def test_label_score_trees_equal_in_memory_series(tmp_path, fmt):
    s1, s2 = _series("s1", seed=4), _series("s2", seed=5)
    labels, scores = _tree(
        tmp_path,
        {"s1": s1.y_true, "s2": s2.y_true},
        {d: {"s1": s1.scores[d], "s2": s2.scores[d]} for d in ("a", "b")},
        fmt,
    )
    from_files = evaluate(read_label_score_trees(labels, scores), metrics=["pate", "auc_pr"], progress=False)
    in_memory = evaluate([s1, s2], metrics=["pate", "auc_pr"], progress=False)
    pd.testing.assert_frame_equal(from_files, in_memory)


def test_label_score_trees_report_what_is_missing_by_name(tmp_path):
    s = _series("s1")
    labels, scores = _tree(
        tmp_path,
        {"s1": s.y_true, "s2": s.y_true},
        {"a": {"s1": s.scores["a"], "s2": s.scores["a"], "s3": s.scores["a"]}, "b": {"s1": s.scores["b"]}},
    )
    sources = read_label_score_trees(labels, scores)
    assert [x.name for x in sources] == ["s1", "s2", "s3"]
    with pytest.raises(SeriesError, match="series 's2', detector 'b': no score file"):
        evaluate(sources, metrics="auc_pr", progress=False)
    table = evaluate(sources, metrics="auc_pr", progress=False, on_error="record")
    assert table[["series", "detector"]].values.tolist() == [
        ["s1", "a"],
        ["s1", "b"],
        ["s2", "a"],
        ["s2", "b"],
        ["s3", "a"],
        ["s3", "b"],
    ]
    errors = dict(zip(zip(table.series, table.detector), table.error))
    assert errors[("s1", "a")] == "" and errors[("s2", "a")] == ""
    assert "no score file" in errors[("s2", "b")]
    assert "series 's3': no label file" in errors[("s3", "a")] and "detector(s) a" in errors[("s3", "a")]


# ------------------------------------------------------- output / resume
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_output_is_the_returned_table_and_resume_skips_done_rows(tmp_path, suffix):
    data = [_series(f"s{i}", seed=i) for i in range(4)]
    out = tmp_path / f"results{suffix}"
    full = evaluate(data, metrics=["pate", "auc_pr"], progress=False, output=out)
    pd.testing.assert_frame_equal(read_output(out), full)
    # The analyses' reader takes the file as it is.
    pd.testing.assert_frame_equal(read_results(out), full, check_dtype=False)
    # A done row is not computed again: a marked value survives the resume,
    # and a deleted row comes back with its value.
    partial = full.drop(index=[5]).copy()
    partial.loc[0, "value"] = 123.0
    partial.to_parquet(out) if suffix == ".parquet" else partial.to_csv(out, index=False)
    resumed = evaluate(data, metrics=["pate", "auc_pr"], progress=False, output=out, resume=True)
    expected = full.copy()
    expected.loc[0, "value"] = 123.0
    pd.testing.assert_frame_equal(resumed, expected)
    pd.testing.assert_frame_equal(read_output(out), expected)
    assert sorted(os.listdir(tmp_path)) == [out.name]  # no temporary file left


def test_ctrl_c_keeps_complete_series_and_resume_finishes(tmp_path):
    data = [_series(f"s{i}", seed=i) for i in range(5)]
    out = tmp_path / "results.csv"

    def interrupt(done, total):
        assert total == 5
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(EvaluationInterrupted) as info:
        evaluate(data, metrics=["pate", "auc_pr"], progress=interrupt, output=out)
    assert info.value.series_done == 2 and info.value.rows == 8
    saved = read_output(out)
    assert saved["series"].unique().tolist() == ["s0", "s1"] and len(saved) == 8
    resumed = evaluate(data, metrics=["pate", "auc_pr"], progress=False, output=out, resume=True)
    pd.testing.assert_frame_equal(resumed, evaluate(data, metrics=["pate", "auc_pr"], progress=False))


def test_an_error_keeps_the_series_done_before_it(tmp_path):
    good = [_series(f"s{i}", seed=i) for i in range(2)]
    bad = Series("bad", good[0].y_true, {"a": np.zeros(3)})
    out = tmp_path / "results.csv"
    with pytest.raises(SeriesError):
        evaluate(good + [bad], metrics="auc_pr", progress=False, output=out)
    assert read_output(out)["series"].unique().tolist() == ["s0", "s1"]


def test_output_and_resume_arguments_are_checked(tmp_path):
    with pytest.raises(ValueError, match="resume=True needs output"):
        evaluate([_series()], resume=True)
    with pytest.raises(ValueError, match=r"\.csv, \.csv\.gz or \.parquet"):
        evaluate([_series()], output=tmp_path / "r.txt")
    with pytest.raises(ValueError, match="on_error"):
        evaluate([_series()], on_error="ignore")


# ------------------------------------------------------------ parallelism
@pytest.mark.slow  # loky worker processes
def test_n_jobs_gives_the_same_table_in_the_same_order():
    data = [_series(f"s{i}", n=80 + 10 * i, seed=i) for i in range(6)]
    metrics = ["pate", "auc_pr", ("pate_f1", {"contamination": 0.1})]
    one = evaluate(data, metrics=metrics, progress=False, n_jobs=1)
    two = evaluate(data, metrics=metrics, progress=False, n_jobs=2)
    pd.testing.assert_frame_equal(one, two)


@pytest.mark.slow  # loky worker processes
def test_nab_subset_is_identical_with_two_processes(nab_dir):
    nab = nab_dir
    sources = read_csv_series(nab / "realAdExchange")
    metrics = ["pate", "vus_pr", "best_point_f1"]
    one = _quiet(data=sources, metrics=metrics, n_jobs=1)
    two = _quiet(data=sources, metrics=metrics, n_jobs=2)
    assert len(one) == 6 * 16 * 3
    pd.testing.assert_frame_equal(one, two)


def test_processes_times_numba_threads_never_exceed_the_cores():
    import numba
    from joblib import Parallel, cpu_count, delayed, parallel_config

    from pate.benchmark._evaluate import _joblib_threads
    from pate.benchmark._task import _cap_threads

    for n_jobs in (1, 2, 4):
        threads = _joblib_threads(n_jobs)
        assert n_jobs * threads <= max(cpu_count(), n_jobs)
        with parallel_config(backend="loky", inner_max_num_threads=threads):
            seen = Parallel(n_jobs=n_jobs)(delayed(numba.get_num_threads)() for _ in range(2 * n_jobs))
        assert max(seen) <= threads
    before = numba.get_num_threads()
    try:
        _cap_threads(1)
        assert numba.get_num_threads() == 1
    finally:
        numba.set_num_threads(before)


def test_progress_bar_counts_series_on_stderr(capsys):
    evaluate([_series(f"s{i}", seed=i) for i in range(3)], metrics="auc_pr", progress=True)
    err = capsys.readouterr().err
    assert "/3 [" in err and "series/s" in err  # tqdm's bar: done/total, rate
    evaluate([_series()], metrics="auc_pr")  # progress=None: not a terminal, so no bar
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "module, kwargs, extra",
    [
        ("distributed", {"scheduler": "dask"}, "pate-eval[dask]"),
        ("pyarrow", {"output": "results.parquet"}, "pate-eval[parquet]"),
    ],
)
def test_a_missing_extra_names_its_pip_install_before_any_work(module, kwargs, extra, monkeypatch, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, module, None)  # as if not installed
    monkeypatch.chdir(tmp_path)
    seen = []
    with pytest.raises(ImportError, match=re.escape(f'pip install "{extra}"')):
        evaluate([_series()], metrics="auc_pr", progress=lambda done, total: seen.append(done), **kwargs)
    assert seen == [] and os.listdir(tmp_path) == []


def test_undefined_policy_reaches_every_metric_and_shows_in_params():
    from pate.benchmark import Series, evaluate

    quiet = Series("quiet", [0, 0, 0, 0], {"det": [0.1, 0.2, 0.3, 0.4]})  # no labelled anomaly
    table = evaluate([quiet], metrics=["pate", "auc_pr"], undefined="nan", progress=False)
    assert table["params"].tolist() == ["undefined=nan", "undefined=nan"]
    assert table["value"].isna().all()
    zero = evaluate([quiet], metrics=["auc_pr"], undefined=0.0, progress=False)
    assert zero["value"].tolist() == [0.0]
    with pytest.raises(ValueError, match="undefined"):
        evaluate([quiet], metrics=["pate"], undefined="zero", progress=False)
