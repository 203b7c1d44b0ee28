"""Make tests/data/merlion_reference.json from salesforce-merlion 2.0.4.

Records Merlion's revised point-adjusted precision, recall and F1 and its mean
time to detect (``merlion.evaluate.anomaly.accumulate_tsad_score``) on
hypothesis-made cases and on hand-made edge cases, for every combination of
the tolerances ``max_early_sec`` and ``max_delay_sec`` drawn for the case.
Not run by the tests; they only read the JSON it writes. Merlion is never
vendored or imported by the package: it lives in a scratch virtualenv outside
the repository.

Make the environment (Python 3.11; Merlion 2.0.4 predates numpy 2 and pandas 2)::

    python3 -m venv /tmp/i24-merlion
    /tmp/i24-merlion/bin/pip install "numpy<2" "pandas<2" scipy tqdm dill scikit-learn matplotlib plotly hypothesis
    /tmp/i24-merlion/bin/pip install --no-deps salesforce-merlion==2.0.4

(the extra packages are what ``merlion.evaluate.anomaly`` imports at run time).
Then, from the repository root::

    /tmp/i24-merlion/bin/python tests/data/make_merlion_reference.py

Cases. Each has labels and alarms (strings of 0/1), a time mode and times:

* ``samples``: no timestamps on our side; Merlion gets the times 0, 1, ...,
  n - 1 seconds and the tolerances in seconds (= samples).
* ``regular``: date-times with a fixed step (1 s to 1 h); our side gets
  ``datetime64`` times and the tolerances as time spans.
* ``irregular``: date-times with random gaps (whole seconds or multiples of
  250 ms, exact in Merlion's float seconds); tolerances as time spans, some
  equal to a distance between two samples (window edges).
* ``numeric``: irregular times given as plain numbers; tolerances as numbers.

``times`` are float seconds since the epoch (exact binary fractions). Each
case lists ``early`` and ``delay``, the tolerances tried (seconds, ``null``
for None), and ``results``: one row per (early, delay) pair, early in the
outer loop, ``[tp_events, fn_events, fp_points, precision, recall, f1,
mean_delay, mttd_seconds]`` where ``mean_delay`` is the mean of Merlion's
``tp_detection_delays`` (``null`` without a detected event) and
``mttd_seconds`` is ``mean_time_to_detect().total_seconds()`` (Merlion
truncates to whole seconds, and gives 0 without a detected event).
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

OUT = Path(__file__).resolve().parent / "merlion_reference.json"
EPOCH = 1_400_000_000  # 2014-05-13, as NAB's years
N_HYPOTHESIS = 400


def merlion(times: list[float], labels: str, alarms: str, early: float | None, delay: float | None) -> list:
    # Merlion lives in the scratch virtualenv only (this module is also collected by the tests' doctest run)
    from merlion.evaluate.anomaly import accumulate_tsad_score
    from merlion.utils import UnivariateTimeSeries

    # A DatetimeIndex made from whole milliseconds: Merlion's own float-seconds path
    # (time_stamps=[...]) goes through float nanoseconds and can lose a millisecond.
    index = pd.to_datetime(np.round(np.asarray(times) * 1000).astype(np.int64), unit="ms")
    gt = UnivariateTimeSeries(None, pd.Series([int(c) for c in labels], index=index, dtype=float))
    pred = UnivariateTimeSeries(None, pd.Series([int(c) for c in alarms], index=index, dtype=float))
    acc = accumulate_tsad_score(gt, pred, max_early_sec=early, max_delay_sec=delay)
    delays = acc.tp_detection_delays
    return [
        acc.num_tp_anom,
        acc.num_fn_anom,
        acc.num_fp,
        acc.precision(),
        acc.recall(),
        acc.f1(),
        float(np.mean(delays)) if delays else None,
        acc.mean_time_to_detect().total_seconds(),
    ]


def record(cases: list, name: str, mode: str, times: list[float], labels: str, alarms: str, early, delay) -> None:
    early = list(dict.fromkeys([None, 0, *early]))
    delay = list(dict.fromkeys([None, 0, *delay]))
    results = [merlion(times, labels, alarms, e, d) for e, d in itertools.product(early, delay)]
    cases.append(
        dict(name=name, mode=mode, times=times, labels=labels, alarms=alarms, early=early, delay=delay, results=results)
    )


@st.composite
def case(draw):
    n = draw(st.integers(1, 30))
    # labels as runs, so that events of every length and gap appear
    labels = []
    value = draw(st.booleans())
    while len(labels) < n:
        labels += [value] * draw(st.integers(1, 6))
        value = not value
    labels = "".join("1" if v else "0" for v in labels[:n])
    alarms = "".join(draw(st.sampled_from("0001")) for _ in range(n))
    mode = draw(st.sampled_from(["samples", "regular", "irregular", "numeric"]))
    if mode == "samples":
        times = [float(i) for i in range(n)]
        pool = st.integers(1, n + 3)
    elif mode == "regular":
        step = draw(st.sampled_from([1, 60, 300, 3600]))
        start = EPOCH + draw(st.integers(0, 10**6))
        times = [float(start + i * step) for i in range(n)]
        pool = st.integers(1, 8).map(lambda k, s=step: k * s) | st.integers(1, 8 * step)
    else:
        quarter = draw(st.booleans())
        gaps = draw(st.lists(st.integers(1, 3600), min_size=n - 1, max_size=n - 1))
        scale = 0.25 if quarter else 1.0
        start = EPOCH + draw(st.integers(0, 10**6))
        times = [float(start)]
        for g in gaps:
            times.append(times[-1] + g * scale)
        total = max(times[-1] - times[0], 1.0)
        # distances between samples hit the windows' edges exactly
        edges = [times[j] - times[i] for i in range(n) for j in range(i + 1, n)] or [1.0]
        pool = st.sampled_from(edges) | st.floats(0.25, total * 1.5).map(lambda x: round(x * 4) / 4)
    early = draw(st.lists(pool, min_size=2, max_size=2))
    delay = draw(st.lists(pool, min_size=2, max_size=2))
    return mode, times, labels, alarms, early, delay


def hypothesis_cases(cases: list) -> None:
    @settings(max_examples=N_HYPOTHESIS, derandomize=True, database=None, deadline=None)
    @given(case())
    def collect(drawn):
        mode, times, labels, alarms, early, delay = drawn
        record(cases, f"hypothesis-{len(cases)}", mode, times, labels, alarms, early, delay)

    collect()


def edge_cases(cases: list) -> None:
    t = [float(EPOCH + 60 * i) for i in range(12)]
    # an event at the series' end: Merlion never cuts it at max_delay
    record(cases, "event-at-end", "regular", t, "000000000111", "000000000001", [60, 600], [60, 120])
    record(cases, "event-at-end-late-alarm", "regular", t, "000000011111", "000000000011", [60], [60, 120, 180])
    # an event at the series' start (no room for early alarms)
    record(cases, "event-at-start", "regular", t, "111000000000", "010000000000", [60, 300], [60])
    # tolerances larger than the gap between events
    record(cases, "close-events", "regular", t, "001101101100", "010010010010", [60, 120, 600], [60, 120, 600])
    record(cases, "close-events-dense", "regular", t, "010101010101", "101010101010", [60, 120], [60, 180])
    # no event; no alarm; both; everything
    record(cases, "no-event", "regular", t, "000000000000", "001000100000", [60, 300], [60, 300])
    record(cases, "no-alarm", "regular", t, "000111000110", "000000000000", [60, 300], [60, 300])
    record(cases, "no-event-no-alarm", "regular", t, "000000000000", "000000000000", [60], [60])
    record(cases, "all-anomalous", "regular", t, "111111111111", "000000100000", [60], [60, 600])
    record(cases, "all-alarms", "regular", t, "000111000110", "111111111111", [60, 300], [60, 300])
    # the last normal stretch loses its last max_early (minus 1 s) to a phantom early zone
    record(cases, "trailing-normal", "regular", t, "011000000000", "000000000111", [60, 120, 180], [60])
    # irregular times: alarms exactly on the window edges
    ti = [float(EPOCH + s) for s in (0, 10, 15, 100, 101, 160, 400, 405, 900, 960, 961, 1000)]
    record(cases, "irregular-edges", "irregular", ti, "000110001100", "001001010010", [5, 85, 90, 300], [1, 59, 60])
    record(cases, "irregular-edges-numeric", "numeric", ti, "000110001100", "001001010010", [5, 85, 90], [1, 59, 60])
    # one sample
    record(cases, "one-sample-event", "samples", [0.0], "1", "1", [1], [1])
    record(cases, "one-sample-normal", "samples", [0.0], "0", "1", [1], [1])


def main() -> None:
    from importlib.metadata import version

    cases: list = []
    edge_cases(cases)
    hypothesis_cases(cases)
    meta = dict(
        source="salesforce-merlion " + version("salesforce-merlion"),
        numpy=np.__version__,
        pandas=pd.__version__,
        python=sys.version.split()[0],
        epoch_seconds=EPOCH,
        fields=["tp_events", "fn_events", "fp_points", "precision", "recall", "f1", "mean_delay", "mttd_seconds"],
    )
    OUT.write_text(json.dumps(dict(meta=meta, cases=cases), separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({len(cases)} cases, {sum(len(c['results']) for c in cases)} tolerance pairs)")


if __name__ == "__main__":
    main()
