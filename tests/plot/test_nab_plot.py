"""NabDisplay: the worths and detection kinds it holds, against the slow oracle and nab_score.

Figures are drawn for real with matplotlib's Agg backend (root conftest.py);
the assertions are on the data the display holds, never on pixels.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

matplotlib = pytest.importorskip("matplotlib", reason="pate.plot needs the plot extra (matplotlib)")

import matplotlib.pyplot as plt  # noqa: E402
from helpers import series  # noqa: E402
from naive.nab import naive_probation, naive_windows, naive_worth  # noqa: E402

from pate.metrics import NAB_PROFILES, nab_score  # noqa: E402
from pate.plot import NabDisplay  # noqa: E402

labelled = st.integers(min_value=1, max_value=60).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 1), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),
    )
)


@settings(max_examples=30)
@given(data=labelled, profile=st.sampled_from(list(NAB_PROFILES)), p=st.sampled_from([0.0, 0.15, 0.5]))
def test_the_display_holds_the_oracle_worths_and_nab_score(data, profile, p):
    y, pred = np.array(data[0]), np.array(data[1])
    weights = NAB_PROFILES[profile]
    display = NabDisplay.from_predictions(y, pred.astype(int), profile=profile, probationary_percent=p)
    np.testing.assert_allclose(display.worth, naive_worth(y.tolist(), weights.tp, weights.fp), rtol=1e-13, atol=1e-15)
    assert display.probationary == naive_probation(y.size, p)
    assert display.windows.tolist() == [list(w) for w in naive_windows(y.tolist())]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # no window counted: the rule's 0.0, as the display holds it
        want = nab_score(y, pred, profile=profile, probationary_percent=p)
    np.testing.assert_equal(tuple(display.result), tuple(want))
    if want.perfect == want.null:
        assert "undefined" in display.ax_.get_title()
    # the kinds: one "reward" per window detected after the probationary period, at its earliest detection
    first = display.probationary
    for s, e in naive_windows(y.tolist()):
        hits = [i for i in range(max(s, first), e + 1) if pred[i]]
        assert [i for i in range(s, e + 1) if display.detections[i] == "reward"] == hits[:1]
    assert ((display.detections != "") == pred).all()
    assert (display.detections[:first][pred[:first]] == "probationary").all()
    assert (display.detections[first:][pred[first:] & (y[first:] == 0)] == "false").all()
    plt.close("all")


def test_what_the_detections_earn_adds_up_to_the_raw_score():
    y = series(300, (100, 139), (220, 239))
    s = np.zeros(300)
    s[[10, 60, 110, 115, 150, 230, 290]] = 1.0
    display = NabDisplay.from_predictions(y, s, threshold=0.5)
    kinds = display.detections
    earned = display.worth[(kinds == "reward") | (kinds == "false")].sum()
    assert display.result.raw == pytest.approx(earned)  # both windows detected: no -A_fn
    assert kinds[10] == "probationary" and kinds[110] == "reward" and kinds[115] == "later"
    assert display.ax_worth_.get_ylim()[0] < -0.11 < 1.0 < display.ax_worth_.get_ylim()[1]
    assert "NAB score" in display.ax_.get_title()


def test_scores_without_a_threshold_show_the_worths_only():
    y = series(50, (20, 29))
    display = NabDisplay.from_predictions(y, np.linspace(0, 1, 50), profile=(1, 0.5, 1))
    assert display.result is None and (display.detections == "").all()
    assert display.worth[10] == -0.5 and display.worth[20] == 1.0
    again = display.plot(name="again")
    assert again is display and "again" in display.ax_.get_title()


def test_bad_threshold_and_profile():
    y = series(50, (20, 29))
    with pytest.raises(ValueError, match="threshold must be a finite number"):
        NabDisplay.from_predictions(y, np.zeros(50), threshold=float("nan"))
    with pytest.raises(ValueError, match="Unknown NAB profile"):
        NabDisplay.from_predictions(y, np.zeros(50), profile="nope")
