"""eTaPR: enhanced time-series aware precision and recall (Hwang et al., SAC 2022).

Definition: docs/spec/baseline-metrics.md, section 8 (reference: saurf4ng/eTaPR
``evaluate_w_ranges``). The overlap matrix S (label events x predicted
events) is sparse: it is built from the predicted points inside events and
ambiguous zones, aggregated per (label event, predicted event) pair, then
pruned. Read more in docs/metrics/etapr.md.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from pate._events import concat_ranges, label_events
from pate._validation import check_fraction, check_targets
from pate._warnings import warn_undefined
from pate.metrics._base import f1
from pate.metrics._results import PrecisionRecallFScore
from pate.metrics._undefined import Undefined, undefined_policy

__all__ = ["etapr_precision_recall_fscore"]


def _overlaps(labels, pred, delta):
    """Sparse S: (label event i, predicted event j, score) triples, plus both event lists."""
    n = labels.size
    a, b = label_events(labels)
    ps, pe = label_events(pred)
    pred_id = np.full(n, -1, dtype=np.int64)
    p_pos, p_owner = concat_ranges(ps, pe + 1)
    pred_id[p_pos] = p_owner

    # points of label events: weight 1
    in_pos, in_owner = concat_ranges(a, b + 1)
    rows, cols, vals = [in_owner], [pred_id[in_pos]], [np.ones(in_pos.size)]
    # ambiguous zones after each event (not clipped to the series; strict clip at the next event)
    zs = b + 1
    ze = b + 1 + np.floor(delta * (b - a)).astype(np.int64)
    nxt = np.append(a[1:], np.iinfo(np.int64).max)
    ze = np.where(ze > nxt, nxt - 1, ze)
    used = zs < ze
    z_pos, z_owner = concat_ranges(zs[used], np.minimum(ze[used], n - 1) + 1)
    z_event = np.flatnonzero(used)[z_owner]
    v = -6 + 12 * (z_pos - zs[z_event]) / (ze[z_event] - zs[z_event])
    rows.append(z_event)
    cols.append(pred_id[z_pos])
    vals.append(1 / (1 + np.exp(v)))

    i, j, s = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
    hit = j >= 0
    i, j, s = i[hit], j[hit], s[hit]
    key = i * max(ps.size, 1) + j
    order = np.argsort(key, kind="stable")
    key, s = key[order], s[order]
    first = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1]))) if key.size else np.zeros(0, np.int64)
    score = np.add.reduceat(s, first) if key.size else np.zeros(0)
    key = key[first]
    return a, b, ps, pe, key // max(ps.size, 1), key % max(ps.size, 1), score


@undefined_policy
def etapr_precision_recall_fscore(
    y_true: Any,
    y_pred: Any,
    *,
    theta_p: float = 0.5,
    theta_r: float = 0.1,
    delta: float = 0.0,
    undefined: Undefined = "warn",
) -> PrecisionRecallFScore:
    """eTaP, eTaR and their F1.

    A label event is detected when the predictions cover at least ``theta_r``
    of it (after pruning predictions that hit less than ``theta_p`` of
    themselves); recall and precision then add how much is covered. Predicted
    points in the ambiguous zone just after an event (``delta`` times the
    event's length) count with a sigmoid weight. Read more in docs/metrics/etapr.md.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        Labels and predictions, 0/1 or bool.
    theta_p, theta_r, delta : float in [0, 1]
        Defaults 0.5, 0.1, 0.0: the eTaPR command line's (the README example
        and the PATE experiments use 0.5, 0.01, 0).
    undefined : {"warn", "nan"} or float, default="warn"
        The value where the metric is undefined (docs/undefined.md lists the
        cases): "warn" gives 0.0 with an ``UndefinedMetricWarning`` (as
        scikit-learn's ``zero_division``); "nan" gives nan and a number gives
        that number, both without a warning.

    Returns
    -------
    PrecisionRecallFScore
        ``(eTaP, eTaR, F1)``; F1 is 0.0 when both are 0. No label event:
        recall and F1 undefined, 0.0 with ``UndefinedMetricWarning`` (the
        reference raises ZeroDivisionError). No predicted event: precision and
        F1 undefined, 0.0 with ``UndefinedMetricWarning`` (the reference
        raises AttributeError).

    See Also
    --------
    range_precision_recall_fscore : range-based precision and recall.
    affiliation_precision_recall_fscore : affiliation precision and recall.

    Examples
    --------
    >>> from pate.metrics import etapr_precision_recall_fscore
    >>> y = [0] * 5 + [1] * 10 + [0] * 5 + [1] * 2 + [0] * 8
    >>> p = [0] * 3 + [1] * 4 + [0] + [1] + [0] + [1] * 11 + [0] * 9
    >>> [round(v, 10) for v in etapr_precision_recall_fscore(y, p)]
    [0.8015113446, 0.825, 0.813086071]
    """
    labels, pred = check_targets(y_true, y_pred, kind="binary")
    theta_p = check_fraction(theta_p, "theta_p")
    theta_r = check_fraction(theta_r, "theta_r")
    delta = check_fraction(delta, "delta")
    a, b, ps, pe, rows, cols, score = _overlaps(labels, pred, delta)
    label_len = (b - a + 1).astype(np.float64)
    pred_len = (pe - ps + 1).astype(np.float64)

    # pruning, repeated until a pass removes nothing
    alive = np.ones(score.size, dtype=bool)
    while True:
        row = np.bincount(rows[alive], weights=score[alive], minlength=a.size) / np.maximum(label_len, 1)
        drop_rows = (row > 0) & (row < theta_r)
        kill = alive & drop_rows[rows]
        alive &= ~kill
        col = np.bincount(cols[alive], weights=score[alive], minlength=ps.size) / np.maximum(pred_len, 1)
        drop_cols = (col > 0) & (col < theta_p)
        kill_c = alive & drop_cols[cols]
        alive &= ~kill_c
        if not kill.any() and not kill_c.any():
            break

    r = np.bincount(rows[alive], weights=score[alive], minlength=a.size) / np.maximum(label_len, 1)
    q = np.bincount(cols[alive], weights=score[alive], minlength=ps.size) / np.maximum(pred_len, 1)
    if a.size == 0:
        warn_undefined(
            "eTaR is undefined when y_true has no event; recall and F1 set to 0.0.", fields=("recall", "fscore")
        )
        recall = math.nan
    else:
        detected = r >= theta_r
        recall = float(np.mean((detected + detected * np.minimum(r, 1)) / 2))
    if ps.size == 0:
        warn_undefined(
            "eTaP is undefined when y_pred has no predicted event; precision and F1 set to 0.0.",
            fields=("precision", "fscore"),
        )
        precision = math.nan
    else:
        found = q >= theta_p
        w = np.sqrt(pred_len)
        precision = float(np.sum(w * (found + found * q) / 2) / np.sum(w))
    if math.isnan(precision) or math.isnan(recall):
        fscore = math.nan
    else:
        fscore = f1(precision, recall)
    return PrecisionRecallFScore(precision, recall, float(fscore))
