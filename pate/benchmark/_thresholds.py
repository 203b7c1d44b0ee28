"""Per-detector thresholds: the one reader of NAB's ``config/thresholds.json`` layout, and ``{detector: t}``.

NAB publishes one tuned threshold per detector and application profile, in the
layout ``{detector: {profile: {"threshold": t, "score": s}}}``; a file may also
give ``{detector: {profile: t}}``. :func:`read_nab_thresholds` reads either
(every profile, for :func:`pate.benchmark.nab_scoreboard` and ``pate nab``);
:func:`nab_threshold` is the rule for one entry. :func:`read_thresholds`
reads one profile of that layout, or a plain ``{detector: t}``, into
``{detector: t}``: the per-detector thresholding strategy of binary metrics
(``threshold={detector: t}`` in :func:`pate.benchmark.evaluate` and
``df.pate.evaluate``, ``pate evaluate --thresholds FILE.json [--profile NAME]``).
Every error names the file and the entry.
"""

from __future__ import annotations

import json
import math
import numbers
import os
from collections.abc import Mapping
from typing import Any

import numpy as np

from pate._validation import short_repr

__all__ = ["read_thresholds", "read_nab_thresholds", "nab_threshold", "check_thresholds", "DEFAULT_PROFILE"]

#: NAB's headline profile, read when no other is named.
DEFAULT_PROFILE = "standard"


def _finite(value: Any) -> bool:
    return not isinstance(value, (bool, np.bool_)) and isinstance(value, numbers.Real) and math.isfinite(value)


def _json_object(path: str | os.PathLike[str]) -> Any:
    """The JSON in ``path``; OSError when it cannot be read, ValueError naming the line when it is not JSON."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).") from None


def read_nab_thresholds(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The thresholds of a JSON file: NAB's ``config/thresholds.json`` layout or ``{detector: {profile: t}}``.

    Each entry is checked when it is used (:func:`nab_threshold`), so that a
    file naming more detectors or profiles than a corpus holds is fine.

    Raises
    ------
    OSError
        The file cannot be read.
    ValueError
        The file is not JSON, or not an object of objects.

    Examples
    --------
    >>> import json, os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "thresholds.json")
    >>> _ = open(path, "w").write(json.dumps({"numenta": {"standard": {"score": 70.1, "threshold": 0.542}}}))
    >>> nab_threshold(read_nab_thresholds(path), "numenta", "standard")
    0.542
    """
    data = _json_object(path)
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ValueError(f"{path}: expected {{detector: {{profile: threshold}}}} (NAB's config/thresholds.json).")
    return data


def nab_threshold(thresholds: Mapping[str, Any], detector: str, profile: str) -> float:
    """One detector's threshold under one profile, from NAB's layout (``{"threshold": t, ...}``) or a number.

    Raises
    ------
    ValueError, TypeError
        The detector or the profile is missing, or the entry is not a finite number.

    Examples
    --------
    >>> nab_threshold({"a": {"standard": {"threshold": 0.5, "score": 3.0}}, "b": {"standard": 0.25}}, "b", "standard")
    0.25
    """
    if detector not in thresholds:
        known = ", ".join(map(repr, list(thresholds)[:8]))
        raise ValueError(
            f"thresholds has no detector {detector!r} (it has {known}{', ...' if len(thresholds) > 8 else ''})."
        )
    by_profile = thresholds[detector]
    if not isinstance(by_profile, Mapping):
        raise TypeError(f"thresholds[{detector!r}] must map profile -> threshold, got {short_repr(by_profile)}.")
    if profile not in by_profile:
        raise ValueError(
            f"thresholds[{detector!r}] has no profile {profile!r} (it has {', '.join(map(repr, by_profile))})."
        )
    value = by_profile[profile]
    if isinstance(value, Mapping):  # NAB's layout: {"threshold": t, "score": raw}
        if "threshold" not in value:
            raise ValueError(f"thresholds[{detector!r}][{profile!r}] has no 'threshold' key (NAB's layout).")
        value = value["threshold"]
    if not _finite(value):
        raise ValueError(f"thresholds[{detector!r}][{profile!r}] must be a finite number, got {short_repr(value)}.")
    return float(value)


def read_thresholds(path: str | os.PathLike[str], *, profile: str | None = None) -> dict[str, float]:
    """``{detector: threshold}`` from a JSON file: one profile of NAB's layout, or the plain ``{detector: t}``.

    Parameters
    ----------
    path : str or path
        A JSON object: ``{detector: t}``, or NAB's
        ``{detector: {profile: {"threshold": t, ...}}}`` (also
        ``{detector: {profile: t}}``), read by :func:`read_nab_thresholds`.
    profile : str, optional
        The profile to read from NAB's layout (``"standard"``,
        ``"reward_low_FP_rate"``, ``"reward_low_FN_rate"``); default
        ``"standard"``. Giving it for a plain file is an error.

    Returns
    -------
    dict of str to float
        The per-detector thresholding strategy of binary metrics
        (``threshold=`` of :func:`pate.benchmark.evaluate` and ``df.pate``).

    Raises
    ------
    ValueError
        The file cannot be read or is not JSON, not an object of detectors, a
        mix of the two layouts, a threshold that is not a finite number, a
        profile a detector lacks. The message names the file and the entry.

    Examples
    --------
    >>> import json, os, tempfile
    >>> from pate.benchmark import read_thresholds
    >>> nab = {"numenta": {"standard": {"score": 70.1, "threshold": 0.542},
    ...                    "reward_low_FP_rate": {"score": 62.6, "threshold": 0.595}}}
    >>> path = os.path.join(tempfile.mkdtemp(), "thresholds.json")
    >>> _ = open(path, "w").write(json.dumps(nab))
    >>> read_thresholds(path), read_thresholds(path, profile="reward_low_FP_rate")
    ({'numenta': 0.542}, {'numenta': 0.595})
    """
    try:
        data = _json_object(path)
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the thresholds file ({exc.strerror or exc}).") from None
    if not isinstance(data, dict) or not data:
        raise ValueError(
            f"{path}: expected a JSON object of detectors, {{detector: threshold}} or NAB's "
            f'{{detector: {{profile: {{"threshold": t}}}}}}; got {type(data).__name__ if data else "an empty one"}.'
        )
    nested = [name for name, value in data.items() if isinstance(value, dict)]
    if nested and len(nested) != len(data):
        plain = next(name for name in data if name not in nested)
        raise ValueError(
            f'{path}: detector {nested[0]!r} has NAB\'s layout ({{profile: {{"threshold": t}}}}) but '
            f"{plain!r} a plain number; use one layout for every detector."
        )
    if not nested:
        if profile is not None:
            raise ValueError(
                f"{path}: a profile ({profile!r}) only applies to NAB's layout; this file is {{detector: t}}."
            )
        return {str(name): _checked(value, f"{path}: detector {name!r}") for name, value in data.items()}
    chosen = DEFAULT_PROFILE if profile is None else profile
    out = {}
    for name in data:
        try:
            out[str(name)] = nab_threshold(data, name, chosen)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{path}: {exc}") from None
    return out


def _checked(value: Any, where: str) -> float:
    if not _finite(value):
        raise ValueError(f"{where}: the threshold must be a finite number, got {short_repr(value)}.")
    return float(value)


def check_thresholds(thresholds: Any, detectors: Any, *, source: str = "thresholds") -> dict[str, float]:
    """``thresholds`` as ``{detector: float}``, with one entry for each of ``detectors``.

    Entries for other detectors are allowed (NAB's file names more detectors
    than a data set may hold); a detector without one is an error naming it.

    >>> check_thresholds({"a": 0.5, "b": 1, "c": 0.2}, ["a", "b"])
    {'a': 0.5, 'b': 1.0}
    >>> check_thresholds({"a": 0.5}, ["a", "b"])
    Traceback (most recent call last):
    ...
    ValueError: thresholds: no threshold for detector 'b' (it has 'a').
    """
    if not isinstance(thresholds, Mapping):
        raise TypeError(f"{source}: expected a mapping {{detector: threshold}}, got {type(thresholds).__name__}.")
    missing = [str(d) for d in detectors if str(d) not in {str(k) for k in thresholds}]
    if missing:
        have = ", ".join(map(repr, map(str, thresholds))) or "none"
        listed = ", ".join(map(repr, missing[:5])) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        noun = "detector" if len(missing) == 1 else "detectors"
        raise ValueError(f"{source}: no threshold for {noun} {listed} (it has {have}).")
    by_name = {str(k): v for k, v in thresholds.items()}
    return {str(d): _checked(by_name[str(d)], f"{source}: detector {str(d)!r}") for d in detectors}
