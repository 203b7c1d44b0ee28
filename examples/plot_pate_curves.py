"""
PATE curves next to the point-wise precision-recall curve
=========================================================

PATE is the mean, over a grid of (early, delay) buffer sizes, of the area under a
proximity-weighted precision-recall curve. :class:`~pate.plot.PateCurveDisplay`
draws the curve of every buffer pair with its area, and the plain point-wise
curve (average precision) for contrast. Its ``curves`` are exactly what
:func:`pate.pate_curve` returns.
"""

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

import pate
from pate.plot import PateCurveDisplay

data = Path(pate.__file__).parent / "data" / "ec2_request_latency_system_failure.csv.gz"
frame = pd.read_csv(data)

# %%
# Two detectors, buffers up to 100 points split in two (sizes 0, 50, 100: nine pairs).
fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), sharey=True)
for ax, detector in zip(axes, ["knncad", "numenta"]):
    display = PateCurveDisplay.from_predictions(
        frame["label"],
        frame[detector],
        early_buffer=100,
        delay_buffer=100,
        n_buffer_splits=2,
        name=detector,
        ax=ax,
    )
    print(
        f"{detector}: PATE = {display.pate:.4f} == pate_score: "
        f"{display.pate == pate.pate_score(frame['label'], frame[detector], n_buffer_splits=2)}"
    )
fig.tight_layout()

# %%
# Why a constant detector scores well under the published PATE: its only
# threshold predicts every point, and the trapezoid from (recall 0, precision 1)
# to that point earns about ``recall * (1 + precision) / 2``. The step
# integration (``interpolation="step"``, the metric ``pate_ap``) credits it
# ``recall * precision`` instead. (pate warns about such few-valued scores.)
import warnings

fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), sharey=True)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    for ax, interpolation in zip(axes, ["trapezoid", "step"]):
        PateCurveDisplay.from_predictions(
            frame["label"],
            frame["null"],
            interpolation=interpolation,
            name="null",
            ax=ax,
        )
fig.tight_layout()
