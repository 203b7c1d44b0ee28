"""NAB's score (the Numenta Anomaly Benchmark) of binary detections, per series.

Definition: docs/nab.md (NAB's ``nab/sweeper.py`` at commit ea702d7, restated).
Data flow: validate -> windows (label runs) and the probationary period ->
kernel (``pate._kernels.nab``) -> normalised score. The corpus-wide scoreboard
and its exact threshold optimiser build on the same pieces (``pate.metrics._nab_corpus``).
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Mapping
from types import ModuleType
from typing import Any, NamedTuple, Union

import numpy as np

from pate._events import label_events
from pate._validation import check_fraction, check_targets, short_repr
from pate._warnings import warn_undefined
from pate.metrics._undefined import Undefined, undefined_policy

__all__ = [
    "NabProfile",
    "NabScore",
    "NAB_PROFILES",
    "ProfileLike",
    "check_nab_profile",
    "nab_probationary_length",
    "nab_kernels",
    "nab_score",
]


class NabProfile(NamedTuple):
    """The weights of a NAB application profile (NAB's cost matrix).

    Attributes
    ----------
    tp : float
        ``A_tp``: what the earliest possible detection of a window earns.
    fp : float
        ``A_fp``: what a false positive far from every window costs.
    fn : float
        ``A_fn``: what a window without any detection costs.
    """

    tp: float
    fp: float
    fn: float


#: NAB's three application profiles (``config/profiles.json``; NAB's ``tnWeight`` is never used).
NAB_PROFILES: dict[str, NabProfile] = {
    "standard": NabProfile(1.0, 0.11, 1.0),
    "reward_low_FP_rate": NabProfile(1.0, 0.22, 1.0),
    "reward_low_FN_rate": NabProfile(1.0, 0.11, 2.0),
}

ProfileLike = Union[str, NabProfile, tuple, Mapping]


class NabScore(NamedTuple):
    """NAB's score of one series, with the parts it is made of.

    Attributes
    ----------
    score : float
        Normalised score ``100 * (raw - null) / (perfect - null)``: 100 is
        perfect, 0 is detecting nothing, below 0 is worse than nothing.
    raw : float
        Sum of the window rewards and the false-positive worths.
    perfect : float
        ``A_tp`` times the number of windows counted (each detected at its first point).
    null : float
        ``-A_fn`` times the number of windows counted (nothing detected).
    tp, fp, fn, tn : int
        NAB's point counts after the probationary period: detected points
        inside windows, detected points outside, undetected points inside,
        undetected points outside.
    """

    score: float
    raw: float
    perfect: float
    null: float
    tp: int
    fp: int
    fn: int
    tn: int


def _weight(value: Any, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"profile weight {name} must be a positive number, got {short_repr(value)} ({type(value).__name__})."
        )
    value = float(value)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"profile weight {name} must be a positive finite number, got {value}.")
    return value


_KEYS = {"tp": "tp", "fp": "fp", "fn": "fn", "tpWeight": "tp", "fpWeight": "fp", "fnWeight": "fn"}


def check_nab_profile(profile: Any) -> NabProfile:
    """The weights of ``profile``: a NAB profile name, three weights, or a mapping of them.

    Accepted: ``"standard"``, ``"reward_low_FP_rate"``, ``"reward_low_FN_rate"``;
    a :class:`NabProfile` or any sequence ``(A_tp, A_fp, A_fn)``, or the same as
    text ``"A_tp,A_fp,A_fn"`` (for the command line and results tables); a mapping with
    keys ``tp``, ``fp``, ``fn`` or NAB's cost-matrix keys ``tpWeight``,
    ``fpWeight``, ``fnWeight`` (a ``tnWeight`` key is allowed and ignored, as NAB
    ignores it). Every weight must be a positive finite number.

    >>> check_nab_profile("reward_low_FN_rate")
    NabProfile(tp=1.0, fp=0.11, fn=2.0)
    >>> check_nab_profile("1, 0.5, 1")
    NabProfile(tp=1.0, fp=0.5, fn=1.0)
    >>> check_nab_profile({"tpWeight": 1.0, "fpWeight": 0.5, "fnWeight": 1.0, "tnWeight": 1.0})
    NabProfile(tp=1.0, fp=0.5, fn=1.0)
    """
    if isinstance(profile, str) and "," in profile:  # "1,0.5,1": weights as text (command line, results tables)
        parts = [part.strip() for part in profile.split(",")]
        try:
            numbers_ = [float(part) for part in parts]
        except ValueError:
            raise ValueError(f"profile {profile!r}: weights as text must be three numbers 'A_tp,A_fp,A_fn'.") from None
        return check_nab_profile(numbers_)
    if isinstance(profile, str):
        if profile in NAB_PROFILES:
            return NAB_PROFILES[profile]
        close = difflib.get_close_matches(profile, list(NAB_PROFILES), n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"Unknown NAB profile {short_repr(profile)}.{hint} Known profiles: {', '.join(NAB_PROFILES)}; "
            "or give the weights (A_tp, A_fp, A_fn)."
        )
    if isinstance(profile, Mapping):
        unknown = sorted(str(k) for k in profile if k not in _KEYS and k != "tnWeight")
        if unknown:
            raise ValueError(
                f"profile has unknown key {unknown[0]!r}; use 'tp', 'fp', 'fn' "
                "(or NAB's 'tpWeight', 'fpWeight', 'fnWeight')."
            )
        weights: dict[str, float] = {}
        for key, value in profile.items():
            if key == "tnWeight":
                continue
            name = _KEYS[key]
            if name in weights:
                raise ValueError(f"profile gives the {name} weight twice (keys {name!r} and {name + 'Weight'!r}).")
            weights[name] = _weight(value, key)
        missing = [k for k in ("tp", "fp", "fn") if k not in weights]
        if missing:
            raise ValueError(f"profile lacks the {missing[0]} weight (keys 'tp', 'fp', 'fn').")
        return NabProfile(weights["tp"], weights["fp"], weights["fn"])
    if isinstance(profile, (tuple, list, np.ndarray)):
        values = list(profile)
        if len(values) != 3:
            raise ValueError(f"profile weights must be three numbers (A_tp, A_fp, A_fn), got {len(values)}.")
        return NabProfile(*(_weight(v, n) for v, n in zip(values, ("A_tp", "A_fp", "A_fn"), strict=True)))
    raise TypeError(
        f"profile must be a NAB profile name ({', '.join(NAB_PROFILES)}), three weights (A_tp, A_fp, A_fn) "
        f"or a mapping of them; got {short_repr(profile)}."
    )


def nab_kernels() -> ModuleType:
    """The numba kernels of NAB's score (``pate._kernels.nab``)."""
    from pate._kernels import nab  # numba: loaded when NAB's score first runs, not at `import pate`

    return nab


def nab_probationary_length(n: int, probationary_percent: float) -> int:
    """Number of leading points NAB does not score: the points ``i < min(floor(p n), p * 5000)``.

    >>> nab_probationary_length(4032, 0.15), nab_probationary_length(22695, 0.15)
    (604, 750)
    """
    limit = min(math.floor(probationary_percent * n), probationary_percent * 5000)
    return min(n, max(0, math.ceil(limit)))


def _windows(labels: np.ndarray, probationary_percent: float) -> tuple[np.ndarray, np.ndarray, int]:
    starts, ends = label_events(labels)
    return starts, ends, nab_probationary_length(labels.size, probationary_percent)


@undefined_policy
def nab_score(
    y_true: Any,
    y_pred: Any,
    *,
    profile: ProfileLike = "standard",
    probationary_percent: float = 0.15,
    undefined: Undefined = "warn",
) -> NabScore:
    """NAB's score of binary detections on one series (Numenta Anomaly Benchmark).

    Each run of 1s in ``y_true`` is a window. A window earns ``A_tp`` times
    the scaled sigmoid of its earliest detection's position (``A_tp`` at its
    first point, close to 0 at its last) or ``-A_fn`` when nothing in it is
    detected; a detection outside every window costs up to ``A_fp``, less
    right after a window. The first ``min(floor(p n), p * 5000)`` points are
    not scored. The score is normalised: 100 is perfect, 0 is detecting
    nothing. Read more in the User Guide (``docs/nab.md``).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels, 0/1 or bool; each run of 1s is one window.
    y_pred : array-like of shape (n_samples,)
        Detections, 0/1 or bool (NAB detects where ``score >= threshold``).
    profile : str, (A_tp, A_fp, A_fn) or mapping, default="standard"
        NAB's application profile: ``"standard"`` (1, 0.11, 1),
        ``"reward_low_FP_rate"`` (1, 0.22, 1), ``"reward_low_FN_rate"``
        (1, 0.11, 2), or custom positive weights, also as text ``"1,0.5,1"``
        (see :func:`check_nab_profile`).
    probationary_percent : float, default=0.15
        ``p`` in ``[0, 1]``: the first ``min(floor(p n), p * 5000)`` points
        are not scored, and a window lying wholly inside them is not counted.
    undefined : {"warn", "nan"} or float, default="warn"
        The value of ``score`` where it is undefined (docs/undefined.md lists
        the cases): "warn" gives 0.0 with an ``UndefinedMetricWarning``;
        "nan" gives nan and a number gives that number, both without a
        warning. The other fields are always defined.

    Returns
    -------
    NabScore
        ``(score, raw, perfect, null, tp, fp, fn, tn)``. ``score`` is
        undefined, 0.0 with ``UndefinedMetricWarning``, when no window is
        counted (``y_true`` has no run of 1s after the probationary period:
        ``perfect == null``); the other fields stay defined.

    See Also
    --------
    pate.metrics.get_metric : ``get_metric("nab_score")`` gives the ``score`` field alone.

    Examples
    --------
    >>> from pate.metrics import nab_score
    >>> y_true = [0] * 20 + [1] * 10 + [0] * 10
    >>> early = [0] * 20 + [1] + [0] * 19
    >>> late = [0] * 29 + [1] + [0] * 10
    >>> nab_score(y_true, early, probationary_percent=0).score
    100.0
    >>> round(nab_score(y_true, late, probationary_percent=0).score, 4)
    62.4121
    >>> nab_score(y_true, early, profile=(1, 0.5, 3), probationary_percent=0).raw
    1.0
    """
    labels, pred = check_targets(y_true, y_pred, kind="binary")
    weights = check_nab_profile(profile)
    p = check_fraction(probationary_percent, "probationary_percent")
    starts, ends, first = _windows(labels, p)
    raw, tp, fp, fn, tn, counted = nab_kernels().score_detections(
        pred, starts, ends, first, weights.tp, weights.fp, weights.fn
    )
    perfect = weights.tp * counted
    null = 0.0 - weights.fn * counted  # not -0.0 when nothing is counted
    if counted == 0:
        why = "y_true has no window" if starts.size == 0 else "every window lies in the probationary period"
        warn_undefined(
            f"NAB score is undefined when no window is counted ({why}: the perfect and the null score are both 0); "
            "score set to 0.0.",
            fields=("score",),
        )
        score = math.nan
    else:
        score = 100.0 * (raw - null) / (perfect - null)
    return NabScore(float(score), float(raw), float(perfect), float(null), int(tp), int(fp), int(fn), int(tn))
