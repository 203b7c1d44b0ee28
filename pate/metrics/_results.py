"""The named results of the metrics, gathered in one place (as scipy.stats' ``_result_classes``).

Small named tuples and frozen dataclasses, never bare dicts: a result
unpacks like a tuple and reads like a record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

__all__ = ["PrecisionRecallFScore", "RocPrAreas", "RangeAUC", "VUS", "BufferPairCurve"]


class PrecisionRecallFScore(NamedTuple):
    """Precision, recall and F-score of one evaluation, as Python floats."""

    precision: float
    recall: float
    fscore: float


class RocPrAreas(NamedTuple):
    """An area under a ROC curve and one under a PR curve, as Python floats."""

    roc: float
    pr: float


# One set of fields; two names, so that each result says what it holds in its repr.
class RangeAUC(RocPrAreas):
    """Range-AUC-ROC and Range-AUC-PR of one evaluation, as Python floats."""

    __slots__ = ()


class VUS(RocPrAreas):
    """VUS-ROC and VUS-PR of one evaluation, as Python floats."""

    __slots__ = ()


@dataclass(frozen=True)
class BufferPairCurve:
    """The PATE precision-recall curve of one (early, delay) buffer pair.

    Attributes
    ----------
    early_buffer, delay_buffer : int
        The buffer sizes of this pair of the grid.
    precision, recall : ndarray of float64
        The points the area integrates, in threshold order: first the
        anchor (recall 0, precision 1), then every threshold whose recall is
        at least that of the last kept point (the published package's
        monotone-recall filter).
    thresholds : ndarray of float64
        The threshold of each point after the anchor
        (``len(thresholds) == len(precision) - 1``).
    area : float
        Area under the curve (trapezoids, or the step rule with
        ``interpolation="step"``); PATE is the mean of the areas over the
        buffer grid.
    """

    early_buffer: int
    delay_buffer: int
    precision: np.ndarray
    recall: np.ndarray
    thresholds: np.ndarray
    area: float
