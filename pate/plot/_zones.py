"""ZonesDisplay: a series, its labelled anomalies, PATE's buffer zones and the detections."""

from __future__ import annotations

from typing import Any

import numpy as np

from pate._events import buffer_points, in_event_points, label_events, zone_bounds
from pate._time import buffer_in_samples, check_timestamps
from pate._validation import check_targets
from pate.plot._common import axes_or_new, minmax_decimate, texts_as_given

__all__ = ["ZonesDisplay"]

# Colours of the detection kinds (also used by the gallery and the CLI).
_KIND_COLOURS = {"true": "tab:green", "early": "tab:orange", "delayed": "tab:blue", "false": "black"}
_ZONE_COLOURS = {"event": "tab:red", "early": "tab:orange", "delay": "tab:blue"}
# The detection lane takes the bottom of the axes; data and weights are drawn above it.
_LANE, _BOTTOM, _TOP = 0.06, 0.1, 0.05


def _limits(low: float, high: float) -> tuple[float, float]:
    """Axis limits that put [low, high] above the detection lane, on both y axes alike."""
    span = (high - low) or 1.0
    total = span / (1.0 - _BOTTOM - _TOP)
    return low - _BOTTOM * total, high + _TOP * total


class ZonesDisplay:
    """A series with its anomalies, PATE's buffer zones and the detections at a threshold.

    Shows what PATE rewards: labelled anomalies are shaded; the early
    (pre-) and delay (post-) buffer zones are drawn as the weight profile the
    metric gives a detection there (a linear ramp from 0 at the far edge of
    the buffer); the points predicted at ``threshold`` are marked in a lane
    at the bottom as true (inside an event), early (in the pre-buffer of a
    detected event), delayed (in a post-buffer) or false detections.

    The zones and weights are those of PATE's engine (``pate._events``)
    for one buffer pair, not a re-derivation. Create it with
    :meth:`from_predictions`; the constructor takes data already computed.
    Read more in the User Guide (``docs/plot.md``).

    Parameters
    ----------
    y_true : ndarray of bool of shape (n_samples,)
        Labels.
    y_score : ndarray of float64 of shape (n_samples,)
        Scores or binary predictions.
    threshold : float or None
        Predicted points are ``y_score >= threshold``; None with binary
        ``y_score`` means the points where ``y_score`` is 1.
    early_buffer, delay_buffer : int
        The buffer pair drawn.
    events : ndarray of int64 of shape (n_events, 2)
        First and last point (inclusive) of each labelled anomaly.
    early_zones, delay_zones : ndarray of int64 of shape (n_events, 2)
        First and last point (inclusive) of each event's pre- and
        post-buffer; a zone is empty when its first point is after its last.
    weights : ndarray of float64 of shape (n_samples,)
        Credit of a detection at each point: 1 inside events, the proximity
        weight inside buffer zones (an early one counts only once its event
        is detected), NaN elsewhere.
    detections : ndarray of str of shape (n_samples,)
        ``"true"``, ``"early"``, ``"delayed"``, ``"false"`` for predicted
        points, ``""`` for the others (all ``""`` when nothing is predicted).
    name : str or None, default=None
        Name of the detector, for the legend and title.
    detected_events : ndarray of bool of shape (n_events,) or None, default=None
        Whether an alarm lies in each event's tolerated zone (the event with
        its early and delay zones: ``pate.event_table``'s ``detected``);
        None when nothing shows the alarms (continuous scores, no threshold).
    first_alarms : ndarray of int64 of shape (n_events,) or None, default=None
        The first alarm in each event's tolerated zone, -1 for a missed
        event (``pate.event_table``'s ``first_alarm``).

    Attributes
    ----------
    ax_ : matplotlib Axes
        Axes with the series.
    ax_weights_ : matplotlib Axes
        Twin axes (right) holding the weight profile, from 0 to 1.
    figure_ : matplotlib Figure
    line_ : matplotlib Line2D
        The score line (decimated for drawing when the series is long).

    See Also
    --------
    pate.metrics.pate_f1_score : PATE-F1 of the detections this display shows.
    PateCurveDisplay : PATE's precision-recall curves.

    Examples
    --------
    >>> import numpy as np
    >>> from pate.plot import ZonesDisplay
    >>> y_true = np.zeros(60, dtype=int); y_true[20:30] = 1
    >>> y_score = np.zeros(60); y_score[15:22] = 0.8; y_score[45] = 0.9
    >>> display = ZonesDisplay.from_predictions(
    ...     y_true, y_score, early_buffer=6, delay_buffer=8, threshold=0.5)
    >>> display.events.tolist(), display.early_zones.tolist(), display.delay_zones.tolist()
    ([[20, 29]], [[14, 19]], [[30, 37]])
    >>> display.detections[[15, 20, 45]].tolist()
    ['early', 'true', 'false']
    >>> display.detected_events.tolist(), display.first_alarms.tolist()
    ([True], [15])
    >>> float(display.weights[14]), float(display.weights[37])
    (0.0, 0.0)
    """

    def __init__(
        self,
        *,
        y_true: np.ndarray,
        y_score: np.ndarray,
        threshold: float | None,
        early_buffer: int,
        delay_buffer: int,
        events: np.ndarray,
        early_zones: np.ndarray,
        delay_zones: np.ndarray,
        weights: np.ndarray,
        detections: np.ndarray,
        name: str | None = None,
        detected_events: np.ndarray | None = None,
        first_alarms: np.ndarray | None = None,
    ) -> None:
        self.y_true = y_true
        self.y_score = y_score
        self.threshold = threshold
        self.early_buffer = early_buffer
        self.delay_buffer = delay_buffer
        self.events = events
        self.early_zones = early_zones
        self.delay_zones = delay_zones
        self.weights = weights
        self.detections = detections
        self.name = name
        self.detected_events = detected_events
        self.first_alarms = first_alarms

    @classmethod
    def from_predictions(
        cls,
        y_true: Any,
        y_score: Any,
        *,
        early_buffer: Any = 100,
        delay_buffer: Any = 100,
        threshold: float | None = None,
        name: str | None = None,
        ax: Any = None,
        max_points: int | None = 5000,
        timestamps: Any = None,
    ) -> "ZonesDisplay":
        """Compute the zones and detections of one series and draw them.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            Labels, 0/1 or bool, validated as by every metric.
        y_score : array-like of shape (n_samples,)
            Anomaly scores (finite), or binary predictions (0/1).
        early_buffer, delay_buffer : int or time span, default=100
            The buffer pair to draw (one pair of PATE's grid, e.g. its
            largest, which is what the metric's ``early_buffer`` and
            ``delay_buffer`` set). Time spans (``"30min"``) need
            ``timestamps``, as in :func:`pate.pate_score`.
        threshold : float, optional
            Points with ``y_score >= threshold`` are the detections. Without
            it, binary ``y_score`` are the detections themselves and
            continuous scores show no detections.
        name : str, optional
            Detector name for the legend and title.
        ax : matplotlib Axes, optional
            Axes to draw on; a new figure is made otherwise.
        max_points : int or None, default=5000
            Longest score line drawn as is; a longer one is decimated for
            drawing (the smallest and largest value of each bucket are kept,
            so spikes stay visible). The data the display holds are never
            decimated. None draws every point.
        timestamps : array-like of shape (n_samples,), optional
            The time of each sample, for buffers given as time spans (the
            axis stays in samples).

        Returns
        -------
        ZonesDisplay
            Events are drawn detected (an alarm in the event or its zones,
            as ``pate.event_table`` says) or missed (hatched), with a marker
            at each event's first alarm, when the alarms are known (binary
            ``y_score`` or a ``threshold``). An event found only by early
            alarms is detected there, while PATE gives those alarms credit
            only once an alarm falls inside the event, so the lane shows
            them as false detections.
        """
        labels, scores = check_targets(y_true, y_score, kind="score")
        if timestamps is not None:
            timestamps = check_timestamps(timestamps, labels.size)
        early = buffer_in_samples(early_buffer, "early_buffer", timestamps, labels.size)
        delay = buffer_in_samples(delay_buffer, "delay_buffer", timestamps, labels.size)
        if threshold is not None:
            if isinstance(threshold, bool) or not np.isfinite(threshold):
                raise ValueError(f"threshold must be a finite number, got {threshold!r}.")
            threshold = float(threshold)
            predicted = scores >= threshold
        elif np.isin(scores, (0.0, 1.0)).all():
            predicted = scores == 1.0
        else:
            predicted = None

        n = labels.size
        starts, ends = label_events(labels)
        pre_start, post_end = zone_bounds(starts, ends, n, early, delay)
        pre_pos, pre_ev, pre_w, post_pos, post_ev, post_w = buffer_points(starts, ends, pre_start, post_end)
        in_pos, in_ev = in_event_points(starts, ends)
        weights = np.full(n, np.nan)
        weights[in_pos] = 1.0
        weights[pre_pos] = pre_w
        weights[post_pos] = post_w

        detected_events = first_alarms = None
        if predicted is not None:
            # event_table's rule: an alarm anywhere in the event's tolerated zone [pre_start, post_end]
            csum = np.concatenate(([0], np.cumsum(predicted, dtype=np.int64)))
            detected_events = (csum[post_end + 1] - csum[pre_start]) > 0
            alarms = np.flatnonzero(predicted)
            if alarms.size and starts.size:
                first = alarms[np.minimum(np.searchsorted(alarms, pre_start), alarms.size - 1)]
                first_alarms = np.where(detected_events, first, -1).astype(np.int64)
            else:
                first_alarms = np.full(starts.size, -1, dtype=np.int64)

        detections = np.full(n, "", dtype="<U7")
        if predicted is not None and predicted.any():
            # An event is detected when a predicted point lies inside it (docs/spec/pate-definition.md, section 4);
            # only then do its pre-buffer points earn credit, else they are false detections.
            detected = np.zeros(starts.size, dtype=bool)
            np.logical_or.at(detected, in_ev, predicted[in_pos])
            detections[predicted] = "false"
            detections[in_pos[predicted[in_pos]]] = "true"
            detections[post_pos[predicted[post_pos]]] = "delayed"
            early_hit = predicted[pre_pos] & detected[pre_ev]
            detections[pre_pos[early_hit]] = "early"

        display = cls(
            y_true=labels,
            y_score=scores,
            threshold=threshold,
            early_buffer=early,
            delay_buffer=delay,
            events=np.column_stack((starts, ends)),
            early_zones=np.column_stack((pre_start, starts - 1)),
            delay_zones=np.column_stack((ends + 1, post_end)),
            weights=weights,
            detections=detections,
            name=name,
            detected_events=detected_events,
            first_alarms=first_alarms,
        )
        return display.plot(ax=ax, max_points=max_points)

    def plot(self, ax: Any = None, *, name: str | None = None, max_points: int | None = 5000) -> "ZonesDisplay":
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
        ZonesDisplay
            ``self``, with ``ax_``, ``ax_weights_``, ``figure_`` and ``line_`` set.
        """
        ax, fig = axes_or_new(ax)  # first: imports matplotlib or names the extra
        from matplotlib.collections import PolyCollection  # matplotlib: the optional plot extra
        from matplotlib.patches import Patch  # (likewise)

        name = name if name is not None else self.name
        x, y = minmax_decimate(self.y_score, max_points)
        (self.line_,) = ax.plot(x, y, color="0.25", linewidth=0.8, label=name or "score")
        handles = [self.line_]
        if self.threshold is not None:
            handles.append(
                ax.axhline(
                    self.threshold, color="0.4", linestyle="--", linewidth=0.8, label=f"threshold = {self.threshold:g}"
                )
            )
        missed = np.zeros(len(self.events), dtype=bool) if self.detected_events is None else ~self.detected_events
        for (s, e), miss in zip(self.events, missed, strict=True):
            ax.axvspan(s - 0.5, e + 0.5, color=_ZONE_COLOURS["event"], alpha=0.15, linewidth=0)
            if miss:
                ax.axvspan(
                    s - 0.5,
                    e + 0.5,
                    facecolor="none",
                    edgecolor=_ZONE_COLOURS["event"],
                    hatch="///",
                    linewidth=0,
                    alpha=0.6,
                )
        if len(self.events):
            handles.append(Patch(color=_ZONE_COLOURS["event"], alpha=0.15, label="labelled anomaly"))
            if missed.any():
                handles.append(
                    Patch(
                        facecolor="none",
                        edgecolor=_ZONE_COLOURS["event"],
                        hatch="///",
                        label=f"missed ({int(np.count_nonzero(missed))} of {len(self.events)})",
                    )
                )

        # The weight profile, on its own 0-1 axis. Weights are linear along a buffer,
        # so each buffer is drawn exactly by the polygon through its two end points.
        axw = ax.twinx()
        axw.set_ylim(*_limits(0.0, 1.0))
        axw.set_ylabel("credit of a detection")
        for zones, key, label in ((self.early_zones, "early", "early zone"), (self.delay_zones, "delay", "delay zone")):
            polygons = [[(a, 0.0), (a, self.weights[a]), (b, self.weights[b]), (b, 0.0)] for a, b in zones if a <= b]
            if polygons:
                axw.add_collection(PolyCollection(polygons, color=_ZONE_COLOURS[key], alpha=0.3, linewidth=0))
                handles.append(
                    Patch(
                        color=_ZONE_COLOURS[key],
                        alpha=0.3,
                        label=f"{label} ({self.early_buffer if key == 'early' else self.delay_buffer})",
                    )
                )

        # Detections: one bar per run of equal kind, in a lane at the bottom of the axes.
        kinds = self.detections
        change = np.flatnonzero(kinds[1:] != kinds[:-1]) + 1
        run_starts = np.concatenate(([0], change))
        run_stops = np.concatenate((change, [kinds.size]))
        lane = ax.get_xaxis_transform()
        for kind, colour in _KIND_COLOURS.items():
            sel = kinds[run_starts] == kind
            if sel.any():
                spans = [(float(a) - 0.5, float(b - a)) for a, b in zip(run_starts[sel], run_stops[sel])]
                ax.broken_barh(spans, (0.0, _LANE), transform=lane, color=colour)
                handles.append(Patch(color=colour, label=f"{kind} detection"))

        if self.first_alarms is not None and (self.first_alarms >= 0).any():
            # the first alarm of each detected event: a marker at the top of the axes
            first = self.first_alarms[self.first_alarms >= 0]
            (marks,) = ax.plot(
                first,
                np.full(first.size, 1.0 - _TOP / 2),
                linestyle="none",
                marker="v",
                color=_KIND_COLOURS["true"],
                markersize=7,
                transform=lane,
                label="first alarm of an event",
            )
            handles.append(marks)

        ax.set_xlim(-0.5, self.y_score.size - 0.5)
        ax.set_ylim(*_limits(float(self.y_score.min()), float(self.y_score.max())))
        ax.set_xlabel("time (index)")
        ax.set_ylabel("score")
        ax.set_zorder(axw.get_zorder() + 1)
        ax.patch.set_visible(False)
        title = f"{name}: " if name else ""
        ax.set_title(f"{title}PATE zones (early {self.early_buffer}, delay {self.delay_buffer})")
        ax.legend(handles=handles, loc="upper left", fontsize="small", framealpha=0.9)
        texts_as_given(ax, axw)  # a detector's name is drawn as given (no mathtext)
        self.ax_, self.ax_weights_, self.figure_ = ax, axw, fig
        return self
