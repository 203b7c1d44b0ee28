"""Published per-series results shipped with pate: rank a new detector against the published ones.

A benchmark's authors often publish the score of every detector on every
series. Shipped as data (``pate/data/published/<source>/``, each folder with
the source's licence, a NOTICE saying what was taken from which commit and
what was changed, and ``SOURCE.json``), they become an ordinary results table:
a leaderboard, the statistical tests and a critical-difference diagram need no
re-run of the published detectors.

Shipped now: TSB-AD (Liu & Paparrizos, NeurIPS 2024; Apache-2.0), the
per-series VUS-PR of its evaluation splits, ``"tsb-ad-u"`` (350 univariate
series, 32 detectors) and ``"tsb-ad-m"`` (180 multivariate series, 23
detectors). ``tests/data/make_published_tsb_ad.py`` made the files from
TSB-AD's repository. Read more in docs/published.md.
"""

from __future__ import annotations

import difflib
import functools
import json
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import pandas as pd

__all__ = ["PublishedInfo", "list_published", "published_results", "published_series"]

# The window TSB-AD passes to its VUS-PR is each series' own period estimate, not one number:
# the params string says so (pate's default window is 100, which the values were not computed with).
PUBLISHED_PARAMS = "window=period"

_TSB_AD_CITATION = (
    "Qinghua Liu and John Paparrizos. The Elephant in the Room: Towards A Reliable Time-Series "
    "Anomaly Detection Benchmark. NeurIPS 2024."
)
_TSB_AD_BIBTEX = """@inproceedings{liu2024elephant,
  title = {The Elephant in the Room: Towards A Reliable Time-Series Anomaly Detection Benchmark},
  author = {Liu, Qinghua and Paparrizos, John},
  booktitle = {NeurIPS 2024},
  year = {2024}
}"""

#: folder under pate/data/published -> what pate knows about that source beyond its SOURCE.json
_SOURCES = {"tsb-ad": {"citation": _TSB_AD_CITATION, "bibtex": _TSB_AD_BIBTEX}}


@dataclass(frozen=True)
class PublishedInfo:
    """One table of published per-series results shipped with pate.

    Attributes
    ----------
    name : str
        The name :func:`published_results` takes (``"tsb-ad-u"``).
    title : str
        What the table holds, in a few words.
    metric : str
        The registry name of its metric (``"vus_pr"``).
    params : str
        The ``params`` string of its rows: ``"window=period"`` for TSB-AD,
        whose VUS-PR uses each series' period estimate as the window.
    n_series : int
        Number of series.
    detectors : tuple of str
        The detectors, in the published table's order.
    series_columns : tuple of str
        The per-series properties :func:`published_series` returns.
    citation : str
        The publication to cite when using the table.
    bibtex : str
        The same as a BibTeX entry.
    url : str
        The source repository.
    commit : str
        The source commit the shipped files were taken from.
    license : str
        The SPDX identifier of the data's licence (its text ships beside the data).
    """

    name: str
    title: str
    metric: str
    params: str
    n_series: int
    detectors: tuple[str, ...]
    series_columns: tuple[str, ...]
    citation: str
    bibtex: str
    url: str
    commit: str
    license: str

    @property
    def n_detectors(self) -> int:
        """Number of detectors."""
        return len(self.detectors)


class _Entry:
    """Where one published table lies and how to read it (internal)."""

    def __init__(self, folder: str, table: dict[str, Any], info: PublishedInfo) -> None:
        self.folder, self.file, self.series_column = folder, str(table["file"]), str(table["series_column"])
        self.info = info


@functools.lru_cache(maxsize=1)
def _entries() -> dict[str, _Entry]:
    root = files("pate") / "data" / "published"
    out: dict[str, _Entry] = {}
    for folder, extra in _SOURCES.items():
        source = json.loads((root / folder / "SOURCE.json").read_text(encoding="utf-8"))
        for name, table in source["tables"].items():
            info = PublishedInfo(
                name=name,
                title=str(table["title"]),
                metric=str(table["metric"]),
                params=PUBLISHED_PARAMS,
                n_series=int(table["n_series"]),
                detectors=tuple(map(str, table["detectors"])),
                series_columns=tuple(map(str, table["series_columns"])),
                citation=extra["citation"],
                bibtex=extra["bibtex"],
                url=str(source["repository"]),
                commit=str(source["commit"]),
                license=str(source["license"]),
            )
            out[name] = _Entry(folder, table, info)
    return out


def _entry(name: Any) -> _Entry:
    entries = _entries()
    if not isinstance(name, str):
        raise TypeError(f"name must be a string such as {next(iter(entries))!r}, got {type(name).__name__}.")
    if name in entries:
        return entries[name]
    folded = {key.lower(): key for key in entries}
    close = difflib.get_close_matches(name.strip().lower(), list(folded), n=3, cutoff=0.6)
    hint = f" Did you mean {' or '.join(repr(folded[c]) for c in close)}?" if close else ""
    known = ", ".join(f"{key!r} ({entry.info.title})" for key, entry in entries.items())
    raise ValueError(f"no published results named {name!r}.{hint} Known: {known}; see pate.compare.list_published().")


@functools.lru_cache(maxsize=None)
def _wide(name: str) -> pd.DataFrame:
    """The shipped table as published: one row per series, detectors then series properties."""
    entry = _entries()[name]
    with (files("pate") / "data" / "published" / entry.folder / entry.file).open("rb") as stream:
        frame = pd.read_csv(stream, compression="gzip", keep_default_na=False, dtype={entry.series_column: str})
    frame = frame.rename(columns={entry.series_column: "series"})
    frame["series"] = frame["series"].str.removesuffix(".csv")
    return frame.set_index("series")


def list_published() -> tuple[PublishedInfo, ...]:
    """The published results shipped with pate, each with its citation.

    Returns
    -------
    tuple of PublishedInfo
        One entry per name :func:`published_results` takes, sorted by name.

    See Also
    --------
    published_results : one of them as a results table.

    Examples
    --------
    >>> from pate.compare._published import list_published
    >>> [(p.name, p.metric, p.n_series, p.n_detectors) for p in list_published()]
    [('tsb-ad-m', 'vus_pr', 180, 23), ('tsb-ad-u', 'vus_pr', 350, 32)]
    >>> print(list_published()[0].citation)
    Qinghua Liu and John Paparrizos. The Elephant in the Room: Towards A Reliable Time-Series Anomaly
    Detection Benchmark. NeurIPS 2024.
    """
    entries = _entries()
    return tuple(entries[name].info for name in sorted(entries))


def published_results(name: str) -> pd.DataFrame:
    """A published benchmark's per-series results as a results table.

    Read more in the User Guide (``docs/published.md``).

    Parameters
    ----------
    name : str
        ``"tsb-ad-u"``: TSB-AD's univariate evaluation split (350 series, 32
        detectors); ``"tsb-ad-m"``: its multivariate one (180 series, 23
        detectors). :func:`list_published` lists them.

    Returns
    -------
    DataFrame
        The tidy results table (columns ``series``, ``detector``, ``metric``,
        ``value``, ``params``; see :func:`results_from_frame`), one row per
        series and detector, in the published order. ``series`` is TSB-AD's
        file name without ``.csv`` (``"001_NAB_id_1_Facility_tr_1007_1st_2014"``),
        ``detector`` its column name (``"MOMENT (FT)"``), ``metric`` is
        ``"vus_pr"`` and ``params`` is ``"window=period"``: TSB-AD computed each
        value with the window set to that series' period estimate (see
        "Comparable values" in docs/published.md), not pate's default window.
        The published tables' other columns (``ts_len``, ``anomaly_len``,
        ``num_anomaly``, ...) describe the series, not detectors; they are in
        :func:`published_series`, not in this table.

    Raises
    ------
    ValueError
        For an unknown name, with the close matches and the known names.

    See Also
    --------
    list_published : the names and their citations.
    published_series : the properties of each series.
    leaderboard : rank the detectors.

    Examples
    --------
    >>> from pate.compare import leaderboard
    >>> from pate.compare._published import published_results
    >>> results = published_results("tsb-ad-u")
    >>> results.shape, results["detector"].nunique(), results["series"].nunique()
    ((11200, 5), 32, 350)
    >>> results.iloc[0]
    series      001_NAB_id_1_Facility_tr_1007_1st_2014
    detector                               Sub-IForest
    metric                                      vus_pr
    value                                     0.085606
    params                               window=period
    Name: 0, dtype: object
    >>> board = leaderboard(results, n_resamples=1000, random_state=0)
    >>> board[["mean", "average_rank"]].round(2).head(3)  # sorted by average rank
                  mean  average_rank
    detector
    POLY          0.39         11.95
    Series2Graph  0.39         12.99
    CNN           0.34         13.08
    >>> board["mean"].nlargest(3).round(2)  # TSB-AD's leaderboard sorts by the mean
    detector
    Sub-PCA     0.42
    KShapeAD    0.40
    POLY        0.39
    Name: mean, dtype: float64
    """
    entry = _entry(name)
    wide = _wide(entry.info.name)
    detectors = list(entry.info.detectors)
    values = wide[detectors]
    return pd.DataFrame(
        {
            "series": values.index.repeat(len(detectors)).to_numpy(dtype=object),
            "detector": detectors * len(values),
            "metric": entry.info.metric,
            "value": values.to_numpy(dtype=float).ravel(),
            "params": entry.info.params,
        }
    )


def published_series(name: str) -> pd.DataFrame:
    """The properties of each series of a published table (length, anomalies, ...).

    Parameters
    ----------
    name : str
        As for :func:`published_results`.

    Returns
    -------
    DataFrame
        Indexed by ``series`` (the names of :func:`published_results`), in the
        published order, with the published table's columns after the
        detectors, as published. For TSB-AD: ``ts_len`` (points),
        ``anomaly_len`` (anomalous points), ``num_anomaly`` (anomaly events),
        ``avg_anomaly_len``, ``anomaly_ratio`` (``anomaly_len / ts_len``),
        ``point_anomaly`` and ``seq_anomaly`` (1 when the series holds point
        anomalies, resp. anomalies longer than a point).

    See Also
    --------
    published_results : the detectors' values on these series.

    Examples
    --------
    >>> from pate.compare._published import published_series
    >>> info = published_series("tsb-ad-u")
    >>> info.loc["001_NAB_id_1_Facility_tr_1007_1st_2014", ["ts_len", "anomaly_len", "num_anomaly"]].tolist()
    [4031, 343, 3]
    """
    entry = _entry(name)
    return _wide(entry.info.name)[list(entry.info.series_columns)].copy()
