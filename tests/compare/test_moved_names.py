"""The runner moved from pate.compare to pate.benchmark: the old names work for one release, with a warning."""

from __future__ import annotations

import pytest

import pate.benchmark
import pate.compare
from pate.compare import _MOVED_TO_BENCHMARK


@pytest.mark.parametrize("name", _MOVED_TO_BENCHMARK)
def test_a_moved_name_warns_and_is_the_new_one(name):
    with pytest.warns(DeprecationWarning, match=f"pate.compare.{name} moved to pate.benchmark.{name}"):
        old = getattr(pate.compare, name)
    assert old is getattr(pate.benchmark, name)
    assert name in pate.benchmark.__all__ and name not in pate.compare.__all__


def test_the_old_evaluate_still_evaluates():
    with pytest.warns(DeprecationWarning):
        from pate.compare import Series, evaluate
    table = evaluate([Series("s", [0, 0, 1, 1, 0], {"d": [0.1, 0.2, 0.9, 0.8, 0.1]})], progress=False)
    assert table["value"].tolist() == [1.0]


def test_other_names_are_still_missing():
    with pytest.raises(AttributeError, match="no attribute 'critical_difference_diagram'"):
        pate.compare.critical_difference_diagram  # noqa: B018 - drawn by pate.plot.CriticalDifferenceDisplay now
