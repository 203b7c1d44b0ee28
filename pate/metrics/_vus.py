"""Range-AUC-ROC/PR and VUS-ROC/PR (Paparrizos et al., VLDB 2022).

Spec: baseline-metrics.md sections 10 and 11. ``version="current"`` is vus
0.0.6 (= TheDatumOrg/VUS head = TSB-AD 1.5); ``version="legacy"`` is the
VLDB'22 code the PATE paper's numbers come from (its post-buffer is one point
shorter, and its VUS averages Range-AUC over the windows).

Shape of the computation: the rank-grid thresholds come from one sort; every
point gets the index of the first threshold predicting it (its key); every
per-threshold sum is a bincount of keys followed by a cumulative sum. Soft
labels differ from the labels only on buffer points near event borders, so a
window costs O(events x window + thresholds), not O(T). Read more in
docs/metrics/vus.md.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

import numpy as np

from pate._events import concat_ranges, label_events
from pate._validation import check_nonnegative_int, check_positive_int, check_targets
from pate._warnings import warn_undefined
from pate.metrics._registry import register_metric

__all__ = ["RangeAUC", "VUS", "range_auc_score", "vus_score"]

Version = Literal["current", "legacy"]


class RangeAUC(NamedTuple):
    """Range-AUC-ROC and Range-AUC-PR."""

    roc: float
    pr: float


class VUS(NamedTuple):
    """VUS-ROC and VUS-PR (volumes under the surfaces over windows 0..W)."""

    roc: float
    pr: float


def _rank_grid_keys(scores: np.ndarray, n_thresholds: int) -> np.ndarray:
    """For each point, the first rank-grid threshold it reaches (``n_thresholds``: never)."""
    descending = np.sort(scores)[::-1]
    ranks = np.linspace(0, scores.size - 1, n_thresholds).astype(int)  # the references' float grid
    thresholds = descending[ranks]
    return np.searchsorted(-thresholds, -scores, side="left")


def _cumulative(keys: np.ndarray, n: int, weights: np.ndarray | None = None) -> np.ndarray:
    return np.cumsum(np.bincount(keys, weights=weights, minlength=n + 1)[:n])


def _buffer_soft_labels(starts, ends, n: int, window: int, legacy: bool):
    """Positions outside events with a positive soft label, and those labels (spec 10, step 1)."""
    half = window // 2
    if half == 0 or starts.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    post_stop = np.minimum(ends + half, n) if legacy else np.minimum(ends + half, n - 1) + 1
    post_pos, post_ev = concat_ranges(ends + 1, post_stop)
    pre_pos, pre_ev = concat_ranges(np.maximum(starts - half, 0), starts)
    pos = np.concatenate((post_pos, pre_pos))
    weight = np.concatenate((
        np.sqrt(1 - (post_pos - ends[post_ev]) / window),
        np.sqrt(1 - (starts[pre_ev] - pre_pos) / window),
    ))
    if pos.size == 0:
        return pos, weight
    # overlapping buffers add before the clip
    order = np.argsort(pos, kind="stable")
    pos, weight = pos[order], weight[order]
    first = np.flatnonzero(np.concatenate(([True], pos[1:] != pos[:-1])))
    pos, total = pos[first], np.add.reduceat(weight, first)
    return pos, np.minimum(total, 1.0)


def _in_event(pos: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    k = np.searchsorted(starts, pos, side="right") - 1
    return (k >= 0) & (pos <= ends[np.maximum(k, 0)])


def _min_key_per_group(group: np.ndarray, keys: np.ndarray, n_groups: int, fill: int) -> np.ndarray:
    out = np.full(n_groups, fill, dtype=np.int64)
    np.minimum.at(out, group, keys)
    return out


def _roc_area(fpr: np.ndarray, tpr: np.ndarray) -> float:
    x = np.concatenate(([0.0], fpr, [1.0]))
    y = np.concatenate(([0.0], tpr, [1.0]))
    return float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2.0))


def _range_auc(labels, scores, keys, n_thr, window, legacy, in_event_tp, n_pred):
    """Range-AUC (spec section 10) for one window."""
    n = labels.size
    starts, ends = label_events(labels)
    bpos, blab = _buffer_soft_labels(starts, ends, n, window, legacy)
    keep = ~_in_event(bpos, starts, ends)
    bpos, blab = bpos[keep], blab[keep]
    positives = float(np.count_nonzero(labels))
    p_prime = (positives + positives + blab.sum()) / 2
    tp = in_event_tp + _cumulative(keys[bpos], n_thr, blab)
    # existence over the maximal runs of soft label > 0
    mask = labels.copy()
    mask[bpos] = True
    run_starts, run_ends = label_events(mask)
    run_pos, run_id = concat_ranges(run_starts, run_ends + 1)
    run_key = _min_key_per_group(run_id, keys[run_pos], run_starts.size, n_thr)
    exist = _cumulative(run_key, n_thr) / run_starts.size
    tpr = np.minimum(tp / p_prime, 1.0) * exist
    precision = tp / n_pred
    with np.errstate(invalid="ignore", divide="ignore"):
        fpr = (n_pred - tp) / (n - p_prime)
    roc = _roc_area(fpr, tpr)
    t = np.concatenate(([0.0], tpr))
    p = np.concatenate(([1.0], precision))
    pr = float(np.sum(np.diff(t) * (p[1:] + p[:-1]) / 2.0))
    return roc, pr


def _vus_window(labels, starts, ends, keys, n_thr, w, in_event_tp, n_pred, event_key):
    """One window of the current VUS (spec section 11): (AUC_w, AP_w)."""
    n = labels.size
    half = w // 2
    positives = float(np.count_nonzero(labels))
    epos, elab = _buffer_soft_labels(starts, ends, n, w, legacy=False)
    keep = ~_in_event(epos, starts, ends)
    epos, elab = epos[keep], elab[keep]
    x = _cumulative(keys[epos], n_thr, elab)
    tp = in_event_tp + x
    p_prime = positives + x / 2
    # segments: events widened by half; neighbours merge unless strictly apart
    seg_lo = np.maximum(starts - half, 0)
    new_segment = np.concatenate(([True], ends[:-1] + half < starts[1:] - half))
    seg_of_event = np.cumsum(new_segment) - 1
    n_seg = int(seg_of_event[-1]) + 1
    seg_start = seg_lo[new_segment]
    seg_key = _min_key_per_group(seg_of_event, event_key, n_seg, n_thr)
    if epos.size:
        np.minimum.at(seg_key, np.searchsorted(seg_start, epos, side="right") - 1, keys[epos])
    exist = _cumulative(seg_key, n_thr) / n_seg
    tpr = np.minimum(tp / p_prime, 1.0) * exist
    precision = tp / n_pred
    with np.errstate(invalid="ignore", divide="ignore"):
        fpr = (n_pred - tp) / (n - p_prime)
    auc = _roc_area(fpr, tpr)
    ap = float(np.sum(np.diff(np.concatenate(([0.0], tpr))) * precision))
    return auc, ap


def _prepare(y_true, y_score, window, n_thresholds, version):
    labels, scores = check_targets(y_true, y_score, kind="score")
    window = check_nonnegative_int(window, "window")
    n_thr = check_positive_int(n_thresholds, "n_thresholds", minimum=2)
    if version not in ("current", "legacy"):
        raise ValueError(f"version must be 'current' or 'legacy', got {version!r}.")
    return labels, scores, window, n_thr


def _degenerate(labels: np.ndarray, metric: str) -> bool:
    """Warn for no labels (True: return nan, nan) and all labels (ROC is nan)."""
    n_pos = int(np.count_nonzero(labels))
    if n_pos == 0:
        warn_undefined(f"{metric} is undefined when y_true has no anomaly; returning nan.", stacklevel=4)
        return True
    if n_pos == labels.size:
        warn_undefined(f"{metric}: the ROC part is undefined when every point is labelled (FPR is 0/0); "
                       "returning nan for it.", stacklevel=4)
    return False


def range_auc_score(
    y_true: Any,
    y_score: Any,
    *,
    window: int = 100,
    n_thresholds: int = 250,
    version: Version = "current",
) -> RangeAUC:
    """Range-AUC-ROC and Range-AUC-PR: ROC/PR areas with soft, buffered labels.

    Labels are extended by ``window // 2`` points on both sides with weights
    ``sqrt(1 - distance / window)``; recall is multiplied by the share of
    label regions touched. Read more in docs/metrics/vus.md.

    Parameters
    ----------
    y_true, y_score : array-like of shape (n_samples,)
    window : int, default=100
        Buffer window ``W`` (vus' ``slidingWindow``; TSB-AD's default 100).
    n_thresholds : int, default=250
        Size of the rank grid of thresholds.
    version : {"current", "legacy"}, default="current"
        ``"current"``: vus 0.0.6. ``"legacy"``: the VLDB'22 code (post-buffer
        one point shorter).

    Returns
    -------
    RangeAUC
        ``(roc, pr)``; nan, nan with ``UndefinedMetricWarning`` without labels;
        ROC nan (warned) when every point is labelled.

    Examples
    --------
    >>> from pate.metrics import range_auc_score
    >>> y = [0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0]
    >>> s = [.1, .2, .3, .6, .9, .4, .5, .2, .1, .7, .3, 0]
    >>> [round(v, 12) for v in range_auc_score(y, s, window=2)]
    [0.970136132684, 0.942772538319]
    """
    labels, scores, window, n_thr = _prepare(y_true, y_score, window, n_thresholds, version)
    if _degenerate(labels, "Range-AUC"):
        return RangeAUC(float("nan"), float("nan"))
    keys = _rank_grid_keys(scores, n_thr)
    n_pred = _cumulative(keys, n_thr)
    in_event_tp = _cumulative(keys[labels], n_thr).astype(np.float64)
    roc, pr = _range_auc(labels, scores, keys, n_thr, window, version == "legacy", in_event_tp, n_pred)
    return RangeAUC(roc, pr)


def vus_score(
    y_true: Any,
    y_score: Any,
    *,
    window: int = 100,
    n_thresholds: int = 250,
    version: Version = "current",
) -> VUS:
    """VUS-ROC and VUS-PR: range-based ROC and PR areas averaged over windows 0..W.

    Read more in docs/metrics/vus.md.

    Parameters
    ----------
    y_true, y_score : array-like of shape (n_samples,)
    window : int, default=100
        Largest window ``W``; windows ``0..W`` are averaged with equal weight.
        The PATE experiments' ``get_range_vus_roc(score, labels, 20)`` is
        ``window=40, version="legacy"`` (that function doubles its argument).
    n_thresholds : int, default=250
        Size of the rank grid of thresholds (vus' ``thre``).
    version : {"current", "legacy"}, default="current"
        ``"current"``: vus 0.0.6 (``version='opt'``). ``"legacy"``: the VLDB'22
        code (mean of Range-AUC over the windows, short post-buffer).

    Returns
    -------
    VUS
        ``(roc, pr)``; nan, nan with ``UndefinedMetricWarning`` without labels;
        ROC nan (warned) when every point is labelled.

    Examples
    --------
    >>> from pate.metrics import vus_score
    >>> y = [0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0]
    >>> s = [.1, .2, .3, .6, .9, .4, .5, .2, .1, .7, .3, 0]
    >>> [round(v, 12) for v in vus_score(y, s, window=4)]
    [0.964860296584, 0.930153440442]
    """
    labels, scores, window, n_thr = _prepare(y_true, y_score, window, n_thresholds, version)
    if _degenerate(labels, "VUS"):
        return VUS(float("nan"), float("nan"))
    keys = _rank_grid_keys(scores, n_thr)
    n_pred = _cumulative(keys, n_thr)
    in_event_tp = _cumulative(keys[labels], n_thr).astype(np.float64)
    if version == "legacy":
        areas = [_range_auc(labels, scores, keys, n_thr, w, True, in_event_tp, n_pred) for w in range(window + 1)]
    else:
        starts, ends = label_events(labels)
        in_pos, in_ev = concat_ranges(starts, ends + 1)
        event_key = _min_key_per_group(in_ev, keys[in_pos], starts.size, n_thr)
        areas = [_vus_window(labels, starts, ends, keys, n_thr, w, in_event_tp, n_pred, event_key)
                 for w in range(window + 1)]
    roc, pr = np.mean(np.array(areas), axis=0)
    return VUS(float(roc), float(pr))


def _register(name: str, fn, field: str, version: str, description: str) -> None:
    def metric(y_true: Any, y_score: Any, *, window: int = 100, n_thresholds: int = 250) -> float:
        return getattr(fn(y_true, y_score, window=window, n_thresholds=n_thresholds, version=version), field)

    metric.__name__ = metric.__qualname__ = f"_{name}_metric"
    register_metric(name, input="score", description=description)(metric)


for _suffix, _version in (("", "current"), ("_legacy", "legacy")):
    _register(f"range_auc_roc{_suffix}", range_auc_score, "roc", _version, f"Range-AUC-ROC ({_version})")
    _register(f"range_auc_pr{_suffix}", range_auc_score, "pr", _version, f"Range-AUC-PR ({_version})")
    _register(f"vus_roc{_suffix}", vus_score, "roc", _version, f"VUS-ROC ({_version})")
    _register(f"vus_pr{_suffix}", vus_score, "pr", _version, f"VUS-PR ({_version})")
