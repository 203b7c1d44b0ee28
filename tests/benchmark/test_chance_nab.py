"""Issue 23 on real detectors: NAB's 52 labelled series x 16 detectors, PATE with chance levels (99 shifts).

The published PATE ranks NAB's constant ``null`` detector first; chance-adjusted,
``null`` and ``random`` fall into the last three places and are marked no
better than chance. (benchmarks/bench_chance_nab.py times the same run.)
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from pate.benchmark import evaluate, read_csv_series
from pate.compare import leaderboard


@pytest.mark.slow  # about 30 s on one core
def test_chance_adjusted_pate_puts_null_and_random_last_on_nab(nab_dir):
    index = pd.read_csv(nab_dir / "index.csv", keep_default_na=False)
    files = [nab_dir / r.category / f"{r.series}.csv.gz" for r in index.itertuples() if int(r.n_windows) > 0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = evaluate(read_csv_series(files), metrics=["pate"], chance=99, random_state=0, progress=False)
        raw = leaderboard(results, random_state=0, n_resamples=999)
        adjusted = leaderboard(results, value="adjusted", random_state=0, n_resamples=999)
    assert results["series"].nunique() == 52 and results["detector"].nunique() == 16
    assert raw.index[0] == "null"  # the published rule's bias (docs/pate.md)
    assert {"null", "random"} <= set(adjusted.index[-3:])
    assert adjusted.loc["null", "no_better_than_chance"] and adjusted.loc["random", "no_better_than_chance"]
    assert adjusted.loc["null", "mean"] == 0.0  # a constant score is exactly at chance
    assert not adjusted.loc["ARTime", "no_better_than_chance"]
