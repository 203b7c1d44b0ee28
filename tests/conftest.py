"""Shared test configuration and fixtures.

Fixtures: ``nab_dir`` (the NAB data folder, or skip with the reason),
``quiet`` (call a metric with ``UndefinedMetricWarning`` silenced), ``cupy``
(the CuPy module, or skip), ``cli`` (run ``pate`` in-process through
``pate.cli.main``), ``close_figures`` and ``browser`` (Debian's headless
Chromium through Playwright, as ``make browser`` installs it, or skip with the
reason). Plain helpers that parametrize
lists need at import time are in ``helpers.py``; the oracles in ``naive/``.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest
from helpers import NAB, cupy_missing
from hypothesis import HealthCheck, settings

from pate._warnings import FewValuedScoreWarning, undefined_metric_warning_class

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True)
settings.load_profile("default")


@pytest.fixture(scope="session")
def nab_dir() -> Path:
    """The NAB data folder (58 series, 16 detectors), or skip the test with the reason."""
    if not (NAB / "index.csv").is_file():
        pytest.skip(f"NAB data not found at {NAB} (the read-only ../shared folder is absent)")
    return NAB


def _quiet(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings():  # series without anomaly warn; that is tested elsewhere
        warnings.simplefilter("ignore", undefined_metric_warning_class())
        warnings.simplefilter("ignore", FewValuedScoreWarning)
        return func(*args, **kwargs)


@pytest.fixture(scope="session")
def quiet() -> Callable[..., Any]:
    """``quiet(func, *args, **kwargs)``: ``func(...)`` with undefined-case and few-valued warnings silenced."""
    return _quiet


@pytest.fixture(scope="session")
def cupy() -> Any:
    """The CuPy module on a machine with a usable GPU, else skip."""
    reason = cupy_missing()
    if reason is not None:
        pytest.skip(reason)
    import cupy

    return cupy


@pytest.fixture
def close_figures():
    """Close every matplotlib figure a test opened."""
    yield
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")


@dataclass
class CliResult:
    """What a ``pate`` command did: exit status and its two streams (as ``subprocess.run`` gives them)."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliResult]:
    """``cli(*args, stdin=None, cwd=None)``: run ``pate ARGS`` in this process through ``pate.cli.main``.

    Standard input is the given text or bytes; argparse's exits become the
    exit status. One subprocess test (tests/cli/test_cli_smoke.py) runs the
    installed command itself.
    """
    from pate.cli import main

    def run(*args: Any, stdin: bytes | str | None = None, cwd: Path | str | None = None) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        data = stdin.encode() if isinstance(stdin, str) else (stdin or b"")
        with monkeypatch.context() as patch:
            patch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
            if cwd is not None:
                patch.chdir(cwd)
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    status = main([os.fspath(a) if isinstance(a, Path) else str(a) for a in args])
                except SystemExit as exc:  # argparse: --help, --version, malformed command lines
                    status = exc.code if isinstance(exc.code, int) else 1
        return CliResult(status, out.getvalue(), err.getvalue())

    return run


# Flags for a closed machine: without the background-networking ones Chromium keeps trying to reach Google.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Any:
    """A headless Chromium for the HTML tests: Debian's ``chromium`` (``make browser`` installs it; or
    ``$PATE_CHROMIUM``) driven by Playwright for Python, never a test tool's own browser download.

    Skips, with the reason, only where Playwright or the browser is missing or cannot start. One browser
    serves a module and is closed at its end.
    """
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (the test extra has it: make test installs it)"
    )
    path = os.environ.get("PATE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        pytest.skip(
            f"Debian's chromium is not installed at {path} (make browser installs it: apt-get install chromium)"
        )
    with sync_api.sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        except sync_api.Error as exc:
            pytest.skip(f"Chromium at {path} cannot be started: {str(exc).splitlines()[0]}")
        yield chromium
        chromium.close()
