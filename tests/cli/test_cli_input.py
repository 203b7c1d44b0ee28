"""What ``pate evaluate`` reads: the benchmark's directory rule, standard input as a source like any file."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma

import numpy as np
import pandas as pd

from pate.benchmark import evaluate, read_csv_series

N = 80
LABEL = np.zeros(N, dtype=int)
LABEL[30:40] = 1


def _text(seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"label": LABEL, "a": np.round(rng.random(N) + LABEL, 6), "b": np.round(rng.random(N), 6)})
    return frame.to_csv(index=False).encode()


def _tree(root):
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "top.csv").write_bytes(_text(0))
    (root / "z.csv.gz").write_bytes(gzip.compress(_text(1)))
    (root / "sub" / "one.csv.bz2").write_bytes(bz2.compress(_text(2)))
    (root / "sub" / "deeper" / "two.csv.xz").write_bytes(lzma.compress(_text(3)))
    (root / "notes.txt").write_text("not a series\n")
    return root


def test_pate_evaluate_dir_and_read_csv_series_see_the_same_files(tmp_path, cli):
    root = _tree(tmp_path)
    sources = read_csv_series(root)
    assert [s.name for s in sources] == ["sub/deeper/two", "sub/one", "top", "z"]
    wide = cli("evaluate", root, "--format", "csv", "--quiet")
    assert wide.returncode == 0, wide.stderr
    frame = pd.read_csv(io.StringIO(wide.stdout))
    # every mode names a series the same way: its path below the directory, without the suffix
    assert list(dict.fromkeys(frame["series"])) == [s.name for s in sources]
    tidy = cli("evaluate", root, "--tidy", "--format", "csv", "--quiet")
    assert tidy.returncode == 0, tidy.stderr
    printed = pd.read_csv(io.StringIO(tidy.stdout), keep_default_na=False)
    library = evaluate(sources, progress=False)
    assert printed["series"].tolist() == library["series"].tolist()
    assert printed["value"].tolist() == library["value"].tolist() == frame["pate"].tolist()


def test_standard_input_is_a_source_like_a_file(tmp_path, cli):
    path = tmp_path / "s.csv"
    path.write_bytes(_text(4))
    from_file = cli("evaluate", path, "--tidy", "--format", "csv", "--quiet")
    from_stdin = cli("evaluate", "-", "--tidy", "--format", "csv", "--quiet", stdin=gzip.compress(_text(4)))
    assert from_file.returncode == from_stdin.returncode == 0, from_stdin.stderr
    values = [pd.read_csv(io.StringIO(r.stdout))["value"].tolist() for r in (from_file, from_stdin)]
    assert values[0] == values[1]
    assert pd.read_csv(io.StringIO(from_stdin.stdout))["series"].unique().tolist() == ["<stdin>"]


def test_two_files_with_one_series_name_are_a_usage_error(tmp_path, cli):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "s.csv").write_bytes(_text(5))
    (tmp_path / "b" / "s.csv").write_bytes(_text(6))
    out = cli("evaluate", tmp_path / "a" / "s.csv", tmp_path / "b" / "s.csv")
    assert out.returncode == 2 and "give the same series name 's'" in out.stderr
