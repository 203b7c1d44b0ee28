"""Shared test configuration.

* ``tests/`` is put on ``sys.path`` so that the slow oracles in
  ``tests/naive.py`` import as ``naive``.
* ``SHARED`` is the read-only ``../shared`` folder beside the repository;
  tests that need it skip, with a reason, where it is absent.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))

SHARED = TESTS.parents[1] / "shared"
NAB = SHARED / "data" / "nab"

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile("default")


def require_nab() -> Path:
    """The NAB data folder, or skip the calling test with the reason."""
    if not (NAB / "index.csv").is_file():
        pytest.skip(f"NAB data not found at {NAB} (the read-only ../shared folder is absent)")
    return NAB
