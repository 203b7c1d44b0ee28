"""Every test of pate.plot closes the figures it opened (the close_figures fixture of tests/conftest.py)."""

import pytest


@pytest.fixture(autouse=True)
def _figures_closed(close_figures):
    """Use close_figures in every test of this folder."""
