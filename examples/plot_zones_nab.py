"""
Zones: what PATE rewards on a real series
=========================================

The Numenta HTM detector (``numenta``) on NAB's ``ec2_request_latency_system_failure``
series. :class:`~pate.plot.ZonesDisplay` shades the three labelled anomaly
windows, draws each window's early and delay buffer zones as the credit a
detection earns there, and marks the detections at a threshold: true (inside
a window), early (before a detected window), delayed (after one) or false.
"""

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

import pate
from pate.plot import ZonesDisplay

data = Path(pate.__file__).parent / "data" / "ec2_request_latency_system_failure.csv.gz"
frame = pd.read_csv(data)
y_true, y_score = frame["label"], frame["numenta"]

# %%
# The whole series (4,032 points) with buffers of 100 points each side, its time
# stamps on the x axis. The scores lie in [0, 1], so the score axis (left) and the
# credit axis (right) are one: a score and a credit at the same height are equal.
fig, ax = plt.subplots(figsize=(11, 4.4), layout="constrained")
display = ZonesDisplay.from_predictions(
    y_true,
    y_score,
    early_buffer=100,
    delay_buffer=100,
    threshold=0.5,
    name="numenta",
    ax=ax,
    time=frame["timestamp"],
)

# %%
# The display keeps what it drew: the windows, their buffer zones and the kind of
# every detection (the zones are PATE's own, a delay zone stops before the next window).
print("anomaly windows:", display.events.tolist())
print("early zones:    ", display.early_zones.tolist())
print("delay zones:    ", display.delay_zones.tolist())
print("detections:     ", dict(pd.Series(display.detections[display.detections != ""]).value_counts()))

# %%
# Zoom on the second window: the same display redrawn on new axes, rows 3200-3600
# (``pate plot zones --start 3200 --end 3600`` on the command line).
fig, ax = plt.subplots(figsize=(11, 4.4), layout="constrained")
display.plot(ax=ax, span=(3200, 3600))
