"""NabDisplay: a series, NAB's windows, the worth of a detection at every point, and what the detections earn."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from pate._events import label_events
from pate._validation import check_fraction, check_targets
from pate.metrics._nab import check_nab_profile, nab_kernels, nab_probationary_length, nab_score
from pate.plot._common import axes_or_new, minmax_decimate
from pate.plot._lane import alarms_of, draw_lane, draw_score, lane_limits

__all__ = ["NabDisplay"]

_KIND_COLOURS = {"reward": "tab:green", "later": "palegreen", "false": "black", "probationary": "0.7"}
_KIND_LABELS = {
    "reward": "detection that earns its window's reward",
    "later": "later detection in a window (earns nothing more)",
    "false": "false positive",
    "probationary": "detection in the probationary period (not scored)",
}


class NabDisplay:
    """Where an alarm earns what under NAB's score: the worth of a detection at every point.

    Draws the series, NAB's windows (the runs of 1s in ``y_true``), the
    probationary period, and on a second axis the worth of a detection at
    each point for the profile: ``A_tp * S(-(e - i + 1) / W) / S(-1)`` inside a
    window (``A_tp`` at its first point, close to 0 at its last),
    ``A_fp * S((i - e') / (W' - 1))`` after the window ``[s', e']`` to the left,
    ``-A_fp`` before every window. Detections are marked in a lane at the
    bottom: the earliest detection of each window (the one that earns its
    reward), later ones in a window (nothing more), false positives, and those
    in the probationary period (not scored). Create it with
    :meth:`from_predictions`. Read more in the User Guide (``docs/nab.md``).

    Parameters
    ----------
    y_true : ndarray of bool of shape (n_samples,)
        Labels.
    y_score : ndarray of float64 of shape (n_samples,)
        Scores or binary detections.
    threshold : float or None
        Detections are ``y_score >= threshold``; None with binary ``y_score``
        means the points where it is 1.
    profile : NabProfile
        The weights ``(A_tp, A_fp, A_fn)``.
    probationary : int
        Number of leading points not scored.
    windows : ndarray of int64 of shape (n_windows, 2)
        First and last point (inclusive) of each window.
    worth : ndarray of float64 of shape (n_samples,)
        What a detection at each point earns.
    detections : ndarray of str of shape (n_samples,)
        ``"reward"``, ``"later"``, ``"false"``, ``"probationary"`` for detected
        points, ``""`` for the others.
    result : NabScore or None
        NAB's score of the detections (None without detections to score).
    name : str or None, default=None
        Detector name, for the legend and title.

    Attributes
    ----------
    ax_ : matplotlib Axes
        Axes with the series.
    ax_worth_ : matplotlib Axes
        Twin axes (right) with the worth of a detection.
    figure_ : matplotlib Figure
    line_ : matplotlib Line2D
        The score line (decimated for drawing when the series is long).

    See Also
    --------
    pate.metrics.nab_score : NAB's score of the detections this display shows.
    ZonesDisplay : what PATE rewards, on the same kind of picture.

    Examples
    --------
    >>> import numpy as np
    >>> from pate.plot import NabDisplay
    >>> y_true = np.zeros(60, dtype=int); y_true[20:30] = 1
    >>> y_score = np.zeros(60); y_score[[24, 26, 32]] = 0.9
    >>> display = NabDisplay.from_predictions(y_true, y_score, threshold=0.5, probationary_percent=0)
    >>> display.detections[[24, 26, 32]].tolist()
    ['reward', 'later', 'false']
    >>> float(display.worth[20]), round(float(display.worth[24]), 4), round(float(display.worth[32]), 4)
    (1.0, 0.9174, -0.075)
    >>> round(display.result.raw, 4)
    0.8424
    """

    def __init__(
        self,
        *,
        y_true: np.ndarray,
        y_score: np.ndarray,
        threshold: float | None,
        profile: Any,
        probationary: int,
        windows: np.ndarray,
        worth: np.ndarray,
        detections: np.ndarray,
        result: Any,
        name: str | None = None,
    ) -> None:
        self.y_true = y_true
        self.y_score = y_score
        self.threshold = threshold
        self.profile = profile
        self.probationary = probationary
        self.windows = windows
        self.worth = worth
        self.detections = detections
        self.result = result
        self.name = name

    @classmethod
    def from_predictions(
        cls,
        y_true: Any,
        y_score: Any,
        *,
        threshold: float | None = None,
        profile: Any = "standard",
        probationary_percent: float = 0.15,
        name: str | None = None,
        ax: Any = None,
        max_points: int | None = 5000,
    ) -> "NabDisplay":
        """Compute the worths and what the detections earn on one series, and draw them.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            Labels, 0/1 or bool; each run of 1s is a window.
        y_score : array-like of shape (n_samples,)
            Anomaly scores (finite), or binary detections (0/1).
        threshold : float, optional
            Points with ``y_score >= threshold`` are the detections. Without
            it, binary ``y_score`` are the detections and continuous scores
            show the worths only.
        profile : str, (A_tp, A_fp, A_fn) or mapping, default="standard"
            NAB's profile, as in :func:`pate.metrics.nab_score`.
        probationary_percent : float, default=0.15
            As in :func:`pate.metrics.nab_score`.
        name : str, optional
            Detector name for the legend and title.
        ax : matplotlib Axes, optional
            Axes to draw on; a new figure is made otherwise.
        max_points : int or None, default=5000
            Longest line drawn as is; longer ones are decimated for drawing
            only (smallest and largest value of each bucket kept).

        Returns
        -------
        NabDisplay
        """
        labels, scores = check_targets(y_true, y_score, kind="score")
        weights = check_nab_profile(profile)
        p = check_fraction(probationary_percent, "probationary_percent")
        threshold, predicted = alarms_of(scores, threshold)

        n = labels.size
        starts, ends = label_events(labels)
        first = nab_probationary_length(n, p)
        unit, inside = nab_kernels().unit_worth(starts, ends, n)
        worth = np.where(inside, weights.tp * unit, weights.fp * unit)
        detections = np.full(n, "", dtype="<U12")
        result = None
        if predicted is not None:
            detections[predicted & ~inside] = "false"
            detections[predicted & inside] = "later"
            for s, e in zip(starts, ends, strict=True):
                hits = np.flatnonzero(predicted[max(s, first) : e + 1])
                if hits.size:
                    detections[max(s, first) + hits[0]] = "reward"
            detections[:first][predicted[:first]] = "probationary"
            with warnings.catch_warnings():  # no window counted: the display still draws and says so in its title
                warnings.simplefilter("ignore")
                result = nab_score(labels, predicted, profile=weights, probationary_percent=p)

        display = cls(
            y_true=labels,
            y_score=scores,
            threshold=threshold,
            profile=weights,
            probationary=first,
            windows=np.column_stack((starts, ends)),
            worth=worth,
            detections=detections,
            result=result,
            name=name,
        )
        return display.plot(ax=ax, max_points=max_points)

    def plot(self, ax: Any = None, *, name: str | None = None, max_points: int | None = 5000) -> "NabDisplay":
        """Draw the display.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Axes to draw on; a new figure is made otherwise.
        name : str, optional
            Detector name; overrides the one given at creation.
        max_points : int or None, default=5000
            As in :meth:`from_predictions`.

        Returns
        -------
        NabDisplay
            ``self``, with ``ax_``, ``ax_worth_``, ``figure_`` and ``line_`` set.
        """
        ax, fig = axes_or_new(ax)  # first: imports matplotlib or names the extra
        from matplotlib.patches import Patch  # matplotlib: only when drawing

        name = name if name is not None else self.name
        x, y = minmax_decimate(self.y_score, max_points)
        handles = draw_score(ax, x, y, name, self.threshold)
        self.line_ = handles[0]
        for s, e in self.windows:
            ax.axvspan(s - 0.5, e + 0.5, color="tab:red", alpha=0.15, linewidth=0)
        if len(self.windows):
            handles.append(Patch(color="tab:red", alpha=0.15, label="window"))
        if self.probationary:
            ax.axvspan(-0.5, self.probationary - 0.5, color="0.5", alpha=0.12, linewidth=0, hatch="//")
            handles.append(Patch(color="0.5", alpha=0.12, label=f"probationary period ({self.probationary})"))

        axw = ax.twinx()
        low = min(-self.profile.fp, float(self.worth.min()))
        axw.set_ylim(*lane_limits(low, max(self.profile.tp, float(self.worth.max()))))
        axw.axhline(0.0, color="tab:purple", linewidth=0.5, alpha=0.5)
        wx, wy = minmax_decimate(self.worth, max_points)
        (worth_line,) = axw.plot(
            wx, wy, color="tab:purple", linewidth=1.0, alpha=0.8, label="worth of a detection (right axis)"
        )
        handles.append(worth_line)
        axw.set_ylabel("worth of a detection")

        handles += draw_lane(ax, self.detections, _KIND_COLOURS, _KIND_LABELS)

        ax.set_xlim(-0.5, self.y_score.size - 0.5)
        ax.set_ylim(*lane_limits(float(self.y_score.min()), float(self.y_score.max())))
        ax.set_xlabel("time (index)")
        ax.set_ylabel("score")
        ax.set_zorder(axw.get_zorder() + 1)
        ax.patch.set_visible(False)
        title = f"{name}: " if name else ""
        tp, fp, fn = self.profile
        score = ""
        if self.result is not None and self.result.perfect == self.result.null:  # no window counted: undefined
            score = f"\nNAB score undefined, no window counted (raw {self.result.raw:.3f})"
        elif self.result is not None:
            score = f"\nNAB score {self.result.score:.2f} (raw {self.result.raw:.3f})"
        ax.set_title(f"{title}worth of a detection (A_tp {tp:g}, A_fp {fp:g}, A_fn {fn:g}){score}", fontsize="medium")
        ax.legend(handles=handles, loc="upper left", fontsize="small", framealpha=0.9)
        self.ax_, self.ax_worth_, self.figure_ = ax, axw, fig
        return self
