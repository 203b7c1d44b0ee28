"""
How much does the buffer size matter?
=====================================

PATE gives credit to detections up to ``early_buffer`` points before and
``delay_buffer`` points after each anomaly. :class:`~pate.plot.BufferSensitivityDisplay`
evaluates detectors at several buffer sizes (each used on both sides) to show
whether their order depends on that choice.
"""

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

import pate
from pate.plot import BufferSensitivityDisplay

data = Path(pate.__file__).parent / "data" / "exchange-2_cpc_results.csv.gz"
frame = pd.read_csv(data)
detectors = ["numenta", "knncad", "windowedGaussian", "expose", "random"]

# %%
fig, ax = plt.subplots(figsize=(7, 4.5))
display = BufferSensitivityDisplay.from_predictions(
    frame["label"], frame[detectors], buffer_sizes=[0, 10, 25, 50, 100, 200], ax=ax
)
fig.tight_layout()

# %%
# The values behind the lines, one row per detector.
print(pd.DataFrame(display.values, index=display.buffer_sizes).T.round(3))
