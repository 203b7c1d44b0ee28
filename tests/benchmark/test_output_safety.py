"""The results file of ``pate.benchmark.evaluate`` under attack (issue 29, items 3, 4, 6, 7, 8, 11 and messages).

What a break-it test found: two series with one name (on resume the second
got the first one's value), a damaged file trusted by ``resume=True``, two
runs on one output losing rows, a failing run replacing a file with its
header, an input overwritten, a symlink replaced, files created 0600, a
killed worker as a 40-line traceback, workers outliving a killed run. Each
test below failed before the fix.
"""

from __future__ import annotations

import gzip
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import REPO

from pate import pate_score
from pate.benchmark import Series, evaluate

LABELS = [0, 0, 1, 1, 0, 0, 0, 1, 0, 0]


def series(name: str, seed: int = 0, detectors=("good", "noise")) -> Series:
    rng = np.random.default_rng(seed)
    y = np.array(LABELS)
    return Series(name, y, {d: np.round(rng.random(y.size) + (0.6 * y if d == "good" else 0), 3) for d in detectors})


def quiet_evaluate(*args, **kwargs):
    kwargs.setdefault("progress", False)
    return evaluate(*args, **kwargs)


# ------------------------------------------------------------- item 3
def test_two_series_with_one_name_are_refused_naming_them():
    with pytest.raises(ValueError, match=r"series 'same' is given twice \(series 0 and 2\)"):
        quiet_evaluate([series("same", 0), series("other", 1), series("same", 2)])


def test_resume_never_gives_a_series_the_value_of_another_with_its_name(tmp_path):
    out = tmp_path / "r.csv"
    first, second = series("s", 0), series("s", 5)
    quiet_evaluate([first], output=out)
    with pytest.raises(ValueError, match="given twice"):
        quiet_evaluate([first, second], output=out, resume=True)
    table = pd.read_csv(out, keep_default_na=False)
    assert len(table) == 2  # the first run's rows, untouched


def test_evaluate_of_none_says_what_data_is():
    for data in (None, 3, b"abc"):
        with pytest.raises(TypeError, match="data must be a Series, a source .* got"):
            quiet_evaluate(data)


class CountingSource:
    """A source that counts how often it is read."""

    loads = 0

    def __init__(self, name):
        self.name = name

    def load(self):
        CountingSource.loads += 1
        return series(self.name)


def test_a_missing_output_directory_is_refused_before_any_series_is_read(tmp_path):
    CountingSource.loads = 0
    with pytest.raises(ValueError, match="the directory .*nodir.* does not exist; create it first"):
        quiet_evaluate([CountingSource("a"), CountingSource("b")], output=tmp_path / "nodir" / "r.csv")
    assert CountingSource.loads == 0


# ------------------------------------------------------------- item 7
def test_a_failing_run_keeps_the_existing_results_file(tmp_path):
    out = tmp_path / "r.csv"
    quiet_evaluate([series("a")], output=out)
    before = out.read_bytes()
    broken = Series("broken", [0, 1, 0], {"det": [0.1, np.nan, 0.2]})
    with pytest.raises(ValueError, match="the score is nan"):
        quiet_evaluate([broken], output=out)  # nothing evaluated: the old file stays
    assert out.read_bytes() == before


def test_an_output_that_is_an_input_is_refused_before_anything_is_written(tmp_path):
    data = tmp_path / "data.csv"
    pd.DataFrame({"label": LABELS, "det": np.linspace(0, 1, 10)}).to_csv(data, index=False)
    before = data.read_bytes()
    link = tmp_path / "link.csv"
    link.symlink_to(data)
    for output in (data, link):
        with pytest.raises(ValueError, match="is also an input file"):
            quiet_evaluate([data], output=output)
    assert data.read_bytes() == before


def test_the_results_file_is_written_through_a_symlink(tmp_path):
    target = tmp_path / "store" / "r.csv"
    target.parent.mkdir()
    link = tmp_path / "r.csv"
    link.symlink_to(target)
    table = quiet_evaluate([series("a")], output=link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert pd.read_csv(target)["value"].tolist() == table["value"].tolist()


def test_the_old_file_stays_whole_until_the_new_one_is_complete(tmp_path):
    from pate.benchmark._files import atomic_write

    path = tmp_path / "r.txt"
    path.write_text("old content")

    def fails_half_way(tmp):
        Path(tmp).write_text("half of the new")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(path, fails_half_way)
    assert path.read_text() == "old content"
    assert [p.name for p in tmp_path.iterdir()] == ["r.txt"]  # no temporary file left


# ------------------------------------------------------------- item 8
@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_results_files_follow_the_umask(tmp_path, umask, mode):
    previous = os.umask(umask)
    try:
        quiet_evaluate([series("a")], output=tmp_path / "r.csv")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "r.csv").stat().st_mode) == mode


def test_a_replaced_results_file_keeps_its_mode(tmp_path):
    out = tmp_path / "r.csv"
    quiet_evaluate([series("a")], output=out)
    out.chmod(0o640)
    quiet_evaluate([series("a"), series("b")], output=out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


# ------------------------------------------------------------- item 4
def _written(tmp_path) -> tuple[Path, str]:
    out = tmp_path / "r.csv"
    quiet_evaluate([series("s1", 1), series("s2", 2)], metrics=["pate", "auc_pr"], output=out)
    # the damages below are written in the five contract columns: the optional constant column goes first
    # (a file without it is a results file too)
    text = out.read_text()
    assert text.startswith("series,detector,metric,value,params,constant\n")
    return out, "\n".join(line.rsplit(",", 1)[0] if line else line for line in text.split("\n"))


def _line(text: str, number: int, new: str) -> str:
    """``text`` with line ``number`` (1-based) replaced."""
    lines = text.split("\n")
    lines[number - 1] = new
    return "\n".join(lines)


DAMAGED = {
    "a value that is not a number": (
        lambda t: _line(t, 6, "s2,good,pate,abc,"),
        "line 6: the value 'abc' is not a number",
    ),
    "a value cut in two": (lambda t: _line(t, 4, "s1,noise,pate,0.64,1127,"), "line 4: 6 fields, expected 5"),
    "a missing field": (lambda t: _line(t, 3, "s1,good,auc_pr,0.8"), "line 3: 4 fields, expected 5"),
    "a name of NUL bytes": (
        lambda t: _line(t, 7, "\x00" * 4096 + ",good,auc_pr,0.5,"),
        "line 7: the series name .* holds control characters",
    ),
    "an empty name": (lambda t: _line(t, 7, ",good,auc_pr,0.5,"), "line 7: the series name is empty"),
    "an unknown metric": (
        lambda t: _line(t, 3, "s1,good,auc_zz,0.8,"),
        "line 3: 'auc_zz' is not a metric of this version",
    ),
    "a wrong header": (lambda t: _line(t, 1, "serie,detector,metric,value,params"), "line 1: the header is"),
    "a repeated row": (lambda t: _line(t, 9, "s1,good,pate,0.5,\n"), "line 9: the same row as line 2"),
    "params pate does not write": (
        lambda t: _line(t, 2, "s1,good,pate,0.5,window=3;early_buffer=1"),
        "line 2: the params .* are not written as pate writes them",
    ),
    "params that cannot be read": (
        lambda t: _line(t, 2, "s1,good,pate,0.5,early_buffer"),
        "line 2: the params .* cannot be read",
    ),
    "an infinite value": (lambda t: _line(t, 5, "s1,noise,auc_pr,inf,"), "line 5: the value is inf"),
    "an empty file": (lambda t: "", "the file is empty"),
}


@pytest.mark.parametrize("damage, match", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_file_is_refused_naming_the_file_and_line(tmp_path, damage, match):
    out, text = _written(tmp_path)
    out.write_text(damage(text))
    with pytest.raises(ValueError, match=match) as info:
        quiet_evaluate([series("s1", 1), series("s2", 2)], metrics=["pate", "auc_pr"], output=out, resume=True)
    assert str(out) in str(info.value)


def test_a_gzip_file_named_csv_is_refused(tmp_path):
    out, text = _written(tmp_path)
    out.write_bytes(gzip.compress(text.encode()))
    with pytest.raises(ValueError, match="gzip-compressed but its name does not end in .gz"):
        quiet_evaluate([series("s1", 1)], output=out, resume=True)


def test_a_file_cut_short_is_repaired_saying_so(tmp_path):
    out, _ = _written(tmp_path)
    text = out.read_text()  # with its constant column
    fresh = pd.read_csv(out, keep_default_na=False)
    cut = text[: text.rindex(",") - 3]  # the last row's value cut to a few digits, no line end
    out.write_text(cut)
    with pytest.warns(UserWarning, match=r"line 9: the last line is incomplete .* computed again"):
        table = quiet_evaluate([series("s1", 1), series("s2", 2)], metrics=["pate", "auc_pr"], output=out, resume=True)
    pd.testing.assert_frame_equal(table.reset_index(drop=True), fresh, check_dtype=False)


def test_rows_of_series_outside_the_run_are_kept_with_a_warning(tmp_path):
    out, _ = _written(tmp_path)
    with pytest.warns(UserWarning, match=r"1 series in the file are not part of this run .* 's2'"):
        table = quiet_evaluate([series("s1", 1)], metrics=["pate", "auc_pr"], output=out, resume=True)
    assert sorted(set(table["series"])) == ["s1", "s2"]


def test_rows_of_detectors_a_series_does_not_have_are_dropped_with_a_warning(tmp_path):
    out, _ = _written(tmp_path)
    with pytest.warns(UserWarning, match=r"series 's1' has no detector 'noise'"):
        table = quiet_evaluate(
            [series("s1", 1, detectors=("good",)), series("s2", 2)], metrics=["pate", "auc_pr"], output=out, resume=True
        )
    assert ("s1", "noise") not in set(zip(table["series"], table["detector"]))


def test_formula_names_are_escaped_in_the_file_and_read_back(tmp_path):
    out = tmp_path / "r.csv"
    odd = Series("=cmd|'/C calc'!A0", LABELS, {"+det": np.linspace(0, 1, 10), "@x": np.linspace(1, 0, 10)})
    table = quiet_evaluate([odd], output=out)
    text = out.read_text()
    assert "\n'=cmd|" in text and ",'+det," in text and ",'@x," in text
    again = quiet_evaluate([odd], output=out, resume=True)
    assert again["series"].tolist() == table["series"].tolist() == ["=cmd|'/C calc'!A0"] * 2


# ------------------------------------------------------------- item 6
def test_the_lock_names_the_run_that_holds_it(tmp_path):
    from pate.benchmark._files import OutputLock, OutputLockedError

    out = tmp_path / "r.csv"
    with OutputLock(out):
        assert f"PID {os.getpid()}" in Path(str(out) + ".lock").read_text()
        with pytest.raises(OutputLockedError, match=rf"being written by another run \(PID {os.getpid()} "):
            quiet_evaluate([series("a")], output=out)
    assert not Path(str(out) + ".lock").exists()
    quiet_evaluate([series("a")], output=out)  # free again


def test_a_lock_file_left_by_a_dead_run_does_not_block(tmp_path):
    out = tmp_path / "r.csv"
    Path(str(out) + ".lock").write_text("PID 999999 on elsewhere")  # the process is gone: no flock held
    assert len(quiet_evaluate([series("a")], output=out)) == 2


_WRITER = """
import sys, time
import numpy as np
from pate.benchmark import Series, evaluate

class Slow:
    def __init__(self, name): self.name = name
    def load(self):
        time.sleep(0.2)
        y = np.zeros(50, dtype=int); y[10:15] = 1
        return Series(self.name, y, {"det": np.linspace(0, 1, 50)})

evaluate([Slow(f"s{i:02d}") for i in range(int(sys.argv[2]))], output=sys.argv[1], progress=False)
print("done")
"""


@pytest.mark.slow
def test_two_writers_on_one_output(tmp_path):
    out = tmp_path / "r.csv"
    script = tmp_path / "writer.py"
    script.write_text(textwrap.dedent(_WRITER))
    first = subprocess.Popen([sys.executable, str(script), str(out), "40"], cwd=REPO, stdout=subprocess.PIPE, text=True)
    lock = Path(str(out) + ".lock")
    for _ in range(300):
        if lock.exists() and lock.read_text():
            break
        time.sleep(0.05)
    second = subprocess.run(
        [sys.executable, str(script), str(out), "3"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert second.returncode != 0
    assert f"being written by another run (PID {first.pid} " in second.stderr
    assert first.wait(timeout=120) == 0 and first.stdout.read().strip() == "done"
    table = pd.read_csv(out)
    assert sorted(table["series"]) == [f"s{i:02d}" for i in range(40)]  # nothing lost
    assert not lock.exists()


# ------------------------------------------------------------ item 11
_KILLER = """
import os, signal, sys, time
import numpy as np
from pate.benchmark import Series, evaluate

class Source:
    def __init__(self, name, pids=None, die=False): self.name, self.pids, self.die = name, pids, die
    def load(self):
        if self.pids:
            with open(os.path.join(self.pids, str(os.getpid())), "w"):
                pass
            time.sleep(60)
        if self.die:
            os.kill(os.getpid(), signal.SIGKILL)
        y = np.zeros(50, dtype=int); y[10:15] = 1
        return Series(self.name, y, {"det": np.linspace(0, 1, 50)})

mode, where = sys.argv[1], sys.argv[2]
if mode == "die":
    sources = [Source("a"), Source("b"), Source("c", die=True)] + [Source(f"x{i}") for i in range(4)]
    try:
        evaluate(sources, n_jobs=2, output=where, progress=False)
    except Exception as exc:
        print(type(exc).__name__, exc)
else:
    evaluate([Source(f"s{i}", pids=where) for i in range(4)], n_jobs=2, progress=False)
"""


@pytest.mark.slow
def test_a_killed_worker_is_one_clear_error_and_the_rows_done_are_kept(tmp_path):
    script = tmp_path / "killer.py"
    script.write_text(textwrap.dedent(_KILLER))
    out = tmp_path / "r.csv"
    done = subprocess.run(
        [sys.executable, str(script), "die", str(out)], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    line = done.stdout.strip()
    assert line.startswith("WorkerLostError a worker process died while evaluating (killed, or out of memory"), done
    assert "Traceback" not in done.stdout
    if out.exists():  # the series finished before the death are saved, and the message says how to go on
        assert "run again with resume=True (--resume) to continue" in line
        assert set(pd.read_csv(out)["series"]) <= {"a", "b"}


@pytest.mark.slow
def test_workers_exit_when_the_run_is_killed(tmp_path):
    script = tmp_path / "killer.py"
    script.write_text(textwrap.dedent(_KILLER))
    pids = tmp_path / "pids"
    pids.mkdir()
    parent = subprocess.Popen([sys.executable, str(script), "hang", str(pids)], cwd=REPO)
    try:
        for _ in range(600):
            if len(list(pids.iterdir())) >= 2:
                break
            time.sleep(0.1)
        workers = [int(p.name) for p in pids.iterdir()]
        assert len(workers) >= 2
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 15
    alive = workers
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [pid for pid in alive if Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)]
    assert alive == [], f"workers {alive} outlived the killed run"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return "Z"


def test_pate_score_is_unchanged_by_the_runner():  # the rows are the metric's values
    s = series("a")
    table = quiet_evaluate([s])
    assert table["value"].tolist() == [pate_score(LABELS, s.scores[d]) for d in ("good", "noise")]


def test_a_generator_without_output_is_consumed_lazily_and_names_still_checked():
    made = []

    def lazy():
        for name in ("a", "b", "a", "c"):
            made.append(name)
            yield series(name)

    with pytest.raises(ValueError, match=r"series 'a' is given twice \(series 0 and 2\)"):
        quiet_evaluate(lazy())
    assert made == ["a", "b", "a"]  # stopped at the repeated name; "c" never made
