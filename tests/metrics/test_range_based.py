"""Range-based precision/recall/F (Tatbul et al.), TSB-AD's R-based-F1 and its best over thresholds.

* the known values of docs/spec/baseline-metrics.md, sections 7, 7b and 12;
* the reference corpus ``tests/data/range_based_reference.json`` (made with
  prts 1.0.0.3 and TSB-AD 1.5 by ``tests/data/make_range_based_reference.py``),
  compared bit for bit;
* degenerate inputs, option validation, the registry;
* hypothesis properties (ranges, perfect predictions, symmetry, input types,
  no mutation, agreement between the two arithmetic orders and the two kernels).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from helpers import DATA, REPO, series
from hypothesis import given, settings
from hypothesis import strategies as st

from pate._warnings import undefined_metric_warning_class
from pate.metrics import get_metric, get_metric_info
from pate.metrics._range_based import (
    best_range_f1_score,
    range_f1_tsb_score,
    range_precision_recall_fscore,
)
from pate.metrics._results import PrecisionRecallFScore
from pate.metrics._threshold_grid import tsb_threshold_grid

DATA = DATA / "range_based_reference.json"
BIASES = ("flat", "front", "middle", "back")


def _bits(text: str) -> np.ndarray:
    return np.frombuffer(text.encode(), dtype=np.uint8) - ord("0")


@pytest.fixture(scope="module")
def reference():
    return json.loads(DATA.read_text())


# --- baseline-metrics sections 7, 7b and 12 ---------------------------------------------------

SPEC_Y = series(30, (5, 14), (20, 21))
SPEC_P = series(30, (3, 6), (8, 8), (10, 20))

SECTION_7 = [
    ({}, (0.6818181818181818, 0.65, 0.6655290102389079)),
    (dict(cardinality="reciprocal"), (0.5909090909090909, 0.3833333333333333, 0.4650077760497667)),
    (dict(alpha_p=0.2, alpha_r=0.2), (0.7454545454545455, 0.7200000000000001, 0.7325062034739455)),
    (dict(bias_r="front"), (0.6818181818181818, 0.706060606060606, 0.6937276697102025)),
    (dict(bias_r="back"), (0.6818181818181818, 0.5939393939393939, 0.6348520837832001)),
    (dict(bias_r="middle"), (0.6818181818181818, 0.6166666666666667, 0.647607934655776)),
    (
        dict(alpha_r=0.5, cardinality="reciprocal", bias_p="back"),
        (0.6323232323232323, 0.6916666666666667, 0.660665013669019),
    ),
]


@pytest.mark.parametrize("options, expected", SECTION_7)
def test_spec_section_7_values(options, expected):
    got = range_precision_recall_fscore(SPEC_Y, SPEC_P, **options)
    assert isinstance(got, PrecisionRecallFScore)
    assert tuple(got) == expected  # bit for bit
    assert all(type(v) is float for v in got)


def test_spec_section_7b_values():
    assert range_f1_tsb_score(SPEC_Y, SPEC_P) == 0.5455549420209829
    assert range_f1_tsb_score(SPEC_Y, SPEC_P, compat=True) == 0.5455549420209829
    # an event spanning the whole series: TSB-AD does not see it
    assert range_f1_tsb_score(series(10, (0, 9)), series(10, (3, 4)), compat=True) == 0.0
    assert range_f1_tsb_score(series(10, (0, 9)), series(10, (3, 4))) == pytest.approx(
        range_precision_recall_fscore(
            series(10, (0, 9)), series(10, (3, 4)), alpha_r=0.2, cardinality="reciprocal"
        ).fscore,
        abs=1e-15,
    )


def test_spec_section_7b_whole_series_prediction():
    # compat: an all-one prediction has precision 0, so F is 0; the default sees the run
    y, p = series(10, (2, 3), (7, 7)), np.ones(10, dtype=int)
    assert range_f1_tsb_score(y, p, compat=True) == 0.0
    expected = range_precision_recall_fscore(y, p, alpha_r=0.2, cardinality="reciprocal").fscore
    assert range_f1_tsb_score(y, p) == pytest.approx(expected, abs=1e-15)
    assert range_f1_tsb_score(y, p) > 0.0


SECTION_12 = [
    (series(12, (4, 5), (9, 9)), [0.1, 0.2, 0.3, 0.6, 0.9, 0.4, 0.5, 0.2, 0.1, 0.7, 0.3, 0.0], 0.888888888888889),
    (series(6, (2, 3)), [0.1, 0.85, 0.9, 0.8, 0.3, 0.1], 0.8),
    (series(10, (4, 5)), [0.0] * 10, 0.0),
]


@pytest.mark.parametrize("y_true, y_score, expected", SECTION_12)
@pytest.mark.parametrize("compat", [False, True])
def test_spec_section_12_values(y_true, y_score, expected, compat):
    assert best_range_f1_score(y_true, y_score, compat=compat) == expected


# --- reference corpus (prts 1.0.0.3, TSB-AD 1.5) --------------------------------------


def test_reference_corpus_is_small_and_complete(reference):
    assert DATA.stat().st_size < 1_000_000
    assert len(reference["binary"]) >= 200 and len(reference["score"]) >= 100
    assert any(all(v is None for v in case["prts"]) for case in reference["binary"])


def test_prts_agreement_bit_for_bit(reference):
    checked = 0
    for case in reference["binary"]:
        y, p = _bits(case["y_true"]), _bits(case["y_pred"])
        for options, expected in zip(reference["prts_options"], case["prts"]):
            if expected is None:
                continue  # prts asserts: see test_prts_degenerate_inputs
            got = range_precision_recall_fscore(y, p, **options)
            assert list(got) == expected, (case["y_true"], case["y_pred"], options)
            checked += 1
    assert checked > 1000


def test_udf_gamma_is_in_the_corpus_and_equals_one(reference):
    # prts' default user-defined gamma is 1 / 1.0: the numbers of cardinality="one"
    udf = [i for i, o in enumerate(reference["prts_options"]) if o["cardinality"] == "udf_gamma"]
    assert len(udf) >= 3
    y, p = SPEC_Y, SPEC_P
    for i in udf:
        options = dict(reference["prts_options"][i], cardinality="one")
        assert range_precision_recall_fscore(y, p, **reference["prts_options"][i]) == range_precision_recall_fscore(
            y, p, **options
        )
    assert get_metric("range_f1")(y, p, cardinality="udf_gamma") == 0.6655290102389079


def test_prts_degenerate_inputs(reference):
    # prts raises on no label or no prediction; we warn and return 0.0 (the C++ tool's values)
    cases = [c for c in reference["binary"] if c["prts"][0] is None]
    assert len(cases) >= 4
    for case in cases:
        y, p = _bits(case["y_true"]), _bits(case["y_pred"])
        assert not y.any() or not p.any()
        for options in reference["prts_options"]:
            with pytest.warns(undefined_metric_warning_class()):
                got = range_precision_recall_fscore(y, p, **options)
            assert got.fscore == 0.0
            if not y.any():
                assert got.recall == 0.0
            if not p.any():
                assert got.precision == 0.0


@pytest.mark.parametrize("compat", [False, True])
def test_tsb_agreement_bit_for_bit(quiet, reference, compat):
    key = "tsb_compat" if compat else "tsb_default"
    for case in reference["binary"]:
        y, p = _bits(case["y_true"]), _bits(case["y_pred"])
        got = quiet(range_f1_tsb_score, y, p, compat=compat)
        assert got == case[key], (case["y_true"], case["y_pred"])


def test_tsb_modes_differ_only_on_whole_series_events(reference):
    differ = [c for c in reference["binary"] if c["tsb_compat"] != c["tsb_default"]]
    assert differ
    for case in differ:
        assert "0" not in case["y_true"] or "0" not in case["y_pred"]


@pytest.mark.parametrize("compat", [False, True])
def test_best_range_f1_agreement_bit_for_bit(quiet, reference, compat):
    key = "best_compat" if compat else "best_default"
    for case in reference["score"]:
        y, s = _bits(case["y_true"]), np.array(case["y_score"])
        assert quiet(best_range_f1_score, y, s, compat=compat) == case[key], case["y_true"]


# --- degenerate inputs --------------------------------------------------------------


def test_degenerate_values_and_warnings():
    warning = undefined_metric_warning_class()
    none, some = np.zeros(10, dtype=int), series(10, (3, 4))
    with pytest.warns(warning, match="recall is undefined"):
        assert range_precision_recall_fscore(none, some) == (0.0, 0.0, 0.0)
    with pytest.warns(warning, match="precision is undefined"):
        assert range_precision_recall_fscore(some, none) == (0.0, 0.0, 0.0)
    with pytest.warns(warning):
        assert range_precision_recall_fscore(none, none) == (0.0, 0.0, 0.0)
    for compat in (False, True):
        with pytest.warns(warning, match="recall is undefined"):
            assert range_f1_tsb_score(none, some, compat=compat) == 0.0
        with pytest.warns(warning, match="precision is undefined"):
            assert range_f1_tsb_score(some, none, compat=compat) == 0.0
        with pytest.warns(warning, match="recall is undefined"):
            assert best_range_f1_score(none, np.arange(10.0), compat=compat) == 0.0


def test_no_warning_on_ordinary_zero_and_constant_score():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert range_precision_recall_fscore(series(10, (1, 2)), series(10, (6, 7))) == (0.0, 0.0, 0.0)
        assert range_f1_tsb_score(series(10, (1, 2)), series(10, (6, 7))) == 0.0
        assert best_range_f1_score(series(10, (1, 2)), np.full(10, 0.3)) == 0.0


def test_all_one_labels():
    y = np.ones(8, dtype=int)
    s = np.array([0.1, 0.5, 0.9, 0.2, 0.8, 0.3, 0.4, 0.0])
    assert best_range_f1_score(y, s, compat=True) == 0.0
    assert best_range_f1_score(y, s) > 0.0
    assert range_precision_recall_fscore(y, y) == (1.0, 1.0, 1.0)
    assert range_precision_recall_fscore([1], [1]) == (1.0, 1.0, 1.0)
    assert range_f1_tsb_score([1], [1], compat=True) == 0.0


# --- validation, options and the registry -------------------------------------------


@pytest.mark.parametrize(
    "options, error, match",
    [
        (dict(bias_p="fronts"), ValueError, "bias_p must be one of"),
        (dict(bias_r=1), ValueError, "bias_r must be one of"),
        (dict(cardinality="udf"), ValueError, "cardinality must be one of"),
        (dict(alpha_p=1.5), ValueError, r"alpha_p must be in \[0.0, 1.0\]"),
        (dict(alpha_r=-0.1), ValueError, "alpha_r must be in"),
        (dict(alpha_r="0.2"), TypeError, "alpha_r must be a number"),
        (dict(beta=-1.0), ValueError, "beta must be in"),
        (dict(beta=float("inf")), ValueError, "beta must be finite"),
        (dict(beta=float("nan")), ValueError, "beta must be in"),
    ],
)
def test_option_errors(options, error, match):
    with pytest.raises(error, match=match):
        range_precision_recall_fscore(SPEC_Y, SPEC_P, **options)


def test_input_errors_come_from_the_shared_layer():
    with pytest.raises(ValueError, match="must have the same length"):
        range_precision_recall_fscore([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="y_pred must contain only 0 and 1"):
        range_f1_tsb_score([0, 1, 1], [0, 0.5, 1])
    with pytest.raises(ValueError, match="y_score contains NaN"):
        best_range_f1_score([0, 1, 1], [0, np.nan, 1])
    with pytest.raises(TypeError, match="compat must be True or False"):
        range_f1_tsb_score([0, 1], [0, 1], compat="yes")
    with pytest.raises(TypeError, match="compat must be True or False"):
        best_range_f1_score([0, 1], [0, 1], compat=1)


def test_beta_weights_recall():
    precision, recall, _ = range_precision_recall_fscore(SPEC_Y, SPEC_P)
    assert range_precision_recall_fscore(SPEC_Y, SPEC_P, beta=0).fscore == pytest.approx(precision, abs=1e-15)
    f2 = range_precision_recall_fscore(SPEC_Y, SPEC_P, beta=2).fscore
    assert f2 == pytest.approx(5 * precision * recall / (4 * precision + recall), abs=1e-15)


REGISTRY = {
    "range_precision": ("binary", ("alpha_p", "bias_p", "cardinality", "undefined")),
    "range_recall": ("binary", ("alpha_r", "bias_r", "cardinality", "undefined")),
    "range_f1": ("binary", ("alpha_p", "alpha_r", "bias_p", "bias_r", "cardinality", "beta", "undefined")),
    "range_f1_tsb": ("binary", ("compat", "undefined")),
    "best_range_f1": ("score", ("compat", "undefined")),
}


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_registry_entries(name):
    info = get_metric_info(name)
    assert (info.input, info.params) == REGISTRY[name]
    assert info.description


def test_registry_values():
    options = dict(alpha_p=0.1, alpha_r=0.3, bias_p="back", bias_r="middle", cardinality="reciprocal")
    expected = range_precision_recall_fscore(SPEC_Y, SPEC_P, beta=2.0, **options)
    precision_options = {k: options[k] for k in ("alpha_p", "bias_p", "cardinality")}
    recall_options = {k: options[k] for k in ("alpha_r", "bias_r", "cardinality")}
    assert get_metric("range_precision")(SPEC_Y, SPEC_P, **precision_options) == expected.precision
    assert get_metric("range_recall")(SPEC_Y, SPEC_P, **recall_options) == expected.recall
    assert get_metric("range_f1")(SPEC_Y, SPEC_P, beta=2.0, **options) == expected.fscore
    assert get_metric("range_f1_tsb")(SPEC_Y, SPEC_P, compat=True) == 0.5455549420209829
    s = [0.1, 0.85, 0.9, 0.8, 0.3, 0.1]
    assert get_metric("best_range_f1")(series(6, (2, 3)), s) == 0.8


# --- structure ------------------------------------------------------------------------


@pytest.mark.slow  # a fresh interpreter
def test_import_does_not_load_numba():
    code = "import sys, pate, pate.metrics._range_based; print('numba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "False"


def test_kernel_file_holds_only_jitted_functions():
    tree = ast.parse((REPO / "pate" / "_kernels" / "range_based.py").read_text())
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    assert functions
    for func in functions:
        decorators = [ast.unparse(d) for d in func.decorator_list]
        assert decorators == ["njit(cache=True)"], func.name
    assert not [n for n in tree.body if isinstance(n, ast.ClassDef)]


# --- properties -----------------------------------------------------------------------

binary_arrays = st.lists(st.booleans(), min_size=1, max_size=60).map(lambda v: np.array(v, dtype=int))


@st.composite
def label_prediction_pairs(draw):
    y = draw(binary_arrays)
    p = draw(st.lists(st.booleans(), min_size=y.size, max_size=y.size).map(lambda v: np.array(v, dtype=int)))
    return y, p


options_strategy = st.fixed_dictionaries(
    dict(
        alpha_p=st.floats(0, 1),
        alpha_r=st.floats(0, 1),
        bias_p=st.sampled_from(BIASES),
        bias_r=st.sampled_from(BIASES),
        cardinality=st.sampled_from(("one", "reciprocal")),
        beta=st.floats(0, 10),
    )
)


@settings(max_examples=200, deadline=None)
@given(label_prediction_pairs(), options_strategy)
def test_values_in_unit_interval(quiet, pair, options):
    y, p = pair
    values = quiet(range_precision_recall_fscore, y, p, **options)
    assert all(0.0 <= v <= 1.0 for v in values)
    assert 0.0 <= quiet(range_f1_tsb_score, y, p) <= 1.0
    # compat keeps TSB-AD's rounding, which can exceed 1 by an ulp or two
    assert 0.0 <= quiet(range_f1_tsb_score, y, p, compat=True) <= 1.0 + 4 * np.finfo(float).eps


def test_perfect_f1_is_not_above_one():
    y = [1, 0, 0, 1, 0, 1]  # TSB-AD's rounding gives 1.0000000000000002 here
    assert range_f1_tsb_score(y, y) == 1.0
    assert best_range_f1_score(y, [float(v) for v in y]) <= 1.0
    assert range_f1_tsb_score(y, y, compat=True) == pytest.approx(1.0, abs=1e-15)


@settings(max_examples=150, deadline=None)
@given(binary_arrays.filter(lambda y: y.any()), options_strategy)
def test_perfect_prediction_scores_one(y, options):
    assert range_precision_recall_fscore(y, y, **options) == (1.0, 1.0, 1.0)
    assert range_f1_tsb_score(y, y) == pytest.approx(1.0, abs=1e-15)
    if not y.all():  # (a constant score predicts nothing on the oracle grid)
        assert best_range_f1_score(y, y.astype(float)) == pytest.approx(1.0, abs=1e-15)
        assert range_f1_tsb_score(y, y, compat=True) == pytest.approx(1.0, abs=1e-15)


@settings(max_examples=150, deadline=None)
@given(label_prediction_pairs(), st.floats(0, 1), st.sampled_from(BIASES), st.sampled_from(("one", "reciprocal")))
def test_precision_is_recall_with_roles_swapped(quiet, pair, alpha, bias, cardinality):
    y, p = pair
    forward = quiet(range_precision_recall_fscore, y, p, alpha_p=alpha, bias_p=bias, cardinality=cardinality)
    swapped = quiet(range_precision_recall_fscore, p, y, alpha_r=alpha, bias_r=bias, cardinality=cardinality)
    assert forward.precision == swapped.recall


@settings(max_examples=150, deadline=None)
@given(label_prediction_pairs())
def test_tsb_order_of_operations_is_the_only_difference(quiet, pair):
    # Default range_f1_tsb is range_f1 at alpha_r=0.2, reciprocal, flat, up to rounding.
    y, p = pair
    expected = quiet(range_precision_recall_fscore, y, p, alpha_r=0.2, cardinality="reciprocal").fscore
    assert quiet(range_f1_tsb_score, y, p) == pytest.approx(expected, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(label_prediction_pairs(), st.integers(0, 3), st.integers(0, 3))
def test_zero_padding_changes_nothing_by_default(quiet, pair, before, after):
    y, p = pair
    pad = lambda a: np.concatenate((np.zeros(before, int), a, np.zeros(after, int)))  # noqa: E731
    assert quiet(range_precision_recall_fscore, pad(y), pad(p)) == quiet(range_precision_recall_fscore, y, p)
    assert quiet(range_f1_tsb_score, pad(y), pad(p)) == quiet(range_f1_tsb_score, y, p)


@settings(max_examples=100, deadline=None)
@given(binary_arrays.filter(lambda y: y.any()), st.data())
def test_best_is_the_max_over_the_oracle_grid(quiet, y, data):
    scores = np.array(
        data.draw(st.lists(st.sampled_from([0.0, 0.25, 0.5, 0.7, 1.0, 3.0]), min_size=y.size, max_size=y.size))
    )
    for compat in (False, True):
        per_threshold = [
            quiet(range_f1_tsb_score, y, (scores > theta).astype(int), compat=compat)
            for theta in tsb_threshold_grid(scores)
        ]
        assert best_range_f1_score(y, scores, compat=compat) == max(per_threshold)


@settings(max_examples=100, deadline=None)
@given(label_prediction_pairs())
def test_input_type_invariance_and_no_mutation(quiet, pair):
    y, p = pair
    expected = quiet(range_precision_recall_fscore, y, p, cardinality="reciprocal", alpha_r=0.3)
    expected_tsb = quiet(range_f1_tsb_score, y, p)
    expected_best = quiet(best_range_f1_score, y, p.astype(float))
    for convert in (list, lambda a: a.astype(bool), lambda a: a.astype(float), lambda a: a.astype(np.int8), pd.Series):
        yy, pp = convert(y.copy()), convert(p.copy())
        y_before, p_before = np.array(yy, copy=True), np.array(pp, copy=True)
        assert quiet(range_precision_recall_fscore, yy, pp, cardinality="reciprocal", alpha_r=0.3) == expected
        assert quiet(range_f1_tsb_score, yy, pp) == expected_tsb
        assert quiet(best_range_f1_score, yy, pp) == expected_best
        np.testing.assert_array_equal(np.asarray(yy), y_before)
        np.testing.assert_array_equal(np.asarray(pp), p_before)
