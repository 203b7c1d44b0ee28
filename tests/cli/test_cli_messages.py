"""What the command says reads as the command's own words: no typos, no numpy reprs, no private
module paths, and the command's flags (``--params``), not the library's keywords (``params=``)."""

from __future__ import annotations

import re

import pytest

LABELS = [0, 0, 1, 1, 0, 0, 0, 1, 0, 0]
SCORES = [0.1, 0.2, 0.9, 0.8, 0.1, 0.3, 0.2, 0.7, 0.1, 0.2]
# what must never reach a user: numpy reprs, private modules, doubled plurals, Python keyword hints
BAD = re.compile(
    r"np\.(float|int|bool|str_)\w*\(|array\(|dtype=|pate\.(\w+\.)*_\w+|paramss|"
    r"\b(params|metric|missing|threshold)=\s*(to|\(|NAME)|\b(null|interpolation|missing)='|list_metrics\(\)|"
    r"pate_f1_score|take\(s\)|\['\w+', '"
)


@pytest.fixture
def files(tmp_path):
    series = tmp_path / "s.csv"
    series.write_text("label,score\n" + "".join(f"{y},{s}\n" for y, s in zip(LABELS, SCORES)))
    bad = tmp_path / "bad.csv"
    bad.write_text("label,score\n0,0.1\n1,nan\n0,0.3\n")
    results = tmp_path / "results.csv"
    rows = [
        f"s{i},{d},pate,{v},{p}" for p in ("", "early_buffer=10") for i in (1, 2) for d, v in (("a", 0.5), ("b", 0.4))
    ]
    results.write_text("series,detector,metric,value,params\n" + "\n".join(rows) + "\n")
    return series, bad, results


def test_a_table_with_several_params_strings_asks_for_params_by_its_flag(cli, files):
    out = cli("compare", files[2])
    assert out.returncode == 1
    assert "several params strings" in out.stderr and "choose one with --params" in out.stderr
    assert "paramss" not in out.stderr and "params=" not in out.stderr


def test_threshold_with_only_score_metrics_is_a_usage_error_not_ignored(cli, files):
    out = cli("evaluate", files[0], "--metric", "pate,vus_pr", "--threshold", "0.5")
    assert out.returncode == 2
    assert "--threshold 0.5: no selected metric takes binary predictions" in out.stderr
    assert "--metric pate,pate_f1" in out.stderr
    assert cli("evaluate", files[0], "--metric", "pate,pate_f1", "--threshold", "0.5").returncode == 0


@pytest.mark.parametrize(
    "args",
    [
        ("compare", "RESULTS"),
        ("evaluate", "BAD"),
        ("evaluate", "SERIES", "--metric", "vus_pr", "--option", "window=-1"),
        ("evaluate", "SERIES", "--option", "n_thresholds=1.5"),
        ("evaluate", "SERIES", "--metric", "point_f1"),
        ("evaluate", "SERIES", "--metric", "pate", "--threshold", "0.5"),
        ("evaluate", "SERIES", "--metric", "nope"),
        ("plot", "zones", "SERIES", "--score", "nope", "-o", "x.png"),
        ("evaluate", "CONSTANT"),
        ("evaluate", "SERIES", "--metric", "pate_f1", "--threshold", "0.5", "--chance", "9", "--null", "permutation"),
        ("compare", "SERIES"),
        ("nab", "SERIES", "--profile", "nope"),
        ("evaluate", "SERIES", "--metric", "pate_f1", "--thresholds", "nope.json"),
    ],
)
def test_messages_use_the_commands_words(cli, files, tmp_path, args):
    constant = tmp_path / "constant.csv"
    constant.write_text("label,score\n" + "".join(f"{y},0.5\n" for y in LABELS))
    paths = {"SERIES": files[0], "BAD": files[1], "RESULTS": files[2], "CONSTANT": constant}
    out = cli(*(paths.get(a, a) for a in args), cwd=tmp_path)
    assert (out.returncode != 0 or args[1] == "CONSTANT") and out.stderr.startswith("pate")  # CONSTANT: a warning
    assert not BAD.search(out.stderr), out.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ("evaluate", "CONSTANT"),
            "rank detectors with --metric pate_ap (the step rule), or give binary predictions "
            "to --metric pate_f1 (with --threshold)",
        ),
        (("evaluate", "SERIES", "--metric", "nope"), "`pate metrics` lists every name"),
        (
            (
                "evaluate",
                "SERIES",
                "--metric",
                "pate_f1",
                "--threshold",
                "0.5",
                "--chance",
                "9",
                "--null",
                "permutation",
            ),
            "--null permutation needs metrics of continuous scores; 'pate_f1' takes binary predictions",
        ),
        (("compare", "SERIES"), "its columns are label, score."),
        (("nab", "SERIES", "--profile", "nope"), "or give the weights: --profile NAME=A_TP,A_FP,A_FN"),
    ],
)
def test_library_messages_reach_the_command_in_its_words(cli, files, tmp_path, args, words):
    constant = tmp_path / "constant.csv"
    constant.write_text("label,score\n" + "".join(f"{y},0.5\n" for y in LABELS))
    paths = {"SERIES": files[0], "CONSTANT": constant}
    out = cli(*(paths.get(a, a) for a in args), cwd=tmp_path)
    assert words in out.stderr, out.stderr


def test_numpy_scalars_read_as_python_values_in_library_messages():
    import numpy as np

    from pate import pate_score
    from pate.metrics import nab_score

    with pytest.raises(ValueError, match=r"got 'x'\.$"):
        pate_score([0, 1], [0.1, 0.9], undefined=np.str_("x"))
    with pytest.raises(ValueError, match=r"Unknown NAB profile 'strict'\."):
        nab_score([0, 1], [0, 1], profile=np.str_("strict"))
