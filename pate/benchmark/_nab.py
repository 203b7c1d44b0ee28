"""NAB's scoreboard over a benchmark's series: every detector x profile, at given or exactly optimised thresholds.

The Numenta Anomaly Benchmark sums each detector's raw score over every series
of the corpus and normalises the sum; its threshold per detector and profile
is the one that maximises that sum. The arithmetic is array-level
(:mod:`pate.metrics._nab_corpus`): one corpus of windows, one sort and sweep
per detector for the exact optimum, one pass per series at each threshold.
Read more in the User Guide (``docs/nab.md``).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pate._validation import (
    InvalidValuesError,
    check_fraction,
    check_labels,
    check_same_length,
    check_scores,
    short_repr,
)
from pate._warnings import warn_at_caller, warn_undefined
from pate.benchmark._readers import Series, SeriesError
from pate.benchmark._thresholds import nab_threshold, read_nab_thresholds
from pate.metrics._nab import NAB_PROFILES, NabProfile, check_nab_profile
from pate.metrics._nab_corpus import NabCorpus

__all__ = ["NabScoreboard", "NabThresholdWarning", "nab_scoreboard"]

#: Columns of :attr:`NabScoreboard.per_series`, NAB's per-file result tables.
PER_SERIES_COLUMNS = ("series", "detector", "profile", "threshold", "raw", "tp", "fp", "fn", "tn")


class NabThresholdWarning(UserWarning):
    """A given threshold lies outside a detector's scores: it detects nothing, or every scored point.

    NAB's own ``null`` detector (0.5 everywhere) has the threshold 0.625, so
    such a threshold is allowed; it is more often a threshold on another
    scale (percent, or another detector's).
    """


@dataclass(frozen=True)
class NabScoreboard:
    """NAB's scoreboard: normalised scores, thresholds and raw totals per detector and profile.

    Attributes
    ----------
    scores : pandas.DataFrame
        Detector x profile: ``100 * (raw - null) / (perfect - null)`` of the
        sums over every series (100 perfect, 0 detecting nothing). Rows are
        sorted like NAB's README: by the first profile's score, best first,
        ties by name.
    thresholds : pandas.DataFrame
        Detector x profile: the threshold used (``score >= threshold`` detects).
    raw : pandas.DataFrame
        Detector x profile: the raw score summed over every series.
    per_series : pandas.DataFrame
        Tidy, one row per series x detector x profile: ``series``,
        ``detector``, ``profile``, ``threshold``, ``raw``, ``tp``, ``fp``,
        ``fn``, ``tn`` (NAB's per-file result tables).
    perfect, null : dict of str to float
        Per profile: ``A_tp`` and ``-A_fn`` times the windows counted.
    n_windows : int
        Windows counted over the corpus.
    optimised : bool
        Whether the thresholds were chosen by the exact optimiser.
    """

    scores: pd.DataFrame
    thresholds: pd.DataFrame
    raw: pd.DataFrame
    per_series: pd.DataFrame = field(repr=False)
    perfect: dict[str, float]
    null: dict[str, float]
    n_windows: int
    optimised: bool

    def to_dict(self) -> dict[str, dict[str, float]]:
        """``{detector: {profile: score}}``, the layout of NAB's ``results/final_results.json``."""
        return {str(d): {str(p): float(v) for p, v in row.items()} for d, row in self.scores.iterrows()}

    def thresholds_dict(self) -> dict[str, dict[str, dict[str, float]]]:
        """``{detector: {profile: {"threshold": t, "score": raw}}}``, the layout of NAB's ``config/thresholds.json``.

        As in NAB's file, ``score`` is the raw corpus total, not the normalised score.
        """
        return {
            str(d): {
                str(p): {"threshold": float(self.thresholds.at[d, p]), "score": float(self.raw.at[d, p])}
                for p in self.thresholds.columns
            }
            for d in self.thresholds.index
        }


def _profiles(profiles: Any) -> dict[str, NabProfile]:
    if isinstance(profiles, str):
        profiles = (profiles,)
    if isinstance(profiles, Mapping):
        items = list(profiles.items())
    else:
        try:
            items = [(name, name) for name in profiles]
        except TypeError:
            raise TypeError(
                f"profiles must be profile names or a mapping name -> weights, got {short_repr(profiles)}."
            ) from None
    if not items:
        raise ValueError("profiles is empty: name at least one (e.g. 'standard').")
    out: dict[str, NabProfile] = {}
    for name, weights in items:
        if not isinstance(name, str):
            raise TypeError(
                f"profiles must be names, or a mapping name -> weights for custom weights; got {short_repr(name)} "
                "(e.g. profiles={'mine': (1, 0.5, 1)})."
            )
        if name in out:
            raise ValueError(f"profile {name!r} is named twice.")
        out[name] = check_nab_profile(weights)
    return out


def _load(series: Iterable[Any]) -> tuple[list[str], list[np.ndarray], dict[str, list[np.ndarray]]]:
    """Names, validated labels and every detector's validated scores, the same detectors on every series."""
    names: list[str] = []
    labels: list[np.ndarray] = []
    scores: dict[str, list[np.ndarray]] = {}
    detectors: list[str] | None = None
    for source in series:
        s = source.load() if not isinstance(source, Series) and hasattr(source, "load") else source
        if not isinstance(s, Series):
            raise TypeError(f"series must hold pate.benchmark.Series (or sources with load()), got {type(s).__name__}.")
        label_file = s.files.get("") or None
        if s.name in names:
            raise ValueError(f"two series are named {s.name!r}; give each series its own name.")
        if s.problems:
            detector, reason = next(iter(s.problems.items()))
            raise SeriesError(reason, series=s.name, detector=detector, file=s.files.get(detector) or None)
        try:
            y = check_labels(s.y_true)
        except (InvalidValuesError, ValueError, TypeError) as exc:
            raise SeriesError(
                exc.located() if isinstance(exc, InvalidValuesError) else str(exc), series=s.name, file=label_file
            ) from None
        if detectors is None:
            detectors = list(s.scores)
            if not detectors:
                raise SeriesError("no detector scores.", series=s.name, file=label_file)
            scores = {d: [] for d in detectors}
        elif list(s.scores) != detectors and set(s.scores) != set(detectors):
            missing = [d for d in detectors if d not in s.scores]
            extra = [d for d in s.scores if d not in detectors]
            what = f"has no scores of detector {missing[0]!r}" if missing else f"has a detector {extra[0]!r} more"
            raise SeriesError(
                f"{what} than the first series ({names[0]!r}); NAB's scoreboard sums every detector over every series.",
                series=s.name,
                file=label_file,
            )
        for d in detectors:
            try:
                values = check_scores(s.scores[d])
                check_same_length(y, values, name="y_score")
            except (InvalidValuesError, ValueError, TypeError) as exc:
                reason = exc.located() if isinstance(exc, InvalidValuesError) else str(exc)
                raise SeriesError(reason, series=s.name, detector=d, file=s.files.get(d) or None) from None
            scores[d].append(values)
        names.append(s.name)
        labels.append(y)
    if not names:
        raise ValueError("no series: NAB's scoreboard needs at least one series.")
    return names, labels, scores


def nab_scoreboard(
    series: Iterable[Any],
    *,
    thresholds: Mapping[str, Any] | str | os.PathLike[str] | None = None,
    profiles: Any = tuple(NAB_PROFILES),
    probationary_percent: float = 0.15,
) -> NabScoreboard:
    """NAB's scoreboard of every detector of a corpus, per profile, at given or exactly optimal thresholds.

    Each detector's raw NAB score (see :func:`pate.metrics.nab_score`) is
    summed over every series and normalised once:
    ``100 * (raw - null) / (perfect - null)``, 100 perfect, 0 detecting
    nothing. Without ``thresholds``, each detector's threshold per profile is
    the one maximising its corpus-wide raw score, exactly: one sorted sweep
    over every distinct score of the corpus, the highest threshold among equal
    optima (NAB's published thresholds came from a local search; docs/nab.md
    compares the two). Read more in the User Guide (``docs/nab.md``).

    Parameters
    ----------
    series : iterable of Series or sources
        One :class:`~pate.benchmark.Series` per file (or a source whose
        ``load()`` reads one, as :func:`read_csv_series` gives), each with the
        same detectors; every detector is scored on every series.
    thresholds : mapping or path to a JSON file, optional
        ``{detector: {profile: {"threshold": t, ...}}}`` (NAB's
        ``config/thresholds.json``) or ``{detector: {profile: t}}``; every
        detector and profile scored must be there (others are ignored). A
        threshold above every scored point of its detector detects nothing,
        one below them detects every point; both warn
        (:class:`NabThresholdWarning`), except the next float above the
        largest score, which the optimiser reports for "detect nothing".
        None (default): optimised exactly.
    profiles : sequence of str, or mapping of str to weights, default=NAB's three
        NAB's profile names (``"standard"``, ``"reward_low_FP_rate"``,
        ``"reward_low_FN_rate"``), or ``{name: (A_tp, A_fp, A_fn)}`` for custom
        positive weights.
    probationary_percent : float, default=0.15
        NAB's probationary period of every series (see :func:`pate.metrics.nab_score`).

    Returns
    -------
    NabScoreboard
        ``scores``, ``thresholds``, ``raw`` (DataFrames detector x profile),
        ``per_series`` (tidy) and the corpus' ``perfect`` and ``null``. The
        scores are nan with ``UndefinedMetricWarning`` when no window of the
        corpus is counted.

    Raises
    ------
    SeriesError
        A series whose labels or scores cannot be scored (series, detector,
        file and index named), or whose detectors differ from the first series'.
    ValueError, TypeError
        A bad profile, probationary percent or threshold, or a threshold missing.

    See Also
    --------
    pate.metrics.nab_score : NAB's score of one series' binary detections.
    pate.plot.NabDisplay : where an alarm earns what.

    Examples
    --------
    >>> import numpy as np
    >>> from pate.benchmark import Series, nab_scoreboard
    >>> y = np.zeros(100, dtype=int); y[40:50] = 1
    >>> early = np.zeros(100); early[41] = 0.9
    >>> late = np.zeros(100); late[49] = 0.9; late[70] = 0.8
    >>> board = nab_scoreboard([Series("s", y, {"early": early, "late": late})], profiles=["standard"])
    >>> board.scores.round(2)
    profile   standard
    detector
    early        99.56
    late         62.41
    >>> float(board.thresholds.loc["late", "standard"])
    0.9
    >>> board.per_series.round(4)[["detector", "raw", "tp", "fp"]].values.tolist()
    [['early', 0.9913, 1, 0], ['late', 0.2482, 1, 0]]
    """
    weights = _profiles(profiles)
    p = check_fraction(probationary_percent, "probationary_percent")
    given: Mapping[str, Any] | None
    if thresholds is None or isinstance(thresholds, Mapping):
        given = thresholds
    elif isinstance(thresholds, (str, os.PathLike)):
        given = read_nab_thresholds(thresholds)
    else:
        raise TypeError(
            f"thresholds must be a mapping, a path to a JSON file or None, got {type(thresholds).__name__}."
        )
    names, labels, scores = _load(series)
    corpus = NabCorpus(labels, p)
    chosen = (
        {d: {prof: nab_threshold(given, d, prof) for prof in weights} for d in scores} if given is not None else None
    )
    if chosen is not None:
        _warn_outside(corpus, scores, chosen)

    rows: list[tuple] = []
    table: dict[str, dict[str, tuple[float, float]]] = {}
    for detector, arrays in scores.items():
        sweep = corpus.sweep(arrays) if chosen is None else None
        for profile, w in weights.items():
            threshold = sweep.best(w)[0] if sweep is not None else chosen[detector][profile]  # type: ignore[index]
            counts = corpus.score_at(arrays, threshold, w)
            raw = math.fsum(c.raw for c in counts)
            table.setdefault(detector, {})[profile] = (threshold, raw)
            rows += [(n, detector, profile, threshold, c.raw, c.tp, c.fp, c.fn, c.tn) for n, c in zip(names, counts)]

    perfect = {prof: w.tp * corpus.n_windows for prof, w in weights.items()}
    null = {prof: 0.0 - w.fn * corpus.n_windows for prof, w in weights.items()}
    if corpus.n_windows == 0:
        warn_undefined(
            "NAB's scoreboard is undefined when no window of the corpus is counted (no label run after the "
            "probationary periods: perfect and null are both 0); the scores are nan.",
            fields=("scores",),
        )
    detectors = list(scores)
    profile_names = list(weights)

    def frame(values: dict[str, list[float]]) -> pd.DataFrame:
        out = pd.DataFrame(values, index=pd.Index(detectors, name="detector"), columns=profile_names)
        out.columns.name = "profile"
        return out

    raw_frame = frame({prof: [table[d][prof][1] for d in detectors] for prof in profile_names})
    threshold_frame = frame({prof: [table[d][prof][0] for d in detectors] for prof in profile_names})
    score_frame = frame(
        {
            prof: [
                100 * (table[d][prof][1] - null[prof]) / (perfect[prof] - null[prof]) if corpus.n_windows else math.nan
                for d in detectors
            ]
            for prof in profile_names
        }
    )
    first = profile_names[0]
    order = sorted(detectors, key=lambda d: (-np.nan_to_num(score_frame.at[d, first], nan=-np.inf), d))
    per_series = pd.DataFrame(rows, columns=list(PER_SERIES_COLUMNS))
    return NabScoreboard(
        scores=score_frame.loc[order],
        thresholds=threshold_frame.loc[order],
        raw=raw_frame.loc[order],
        per_series=per_series,
        perfect=perfect,
        null=null,
        n_windows=corpus.n_windows,
        optimised=chosen is None,
    )


def _warn_outside(corpus: NabCorpus, scores: dict[str, list[np.ndarray]], chosen: dict[str, dict[str, float]]) -> None:
    """One :class:`NabThresholdWarning` naming every threshold outside its detector's scored points."""
    found: dict[tuple[str, float, str], list[str]] = {}
    for detector, arrays in scores.items():
        scored = [a[first:] for a, first in zip(arrays, corpus.first) if a.size > first]
        if not scored:
            continue
        low = min(float(a.min()) for a in scored)
        high = max(float(a.max()) for a in scored)
        for profile, t in chosen[detector].items():
            # the optimiser's own "detect nothing" (the next float above the largest score) is not a mistake
            if t > high and t != np.nextafter(high, math.inf):
                what = f"lies above every scored point (largest {high!r}): nothing is detected"
            elif t < low:
                what = f"lies below every scored point (smallest {low!r}): every point is detected"
            else:
                continue
            found.setdefault((detector, t, what), []).append(profile)
    if found:
        notes = [f"{d} ({', '.join(profiles)}): {t!r} {what}" for (d, t, what), profiles in found.items()]
        warn_at_caller("NAB scoreboard, thresholds outside the scores: " + "; ".join(notes) + ".", NabThresholdWarning)
