"""The registry names every metric of issues 2 and 3 with its input kind and options."""

from __future__ import annotations

import numpy as np
import pytest

from pate.metrics import get_metric, get_metric_info, list_metrics

REQUIRED = {
    "pate": "score",
    "pate_f1": "binary",
    "point_precision": "binary",
    "point_recall": "binary",
    "point_f1": "binary",
    "auc_roc": "score",
    "auc_pr": "score",
    "auc_pr_trapz": "score",
    "pa_precision": "binary",
    "pa_recall": "binary",
    "pa_f1": "binary",
    "pak_f1": "binary",
    "event_f1": "binary",
    "range_precision": "binary",
    "range_recall": "binary",
    "range_f1": "binary",
    "range_f1_tsb": "binary",
    "etapr_precision": "binary",
    "etapr_recall": "binary",
    "etapr_f1": "binary",
    "affiliation_precision": "binary",
    "affiliation_recall": "binary",
    "affiliation_f1": "binary",
    "range_auc_roc": "score",
    "range_auc_pr": "score",
    "vus_roc": "score",
    "vus_pr": "score",
    "range_auc_roc_legacy": "score",
    "range_auc_pr_legacy": "score",
    "vus_roc_legacy": "score",
    "vus_pr_legacy": "score",
    "best_point_f1": "score",
    "best_pa_f1": "score",
    "best_event_f1": "score",
    "best_range_f1": "score",
    "best_affiliation_f1": "score",
}
PARAMS = {
    "pak_f1": {"k"},
    "range_f1": {"alpha_p", "alpha_r", "bias_p", "bias_r", "cardinality", "beta"},
    "etapr_f1": {"theta_p", "theta_r", "delta"},
    "vus_pr": {"window", "n_thresholds"},
    "range_auc_roc_legacy": {"window", "n_thresholds"},
    "event_f1": {"compat"},
    "pa_f1": {"compat"},
    "affiliation_f1": {"compat"},
    "pate": {
        "early_buffer",
        "delay_buffer",
        "n_buffer_splits",
        "include_zero",
        "n_thresholds",
        "drop_intermediate",
        "backend",
    },
}


def test_every_required_name_is_registered_with_its_input_kind():
    names = {m.name: m.input for m in list_metrics()}
    missing = sorted(set(REQUIRED) - set(names))
    assert not missing
    assert {n: names[n] for n in REQUIRED} == REQUIRED


@pytest.mark.parametrize("name, params", sorted(PARAMS.items()))
def test_parameter_names(name, params):
    assert params <= set(get_metric_info(name).params)


def test_unknown_names_suggest_close_ones():
    with pytest.raises(ValueError, match="Did you mean 'vus_pr'"):
        get_metric("vus_p")


@pytest.mark.parametrize(
    "name, hidden",
    [
        ("range_precision", "alpha_r"),
        ("affiliation_precision", "compat"),
        ("vus_pr", "version"),
        ("point_f1", "compat"),
    ],
)
def test_a_field_of_a_result_takes_only_its_own_options(name, hidden):
    # a name that picks one field of a named result exposes only the options it
    # states; a fixed or hidden option is an error, as for any Python function
    with pytest.raises(TypeError, match=f"unexpected keyword argument '{hidden}'"):
        get_metric(name)([0, 1, 1, 0], [0, 1, 1, 0], **{hidden: 1})


def test_a_field_name_returns_that_field_of_the_public_function():
    from pate.metrics import range_auc_score, range_precision_recall_fscore

    y, s = np.array([0, 0, 1, 1, 0, 0, 0, 1, 0, 0]), np.linspace(0, 1, 10)
    assert get_metric("range_auc_pr_legacy")(y, s, window=2) == range_auc_score(y, s, window=2, version="legacy").pr
    assert (
        get_metric("range_recall")(y, s > 0.5, alpha_r=0.5)
        == range_precision_recall_fscore(y, s > 0.5, alpha_r=0.5).recall
    )


@pytest.mark.parametrize("info", list_metrics(), ids=lambda m: m.name)
def test_every_entry_belongs_to_its_family_module(info):
    # `pate metrics NAME` finds the User Guide page from the function's module
    assert info.func.__module__.startswith("pate.metrics._")
    assert info.func.__module__ != "pate.metrics._registry"
