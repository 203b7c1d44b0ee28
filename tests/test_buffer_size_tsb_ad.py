"""TSB-AD's VUS-PR of one series: its window (the period estimate) and the value, against TSB-AD's own code.

TSB-AD's benchmark sets the VUS window of a series to ``find_length_rank(x, rank=1)``
of its first channel: the rule of ``pate.suggest_buffer_size`` with the default 125
instead of 100. The reference values (``tests/data/tsb_ad_window_reference.json``)
come from TSB-AD's source run by ``tests/data/make_tsb_ad_window_reference.py``.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from helpers import DATA, REPO

from pate import suggest_buffer_size
from pate.metrics import vus_score

TSB_AD_DEFAULT = 125


@lru_cache(maxsize=1)
def reference() -> dict:
    return json.loads((DATA / "tsb_ad_window_reference.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def inputs() -> dict[str, np.ndarray]:
    """The synthetic series of buffer_size_reference.json.gz (TSB-AD's window was computed on the same)."""
    with gzip.open(DATA / "buffer_size_reference.json.gz", "rt", encoding="utf-8") as f:
        cases = json.load(f)["synthetic"]
    return {c["id"]: np.array([math.nan if v is None else float(v) for v in c["x"]]) for c in cases}


@lru_cache(maxsize=None)
def columns(path: Path) -> dict[str, np.ndarray]:
    with gzip.open(path, "rt", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    return {col: np.array([float(r[j]) for r in body]) for j, col in enumerate(header) if col != "timestamp"}


def tsb_ad_window(x: np.ndarray) -> int:
    return suggest_buffer_size(x, default=TSB_AD_DEFAULT).buffer_size


SYNTHETIC = sorted(reference()["synthetic"])


@pytest.mark.parametrize("case", SYNTHETIC)
def test_the_window_equals_tsb_ads_on_generated_series(case):
    expected = reference()["synthetic"][case]
    x = inputs()[case]
    if "error" in expected:
        # one point: TSB-AD's squeeze leaves a 0-d array and len() fails; pate falls back to the default
        assert x.size == 1 and expected["error"] == "TypeError"
        s = suggest_buffer_size(x, default=TSB_AD_DEFAULT)
        assert s.fallback and s.buffer_size == TSB_AD_DEFAULT
    elif not np.isfinite(x).all():
        # TSB-AD drops rows with NaN before estimating; on NaN or infinity its ACF is NaN, hence the default
        assert expected["value"] == TSB_AD_DEFAULT
        with pytest.raises(ValueError, match="x contains"):
            suggest_buffer_size(x, default=TSB_AD_DEFAULT)
    else:
        assert tsb_ad_window(x) == expected["value"]


def test_the_generated_series_cover_the_rule():
    values = [v.get("value") for v in reference()["synthetic"].values()]
    assert values.count(TSB_AD_DEFAULT) >= 10  # fallbacks: no maximum, or outside [6, 303]
    assert len({v for v in values if v not in (None, TSB_AD_DEFAULT)}) >= 30  # many accepted lags
    assert 6 in values and 303 in values  # both ends of the accepted range


def test_the_window_equals_tsb_ads_on_every_nab_column(nab_dir):
    nab = nab_dir
    cases = reference()["nab"]
    assert len(cases) >= 900  # 58 series x (value + 16 detectors)
    mismatches = [
        (rel, col, tsb_ad_window(columns(nab / rel)[col]), expected)
        for rel, col, expected in cases
        if tsb_ad_window(columns(nab / rel)[col]) != expected
    ]
    assert not mismatches


SHIPPED = reference()["shipped_vus_pr"]


@pytest.mark.parametrize("case", SHIPPED, ids=[f"{Path(c['file']).name}-{c['detector']}" for c in SHIPPED])
def test_vus_pr_with_the_window_equals_tsb_ads_get_metrics(case):
    data = columns(REPO / case["file"])
    window = tsb_ad_window(data["value"])
    assert window == case["window"]
    ours = vus_score(data["label"].astype(int), data[case["detector"]], window=window).pr
    assert ours == pytest.approx(case["vus_pr"], rel=1e-12, abs=1e-14)


def test_the_shipped_reference_covers_both_series_and_every_detector():
    assert {(Path(c["file"]).name, c["detector"]) for c in SHIPPED} == {
        (path.name, col)
        for path in (REPO / "pate" / "data").glob("*.csv.gz")
        for col in columns(path)
        if col not in ("value", "label")
    }
