"""Where the metrics disagree most, and what the best and worst detector did there (zones pictures).

On one series, each metric ranks the detectors; the disagreement of the
series is ``1 - mean Spearman rho`` over every pair of metrics (0: all
metrics rank the detectors alike; 1: unrelated; 2: reversed). A series where
some metric ties every detector (a series without anomalies, say) has no
defined disagreement and is left out.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pate.benchmark import parse_params
from pate.benchmark._results_io import split_metric_key
from pate.plot import ZonesDisplay
from pate.report._figures import Picture, figure_to_svg, new_figure, style
from pate.report._section import Section, collect_notes, slug
from pate.report._sections import Direction, metric_values
from pate.report._table import match_sources

__all__ = ["SeriesDisagreement", "disagreement", "zones_section"]

N_SERIES = 3  # series shown
BUFFER_METRICS = ("pate", "pate_f1", "pate_ap")  # metrics whose options set the buffers drawn
MAX_POINTS = 1500  # longest score line drawn as is (ZonesDisplay keeps spikes when it decimates)


@dataclass(frozen=True)
class SeriesDisagreement:
    """How far the metrics disagree on one series (internal)."""

    series: str
    disagreement: float
    values: pd.DataFrame  # detector x metric key


def _ranks(values: np.ndarray, higher: bool) -> np.ndarray:
    from scipy.stats import rankdata  # scipy: heavy, only when a report is written

    return rankdata(-values if higher else values)


def disagreement(tidy: pd.DataFrame, keys: list[str], direction: Direction) -> list[SeriesDisagreement]:
    """Every series with a defined disagreement, most disagreeing first (ties by name)."""
    matrices = {k: metric_values(tidy, k) for k in keys}
    detectors = [d for d in matrices[keys[0]].columns if all(d in m.columns for m in matrices.values())]
    out = []
    for series in matrices[keys[0]].index:
        values = pd.DataFrame({k: matrices[k].loc[series, detectors] for k in keys}, index=detectors)
        if values.isna().to_numpy().any() or len(detectors) < 2:
            continue
        ranks = [_ranks(values[k].to_numpy(dtype=float), direction(k)) for k in keys]
        if any(np.ptp(r) == 0 for r in ranks):
            continue
        rhos = [float(np.corrcoef(a, b)[0, 1]) for a, b in itertools.combinations(ranks, 2)]
        out.append(SeriesDisagreement(str(series), 1.0 - float(np.mean(rhos)), values))
    out.sort(key=lambda s: (-s.disagreement, s.series))
    return out


def _zones_options(keys: list[str]) -> tuple[int, int, float | None, str]:
    """Buffers and threshold to draw: the first PATE-family metric's options, else PATE's defaults."""
    for key in keys:
        name, params = split_metric_key(key)
        if name in BUFFER_METRICS:
            options = parse_params(params or "")
            threshold = options.get("threshold")
            return (
                int(options.get("early_buffer", 100)),
                int(options.get("delay_buffer", 100)),
                float(threshold) if isinstance(threshold, (int, float)) and not isinstance(threshold, bool) else None,
                key,
            )
    return 100, 100, None, ""


def _picture(
    series: Any, detector: str, *, early: int, delay: int, threshold: float | None, prefix: str, alt: str
) -> Picture:
    with style():
        fig = new_figure(10.0, 3.0)
        ax = fig.add_subplot()
        ZonesDisplay.from_predictions(
            series.y_true,
            series.scores[detector],
            early_buffer=early,
            delay_buffer=delay,
            threshold=threshold,
            name=detector,
            ax=ax,
            max_points=MAX_POINTS,
        )
    return figure_to_svg(fig, prefix=prefix, alt=alt)


def zones_section(tidy: pd.DataFrame, keys: list[str], direction: Direction, sources: list[Any]) -> Section:
    section = Section(
        "zones",
        "Where the metrics disagree most",
        f"The {N_SERIES} series on which the metrics rank the detectors least alike, each with the detector "
        f"that {keys[0]} ranks best and the one it ranks worst: shaded windows are the labelled anomalies, the "
        "ramps PATE's buffer zones, the marks below the detections.",
    )
    if len(keys) < 2:
        section.unavailable = "the report shows one metric, so metrics cannot disagree."
        return section
    ranked = disagreement(tidy, keys, direction)
    if not ranked:
        section.unavailable = "no series has values of every metric for every detector with a defined ranking."
        return section
    early, delay, threshold, from_key = _zones_options(keys)
    found = match_sources([r.series for r in ranked], sources)
    chosen = [r for r in ranked if r.series in found][:N_SERIES]
    if not chosen:
        section.unavailable = (
            f"none of the series with a defined disagreement ({', '.join(r.series for r in ranked[:5])}"
            f"{' ...' if len(ranked) > 5 else ''}) is in the series data given."
        )
        return section
    constant: dict[str, set[str]] = {}
    if "constant" in tidy.columns:
        flagged = tidy[tidy["constant"].astype(bool)]
        for name, detector in zip(flagged["series"], flagged["detector"], strict=True):
            constant.setdefault(str(name), set()).add(str(detector))
        section.notes.append(
            "Detectors with constant scores on a series (trivial references) are not drawn as its "
            "best or worst detector."
        )
    drawn_with = f"buffers {early} and {delay} ({'from ' + from_key if from_key else 'PATE defaults'})"
    drawn_with += (
        f", detections at threshold {threshold:g}"
        if threshold is not None
        else (", detections only for binary (0/1) scores: the table records no threshold")
    )
    section.notes.append(f"Drawn with {drawn_with}.")
    for number, item in enumerate(chosen):
        child = Section(
            f"zones-{slug(item.series)}",
            item.series,
            f"Disagreement {item.disagreement:.2f} (1 - mean Spearman rho between the metrics' rankings "
            "of the detectors on this series); the table gives each detector's value under every "
            "metric.",
            kind="zones",
        )
        section.children.append(child)
        first = item.values[keys[0]]
        higher = direction(keys[0])
        order = sorted(first.index, key=lambda d: ((-first[d] if higher else first[d]), str(d)))
        trivial = constant.get(item.series, set())
        candidates = [d for d in order if d not in trivial]
        candidates = candidates if len(candidates) >= 2 else order
        best, worst = candidates[0], candidates[-1]
        with collect_notes(child):
            try:
                series = found[item.series].load()
                pictures = []
                for role, detector in (("best", best), ("worst", worst)):
                    values = ", ".join(f"{k} {item.values.loc[detector, k]:.3f}" for k in keys)
                    alt = (
                        f"Series {item.series} with the scores of {detector}, the {role} detector under "
                        f"{keys[0]} ({values}); labelled anomalies shaded, PATE's early and delay zones drawn."
                    )
                    pictures.append(
                        _picture(
                            series,
                            detector,
                            early=early,
                            delay=delay,
                            threshold=threshold,
                            prefix=f"zones{number}{role}",
                            alt=alt,
                        )
                    )
            except (ValueError, KeyError, OSError) as exc:
                child.unavailable = f"series {item.series!r} could not be drawn: {exc}"
                continue
        child.context = {
            "pictures": pictures,
            "metrics": keys,
            "best": best,
            "worst": worst,
            "rows": [
                {
                    "detector": str(d),
                    "values": [float(item.values.loc[d, k]) for k in keys],
                    "role": "best" if d == best else ("worst" if d == worst else ("constant" if d in trivial else "")),
                }
                for d in order
            ],
        }
    return section
