"""``pate evaluate DIR`` on a folder laid out as NAB's: a CSV that is not a series (index.csv) is skipped with a
note naming it; ``--strict`` makes it an error; a file named on the command line is always read."""

from __future__ import annotations

import gzip

import pytest


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "nab"
    (root / "realTest").mkdir(parents=True)
    (root / "index.csv").write_text("category,series,rows,n_windows,labelled_points\nrealTest,s,6,1,2\n")
    body = "timestamp,value,label,det\n" + "".join(f"t{i},{i},{int(i in (2, 3))},{i / 10}\n" for i in range(6))
    (root / "realTest" / "s.csv.gz").write_bytes(gzip.compress(body.encode()))
    return root


@pytest.mark.parametrize("runner", [(), ("--tidy",)])
def test_a_csv_without_the_label_column_is_skipped_with_a_note(cli, folder, runner):
    out = cli("evaluate", folder, "--metric", "pate_ap", *runner)
    assert out.returncode == 0, out.stderr
    assert f"{folder / 'index.csv'} skipped: no label column 'label', not a series" in out.stderr
    assert "index" not in out.stdout and "det" in out.stdout


def test_strict_makes_it_an_error(cli, folder):
    out = cli("evaluate", folder, "--metric", "pate_ap", "--strict")
    assert out.returncode == 1 and "index.csv: no label column 'label'" in out.stderr


def test_a_file_named_on_the_command_line_is_read(cli, folder):
    out = cli("evaluate", folder / "index.csv", "--metric", "pate_ap")
    assert out.returncode == 1 and "no label column 'label'" in out.stderr


def _second_category(folder):
    (folder / "realMore").mkdir()
    body = "timestamp,value,label,det\n" + "".join(f"t{i},{i},{int(i in (1, 4))},{(5 - i) / 10}\n" for i in range(6))
    (folder / "realMore" / "s.csv").write_text(body)
    return folder


def test_series_are_named_by_their_relative_path_in_every_mode(cli, folder, tmp_path):
    _second_category(folder)
    wide = cli("evaluate", folder, "--metric", "pate_ap", "--format", "csv", "--quiet")
    tidy = cli("evaluate", folder, "--metric", "pate_ap", "--format", "csv", "--tidy", "--quiet")
    runner = cli("evaluate", folder, "--metric", "pate_ap", "--format", "csv", "--jobs", "1", "--quiet")
    names = ["realMore/s", "realTest/s"]  # the same file name in two categories: two series
    for out in (wide, tidy, runner):
        assert out.returncode == 0, out.stderr
        assert [line.split(",")[0] for line in out.stdout.splitlines()[1:]] == names


def test_pate_nab_takes_nabs_folder_as_it_is(cli, folder):
    _second_category(folder)
    out = cli("nab", folder, "--profile", "standard", "--format", "csv")
    assert out.returncode == 0, out.stderr
    assert f"{folder / 'index.csv'} skipped: no label column 'label', not a series (--strict: an error)" in out.stderr
    strict = cli("nab", folder, "--strict")
    assert strict.returncode == 1 and "index.csv): no label column 'label'" in strict.stderr


def test_label_and_score_trees_are_searched_like_a_csv_directory(cli, tmp_path):
    import numpy as np

    from pate.benchmark import read_label_score_trees

    for d in ("labels/catA", "labels/catB", "scores/det/catA", "scores/det/catB"):
        (tmp_path / d).mkdir(parents=True)
    y = np.array([0, 0, 1, 1, 0, 0])
    for cat in ("catA", "catB"):
        np.save(tmp_path / "labels" / cat / "s.npy", y)
        np.save(tmp_path / "scores" / "det" / cat / "s.npy", np.linspace(0, 1, 6))
    sources = read_label_score_trees(tmp_path / "labels", tmp_path / "scores")
    assert [s.name for s in sources] == ["catA/s", "catB/s"]
    out = cli("evaluate", "--labels", tmp_path / "labels", "--scores", tmp_path / "scores", "--format", "csv",
              "--tidy", "--quiet")  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert [line.split(",")[0] for line in out.stdout.splitlines()[1:]] == ["catA/s", "catB/s"]
