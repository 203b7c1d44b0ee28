"""Metrics for time-series anomaly detection (scikit-learn style).

Every metric takes ``y_true`` first, then scores or predictions, and
keyword-only options; every metric is also reachable by name through
:func:`get_metric` (see :func:`list_metrics`).
"""

from pate.metrics._affiliation import affiliation_precision_recall_fscore, best_affiliation_f1_score
from pate.metrics._batch import pate_f1_score_batch, pate_score_batch
from pate.metrics._best_f1 import best_event_f1_score, best_pa_f1_score, best_point_f1_score
from pate.metrics._chance import ChanceLevel, chance_level
from pate.metrics._etapr import etapr_precision_recall_fscore
from pate.metrics._event_based import event_f1_score
from pate.metrics._nab import NAB_PROFILES, NabProfile, NabScore, nab_score
from pate.metrics._pate import BufferPairCurve, pate_curve, pate_f1_score, pate_score
from pate.metrics._point_adjust import (
    pak_f1_score,
    point_adjusted_f1_score,
    point_adjusted_precision_recall_fscore,
)
from pate.metrics._pointwise import (
    auc_pr_score,
    auc_pr_trapz_score,
    auc_roc_score,
    point_precision_recall_fscore,
)
from pate.metrics._range_based import (
    best_range_f1_score,
    range_f1_tsb_score,
    range_precision_recall_fscore,
)
from pate.metrics._registry import MetricInfo, get_metric, get_metric_info, list_metrics
from pate.metrics._results import PrecisionRecallFScore
from pate.metrics._rpa import mean_time_to_detect, rpa_precision_recall_fscore
from pate.metrics._vus import VUS, RangeAUC, range_auc_score, vus_score

__all__ = [
    "BufferPairCurve",
    "ChanceLevel",
    "chance_level",
    "RangeAUC",
    "VUS",
    "range_auc_score",
    "vus_score",
    "affiliation_precision_recall_fscore",
    "auc_pr_score",
    "auc_pr_trapz_score",
    "auc_roc_score",
    "best_affiliation_f1_score",
    "best_event_f1_score",
    "best_pa_f1_score",
    "best_point_f1_score",
    "etapr_precision_recall_fscore",
    "event_f1_score",
    "pak_f1_score",
    "point_adjusted_f1_score",
    "point_adjusted_precision_recall_fscore",
    "point_precision_recall_fscore",
    "best_range_f1_score",
    "range_f1_tsb_score",
    "range_precision_recall_fscore",
    "MetricInfo",
    "NAB_PROFILES",
    "NabProfile",
    "NabScore",
    "nab_score",
    "PrecisionRecallFScore",
    "get_metric",
    "get_metric_info",
    "list_metrics",
    "mean_time_to_detect",
    "rpa_precision_recall_fscore",
    "pate_curve",
    "pate_f1_score",
    "pate_f1_score_batch",
    "pate_score",
    "pate_score_batch",
]
