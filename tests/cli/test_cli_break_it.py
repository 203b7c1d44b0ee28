"""The ``pate`` command under attack (issue 29: items 6, 7, 8, 9, 10, 11, 12 and the messages).

What a break-it test found on the command line: an output that overwrote
an input or replaced a symlink, a failing run that left a header-only file,
files created 0600, tracebacks (a missing output directory found after the
work, absurd picture sizes, codecs that are not text encodings, endless
standard input, names with two ``$``), a suffix ignored, unclear messages.
Each test failed before the fix. In-process through the ``cli`` fixture,
except the two that need two processes.
"""

from __future__ import annotations

import functools
import io
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import REPO

N = 200
LABEL = np.zeros(N, dtype=int)
LABEL[50:60] = 1
RNG = np.random.default_rng(3)


def frame(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "timestamp": np.arange(N),
            "label": LABEL,
            "det_a": np.round(rng.random(N) + 0.5 * LABEL, 4),
            "det_b": np.round(rng.random(N), 4),
        }
    )


@pytest.fixture
def data(tmp_path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for i in range(3):
        frame(i).to_csv(folder / f"s{i}.csv", index=False)
    return folder


@pytest.fixture
def run(cli, tmp_path):
    return functools.partial(cli, cwd=tmp_path)


def one_line_error(out, status=2):
    assert out.returncode == status, out.stderr
    assert "Traceback" not in out.stderr
    return out.stderr.strip().splitlines()[-1]


# -------------------------------------------------------------- item 7
@pytest.mark.parametrize("extra", [[], ["--tidy"], ["--tidy", "--format", "csv"]])
def test_an_output_equal_to_an_input_is_refused_and_the_input_kept(run, data, extra):
    target = data / "s1.csv"
    before = target.read_bytes()
    out = run("evaluate", data, "--output", target, "--quiet", *extra)
    assert "is also an input file" in one_line_error(out)
    assert target.read_bytes() == before


def test_a_failing_tidy_run_keeps_the_existing_output(run, data, tmp_path):
    out = tmp_path / "r.csv"
    assert run("evaluate", data, "--tidy", "--output", out, "--quiet").returncode == 0
    before = out.read_bytes()
    bad = tmp_path / "bad"
    bad.mkdir()
    frame().assign(label=np.where(LABEL == 1, 2, 0)).to_csv(bad / "x.csv", index=False)
    failed = run("evaluate", bad, "--tidy", "--output", out, "--quiet")
    assert failed.returncode == 1 and "is not 0 or 1" in failed.stderr
    assert out.read_bytes() == before  # was: the header only


@pytest.mark.parametrize("extra", [["--tidy"], ["--tidy", "--jobs", "1"], []])
def test_a_symlinked_output_is_written_through(run, data, tmp_path, extra):
    store = tmp_path / "store"
    store.mkdir()
    name = "r.csv" if extra else "r.txt"
    (store / name).write_text("old")
    link = tmp_path / name
    link.symlink_to(store / name)
    assert run("evaluate", data, "--output", link, "--quiet", *extra).returncode == 0
    assert link.is_symlink()
    assert "det_a" in (store / name).read_text()


# -------------------------------------------------------------- item 8
@pytest.mark.parametrize("extra", [["--tidy"], []])
def test_outputs_follow_the_umask(run, data, tmp_path, extra):
    out = tmp_path / ("r.csv" if extra else "r.txt")
    previous = os.umask(0o022)
    try:
        assert run("evaluate", data, "--output", out, "--quiet", *extra).returncode == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644  # was 0o600 for the results file


# -------------------------------------------------------------- item 12
def test_the_output_suffix_is_honoured_or_refused(run, data, tmp_path):
    assert "add --tidy" in one_line_error(run("evaluate", data, "--output", "x.parquet", "--quiet"))
    assert "not a .xlsx file" in one_line_error(run("evaluate", data, "--output", "x.xlsx", "--quiet"))
    assert "means --format csv" in one_line_error(run("evaluate", data, "--output", "x.csv", "--format", "json"))
    assert "names no format" in one_line_error(run("evaluate", data, "--output", "x.dat", "--quiet"))
    assert not any((tmp_path / n).exists() for n in ("x.parquet", "x.xlsx", "x.csv", "x.dat"))
    assert run("evaluate", data, "--output", "x.json", "--quiet").returncode == 0
    assert [r["score"] for r in json.loads((tmp_path / "x.json").read_text())] == ["det_a", "det_b"] * 3
    assert run("evaluate", data, "--output", "x.csv", "--quiet").returncode == 0
    assert pd.read_csv(tmp_path / "x.csv").columns.tolist() == ["series", "score", "pate", "constant"]
    assert run("evaluate", data, "--output", "x.dat", "--format", "markdown", "--quiet").returncode == 0
    assert (tmp_path / "x.dat").read_text().startswith("| series | score | pate | constant |")


def test_compare_output_follows_its_suffix(run, data, tmp_path):
    assert run("evaluate", data, "--output", "r.csv", "--quiet").returncode == 0
    assert run("compare", "r.csv", "--output", "report.json").returncode == 0
    assert json.loads((tmp_path / "report.json").read_text())["metric"] == "pate"
    assert "is the results file being read" in one_line_error(run("compare", "r.csv", "--output", "r.csv"))


# -------------------------------------------------------------- item 9 (command line)
def test_a_billion_thresholds_on_200_rows_finish(run, data):
    out = run("evaluate", data / "s0.csv", "--n-thresholds", "1000000000", "--format", "json", "--quiet")
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)) == 2


def test_an_absurd_number_of_buffer_splits_is_refused(run, data):
    line = one_line_error(run("evaluate", data, "--n-buffer-splits", "100000"))
    assert "n_buffer_splits must be at most 1000, got 100000" in line


def test_jobs_beyond_the_cores_are_capped_with_a_warning(run, data):
    out = run("evaluate", data, "--jobs", "1000000", "--tidy", "--format", "csv", "--quiet")
    assert out.returncode == 0, out.stderr
    assert "more than the" in out.stderr and "usable cores" in out.stderr
    assert "Numeric literal" not in out.stderr


# -------------------------------------------------------------- item 10
def test_compare_checks_its_output_files_before_the_work(run, data):
    assert run("evaluate", data, "--output", "r.csv", "--quiet").returncode == 0
    for flag, path in (("--plot", "nodir/cd.png"), ("--output", "nodir/r.txt")):
        line = one_line_error(run("compare", "r.csv", flag, path))
        assert f"{flag} {path}: the directory 'nodir' does not exist" in line


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "1e6", "0"])
def test_plot_refuses_absurd_sizes(run, data, value):
    for flag in ("--width", "--height"):
        out = run("plot", "zones", data / "s0.csv", "--score", "det_a", "--output", "z.png", flag, value)
        assert "give the size in inches" in one_line_error(out)


@pytest.mark.parametrize("dpi", ["100000", "0", "nan"])
def test_plot_refuses_absurd_resolutions(run, data, dpi):
    out = run("plot", "zones", data / "s0.csv", "--score", "det_a", "--output", "z.png", "--dpi", dpi)
    assert "give a resolution from 1 to 2400" in one_line_error(out)


def test_plot_refuses_a_raster_picture_too_large_to_draw(run, data):
    out = run(
        "plot", "zones", data / "s0.csv", "--score", "det_a", "--output", "z.png", "--width", "100", "--dpi", "1000"
    )
    assert "a raster picture has at most 65,535" in one_line_error(out)


@pytest.mark.parametrize("codec", ["rot13", "hex", "zlib", "base64"])
def test_codecs_that_are_not_text_encodings_are_refused(run, data, codec):
    line = one_line_error(run("evaluate", data, "--encoding", codec))
    assert "is a codec but not a text encoding" in line


class Endless(io.RawIOBase):
    """Standard input that never ends."""

    def readable(self):
        return True

    def readinto(self, buffer):
        line = b"0,0.5\n" * (len(buffer) // 6)
        buffer[: len(line)] = line
        return len(line)


def test_endless_standard_input_is_refused_past_a_bound(cli, monkeypatch, tmp_path):
    import pate.cli._input as cli_input

    monkeypatch.setattr(cli_input, "MAX_STDIN_BYTES", 5_000_000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
    from pate.cli import main

    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    status = main(["evaluate", "-"])
    assert status == 2
    assert "standard input holds more than 5,000,000 bytes (or never ends)" in err.getvalue()


def test_names_with_dollars_are_drawn_as_they_are(run, tmp_path, close_figures):
    rng = np.random.default_rng(1)
    names = ["a$b$c", "$\\x$", "plain", "$$"]
    rows = [(f"s{i}", d, "pate", float(rng.random())) for i in range(6) for d in names]
    pd.DataFrame(rows, columns=["series", "detector", "metric", "value"]).to_csv(tmp_path / "r.csv", index=False)
    out = run("compare", "r.csv", "--plot", "cd.png")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "cd.png").stat().st_size > 0
    frame().to_csv(tmp_path / "s.csv", index=False)
    out = run("plot", "curve", "s.csv", "--score", "det_a", "--title", "$\\x$ detector", "--output", "c.png")
    assert out.returncode == 0, out.stderr


# ------------------------------------------------------------ messages
def test_sep_equal_to_the_default_decimal_mark_says_so(run, data):
    line = one_line_error(run("evaluate", data, "--sep", "."))
    assert line == (
        "pate: usage error: --sep '.' is also the decimal mark (--decimal '.', the default): give another "
        "separator, or another decimal mark (e.g. --decimal ,)."
    )


def test_long_option_values_are_shortened_in_messages(run, data):
    value = "x" * 100_000
    line = one_line_error(run("evaluate", data, "--option", f"early_buffer={value}"))
    # text may be a time span (early_buffer="30min"): this one is not
    assert len(line) < 400 and "early_buffer='xxxx" in line and "is not a time span pandas understands" in line


def test_cr_only_line_ends_are_read(run, data, tmp_path):
    text = (data / "s0.csv").read_text().replace("\n", "\r")
    (tmp_path / "cr.csv").write_bytes(text.encode())
    crlf = run("evaluate", data / "s0.csv", "--format", "json", "--quiet")
    cr = run("evaluate", tmp_path / "cr.csv", "--format", "json", "--quiet")
    assert cr.returncode == 0, cr.stderr
    assert [r["pate"] for r in json.loads(cr.stdout)] == [r["pate"] for r in json.loads(crlf.stdout)]


@pytest.mark.parametrize(
    "content, message",
    [
        ("file,score,pate\n", "holds a header line (file, score, pate) and no rows"),
        ("file,score,pate\na,x,0.5\na,y,0.25,9\n", "line 3 has 4 fields, the header line 3"),
        ("file,score,pate\na,x,inf\na,y,0.3\nb,x,0.5\nb,y,0.2\n", "line 2 holds 'inf'; a metric value is a finite"),
    ],
)
def test_compare_says_what_is_wrong_with_a_results_file(run, tmp_path, content, message):
    (tmp_path / "r.csv").write_text(content)
    assert message in one_line_error(run("compare", "r.csv"), status=1)


def test_compare_on_a_directory_says_so(run, data):
    assert "is a directory; give a results file" in one_line_error(run("compare", data))


def test_names_that_spreadsheets_read_as_formulas_are_escaped(run, tmp_path):
    for i in range(2):
        renamed = frame(i).rename(columns={"det_a": "=HYPERLINK(1)", "det_b": "+det"})
        renamed.to_csv(tmp_path / f"f{i}.csv", index=False)
    out = run("evaluate", "f0.csv", "f1.csv", "--format", "csv", "--quiet")
    assert out.returncode == 0, out.stderr
    assert "\nf0,'=HYPERLINK(1)," in out.stdout and "\nf1,'+det," in out.stdout
    (tmp_path / "r.csv").write_text(out.stdout)
    report = run("compare", "r.csv", "--format", "json")
    assert {r["detector"] for r in json.loads(report.stdout)["leaderboard"]} == {"=HYPERLINK(1)", "+det"}


def test_a_damaged_file_to_resume_names_the_file_and_line(run, data, tmp_path):
    assert run("evaluate", data, "--tidy", "--output", "r.csv", "--quiet").returncode == 0
    text = (tmp_path / "r.csv").read_text().splitlines()
    text[2] = "s0,det_b,pate,abc,,false"
    (tmp_path / "r.csv").write_text("\n".join(text) + "\n")
    line = one_line_error(run("evaluate", data, "--tidy", "--output", "r.csv", "--resume", "--quiet"))
    assert line.endswith("r.csv, line 3: the value 'abc' is not a number.")


# ------------------------------------------------------------ items 6 and 11: two processes
def _pate(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pate", *args],
        cwd=REPO,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kwargs,
    )


@pytest.fixture
def many(tmp_path) -> Path:
    return _series_files(tmp_path / "many", 24)


def _series_files(folder: Path, count: int) -> Path:
    folder.mkdir()
    long = pd.DataFrame({"label": np.tile(LABEL, 50)})
    rng = np.random.default_rng(0)
    for i in range(count):
        long.assign(det=rng.random(long.shape[0])).to_csv(folder / f"s{i:02d}.csv", index=False)
    return folder


# The first run, held after its first series until the test creates the file `go`: it holds the output's lock
# for as long as the test needs, however fast the machine (a first run left to finish on its own raced the second).
_HELD_RUN = """
import sys, time
from pathlib import Path
from pate.benchmark import evaluate, read_csv_series

def wait_for_go(done, total):
    while not Path(sys.argv[2]).exists():
        time.sleep(0.02)

evaluate(read_csv_series(sys.argv[1]), metrics=["pate"], output=sys.argv[3], progress=wait_for_go)
"""


@pytest.mark.slow
def test_a_second_run_on_the_same_output_is_refused_naming_the_first(many, tmp_path):
    out, go, log = tmp_path / "r.csv", tmp_path / "go", tmp_path / "first.err"
    with log.open("w") as stderr:
        first = subprocess.Popen(
            [sys.executable, "-c", _HELD_RUN, str(many), str(go), str(out)], cwd=REPO, stderr=stderr
        )
    lock = Path(str(out) + ".lock")
    for _ in range(1200):
        if lock.exists() and lock.read_text() or first.poll() is not None:
            break
        time.sleep(0.05)
    assert first.poll() is None, log.read_text()
    second = _pate("evaluate", str(many), "--tidy", "--output", str(out), "--resume", "--metric", "auc_pr", "--quiet")
    _, err = second.communicate(timeout=300)
    go.touch()
    assert first.wait(timeout=300) == 0
    assert second.returncode == 1
    assert f"is being written by another run (PID {first.pid} " in err
    table = pd.read_csv(out)
    assert len(table) == 24 and set(table["metric"]) == {"pate"}  # the first run's rows, all of them


@pytest.mark.slow
def test_a_killed_worker_is_one_line_and_resume_continues(tmp_path):
    many = _series_files(tmp_path / "slow", 8)  # seconds a series: a worker is busy when it is killed
    out = tmp_path / "r.csv"
    options = ["--n-buffer-splits", "100", "--early-buffer", "100", "--delay-buffer", "100"]  # about 1 s a series
    run = _pate("evaluate", str(many), "--tidy", "--output", str(out), "--jobs", "2", "--quiet", *options)
    busy: list[int] = []
    deadline = time.monotonic() + 120
    while not busy and time.monotonic() < deadline:  # a worker computing (state R), not one starting or idle
        time.sleep(0.1)
        workers = [pid for pid in _descendants(run.pid) if "LokyProcess" in _cmdline(pid)]
        busy = [pid for pid in workers if _state(pid) == "R"]
    assert busy, "no busy loky worker appeared"
    time.sleep(0.3)
    os.kill(busy[0], signal.SIGKILL)
    _, err = run.communicate(timeout=300)
    assert run.returncode == 1, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("pate: error:")]
    assert len(lines) == 1 and "a worker process died while evaluating" in lines[0]
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "pate",
            "evaluate",
            str(many),
            "--tidy",
            "--output",
            str(out),
            "--resume",
            "--quiet",
            *options,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert again.returncode == 0, again.stderr
    assert len(pd.read_csv(out)) == 8


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            out += children
            todo += children
    return out


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return "X"
