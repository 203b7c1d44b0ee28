"""BufferSensitivityDisplay: a PATE-family metric against the buffer size."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from pate._validation import check_nonnegative_int, short_repr
from pate.compare._buffer_sensitivity import BufferSensitivityResult, buffer_sensitivity
from pate.compare._results_table import Missing
from pate.metrics import get_metric_info
from pate.plot._common import axes_or_new, texts_as_given

__all__ = ["BufferSensitivityDisplay"]


class BufferSensitivityDisplay:
    """A buffer-aware metric (PATE by default) against the buffer size, one line per detector.

    PATE's value depends on how far from an anomaly a detection still earns
    credit. This display shows how much, and whether the order of detectors
    changes with it. Each size ``b`` is used as both ``early_buffer`` and
    ``delay_buffer``. Create it with :meth:`from_predictions` (one series,
    evaluated here) or :meth:`from_results` (the mean over many series of a
    results table, through :func:`pate.compare.buffer_sensitivity`).
    Read more in the User Guide (``docs/plot.md``).

    Parameters
    ----------
    buffer_sizes : ndarray of int64 of shape (n_sizes,)
        The buffer sizes, increasing.
    values : dict of str to ndarray of float64 of shape (n_sizes,)
        The metric's value at each size, per detector, in the given order.
    metric : str, default="pate"
        The metric's registered name (:func:`pate.metrics.get_metric`).

    Attributes
    ----------
    lines_ : dict of str to matplotlib Line2D
        The line of each detector.
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    See Also
    --------
    pate.metrics.pate_score : the metric at one buffer size.
    PateCurveDisplay : the curves behind one value.

    Examples
    --------
    >>> import numpy as np
    >>> from pate.plot import BufferSensitivityDisplay
    >>> y_true = np.zeros(100, dtype=int); y_true[40:50] = 1
    >>> early = np.zeros(100, dtype=int); early[35:45] = 1
    >>> late = np.zeros(100, dtype=int); late[48:58] = 1
    >>> display = BufferSensitivityDisplay.from_predictions(
    ...     y_true, {"early": early, "late": late}, buffer_sizes=[0, 5, 10], metric="pate_f1")
    >>> display.buffer_sizes.tolist()
    [0, 5, 10]
    >>> {name: v.round(3).tolist() for name, v in display.values.items()}
    {'early': [0.577, 0.618, 0.664], 'late': [0.214, 0.262, 0.339]}
    """

    def __init__(
        self, *, buffer_sizes: np.ndarray, values: dict[str, np.ndarray], metric: str = "pate", result: Any = None
    ) -> None:
        self.buffer_sizes = buffer_sizes
        self.values = values
        self.metric = metric
        self.result = result

    @classmethod
    def from_results(
        cls,
        results: Any,
        *,
        metric: str = "pate",
        missing: Missing = "raise",
        ax: Any = None,
    ) -> "BufferSensitivityDisplay":
        """Draw each detector's mean over series against the buffer size, from a results table.

        The analysis is :func:`pate.compare.buffer_sensitivity`'s (kept as
        ``result``); every setting must use equal early and delay buffers.

        Parameters
        ----------
        results : DataFrame
            A results table (``series``, ``detector``, ``metric``, ``value``,
            ``params``) holding ``metric`` at several buffer settings.
        metric : str, default="pate"
            The metric to draw.
        missing : {"raise", "drop-series"}, default="raise"
            As in :func:`pate.compare.buffer_sensitivity`.
        ax : matplotlib Axes, optional
            Axes to draw on; a new figure is made otherwise.

        Returns
        -------
        BufferSensitivityDisplay

        Examples
        --------
        >>> import pandas as pd
        >>> from pate.plot import BufferSensitivityDisplay
        >>> rows = [(s, d, "pate", v, p) for p, values in {"delay_buffer=5;early_buffer=5": (.9, .8, .5, .6),
        ...                                                "": (.7, .6, .8, .7)}.items()
        ...         for (s, d), v in zip([("s1", "a"), ("s2", "a"), ("s1", "b"), ("s2", "b")], values)]
        >>> results = pd.DataFrame(rows, columns=["series", "detector", "metric", "value", "params"])
        >>> display = BufferSensitivityDisplay.from_results(results)
        >>> display.buffer_sizes.tolist(), {k: v.round(2).tolist() for k, v in display.values.items()}
        ([5, 100], {'a': [0.85, 0.65], 'b': [0.55, 0.75]})
        """
        result = buffer_sensitivity(results, metric=metric, missing=missing)
        table = result.table
        asymmetric = table[table["early_buffer"] != table["delay_buffer"]]
        if len(asymmetric):
            row = asymmetric.iloc[0]
            raise ValueError(
                f"setting early_buffer={row['early_buffer']}, delay_buffer={row['delay_buffer']} has unequal "
                "buffers; this display draws settings with early_buffer == delay_buffer (filter the table first)."
            )
        table = table.assign(size=table["early_buffer"].astype(np.int64)).sort_values("size", kind="stable")
        sizes = np.asarray(sorted(set(table["size"])), dtype=np.int64)
        values = {
            str(name): group.set_index("size")["mean"].reindex(sizes).to_numpy(dtype=np.float64)
            for name, group in table.groupby("detector", sort=False)
        }
        return cls(buffer_sizes=sizes, values=values, metric=metric, result=result).plot(ax=ax)

    @classmethod
    def from_result(cls, result: BufferSensitivityResult, *, ax: Any = None) -> "BufferSensitivityDisplay":
        """Draw a :func:`pate.compare.buffer_sensitivity` result: each detector's mean against the buffer size.

        The display draws settings with equal early and delay buffers; the
        others are left out, and at least one setting must have them equal.

        Parameters
        ----------
        result : BufferSensitivityResult
            What :func:`pate.compare.buffer_sensitivity` returned.
        ax : matplotlib Axes, optional
            Axes to draw on; a new figure is made otherwise.

        Returns
        -------
        BufferSensitivityDisplay

        Examples
        --------
        >>> import pandas as pd
        >>> from pate.compare import buffer_sensitivity
        >>> from pate.plot import BufferSensitivityDisplay
        >>> rows = [(s, d, "pate", v, p) for p, values in {"delay_buffer=5;early_buffer=5": (.9, .8, .5, .6),
        ...                                                "": (.7, .6, .8, .7)}.items()
        ...         for (s, d), v in zip([("s1", "a"), ("s2", "a"), ("s1", "b"), ("s2", "b")], values)]
        >>> result = buffer_sensitivity(pd.DataFrame(rows, columns=["series", "detector", "metric", "value", "params"]))
        >>> display = BufferSensitivityDisplay.from_result(result)
        >>> display.buffer_sizes.tolist(), sorted(display.values)
        ([5, 100], ['a', 'b'])
        """
        table = result.table
        equal = table[table["early_buffer"] == table["delay_buffer"]]
        if equal.empty:
            raise ValueError("no setting has early_buffer == delay_buffer; the display draws equal buffers only.")
        sizes = np.array(sorted(set(equal["early_buffer"])), dtype=np.int64)
        values = {
            str(det): block.set_index("early_buffer")["mean"].reindex(sizes).to_numpy(dtype=float)
            for det, block in equal.groupby("detector", sort=False)
        }
        return cls(buffer_sizes=sizes, values=values, metric=result.metric, result=result).plot(ax=ax)

    @classmethod
    def from_predictions(
        cls,
        y_true: Any,
        y_scores: Any,
        *,
        buffer_sizes: Sequence[int] = (0, 5, 10, 20, 50, 100, 200),
        metric: str = "pate",
        ax: Any = None,
        **metric_options: Any,
    ) -> "BufferSensitivityDisplay":
        """Evaluate each detector at each buffer size and draw the lines.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            Labels, 0/1 or bool.
        y_scores : mapping of str to array-like, or array-like
            The scores (or, for a binary metric such as ``"pate_f1"``, the
            predictions) of each detector by name; a mapping, a pandas
            DataFrame (one column per detector) or one array.
        buffer_sizes : sequence of int, default=(0, 5, 10, 20, 50, 100, 200)
            Sizes used as both ``early_buffer`` and ``delay_buffer``.
        metric : str, default="pate"
            A registered metric that takes ``early_buffer`` and
            ``delay_buffer`` (``pate``, ``pate_f1``, ...).
        ax : matplotlib Axes, optional
            Axes to draw on; a new figure is made otherwise.
        **metric_options
            Other options of the metric, e.g. ``n_buffer_splits=1``.

        Returns
        -------
        BufferSensitivityDisplay
        """
        info = get_metric_info(metric)
        missing = {"early_buffer", "delay_buffer"} - set(info.params)
        if missing:
            raise ValueError(
                f"metric {metric!r} has no buffer options ({', '.join(sorted(missing))}); "
                "use a PATE-family metric such as 'pate' or 'pate_f1'."
            )
        for key in ("early_buffer", "delay_buffer"):
            if key in metric_options:
                raise TypeError(f"{key} is set by buffer_sizes; do not pass it as a metric option.")
        sizes = np.asarray([check_nonnegative_int(b, "buffer_sizes") for b in buffer_sizes], dtype=np.int64)
        if sizes.size == 0:
            raise ValueError("buffer_sizes is empty: give at least one size.")
        if np.any(np.diff(sizes) <= 0):
            raise ValueError(f"buffer_sizes must be strictly increasing, got {sizes.tolist()}.")
        detectors = _named_scores(y_scores)
        fn = info.func
        values = {
            name: np.array([fn(y_true, s, early_buffer=int(b), delay_buffer=int(b), **metric_options) for b in sizes])
            for name, s in detectors.items()
        }
        return cls(buffer_sizes=sizes, values=values, metric=metric).plot(ax=ax)

    def plot(self, ax: Any = None) -> "BufferSensitivityDisplay":
        """Draw the display.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Axes to draw on; a new figure is made otherwise.

        Returns
        -------
        BufferSensitivityDisplay
            ``self``, with ``lines_``, ``ax_`` and ``figure_`` set.
        """
        ax, fig = axes_or_new(ax)
        self.lines_ = {}
        for name, v in self.values.items():
            (self.lines_[name],) = ax.plot(self.buffer_sizes, v, marker="o", label=name)
        ax.set_xlabel("buffer size (early = delay)")
        ax.set_ylabel(self.metric)  # autoscaled: differences between detectors are often small
        ax.set_title(f"{self.metric} against the buffer size")
        ax.legend(fontsize="small")
        texts_as_given(ax)  # detector and metric names are drawn as given (no mathtext)
        self.ax_, self.figure_ = ax, fig
        return self


def _named_scores(y_scores: Any) -> dict[str, Any]:
    if isinstance(y_scores, Mapping):
        items = list(y_scores.items())
    elif hasattr(y_scores, "items") and hasattr(y_scores, "columns"):  # a pandas DataFrame
        items = list(y_scores.items())
    else:
        items = [("detector", y_scores)]
    if not items:
        raise ValueError("y_scores holds no detector.")
    out = {}
    for name, s in items:
        if not isinstance(name, str):
            raise TypeError(f"detector names must be strings, got {short_repr(name)} ({type(name).__name__}).")
        out[name] = s
    return out
