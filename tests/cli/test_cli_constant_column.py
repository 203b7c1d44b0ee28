"""The plain (wide) table of ``pate evaluate`` and its ``--output`` files carry ``constant`` too (issue 28):
``pate compare`` of such a file flags a constant detector instead of saying it cannot."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import REPO

DEMO = REPO / "pate" / "data"


@pytest.mark.parametrize("suffix", ["csv", "json", "md"])
def test_every_output_format_has_the_constant_column(cli, tmp_path, suffix):
    out = tmp_path / f"r.{suffix}"
    done = cli("evaluate", DEMO, "--metric", "pate_ap", "--output", out, "--quiet")
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    if suffix == "csv":
        table = pd.read_csv(out, keep_default_na=False)
        assert list(table.columns) == ["series", "score", "pate_ap", "constant"]
        flags = table.groupby("score")["constant"].all()
        assert bool(flags["null"]) and not flags.drop("null").any()
    elif suffix == "json":
        rows = pd.read_json(out)
        assert rows.loc[rows["score"] == "null", "constant"].all()
    else:
        assert text.startswith("| series | score | pate_ap | constant |")


def test_compare_of_the_plain_output_flags_the_constant_detector(cli, tmp_path):
    out = tmp_path / "r.csv"
    assert cli("evaluate", DEMO, "--metric", "pate", "--output", out, "--quiet").returncode == 0
    report = cli("compare", out)
    assert report.returncode == 0, report.stderr
    assert "has no 'constant' column" not in report.stderr
    assert "detector 'null' ranks" in report.stderr and "trivial reference" in report.stderr
