"""Compare detectors over many series: statistics over a results table.

``pate.compare`` analyses a *results table* (series x detector x metric
values, see :func:`results_from_frame`), however it was made: leaderboards
with bootstrap intervals, Friedman's test, Wilcoxon-Holm and Nemenyi post-hoc
tests with their groups, the agreement of rankings under different metrics
and the sensitivity of PATE to its buffers. It draws nothing: the pictures
(critical-difference diagrams, buffer sensitivity) are Displays in
:mod:`pate.plot`. :func:`pate.benchmark.evaluate` makes such a table;
:func:`published_results` gives the per-series results a benchmark published
(TSB-AD's), and ``leaderboard(results, against="tsb-ad-u")`` ranks your
detectors among them.

It imports pandas and scipy; ``import pate`` does not import it.
Read more in docs/compare.md.
"""

from __future__ import annotations

import warnings
from typing import Any

import pate.benchmark
from pate.compare._buffer_sensitivity import BufferSensitivityResult, buffer_sensitivity
from pate.compare._leaderboard import leaderboard
from pate.compare._published import (
    PublishedInfo,
    PublishedJoin,
    join_published,
    list_published,
    published_results,
    published_series,
)
from pate.compare._rank_agreement import RankAgreementResult, rank_agreement
from pate.compare._results_table import (
    read_results,
    results_from_frame,
    results_from_matrix,
    results_from_wide,
    results_to_matrix,
    results_to_wide,
    results_with_value,
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
    "read_results",
    "results_from_frame",
    "results_from_matrix",
    "results_from_wide",
    "results_to_matrix",
    "results_to_wide",
    "results_with_value",
    # published results
    "PublishedInfo",
    "PublishedJoin",
    "join_published",
    "list_published",
    "published_results",
    "published_series",
    # analysis
    "BufferSensitivityResult",
    "FriedmanResult",
    "NemenyiResult",
    "RankAgreementResult",
    "WilcoxonHolmResult",
    "buffer_sensitivity",
    "friedman_test",
    "holm_adjust",
    "leaderboard",
    "nemenyi_test",
    "rank_agreement",
    "rank_groups",
    "wilcoxon_holm_test",
]

#: Names that moved to pate.benchmark in 0.2: still importable from here, with a DeprecationWarning, until 0.3.
_MOVED_TO_BENCHMARK = (
    "RESULT_COLUMNS",
    "CsvSeriesFile",
    "EvaluationInterrupted",
    "LabelScoreFiles",
    "MetricRequest",
    "Series",
    "SeriesError",
    "canonical_params",
    "evaluate",
    "format_params",
    "metric_requests",
    "parse_params",
    "read_csv_series",
    "read_label_score_trees",
    "write_results",
)


def __getattr__(name: str) -> Any:
    if name in _MOVED_TO_BENCHMARK:
        warnings.warn(
            f"pate.compare.{name} moved to pate.benchmark.{name}; import it from pate.benchmark "
            "(the old name goes in pate 0.3).",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(pate.benchmark, name)
    raise AttributeError(f"module 'pate.compare' has no attribute {name!r}")
