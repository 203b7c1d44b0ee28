"""Drop-in replacement for the published ``PATE`` 0.1.1 package's API.

``from pate.compat import PATE`` (or, for scripts written against the
published package, ``from pate.PATE_metric import PATE``) has the published
signature and defaults and returns the same numbers, computed by
:func:`pate.pate_score` / :func:`pate.pate_f1_score`.

Differences, all deliberate:

* Arguments that would change the published result in ways this library
  does not reproduce raise instead of being ignored: ``sample_weight`` other
  than ``None`` and ``pos_label`` other than 1 raise ``NotImplementedError``.
  ``n_jobs`` is accepted and has no effect (it never changed the published
  result either).
* Inputs are validated like every other metric here: labels must be 0/1,
  scores finite; lists and pandas Series are accepted (the published code
  needs numpy arrays).
* Exact recall ties are settled in exact arithmetic; where the published
  package's own rounding breaks such a tie, the numbers differ (see
  docs/pate.md, "Floating point and ties").
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pate._validation import check_bool, check_scores
from pate.metrics._pate import _continuous_curves, _grid_mean, pate_f1_score

__all__ = ["PATE"]


def PATE(  # noqa: N802 - the published name
    y_true: Any,
    y_score: Any,
    e_buffer: int = 100,
    d_buffer: int = 100,
    pos_label: int = 1,
    sample_weight: Any = None,
    n_jobs: int = 1,
    drop_intermediate: bool = True,
    Big_Data: bool = True,  # noqa: N803 - the published name
    num_desired_thresholds: int = 250,
    num_splits_MaxBuffer: int = 1,  # noqa: N803 - the published name
    include_zero: bool = True,
    binary_scores: bool = False,
) -> float:
    """PATE (or PATE-F1 with ``binary_scores=True``) with the published package's signature.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels, 0/1 or bool.
    y_score : array-like of shape (n_samples,)
        Continuous scores, or binary predictions with ``binary_scores=True``
        (then a point is predicted when its value is ``> 0``, as published).
    e_buffer, d_buffer : int, default=100
        Largest early and delay buffer (``early_buffer``, ``delay_buffer``).
    pos_label : int, default=1
        Only 1 is supported.
    sample_weight : None
        Only ``None`` is supported.
    n_jobs : int, default=1
        Accepted for compatibility; has no effect.
    drop_intermediate : bool, default=True
    Big_Data : bool, default=True
        Thin the thresholds to ``num_desired_thresholds`` percentiles
        (``n_thresholds``); ``False`` uses every kept threshold.
    num_desired_thresholds : int, default=250
        Number of percentile thresholds; 1 keeps only the top score (allowed
        here as in the published package; ``pate_score`` needs at least 2).
    num_splits_MaxBuffer : int, default=1
        ``n_buffer_splits``.
    include_zero : bool, default=True
    binary_scores : bool, default=False
        Compute PATE-F1 instead of PATE.

    Returns
    -------
    float

    See Also
    --------
    pate.metrics.pate_score : the scikit-learn style PATE.
    pate.metrics.pate_f1_score : PATE-F1 (``binary_scores=True``).

    Examples
    --------
    >>> import numpy as np
    >>> from pate.compat import PATE
    >>> PATE(np.array([0, 1, 0, 1, 0]), np.array([0.1, 0.8, 0.1, 0.9, 0.2]))
    1.0
    >>> y = np.zeros(500, dtype=int); y[40:60] = 1
    >>> p = np.zeros(500, dtype=int); p[30:50] = 1
    >>> round(PATE(y, p, e_buffer=20, d_buffer=20, include_zero=False, binary_scores=True), 12)
    0.751308724078
    """
    if sample_weight is not None:
        raise NotImplementedError(
            "sample_weight is not supported: pate computes PATE with unit weights. Call PATE without sample_weight."
        )
    if isinstance(pos_label, (bool, np.bool_)) or pos_label != 1:
        raise NotImplementedError(
            f"pos_label={pos_label!r} is not supported: labels must be 0/1 with 1 marking anomalies."
        )
    grid: dict[str, Any] = dict(
        early_buffer=e_buffer,
        delay_buffer=d_buffer,
        n_buffer_splits=num_splits_MaxBuffer,
        include_zero=include_zero,
    )
    if check_bool(binary_scores, "binary_scores"):
        # The published package predicts a point when its value is > 0.
        predicted = check_scores(y_score) > 0
        return pate_f1_score(y_true, predicted, **grid)
    n_thresholds = num_desired_thresholds if check_bool(Big_Data, "Big_Data") else None
    # Same path as pate_score, but one threshold (only the top score) is
    # allowed, as in the published package.
    pairs, curves, _ = _continuous_curves(
        y_true,
        y_score,
        e_buffer,
        d_buffer,
        num_splits_MaxBuffer,
        include_zero,
        n_thresholds,
        drop_intermediate,
        "auto",
        "PATE",
        n_thresholds_minimum=1,
    )
    return _grid_mean(pairs, {pair: c.area for pair, c in curves.items()})
