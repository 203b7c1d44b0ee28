"""The installed ``pate`` command, run for real in a subprocess (every other CLI test runs in-process)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO

pytestmark = pytest.mark.slow  # subprocesses

_SCRIPT = Path(sys.executable).with_name("pate")


def test_the_console_script_and_python_m_evaluate_the_bundled_data():
    command = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "pate"]
    args = ["evaluate", "pate/data", "--metric", "pate,pate_f1", "--threshold", "0.5", "--format", "csv"]
    script = subprocess.run([*command, *args], capture_output=True, text=True, cwd=REPO, timeout=300)
    module = subprocess.run(
        [sys.executable, "-m", "pate", *args], capture_output=True, text=True, cwd=REPO, timeout=300
    )
    assert script.returncode == 0 and module.returncode == 0, script.stderr + module.stderr
    assert script.stdout == module.stdout
    lines = script.stdout.splitlines()
    assert lines[0] == "series,score,pate,pate_f1,constant" and len(lines) == 1 + 2 * 16
    assert "Traceback" not in script.stderr
