"""eTaPR and affiliation against values from the published code.

tests/data/etapr_affiliation_reference.json was written by
tests/data/make_etapr_affiliation_reference.py from saurf4ng/eTaPR and
ahstat/affiliation-metrics-py (never imported here). Where a reference raises
(no label event, no predicted event), ours is undefined: compared with
``undefined="nan"`` here (the default gives 0.0 with a warning; docs/undefined.md).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from helpers import DATA

from pate.metrics import affiliation_precision_recall_fscore, etapr_precision_recall_fscore

CASES = json.loads((DATA / "etapr_affiliation_reference.json").read_text())["cases"]


def test_corpus_covers_both_metrics_and_degenerate_cases():
    assert len(CASES) >= 300
    assert any(isinstance(c["affiliation"], str) for c in CASES)  # reference raised: no label event
    assert sum(isinstance(e["value"], list) for c in CASES for e in c["etapr"]) >= 1000


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_etapr_matches_reference(quiet, case):
    y, p = np.array(case["y_true"]), np.array(case["y_pred"])
    for entry in case["etapr"]:
        got = quiet(
            etapr_precision_recall_fscore,
            y,
            p,
            theta_p=entry["theta_p"],
            theta_r=entry["theta_r"],
            delta=entry["delta"],
            undefined="nan",
        )
        if isinstance(entry["value"], str):  # reference raises: no label event or no predicted event
            assert not y.any() or not p.any()
            assert math.isnan(got.fscore)
            continue
        assert got == pytest.approx(entry["value"], abs=1e-9), entry


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_affiliation_matches_reference(quiet, case):
    y, p = np.array(case["y_true"]), np.array(case["y_pred"])
    got = quiet(affiliation_precision_recall_fscore, y, p, undefined="nan")
    ref = case["affiliation"]
    if isinstance(ref, str):  # reference raises without label events
        assert not y.any() and all(math.isnan(v) for v in got)
        return
    precision, recall = (math.nan if v is None else v for v in ref)
    if math.isnan(precision):
        assert math.isnan(got.precision)
    else:
        assert got.precision == pytest.approx(precision, abs=1e-9)
    assert got.recall == pytest.approx(recall, abs=1e-9)
