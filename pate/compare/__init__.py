"""Compare detectors over many series: results tables, leaderboards, rank statistics.

``pate.compare`` analyses a *results table* (series x detector x metric
values, see :func:`results_from_frame`), however it was made: leaderboards
with bootstrap intervals, Friedman's test, Wilcoxon-Holm and Nemenyi post-hoc
tests with their groups, critical-difference diagrams, the agreement of
rankings under different metrics and the sensitivity of PATE to its buffers.

:func:`evaluate` makes such a table: series x detectors x metrics on all
cores (joblib) or a dask.distributed cluster, from in-memory series or the
files of a benchmark (:func:`read_csv_series`, :func:`read_label_score_trees`).

It imports pandas and scipy; ``import pate`` does not import it.
Read more in docs/compare.md and docs/evaluate.md.
"""

from pate.compare._buffer_sensitivity import BufferSensitivityResult, buffer_sensitivity
from pate.compare._critical_difference import critical_difference_diagram
from pate.compare._evaluate import EvaluationInterrupted, evaluate
from pate.compare._leaderboard import leaderboard
from pate.compare._params import MetricRequest, canonical_params, metric_requests
from pate.compare._rank_agreement import RankAgreementResult, rank_agreement
from pate.compare._readers import (
    CsvSeriesFile,
    LabelScoreFiles,
    Series,
    SeriesError,
    read_csv_series,
    read_label_score_trees,
)
from pate.compare._results_io import write_results
from pate.compare._results_table import (
    RESULT_COLUMNS,
    format_params,
    parse_params,
    read_results,
    results_from_frame,
    results_from_matrix,
    results_from_wide,
    results_to_matrix,
    results_to_wide,
)
from pate.compare._statistical_tests import (
    FriedmanResult,
    NemenyiResult,
    WilcoxonHolmResult,
    friedman_test,
    holm_adjust,
    nemenyi_test,
    rank_groups,
    wilcoxon_holm_test,
)

__all__ = [
    # results tables
    "RESULT_COLUMNS",
    "format_params",
    "parse_params",
    "read_results",
    "results_from_frame",
    "results_from_matrix",
    "results_from_wide",
    "results_to_matrix",
    "results_to_wide",
    "write_results",
    # evaluation
    "CsvSeriesFile",
    "EvaluationInterrupted",
    "LabelScoreFiles",
    "MetricRequest",
    "Series",
    "SeriesError",
    "canonical_params",
    "evaluate",
    "metric_requests",
    "read_csv_series",
    "read_label_score_trees",
    # analysis
    "BufferSensitivityResult",
    "FriedmanResult",
    "NemenyiResult",
    "RankAgreementResult",
    "WilcoxonHolmResult",
    "buffer_sensitivity",
    "critical_difference_diagram",
    "friedman_test",
    "holm_adjust",
    "leaderboard",
    "nemenyi_test",
    "rank_agreement",
    "rank_groups",
    "wilcoxon_holm_test",
]
