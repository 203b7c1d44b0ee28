"""
PATE-F1 against point-adjusted F1: a random detector
====================================================

Point adjustment counts a whole anomaly window as detected as soon as one of
its points is flagged. A detector that flags 5% of the points at random hits
every long window somewhere, so its point-adjusted F1 rivals the real
detectors'. PATE-F1 gives credit by proximity to the anomaly instead, and
keeps the random detector at the bottom.
"""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import pate
from pate.metrics import point_adjusted_f1_score
from pate.plot import ZonesDisplay

data = Path(pate.__file__).parent / "data" / "ec2_request_latency_system_failure.csv.gz"
frame = pd.read_csv(data)
y_true = frame["label"].to_numpy()

# %%
# Each detector flags its top 5% scores (detectors whose ties make "top 5%"
# flag more than 10% of the points are left out).
rows = []
for detector in frame.columns[3:]:
    score = frame[detector].to_numpy()
    y_pred = score >= np.quantile(score, 0.95)
    if y_pred.mean() > 0.10:
        continue
    rows.append(
        {
            "detector": detector,
            "point-adjusted F1": point_adjusted_f1_score(y_true, y_pred),
            "PATE-F1": pate.pate_f1_score(y_true, y_pred),
        }
    )
table = pd.DataFrame(rows).set_index("detector").sort_values("point-adjusted F1", ascending=False)
print(table.round(3))

# %%
fig, ax = plt.subplots(figsize=(6.5, 5))
ax.scatter(table["point-adjusted F1"], table["PATE-F1"], color="tab:blue")
for name, row in table.iterrows():
    colour = "tab:red" if name == "random" else "0.3"
    ax.annotate(
        name,
        (row["point-adjusted F1"], row["PATE-F1"]),
        fontsize=8,
        color=colour,
        xytext=(3, 3),
        textcoords="offset points",
    )
ax.scatter(*table.loc["random", ["point-adjusted F1", "PATE-F1"]], color="tab:red", s=80)
ax.set_xlabel("point-adjusted F1")
ax.set_ylabel("PATE-F1")
ax.set_title("top-5% detections, ec2_request_latency_system_failure")
fig.tight_layout()

# %%
# Where the random detector's credit comes from: a few flags inside each window
# (true detections) among many false ones.
random_pred = frame["random"].to_numpy() >= np.quantile(frame["random"], 0.95)
fig, ax = plt.subplots(figsize=(11, 3.8))
ZonesDisplay.from_predictions(
    y_true, random_pred.astype(int), early_buffer=100, delay_buffer=100, name="random (top 5%)", ax=ax
)
fig.tight_layout()
