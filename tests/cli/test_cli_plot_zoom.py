"""``pate plot zones``: the file's time stamps on the x axis, ``--start``/``--end`` to zoom."""

from __future__ import annotations

import pytest

pytest.importorskip("matplotlib", reason="pate plot needs the plot extra (matplotlib)")

from pate.cli import plot as plot_command


@pytest.fixture
def stamped(tmp_path):
    path = tmp_path / "s.csv"
    rows = [f"2014-03-{1 + i // 24:02d} {i % 24:02d}:00:00,{int(40 <= i < 50)},{(i % 7) / 10}" for i in range(96)]
    path.write_text("timestamp,label,score\n" + "\n".join(rows) + "\n")
    return path


@pytest.fixture
def drawn(monkeypatch):
    """The ZonesDisplay the command drew (kept from the call)."""
    from pate.plot import ZonesDisplay

    made = []
    original = ZonesDisplay.from_predictions.__func__

    def keep(cls, *args, **kwargs):
        made.append(original(cls, *args, **kwargs))
        return made[-1]

    monkeypatch.setattr(plot_command.ZonesDisplay, "from_predictions", classmethod(keep))
    return made


def test_time_stamps_and_a_zoom_by_time(cli, stamped, tmp_path, drawn):
    out = cli("plot", "zones", stamped, "--score", "score", "--threshold", "0.5",
              "--start", "2014-03-02", "--end", "2014-03-03 05", "-o", tmp_path / "z.png")  # fmt: skip
    assert out.returncode == 0, out.stderr
    (display,) = drawn
    assert display.time[0] == "2014-03-01 00:00:00" and display.time.size == 96
    assert display.ax_.get_xlim() == pytest.approx((23.5, 53.5))  # rows 24 (first of the 2nd) to 53
    assert (tmp_path / "z.png").stat().st_size > 0


def test_a_zoom_by_row(cli, stamped, tmp_path, drawn):
    assert cli("plot", "zones", stamped, "--score", "score", "--start", "10", "-o", tmp_path / "z.png").returncode == 0
    assert drawn[0].ax_.get_xlim() == pytest.approx((9.5, 95.5))


@pytest.mark.parametrize(
    "flags, message",
    [
        (("--start", "200"), "--start 200: the file has rows 0 to 95"),
        (("--start", "2015-01"), "--start 2015-01: no time stamp starts so (the first is 2014-03-01 00:00:00"),
        (("--start", "50", "--end", "10"), "--start 50 comes after --end 10"),
    ],
)
def test_a_bad_zoom_is_a_usage_error(cli, stamped, tmp_path, flags, message):
    out = cli("plot", "zones", stamped, "--score", "score", *flags, "-o", tmp_path / "z.png")
    assert out.returncode == 2 and message in out.stderr


def test_a_file_without_time_stamps_takes_rows_only(cli, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("label,score\n" + "".join(f"{int(i == 5)},{i / 10}\n" for i in range(10)))
    out = cli("plot", "zones", path, "--score", "score", "--start", "2014", "-o", tmp_path / "z.png")
    assert out.returncode == 2 and "the file has rows 0 to 9" in out.stderr
    out = cli("plot", "zones", path, "--score", "score", "--start", "x2014", "-o", tmp_path / "z.png")
    assert out.returncode == 2 and "no timestamp column" in out.stderr
