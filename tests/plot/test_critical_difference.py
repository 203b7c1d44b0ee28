"""CriticalDifferenceDisplay: what it draws equals the test's data (Agg backend, root conftest.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

matplotlib = pytest.importorskip("matplotlib", reason="the diagram needs the plot extra (matplotlib)")

import matplotlib.pyplot as plt  # noqa: E402

from pate.compare import (  # noqa: E402
    nemenyi_test,
    results_from_matrix,
    wilcoxon_holm_test,
)
from pate.plot import BufferSensitivityDisplay, CriticalDifferenceDisplay  # noqa: E402


def table(n_series, n_detectors, seed=0, names=None):
    rng = np.random.default_rng(seed)
    values = rng.random((n_series, n_detectors)) + np.linspace(0, 1.2, n_detectors)
    names = names or [f"d{j:02d}" for j in range(n_detectors)]
    return results_from_matrix(pd.DataFrame(values, columns=names), metric="pate")


@pytest.mark.parametrize("test", ["wilcoxon-holm", "nemenyi"])
def test_bars_and_labels_are_the_tests_groups_and_ranks(test):
    tidy = table(25, 7)
    display = CriticalDifferenceDisplay.from_results(tidy, test=test)
    ref = wilcoxon_holm_test(tidy) if test == "wilcoxon-holm" else nemenyi_test(tidy)
    assert display.groups == ref.groups
    assert len(display.group_lines_) == len(ref.groups)
    for group, line in zip(ref.groups, display.group_lines_):
        x0, x1 = line.get_xdata()
        assert x0 < ref.average_ranks[group[0]] and ref.average_ranks[group[-1]] < x1
    for name, text in display.labels_.items():
        assert name in text.get_text() and f"{ref.average_ranks[name]:.2f}" in text.get_text()
    if test == "nemenyi":
        x0, x1 = display.cd_line_.get_xdata()
        assert x1 - x0 == pytest.approx(ref.critical_difference)
    else:
        assert display.cd_line_ is None
    assert display.figure_ is display.ax_.figure


@pytest.mark.parametrize("k", [2, 3, 16, 30])
def test_readable_from_2_to_30_detectors_with_long_names(tmp_path, k):
    names = [f"a_rather_long_detector_name_number_{j}" for j in range(k)]
    display = CriticalDifferenceDisplay.from_results(table(20, k, names=names))
    path = tmp_path / "cd.png"
    display.figure_.savefig(path, bbox_inches="tight")
    assert path.stat().st_size > 1000
    # no two names overlap: rendered boxes are disjoint
    renderer = display.figure_.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in display.labels_.values()]
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not boxes[i].overlaps(boxes[j]), (i, j)
    # every name lies inside the figure
    fig_box = display.figure_.bbox
    for box in boxes:
        assert box.x0 >= fig_box.x0 - 1 and box.x1 <= fig_box.x1 + 1


def test_draws_on_given_axes():
    fig, ax = plt.subplots(figsize=(10, 4))
    display = CriticalDifferenceDisplay.from_results(table(10, 4), ax=ax)
    assert display.ax_ is ax and display.figure_ is fig


def test_bad_test_name():
    with pytest.raises(ValueError, match="'wilcoxon-holm' or 'nemenyi'"):
        CriticalDifferenceDisplay.from_results(table(10, 3), test="bonferroni")


def test_buffer_sensitivity_result_is_drawn_by_the_display():
    from pate.benchmark import format_params
    from pate.compare import buffer_sensitivity

    rows = []
    for size, shift in ((10, 0.0), (50, 0.1), (100, 0.2)):
        params = format_params({"early_buffer": size, "delay_buffer": size} if size != 100 else {})
        for s in range(3):
            for det, base in (("a", 0.5), ("b", 0.3)):
                rows.append((f"s{s}", det, "pate", base + shift + 0.01 * s, params))
    res = buffer_sensitivity(pd.DataFrame(rows, columns=["series", "detector", "metric", "value", "params"]))
    display = BufferSensitivityDisplay.from_result(res)
    assert display.buffer_sizes.tolist() == [10, 50, 100]
    np.testing.assert_allclose(display.values["a"], [0.51, 0.61, 0.71])
    assert set(display.lines_) == {"a", "b"}


def test_highlighted_detectors_are_bold_and_coloured_the_others_not():
    display = CriticalDifferenceDisplay.from_results(table(12, 5), highlight=["d03"])
    assert display.highlight == ("d03",)
    assert display.labels_["d03"].get_fontweight() == "bold"
    others = [t for n, t in display.labels_.items() if n != "d03"]
    assert all(t.get_fontweight() == "normal" for t in others)
    assert {t.get_color() for t in others} == {"black"} and display.labels_["d03"].get_color() != "black"


def test_highlight_must_name_detectors_of_the_diagram():
    with pytest.raises(ValueError, match=r"highlight names \['nope'\], which are not among the detectors"):
        CriticalDifferenceDisplay.from_results(table(12, 3), highlight=["nope"])
    with pytest.raises(TypeError, match="sequence of detector names, not one string"):
        CriticalDifferenceDisplay.from_results(table(12, 3), highlight="d01")


def test_tsb_ads_32_detectors_with_yours_are_readable(tmp_path):
    from pate.compare import published_results

    sub_pca = published_results("tsb-ad-u").query("detector == 'Sub-PCA'")
    mine = sub_pca.assign(detector="mine", value=1 - (1 - sub_pca["value"]) / 2)
    display = CriticalDifferenceDisplay.from_results(mine, against="tsb-ad-u")
    assert len(display.labels_) == 33 and display.highlight == ("mine",)
    display.figure_.savefig(tmp_path / "cd.png", dpi=110, bbox_inches="tight")
    renderer = display.figure_.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in display.labels_.values()]
    assert not any(boxes[i].overlaps(boxes[j]) for i in range(len(boxes)) for j in range(i + 1, len(boxes)))
    fig_box = display.figure_.bbox
    assert all(box.x0 >= fig_box.x0 - 1 and box.x1 <= fig_box.x1 + 1 for box in boxes)
    assert all(t.get_fontsize() >= 9 for t in display.labels_.values())
