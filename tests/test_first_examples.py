"""The first example a reader runs (README, the site's front page) runs clean: no warning of the package's own.

The test configuration silences ``FewValuedScoreWarning`` for the suite
(pyproject's filterwarnings), so these run the examples with every warning
turned into an error.
"""

from __future__ import annotations

import doctest
import re
import warnings
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _first_python_block(path: Path) -> str:
    match = re.search(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S)
    assert match, f"{path.name} has no python example"
    return match.group(1)


@pytest.mark.parametrize("page", ["README.md", "docs/index.md"])
def test_the_first_example_gives_its_numbers_without_a_warning(page):
    text = _first_python_block(REPO / page)
    test = doctest.DocTestParser().get_doctest(text, {}, page, page, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = runner.run(test, out=lambda s: None)
    assert result.attempted >= 3 and result.failed == 0, f"{page}: the example fails or warns (run it with -W error)"
