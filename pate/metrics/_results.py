"""Small named results shared by several metric families (scipy.stats style)."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["PrecisionRecallFScore"]


class PrecisionRecallFScore(NamedTuple):
    """Precision, recall and F-score of one evaluation, as Python floats."""

    precision: float
    recall: float
    fscore: float
