"""NAB's score over a corpus: scoring at given thresholds and the exact threshold optimiser.

Array-level code behind the scoreboard (docs/nab.md): a corpus is a list of
label arrays, prepared once (windows, probationary periods, the unit worth of
every scored point); a detector is a list of score arrays of the same
lengths. NAB chooses each detector's threshold per profile by maximising the
corpus-wide raw score, the sum over every series. Here that maximum is exact:

* one sort of the detector's scored points over the whole corpus and one
  sweep over every distinct score (``pate._kernels.nab.sweep_thresholds``)
  give, at each candidate threshold, three profile-free sums (window rewards,
  false-positive worths, windows detected), so every profile's total at
  every threshold is one linear combination of them;
* detecting nothing (a threshold above every scored point) is a candidate too;
* where several thresholds reach the same largest total, the highest wins
  (the fewest detections; NAB's own sweep keeps the first of its descending
  list too). Totals are compared as the float64 values the sweep computes
  (compensated sums); a group of points that changes nothing (window points
  later than their window's best) leaves the total bit-for-bit unchanged, so
  such a tie always goes to the higher threshold.

The chosen threshold is a score of the corpus (``score >= threshold`` is a
detection), or, where detecting nothing is best, the next float64 above the
largest scored point.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pate.metrics._nab import NabProfile, _windows, nab_kernels

__all__ = ["NabCorpus", "NabSweep", "SeriesCounts"]


@dataclass(frozen=True)
class SeriesCounts:
    """NAB's raw score and point counts of one series at one threshold."""

    raw: float
    tp: int
    fp: int
    fn: int
    tn: int
    counted: int


@dataclass(frozen=True)
class NabSweep:
    """A detector's profile-free sums at every candidate threshold of a corpus (descending).

    ``total(profile)`` gives the raw corpus score of each candidate; the first
    candidate is "detect nothing" (threshold ``nothing``).
    """

    thresholds: np.ndarray
    rewards: np.ndarray
    false_alarms: np.ndarray
    detected: np.ndarray
    n_windows: int
    nothing: float

    def totals(self, profile: NabProfile) -> np.ndarray:
        """Raw corpus score at each candidate: ``[detect nothing, thresholds...]``."""
        missed = self.n_windows - self.detected
        detecting = profile.tp * self.rewards + profile.fp * self.false_alarms - profile.fn * missed
        return np.concatenate(([-profile.fn * self.n_windows], detecting))

    def best(self, profile: NabProfile) -> tuple[float, float]:
        """``(threshold, raw corpus score)`` of the largest total, the highest threshold among equals."""
        totals = self.totals(profile)
        j = int(np.argmax(totals))  # the first maximum: the highest threshold
        return (self.nothing if j == 0 else float(self.thresholds[j - 1])), float(totals[j])


class NabCorpus:
    """The windows of a corpus of labelled series, prepared once for NAB's score.

    Parameters
    ----------
    labels : sequence of bool ndarray
        One validated label array per series (runs of ``True`` are windows).
    probationary_percent : float
        NAB's ``p``, already checked to lie in ``[0, 1]``.
    """

    def __init__(self, labels: Sequence[np.ndarray], probationary_percent: float) -> None:
        self.lengths = np.array([lab.size for lab in labels], dtype=np.int64)
        self.starts: list[np.ndarray] = []
        self.ends: list[np.ndarray] = []
        self.first: list[int] = []
        worth, window = [], []
        n_windows = 0
        for lab in labels:
            starts, ends, first = _windows(lab, probationary_percent)
            self.starts.append(starts)
            self.ends.append(ends)
            self.first.append(first)
            unit, inside = nab_kernels().unit_worth(starts, ends, lab.size)
            ids = np.full(lab.size, -1, dtype=np.int64)
            counted = ends >= first  # windows reaching past the probationary period
            # number the counted windows across the corpus; their points before `first` are dropped below
            numbers = np.full(starts.size, -1, dtype=np.int64)
            numbers[counted] = n_windows + np.arange(int(counted.sum()), dtype=np.int64)
            n_windows += int(counted.sum())
            if starts.size:
                owner = np.searchsorted(starts, np.flatnonzero(inside), side="right") - 1
                ids[inside] = numbers[owner]
            worth.append(unit[first:])
            window.append(ids[first:])
        self.n_windows = n_windows
        self.worth = np.concatenate(worth) if worth else np.empty(0)
        self.window = np.concatenate(window) if window else np.empty(0, dtype=np.int64)

    def __len__(self) -> int:
        return int(self.lengths.size)

    def _scored(self, scores: Sequence[np.ndarray]) -> np.ndarray:
        if len(scores) != len(self):
            raise ValueError(f"expected {len(self)} score arrays (one per series), got {len(scores)}.")
        return np.concatenate([np.asarray(s, dtype=np.float64)[f:] for s, f in zip(scores, self.first, strict=True)])

    def sweep(self, scores: Sequence[np.ndarray]) -> NabSweep:
        """The profile-free sums of one detector at every distinct scored score of the corpus."""
        values = self._scored(scores)
        order = np.argsort(-values, kind="stable")  # largest first
        thresholds, rewards, false_alarms, detected, _, _ = nab_kernels().sweep_thresholds(
            order, values, self.worth, self.window, self.n_windows
        )
        top = float(values.max()) if values.size else -math.inf
        return NabSweep(thresholds, rewards, false_alarms, detected, self.n_windows, float(np.nextafter(top, math.inf)))

    def score_series(self, index: int, pred: np.ndarray, profile: NabProfile) -> SeriesCounts:
        """NAB's raw score and counts of series ``index`` for the boolean detections ``pred``."""
        raw, tp, fp, fn, tn, counted = nab_kernels().score_detections(
            pred, self.starts[index], self.ends[index], self.first[index], profile.tp, profile.fp, profile.fn
        )
        return SeriesCounts(float(raw), int(tp), int(fp), int(fn), int(tn), int(counted))

    def score_at(self, scores: Sequence[np.ndarray], threshold: float, profile: NabProfile) -> list[SeriesCounts]:
        """Every series' raw score and counts when ``score >= threshold`` is a detection."""
        if len(scores) != len(self):
            raise ValueError(f"expected {len(self)} score arrays (one per series), got {len(scores)}.")
        return [self.score_series(i, np.asarray(s) >= threshold, profile) for i, s in enumerate(scores)]
