"""CriticalDifferenceDisplay: detectors on an average-rank axis, bars joining those not significantly different.

The diagram of Demšar (JMLR 2006): the rank axis on top (1 = best, on the
left), the better half of the detectors named on the left, the other half on
the right, and below the axis one bar per group of detectors that the
post-hoc test does not separate. With Nemenyi's test the critical difference
is drawn as a ruler above the axis. The groups come from
:func:`pate.compare.wilcoxon_holm_test` (default) or
:func:`pate.compare.nemenyi_test`; the display draws them, it does not decide them.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Literal, Sequence

from pate._validation import check_choice
from pate.compare._published import join_published
from pate.compare._results_table import select
from pate.compare._statistical_tests import NemenyiResult, WilcoxonHolmResult, nemenyi_test, wilcoxon_holm_test
from pate.plot._common import pyplot, shown_name, texts_as_given

__all__ = ["CriticalDifferenceDisplay"]

_TESTS = ("wilcoxon-holm", "nemenyi")
_HIGHLIGHT = "#c0392b"  # a red that stays distinct from black in grey print (bold as well)


class CriticalDifferenceDisplay:
    """Critical-difference diagram of detectors compared over many series.

    Create it with :meth:`from_results` (which runs the test and draws), or
    from the data of a test result and :meth:`plot`. Read more in the User
    Guide (``docs/compare.md``).

    Parameters
    ----------
    average_ranks : pandas Series
        Average rank per detector (1 = best), sorted best first.
    groups : list of list of str
        Runs of detectors, contiguous in rank order, not significantly different.
    test : {"wilcoxon-holm", "nemenyi"}
        The post-hoc test that made the groups (for the caption).
    alpha : float
        Its level.
    critical_difference : float, optional
        Nemenyi's critical difference, drawn as a ruler when given.
    n_series : int, optional
        Number of series, for the caption.
    metric : str, default=""
        The metric's name, for the caption.
    highlight : sequence of str, default=()
        Detectors to set apart (yours among published ones): their names in
        bold and colour, with their connector lines.

    Attributes
    ----------
    labels_ : dict of str to matplotlib Text
        The name of each detector.
    group_lines_ : list of matplotlib Line2D
        One bar per group, in the order of ``groups``.
    cd_line_ : matplotlib Line2D or None
        The critical-difference ruler (Nemenyi only).
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import pandas as pd
    >>> from pate.compare import results_from_matrix
    >>> from pate.plot import CriticalDifferenceDisplay
    >>> m = pd.DataFrame({"a": [.9, .8, .7, .9, .8, .9], "b": [.5, .9, .6, .4, .5, .6],
    ...                   "c": [.1, .2, .3, .2, .1, .2]})
    >>> display = CriticalDifferenceDisplay.from_results(results_from_matrix(m, metric="pate"))
    >>> display.groups, sorted(display.labels_)
    ([['a', 'b', 'c']], ['a', 'b', 'c'])
    """

    def __init__(
        self,
        *,
        average_ranks: Any,
        groups: list[list[str]],
        test: Literal["wilcoxon-holm", "nemenyi"],
        alpha: float,
        critical_difference: float | None = None,
        n_series: int | None = None,
        metric: str = "",
        highlight: Sequence[str] = (),
    ) -> None:
        check_choice(test, "test", _TESTS)
        if isinstance(highlight, str):
            raise TypeError(f"highlight must be a sequence of detector names, not one string ({highlight!r}).")
        unknown = [h for h in highlight if h not in set(map(str, average_ranks.index))]
        if unknown:
            raise ValueError(f"highlight names {unknown!r}, which are not among the detectors of the diagram.")
        self.average_ranks = average_ranks
        self.groups = groups
        self.test = test
        self.alpha = alpha
        self.critical_difference = critical_difference
        self.n_series = n_series
        self.metric = metric
        self.highlight = tuple(highlight)
        self.test_result_: NemenyiResult | WilcoxonHolmResult | None = None  # set by from_results

    @classmethod
    def from_results(
        cls,
        results: Any,
        *,
        metric: str | None = None,
        params: str | None = None,
        test: Literal["wilcoxon-holm", "nemenyi"] = "wilcoxon-holm",
        alpha: float = 0.05,
        missing: Literal["raise", "drop-series"] = "raise",
        higher_is_better: bool = True,
        ax: Any = None,
        against: str | None = None,
        highlight: Sequence[str] = (),
    ) -> "CriticalDifferenceDisplay":
        """Run the post-hoc test on a results table and draw the diagram.

        Parameters
        ----------
        results : DataFrame
            A results table (see :func:`pate.compare.results_from_frame`).
        metric, params, missing, higher_is_better
            As for :func:`pate.compare.leaderboard`.
        test : {"wilcoxon-holm", "nemenyi"}, default="wilcoxon-holm"
            :func:`pate.compare.wilcoxon_holm_test` or :func:`pate.compare.nemenyi_test`.
        alpha : float, default=0.05
            Level of the test.
        ax : matplotlib Axes, optional
            Axes to draw on; a new figure sized for the names is made otherwise.
        against : str, optional
            A published table (:func:`pate.compare.list_published`): your
            detectors among the published ones, on the published series
            (:func:`pate.compare.join_published`), yours highlighted.
        highlight : sequence of str, default=()
            Detectors to set apart (added to yours with ``against``).

        Returns
        -------
        CriticalDifferenceDisplay
            With ``test_result_`` holding the test's result.

        Examples
        --------
        >>> from pate.compare import published_results
        >>> from pate.plot import CriticalDifferenceDisplay
        >>> sub_pca = published_results("tsb-ad-u").query("detector == 'Sub-PCA'")
        >>> mine = sub_pca.assign(detector="mine", value=1 - (1 - sub_pca["value"]) / 2)
        >>> display = CriticalDifferenceDisplay.from_results(mine, against="tsb-ad-u")
        >>> display.highlight, display.n_series, len(display.labels_), display.labels_["mine"].get_fontweight()
        (('mine',), 350, 33, 'bold')
        """
        check_choice(test, "test", _TESTS)
        if against is not None:
            if higher_is_better is not True:
                raise ValueError(
                    f"against={against!r}: the published metric is higher-is-better; leave higher_is_better at True."
                )
            joined = join_published(results, against, metric=metric, params=params, missing=missing)
            results, metric, params = joined.results, None, None
            highlight = (*joined.yours, *(h for h in highlight if h not in joined.yours))
        kwargs: dict[str, Any] = dict(
            metric=metric, params=params, alpha=alpha, missing=missing, higher_is_better=higher_is_better
        )
        res: NemenyiResult | WilcoxonHolmResult
        if test == "nemenyi":
            res = nemenyi_test(results, **kwargs)
            cd = res.critical_difference
        else:
            res = wilcoxon_holm_test(results, **kwargs)
            cd = None
        with warnings.catch_warnings():  # the test above has warned already
            warnings.simplefilter("ignore")
            sel = select(results, metric=metric, params=params, missing=missing, higher_is_better=higher_is_better)
        display = cls(
            average_ranks=res.average_ranks,
            groups=res.groups,
            test=test,
            alpha=alpha,
            critical_difference=cd,
            n_series=int(sel.matrix.shape[0]),
            metric=sel.metric if not sel.params else f"{sel.metric}[{sel.params}]",
            highlight=highlight,
        )
        display.test_result_ = res
        return display.plot(ax=ax)

    def plot(self, ax: Any = None) -> "CriticalDifferenceDisplay":
        """Draw the diagram.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Axes to draw on; a new figure sized for the number of detectors
            and the length of their names is made otherwise.

        Returns
        -------
        CriticalDifferenceDisplay
            ``self``, with ``labels_``, ``group_lines_``, ``cd_line_``, ``ax_`` and ``figure_`` set.
        """
        plt = pyplot()
        from matplotlib.collections import LineCollection  # matplotlib: the optional plot extra (imported above)

        names = [str(n) for n in self.average_ranks.index]
        ranks = [float(r) for r in self.average_ranks.to_numpy()]
        k = len(names)
        half = math.ceil(k / 2)
        shown = [shown_name(n) for n in names]  # a blank name is drawn quoted, not as nothing
        texts = [f"{n} ({r:.2f})" if i < half else f"({r:.2f}) {n}" for i, (n, r) in enumerate(zip(shown, ranks))]
        longest = max(len(t) for t in texts)
        rows = half
        n_groups = len(self.groups)
        if ax is None:
            width = min(max(6.0, 3.0 + 2 * 0.075 * longest + 0.25 * k), 18.0)
            height = 1.3 + 0.26 * (rows + 0.45 * n_groups)
            fig, ax = plt.subplots(figsize=(width, height))
        fig = ax.figure
        fig_width = fig.get_size_inches()[0] * ax.get_position().width
        # the side margins hold the names: their share of the axes width follows the longest name
        frac = min(max(0.075 * longest / max(fig_width, 1e-6), 0.12), 0.42)
        lo, hi = 1.0, float(max(k, 2))
        span = hi - lo
        margin = span * frac / (1.0 - 2.0 * frac)
        ax.set_xlim(lo - margin, hi + margin)

        color, width = "black", 1.0
        ax.plot([lo, hi], [0, 0], color=color, lw=width)
        # One artist for all ticks and one for all connectors: the drawing stays linear and quick in k.
        last = int(hi)
        ax.add_collection(LineCollection([[(t, 0), (t, -0.18)] for t in range(1, last + 1)], colors=color, lw=width))
        for t in rank_axis_labels(last):
            ax.text(t, -0.28, str(t), ha="center", va="bottom", fontsize=8)

        self.cd_line_ = None
        top = -1.0
        if self.critical_difference is not None:
            cd = float(self.critical_difference)
            (self.cd_line_,) = ax.plot([lo, lo + cd], [-1.25, -1.25], color=color, lw=1.5)
            for x in (lo, lo + cd):
                ax.plot([x, x], [-1.35, -1.15], color=color, lw=1.0)
            ax.text(lo + cd / 2, -1.4, f"CD = {cd:.3f}", ha="center", va="bottom", fontsize=8)
            top = -2.0

        bar_y0, bar_dy = 0.45, 0.35
        self.group_lines_ = []
        position = {n: r for n, r in zip(names, ranks)}
        for j, group in enumerate(self.groups):
            x0, x1 = position[group[0]], position[group[-1]]
            y = bar_y0 + j * bar_dy
            (line,) = ax.plot([x0 - 0.04, x1 + 0.04], [y, y], color=color, lw=3.0, solid_capstyle="round")
            self.group_lines_.append(line)
        name_y0 = bar_y0 + n_groups * bar_dy + 0.4
        self.labels_ = {}
        marked = set(self.highlight)
        connectors, connector_colors, connector_widths = [], [], []
        for i, (name, rank, text) in enumerate(zip(names, ranks, texts)):
            left = i < half
            row = i if left else k - 1 - i  # the right side reads from the bottom up, as Demšar draws it
            y = name_y0 + row
            x_text = lo - margin * 0.04 if left else hi + margin * 0.04
            mark = name in marked
            connectors.append([(rank, 0), (rank, y), (x_text, y)])
            connector_colors.append(_HIGHLIGHT if mark else color)
            connector_widths.append(1.4 if mark else 0.8)
            self.labels_[name] = ax.text(
                x_text - (0.01 * margin if left else -0.01 * margin),
                y,
                text,
                ha="right" if left else "left",
                va="center",
                fontsize=9,
                color=_HIGHLIGHT if mark else color,
                fontweight="bold" if mark else "normal",
            )
        ax.add_collection(LineCollection(connectors, colors=connector_colors, linewidths=connector_widths))
        bottom = name_y0 + max(rows, k - half) - 0.4
        ax.set_ylim(bottom, top)  # inverted: the axis on top
        ax.axis("off")
        caption = {"wilcoxon-holm": "Wilcoxon signed-rank, Holm", "nemenyi": "Nemenyi"}[self.test]
        details = [self.metric] if self.metric else []
        if self.n_series is not None:
            details.append(f"{self.n_series} series")
        details.append(f"{caption}, alpha = {self.alpha:g}")
        ax.set_title("average rank (1 = best); " + ", ".join(details), fontsize=9)
        texts_as_given(ax)  # names with '$' are names, not math
        self.ax_, self.figure_ = ax, fig
        return self


def rank_axis_labels(last: int) -> list[int]:
    """The ranks labelled on the axis: all up to 20 detectors, else every step (about 25 labels) and the last.

    A label closer than one step to the last is left out, so the last two never overlap.

    >>> rank_axis_labels(5), rank_axis_labels(60)[-3:], len(rank_axis_labels(1000))
    ([1, 2, 3, 4, 5], [52, 55, 60], 25)
    """
    step = 1 if last <= 20 else max(2, math.ceil(last / 25))
    labels = [t for t in range(1, last + 1, step) if last - t >= step]
    return labels + [last]
