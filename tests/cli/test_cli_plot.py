"""``pate plot zones|curve`` on the bundled demo data, run in-process through ``pate.cli.main``."""

from __future__ import annotations

import functools

import pytest
from helpers import REPO

pytest.importorskip("matplotlib", reason="pate plot needs the plot extra (matplotlib)")

DEMO = REPO / "pate" / "data" / "ec2_request_latency_system_failure.csv.gz"


@pytest.fixture
def run(cli):
    """``pate ARGS`` in this process (tests/conftest.py ``cli``), from the repository root by default."""
    return functools.partial(cli, "plot", cwd=REPO)


def test_zones_png_from_the_demo_data(run, tmp_path):
    out = tmp_path / "zones.png"
    r = run("zones", DEMO, "--score", "numenta", "--threshold", "0.5", "-o", out)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_curve_svg_from_the_demo_data(run, tmp_path):
    out = tmp_path / "curve.svg"
    r = run("curve", DEMO, "--score", "knncad", "--n-buffer-splits", "2", "--n-thresholds", "none", "-o", out)
    assert r.returncode == 0, r.stderr
    text = out.read_text()
    assert text.startswith("<?xml") and "PATE" in text


@pytest.mark.parametrize(
    "args, status, message",
    [
        (["zones", DEMO, "--score", "nope", "-o", "{tmp}/x.png"], 1, "no column 'nope'"),
        (["zones", DEMO, "--score", "numenta", "--label", "value", "-o", "{tmp}/x.png"], 1, "column 'value'"),
        (
            ["zones", DEMO, "--score", "numenta", "--early-buffer", "-1", "-o", "{tmp}/x.png"],
            2,
            "early_buffer must be >= 0",
        ),
        (["curve", DEMO, "--score", "numenta", "-o", "{tmp}/x"], 2, "has no suffix"),
        (["curve", DEMO, "--score", "numenta", "-o", "{tmp}/x.xyz"], 2, "not supported"),
        (["curve", DEMO, "--score", "numenta", "-o", "{tmp}/missing/x.png"], 2, "does not exist"),
        (["curve", DEMO, "--score", "numenta", "--n-thresholds", "many", "-o", "{tmp}/x.png"], 2, "--n-thresholds"),
        (["curve", "no_such.csv", "--score", "numenta", "-o", "{tmp}/x.png"], 2, "no such file"),
        (["curve", DEMO, "-o", "{tmp}/x.png"], 2, "--score"),
    ],
)
def test_bad_input_says_what_is_wrong(run, tmp_path, args, status, message):
    r = run(*[str(a).replace("{tmp}", str(tmp_path)) for a in args])
    assert r.returncode == status, r.stderr
    assert message in r.stderr
    assert not any(tmp_path.iterdir())  # nothing written


def test_plot_is_listed_in_help(cli):
    r = cli("--help")
    assert "plot" in r.stdout
