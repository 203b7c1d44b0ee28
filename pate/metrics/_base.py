"""What several metric families compute the same way: the F1 of a precision and a recall."""

from __future__ import annotations

__all__ = ["f1"]


def f1(precision: float, recall: float) -> float:
    """``2 P R / (P + R)``, and 0.0 when both are 0 (never 0/0).

    The numba kernels (``pate._kernels``) write the same expression in the
    same order, so the batch and the loop agree bit for bit.

    >>> f1(0.5, 1.0), f1(0.0, 0.0)
    (0.6666666666666666, 0.0)
    """
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
