"""PateCurveDisplay: PATE's precision-recall curve of every buffer pair."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from pate._engine import Backend
from pate._validation import check_targets
from pate.metrics import auc_pr_score, pate_curve
from pate.metrics._pate import Interpolation
from pate.plot._common import axes_or_new, texts_as_given

__all__ = ["PateCurveDisplay"]


class PateCurveDisplay:
    """PATE's proximity-weighted precision-recall curves, next to the point-wise one.

    One curve per distinct (early, delay) buffer pair of the grid, with its
    area in the legend; PATE, the mean of the areas over the grid, is in the
    title. The plain point-wise precision-recall curve
    (:func:`sklearn.metrics.precision_recall_curve`, average precision in the
    legend) is drawn for contrast. Create it with :meth:`from_predictions`.
    Read more in the User Guide (``docs/plot.md``).

    Parameters
    ----------
    curves : tuple of BufferPairCurve
        What :func:`pate.metrics.pate_curve` returns, one per pair of the grid
        (repeats kept).
    pate : float
        PATE, the mean area over the grid (equal to :func:`pate.metrics.pate_score`).
    pointwise_precision, pointwise_recall : ndarray or None
        The point-wise curve, or None to leave it out.
    average_precision : float or None
        Its average precision (:func:`pate.metrics.auc_pr_score`).
    name : str or None, default=None
        Name of the detector, for the title.
    interpolation : {"trapezoid", "step"}, default="trapezoid"
        How the areas were integrated; a step curve is drawn as steps
        (each recall step at the precision of its right end).

    Attributes
    ----------
    lines_ : dict of (int, int) to matplotlib Line2D
        The line of each distinct buffer pair.
    pointwise_line_ : matplotlib Line2D or None
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    See Also
    --------
    pate.metrics.pate_curve : the curves this display draws.
    pate.metrics.pate_score : their mean area.
    ZonesDisplay : the zones behind the weights.

    Examples
    --------
    >>> from pate import pate_curve
    >>> from pate.plot import PateCurveDisplay
    >>> y_true = [0] * 10 + [1] * 5 + [0] * 10
    >>> y_score = [0.1] * 8 + [0.6, 0.7] + [0.9] * 3 + [0.2] * 12
    >>> display = PateCurveDisplay.from_predictions(y_true, y_score, early_buffer=3, delay_buffer=3)
    >>> round(display.pate, 4)
    0.8794
    >>> [(c.early_buffer, c.delay_buffer, round(c.area, 4)) for c in display.curves]
    [(0, 0, 0.8618), (0, 3, 0.8662), (3, 0, 0.8928), (3, 3, 0.8967)]
    >>> sorted(display.lines_)
    [(0, 0), (0, 3), (3, 0), (3, 3)]
    """

    def __init__(
        self,
        *,
        curves: tuple,
        pate: float,
        pointwise_precision: np.ndarray | None = None,
        pointwise_recall: np.ndarray | None = None,
        average_precision: float | None = None,
        name: str | None = None,
        interpolation: str = "trapezoid",
    ) -> None:
        self.curves = curves
        self.pate = pate
        self.pointwise_precision = pointwise_precision
        self.pointwise_recall = pointwise_recall
        self.average_precision = average_precision
        self.name = name
        self.interpolation = interpolation

    @classmethod
    def from_predictions(
        cls,
        y_true: Any,
        y_score: Any,
        *,
        early_buffer: int = 100,
        delay_buffer: int = 100,
        n_buffer_splits: int = 1,
        include_zero: bool = True,
        n_thresholds: int | None = 250,
        drop_intermediate: bool = True,
        interpolation: Interpolation = "trapezoid",
        backend: Backend = "auto",
        pointwise: bool = True,
        name: str | None = None,
        ax: Any = None,
    ) -> "PateCurveDisplay":
        """Compute PATE's curves (:func:`pate.metrics.pate_curve`) and draw them.

        Parameters
        ----------
        y_true, y_score, early_buffer, delay_buffer, n_buffer_splits, include_zero
            As in :func:`pate.metrics.pate_score`; errors for bad input are the metric's own.
        n_thresholds, drop_intermediate, backend
            As in :func:`pate.metrics.pate_score`.
        pointwise : bool, default=True
            Also draw the point-wise precision-recall curve.
        name : str, optional
            Detector name for the title.
        ax : matplotlib Axes, optional
            Axes to draw on; a new figure is made otherwise.

        Returns
        -------
        PateCurveDisplay
        """
        curves = pate_curve(
            y_true,
            y_score,
            early_buffer=early_buffer,
            delay_buffer=delay_buffer,
            n_buffer_splits=n_buffer_splits,
            include_zero=include_zero,
            n_thresholds=n_thresholds,
            drop_intermediate=drop_intermediate,
            interpolation=interpolation,
            backend=backend,
        )
        # pate_score's own reduction: the mean of the areas over the grid, repeats kept.
        pate = float(np.mean([c.area for c in curves]))
        precision = recall = ap = None
        if pointwise:
            from sklearn.metrics import precision_recall_curve  # scikit-learn: heavy, loaded for this curve only

            labels, scores = check_targets(y_true, y_score, kind="score")
            if labels.any():
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # undefined cases already warned by pate_curve
                    precision, recall, _ = precision_recall_curve(labels, scores)
                ap = auc_pr_score(labels, scores)
        display = cls(
            curves=curves,
            pate=pate,
            pointwise_precision=precision,
            pointwise_recall=recall,
            average_precision=ap,
            name=name,
            interpolation=interpolation,
        )
        return display.plot(ax=ax)

    def plot(self, ax: Any = None, *, name: str | None = None) -> "PateCurveDisplay":
        """Draw the display.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Axes to draw on; a new figure is made otherwise.
        name : str, optional
            Detector name; overrides the one given at creation.

        Returns
        -------
        PateCurveDisplay
            ``self``, with ``lines_``, ``pointwise_line_``, ``ax_`` and ``figure_`` set.
        """
        ax, fig = axes_or_new(ax)
        name = name if name is not None else self.name
        self.lines_: dict[tuple[int, int], Any] = {}
        for c in self.curves:
            pair = (c.early_buffer, c.delay_buffer)
            if pair in self.lines_:
                continue  # a repeated pair of the grid: same curve, drawn once
            (self.lines_[pair],) = ax.plot(
                c.recall,
                c.precision,
                marker="." if c.recall.size <= 60 else None,
                drawstyle="steps-pre" if self.interpolation == "step" else "default",
                label=f"early {pair[0]}, delay {pair[1]} (area {c.area:.3f})",
            )
        self.pointwise_line_ = None
        if self.pointwise_precision is not None:
            (self.pointwise_line_,) = ax.plot(
                self.pointwise_recall,
                self.pointwise_precision,
                drawstyle="steps-post",
                color="0.5",
                linestyle=":",
                label=f"point-wise (AP {self.average_precision:.3f})",
            )
        ax.set_xlim(-0.01, 1.01)
        ax.set_ylim(-0.01, 1.05)
        ax.set_xlabel("recall")
        ax.set_ylabel("precision")
        prefix = f"{name}: " if name else ""
        kind = " (step)" if self.interpolation == "step" else ""
        ax.set_title(f"{prefix}PATE{kind} = {self.pate:.4f}")
        ax.legend(loc="best", fontsize="small")
        texts_as_given(ax)  # a detector's name is drawn as given (no mathtext)
        self.ax_, self.figure_ = ax, fig
        return self
