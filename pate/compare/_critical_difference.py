"""``critical_difference_diagram``: the picture of a post-hoc test, drawn by pate.plot."""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd

from pate.compare._results_table import Missing

__all__ = ["critical_difference_diagram"]


def critical_difference_diagram(
    results: pd.DataFrame,
    *,
    metric: str | None = None,
    params: str | None = None,
    test: Literal["wilcoxon-holm", "nemenyi"] = "wilcoxon-holm",
    alpha: float = 0.05,
    missing: Missing = "raise",
    higher_is_better: bool = True,
    ax: Any = None,
) -> Any:
    """Draw the critical-difference diagram of a results table (needs the ``plot`` extra).

    Detectors sit on an average-rank axis (1 = best), named on both sides;
    bars join the groups that the post-hoc test does not separate
    (:func:`wilcoxon_holm_test` by default, or :func:`nemenyi_test`, whose
    critical difference is drawn as a ruler). Same as
    :meth:`pate.plot.CriticalDifferenceDisplay.from_results`.

    Parameters
    ----------
    results : DataFrame
        A results table (see :func:`results_from_frame`).
    metric, params, missing, higher_is_better
        As for :func:`leaderboard`.
    test : {"wilcoxon-holm", "nemenyi"}, default="wilcoxon-holm"
        The post-hoc test that forms the groups.
    alpha : float, default=0.05
        Its level.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure sized for the names is made otherwise.

    Returns
    -------
    pate.plot.CriticalDifferenceDisplay
        With the matplotlib objects (``figure_``, ``ax_``, ``labels_``,
        ``group_lines_``) and the test's result (``test_result_``).

    See Also
    --------
    pate.plot.CriticalDifferenceDisplay : the Display it returns.
    wilcoxon_holm_test : the default test.
    nemenyi_test : the other test.

    Examples
    --------
    >>> import pandas as pd
    >>> from pate.compare import critical_difference_diagram, results_from_matrix
    >>> m = pd.DataFrame({"a": [.9, .8, .7, .9, .8, .9], "b": [.5, .9, .6, .4, .5, .6],
    ...                   "c": [.1, .2, .3, .2, .1, .2]})
    >>> display = critical_difference_diagram(results_from_matrix(m, metric="pate"), test="nemenyi")
    >>> round(display.critical_difference, 3), display.groups
    (1.353, [['a', 'b'], ['b', 'c']])
    """
    from pate._optional import import_optional

    import_optional("matplotlib.pyplot", extra="plot", feature="pate.compare.critical_difference_diagram")
    from pate.plot import CriticalDifferenceDisplay

    return CriticalDifferenceDisplay.from_results(
        results,
        metric=metric,
        params=params,
        test=test,
        alpha=alpha,
        missing=missing,
        higher_is_better=higher_is_better,
        ax=ax,
    )
