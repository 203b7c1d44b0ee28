"""ZonesDisplay: a series, its labelled anomalies, PATE's buffer zones and the detections."""

from __future__ import annotations

from typing import Any

import numpy as np

from pate._events import buffer_points, in_event_points, label_events, zone_bounds
from pate._time import buffer_in_samples, check_timestamps
from pate._validation import check_targets, short_repr
from pate.plot._common import axes_or_new, minmax_decimate, texts_as_given
from pate.plot._lane import TOP, alarms_of, draw_lane, draw_score, lane_limits

__all__ = ["ZonesDisplay"]

# Colours of the detection kinds (also used by the gallery and the CLI).
_KIND_COLOURS = {"true": "tab:green", "early": "tab:orange", "delayed": "tab:blue", "false": "black"}
_ZONE_COLOURS = {"event": "tab:red", "early": "tab:orange", "delay": "tab:blue"}


def _time_labels(time: Any, n: int) -> np.ndarray | None:
    """The x-axis text of each point: ``time`` as strings (datetimes to the minute or second), or None."""
    if time is None:
        return None
    values = np.asarray(time)
    if values.ndim != 1 or values.size != n:
        raise ValueError(f"time must hold one value per point: {n} expected, got shape {values.shape}.")
    if values.dtype.kind == "O" and values.size and hasattr(values[0], "isoformat"):  # datetime, pandas Timestamp
        values = np.array([np.datetime64(v) for v in values])
    if values.dtype.kind == "M":
        seconds = values.astype("datetime64[s]")
        text = np.datetime_as_string(seconds, unit="m" if (seconds.astype(np.int64) % 60 == 0).all() else "s")
        return np.char.replace(text, "T", " ")
    return values.astype(str)


def _check_span(span: Any, n: int) -> tuple[int, int]:
    """``span`` (first, last) as positions in ``[0, n)``, first <= last; None is the whole series."""
    if span is None:
        return 0, n - 1
    try:
        first, last = (int(v) for v in span)
    except (TypeError, ValueError):
        raise ValueError(f"span must be (first, last) row positions, got {short_repr(span)}.") from None
    if not 0 <= first <= last < n:
        raise ValueError(f"span must satisfy 0 <= first <= last < {n} (the number of points), got {short_repr(span)}.")
    return first, last


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
    time : ndarray of str of shape (n_samples,) or None, default=None
        The x-axis text of each point (its time stamp); None labels the
        axis with positions.

    Attributes
    ----------
    ax_ : matplotlib Axes
        Axes with the series. When the scores lie in [0, 1] its y axis is
        the same as the weights' (a score and a credit at the same height
        are the same number).
    ax_weights_ : matplotlib Axes
        Twin axes (right) holding the weight profile, from 0 to 1.
    legend_ : matplotlib Legend
        The legend, below the axes (never over the data).
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
        time: np.ndarray | None = None,
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
        self.time = time

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
        time: Any = None,
        span: tuple[int, int] | None = None,
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
        time : array-like of shape (n_samples,), optional
            Time stamps of the points (datetimes, or their text as in a CSV
            file), shown on the x axis. The points stay in their order, one
            per position, even where time stamps repeat or go back.
        span : (int, int), optional
            First and last position (inclusive) to draw, to zoom on part of
            the series. Zones and detections are those of the whole series.
        ax : matplotlib Axes, optional
            Axes to draw on; a new figure is made otherwise.
        max_points : int or None, default=5000
            Longest score line drawn as is; a longer one is decimated for
            drawing (the smallest and largest value of each bucket are kept,
            so spikes stay visible). The data the display holds are never
            decimated. None draws every point.
        timestamps : array-like of shape (n_samples,), optional
            The time of each sample, for buffers given as time spans; also
            the x axis's labels unless ``time`` is given (the points stay one
            per position).

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
        if time is None and timestamps is not None:
            time = timestamps  # the x axis shows the times the buffers are read against
        if timestamps is not None:
            timestamps = check_timestamps(timestamps, labels.size)
        early = buffer_in_samples(early_buffer, "early_buffer", timestamps, labels.size)
        delay = buffer_in_samples(delay_buffer, "delay_buffer", timestamps, labels.size)
        threshold, predicted = alarms_of(scores, threshold)

        n = labels.size
        time_labels = _time_labels(time, n)
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
            time=time_labels,
        )
        return display.plot(ax=ax, span=span, max_points=max_points)

    def plot(
        self,
        ax: Any = None,
        *,
        name: str | None = None,
        span: tuple[int, int] | None = None,
        max_points: int | None = 5000,
    ) -> "ZonesDisplay":
        """Draw the display.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Axes to draw on; a new figure is made otherwise.
        name : str, optional
            Detector name; overrides the one given at creation.
        span : (int, int), optional
            As in :meth:`from_predictions`.
        max_points : int or None, default=5000
            As in :meth:`from_predictions`.

        Returns
        -------
        ZonesDisplay
            ``self``, with ``ax_``, ``ax_weights_``, ``figure_``, ``line_``
            and ``legend_`` set.
        """
        first, last = _check_span(span, self.y_score.size)
        new_figure = ax is None
        ax, fig = axes_or_new(ax)  # first: imports matplotlib or names the extra
        from matplotlib.collections import PolyCollection  # matplotlib: the optional plot extra
        from matplotlib.patches import Patch  # (likewise)
        from matplotlib.ticker import FuncFormatter, MaxNLocator  # (likewise)

        name = name if name is not None else self.name
        shown = self.y_score[first : last + 1]
        x, y = minmax_decimate(shown, max_points)
        x = x + first
        handles = draw_score(ax, x, y, name, self.threshold)
        self.line_ = handles[0]
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
        axw.set_ylim(*lane_limits(0.0, 1.0))
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
        handles += draw_lane(ax, self.detections, _KIND_COLOURS, {kind: f"{kind} detection" for kind in _KIND_COLOURS})

        if self.first_alarms is not None and (self.first_alarms >= 0).any():
            # the first alarm of each detected event: a marker at the top of the axes
            alarms = self.first_alarms[self.first_alarms >= 0]
            (marks,) = ax.plot(
                alarms,
                np.full(alarms.size, 1.0 - TOP / 2),
                linestyle="none",
                marker="v",
                color=_KIND_COLOURS["true"],
                markersize=7,
                transform=ax.get_xaxis_transform(),
                label="first alarm of an event",
            )
            handles.append(marks)

        ax.set_xlim(first - 0.5, last + 0.5)
        low, high = float(shown.min()), float(shown.max())
        if low >= 0.0 and high <= 1.0:
            low, high = 0.0, 1.0  # the weights' axis: the same height is the same number on both sides
        ax.set_ylim(*lane_limits(low, high))
        if self.time is None:
            ax.set_xlabel("time (position)")
        else:
            labels = self.time
            ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
            ax.xaxis.set_major_formatter(
                FuncFormatter(lambda v, _: labels[int(round(v))] if 0 <= round(v) < labels.size else "")
            )
            ax.tick_params(axis="x", labelrotation=15, labelsize="small")
            ax.set_xlabel("time")
        ax.set_ylabel("score")
        ax.set_zorder(axw.get_zorder() + 1)
        ax.patch.set_visible(False)
        title = f"{name}: " if name else ""
        ax.set_title(f"{title}PATE zones (early {self.early_buffer}, delay {self.delay_buffer})")
        self.legend_ = self._legend_below(ax, fig, handles, new_figure)
        texts_as_given(ax, axw)  # a detector's name is drawn as given (no mathtext)
        self.ax_, self.ax_weights_, self.figure_ = ax, axw, fig
        return self

    @staticmethod
    def _legend_below(ax: Any, fig: Any, handles: list[Any], new_figure: bool) -> Any:
        """The legend in rows under the x axis (its tick labels and label), outside the data.

        A figure made here grows at the bottom to hold it; on given axes the
        legend takes the room below them.
        """
        from matplotlib.backends.backend_agg import FigureCanvasAgg  # matplotlib: the optional plot extra
        from matplotlib.transforms import ScaledTranslation  # matplotlib: the optional plot extra

        if not hasattr(fig.canvas, "get_renderer"):  # a Figure made without pyplot: Agg measures the text
            FigureCanvasAgg(fig)
        renderer = fig.canvas.get_renderer()
        below = (ax.bbox.y0 - ax.xaxis.get_tightbbox(renderer).y0) / fig.dpi + 0.05  # inches under the axes
        legend = ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            bbox_transform=ax.transAxes + ScaledTranslation(0.0, -below, fig.dpi_scale_trans),
            ncol=min(4, len(handles)),
            fontsize="small",
            frameon=False,
        )
        if new_figure:
            height = legend.get_window_extent(renderer).height / fig.dpi + below + 0.1
            width, old = fig.get_size_inches()
            fig.set_size_inches(width, old + height)
            # keep the axes' height in inches: what was the whole figure is now its upper part
            params = fig.subplotpars
            scale = old / (old + height)
            bottom = (params.bottom * old + height) / (old + height)
            fig.subplots_adjust(bottom=bottom, top=1 - (1 - params.top) * scale)
        return legend
