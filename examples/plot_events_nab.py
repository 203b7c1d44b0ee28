"""
Events and time: which anomalies each detector caught, and how late
===================================================================

NAB's ``ec2_request_latency_system_failure`` series (5-minute samples) and
four of NAB's detectors at their tuned thresholds. The anomaly labels are
read as time intervals from an interval file, the same windows as NAB's
``labels/combined_windows.json``; :func:`pate.event_table` then says which
window each detector found and how long after the window's start, and
Merlion's event metrics sum it up. Read more in the User Guide (``events``).
"""

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

import pate
from pate.metrics import mean_time_to_detect, rpa_precision_recall_fscore
from pate.plot import ZonesDisplay

data = Path(pate.__file__).parent / "data"
frame = pd.read_csv(data / "ec2_request_latency_system_failure.csv.gz")
pd.set_option("display.width", 140)
pd.set_option("display.max_columns", 12)

# %%
# Labels from time intervals
# --------------------------
# ``nab_windows.json`` holds NAB's windows of the bundled series in NAB's own
# layout (series key -> list of ``[start, end]``); the series file is found by
# its name. Both ends of a window are included, as in
# NAB, so the labels are exactly the file's ``label`` column.
windows = pate.read_intervals(data / "nab_windows.json")
print(windows.find("ec2_request_latency_system_failure.csv.gz"))
y_true = windows.labels("ec2_request_latency_system_failure.csv.gz", frame["timestamp"])
print("equal to the label column:", bool((y_true == frame["label"]).all()))

# %%
# One row per window
# ------------------
# NAB's threshold for each detector (``config/thresholds.json``). An alarm up to
# 100 samples (8 h 20 min) before a window still detects it. NAB centres each
# window on the labelled anomaly, so a detection near the anomaly itself comes
# about half a window after the window's start.
thresholds = {"numenta": 0.542, "ARTime": 0.317, "contextOSE": 0.766, "knncad": 1.0}
tables = {
    name: pate.event_table(y_true, y_score=frame[name], threshold=t, timestamps=frame["timestamp"], early_buffer=100)
    for name, t in thresholds.items()
}
print(tables["numenta"][["event", "start_time", "end_time", "detected", "delay", "delay_time", "alarms"]])

# %%
# The false alarms: runs of alarms outside every window and its early zone,
# with the distance to the nearest window.
print(pate.alarm_table(y_true, y_score=frame["numenta"], threshold=0.542, early_buffer=100))

# %%
# Merlion's event metrics
# -----------------------
# Revised point-adjusted precision counts each detected window once against
# every false-alarm point; the mean time to detect is in samples here. The
# series repeats the time 03:00 twelve times (a daylight-saving change was
# collapsed onto it), so its times are not strictly increasing and the time
# windows of Merlion's metrics are not defined on them: row positions are used.
summary = pd.DataFrame(
    {
        name: {
            **rpa_precision_recall_fscore(y_true, frame[name] >= t, max_early=100)._asdict(),
            "mean time to detect (samples)": mean_time_to_detect(y_true, frame[name] >= t, max_early=100),
            "windows found": int(tables[name]["detected"].sum()),
        }
        for name, t in thresholds.items()
    }
).T
print(summary.round(3))

# %%
# The picture
# -----------
# :class:`~pate.plot.ZonesDisplay` marks missed windows (hatched) and the first
# alarm of each detected one (a triangle at the top); zoom on the second window.
fig, ax = plt.subplots(figsize=(11, 3.8))
display = ZonesDisplay.from_predictions(
    y_true, frame["numenta"], early_buffer=100, delay_buffer=0, threshold=0.542, name="numenta", ax=ax
)
ax.set_xlim(3150, 3550)
fig.tight_layout()
