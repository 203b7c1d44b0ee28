"""Run detectors x series x metrics into a tidy results table: the benchmark runner.

:func:`evaluate` computes every metric of every detector of every series, on
all cores (joblib) or a dask.distributed cluster, from in-memory
:class:`Series` or the files of a benchmark (:func:`read_csv_series`,
:func:`read_label_score_trees`), and returns the *results table*: columns
:data:`RESULT_COLUMNS`, one row per series x detector x metric x params
(``params``: the canonical string of the metric's non-default options,
:func:`format_params`). ``pate evaluate`` and ``df.pate.evaluate`` run the
same task on each series. :mod:`pate.compare` analyses the table.

It imports pandas; ``import pate`` does not import it. Read more in
docs/evaluate.md.

>>> from pate.benchmark import Series, evaluate
>>> table = evaluate([Series("s", [0, 0, 1, 1, 0], {"det": [0.1, 0.2, 0.9, 0.7, 0.1]})], progress=False)
>>> table[["series", "detector", "metric", "value"]].values.tolist()
[['s', 'det', 'pate', 1.0]]
"""

from pate.benchmark._evaluate import EvaluationInterrupted, evaluate
from pate.benchmark._nab import NabScoreboard, NabThresholdWarning, nab_scoreboard
from pate.benchmark._params import MetricRequest, canonical_params, metric_requests
from pate.benchmark._readers import (
    CsvSeriesFile,
    LabelScoreFiles,
    Series,
    SeriesError,
    read_csv_series,
    read_label_score_trees,
)
from pate.benchmark._results_io import CHANCE_COLUMNS, RESULT_COLUMNS, format_params, parse_params, write_results
from pate.benchmark._thresholds import read_nab_thresholds, read_thresholds

__all__ = [
    "CHANCE_COLUMNS",
    "RESULT_COLUMNS",
    "CsvSeriesFile",
    "EvaluationInterrupted",
    "LabelScoreFiles",
    "MetricRequest",
    "NabScoreboard",
    "NabThresholdWarning",
    "Series",
    "SeriesError",
    "canonical_params",
    "evaluate",
    "format_params",
    "metric_requests",
    "nab_scoreboard",
    "parse_params",
    "read_csv_series",
    "read_label_score_trees",
    "read_nab_thresholds",
    "read_thresholds",
    "write_results",
]
