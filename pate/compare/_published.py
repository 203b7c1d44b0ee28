"""Published per-series results shipped with pate: rank a new detector against the published ones.

A benchmark's authors often publish the score of every detector on every
series. Shipped as data (``pate/published/<source>/``, each folder with
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
import re
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import pandas as pd

from pate._validation import check_choice
from pate._warnings import warn_at_caller
from pate.benchmark._results_io import split_metric_key
from pate.compare._results_table import Missing, results_from_frame

__all__ = [
    "PublishedInfo",
    "PublishedJoin",
    "join_published",
    "list_published",
    "published_results",
    "published_series",
]

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

#: folder under pate/published -> what pate knows about that source beyond its SOURCE.json
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
    root = files("pate") / "published"
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
    with (files("pate") / "published" / entry.folder / entry.file).open("rb") as stream:
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
    >>> from pate.compare import list_published
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
    >>> from pate.compare import leaderboard, published_results
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
    >>> from pate.compare import published_series
    >>> info = published_series("tsb-ad-u")
    >>> info.loc["001_NAB_id_1_Facility_tr_1007_1st_2014", ["ts_len", "anomaly_len", "num_anomaly"]].tolist()
    [4031, 343, 3]
    """
    entry = _entry(name)
    return _wide(entry.info.name)[list(entry.info.series_columns)].copy()


# ------------------------------------------------------------------ joining a user's table
@dataclass(frozen=True)
class PublishedJoin:
    """Result of :func:`join_published`: your results among the published ones.

    Attributes
    ----------
    results : DataFrame
        One tidy results table: the published rows, then yours, one metric
        and one ``params`` (the published ones), series named as published.
    against : str
        The published table's name.
    yours : tuple of str
        Your detectors, in your table's order.
    dropped_series : tuple of str
        With ``missing="drop-series"``: the series left out because only one
        side has them (published names, then yours as you wrote them).
    """

    results: pd.DataFrame
    against: str
    yours: tuple[str, ...]
    dropped_series: tuple[str, ...]


_SUFFIX = re.compile(r"\.csv(\.gz)?$", re.IGNORECASE)


def series_key(name: str) -> str:
    """A series name as the published tables spell it: no folder, no ``.csv``/``.csv.gz``."""
    return _SUFFIX.sub("", re.split(r"[\\/]", name.strip())[-1])


def _listed(names: list[str], n: int = 5) -> str:
    shown = ", ".join(repr(x) for x in names[:n])
    return shown + (f" and {len(names) - n} more" if len(names) > n else "")


def join_published(
    results: pd.DataFrame,
    against: str,
    *,
    metric: str | None = None,
    params: str | None = None,
    missing: Missing = "raise",
) -> PublishedJoin:
    """Your results joined with a published table on the series names, ready for the usual analyses.

    Parameters
    ----------
    results : DataFrame
        Your results table, tidy or the wide form of ``pate evaluate`` (see
        :func:`results_from_frame`), one or more detectors, holding the
        published table's metric (``vus_pr`` for TSB-AD) on its series. Series
        names match the published ones with or without a folder and ``.csv``
        (``"TSB-AD-U/001_NAB_id_1_Facility_tr_1007_1st_2014.csv"`` is
        ``"001_NAB_id_1_Facility_tr_1007_1st_2014"``).
    against : str
        A name of :func:`list_published` (``"tsb-ad-u"``).
    metric : str, optional
        Must be the published table's metric (the default); ``"name[params]"``
        chooses your rows at those options.
    params : str, optional
        Your rows' ``params`` when your table holds the metric at several
        options for the same series and detector. Otherwise every row of the
        metric is used, whatever its ``params`` (a window chosen per series
        gives one ``params`` per series).
    missing : {"raise", "drop-series"}, default="raise"
        A series of your table that is not published, or a published series
        missing from your table, is a ValueError naming how many and the
        first few; ``"drop-series"`` keeps the common series only, with a
        warning saying how many were dropped.

    Returns
    -------
    PublishedJoin
        The joined table (your rows carry the published ``metric`` and
        ``params``), the published name, your detectors and the dropped series.

    Raises
    ------
    ValueError
        An unknown published name, another metric than the published one, a
        table without that metric, rows repeated at several ``params``, a
        detector named like a published one, two of your series with one
        name, or series on one side only (with ``missing="raise"``).

    Warns
    -----
    UserWarning
        When series were dropped (how many, and the first few), and when none of your rows carries
        ``params`` (``vus_pr`` at ``pate``'s default window, 100, while the
        published values use each series' period; see docs/published.md).

    See Also
    --------
    published_results : the published table alone.
    leaderboard : ``leaderboard(results, against=...)`` joins and ranks.

    Examples
    --------
    >>> import pandas as pd
    >>> from pate.compare import join_published, published_results
    >>> tsb = published_results("tsb-ad-u")
    >>> best = tsb.groupby("series", sort=False)["value"].max()  # a detector as good as the best on each series
    >>> mine = pd.DataFrame({"series": best.index + ".csv", "detector": "oracle", "metric": "vus_pr",
    ...                      "value": best.to_numpy(), "params": "window=period"})
    >>> joined = join_published(mine, "tsb-ad-u")
    >>> joined.yours, joined.results["detector"].nunique(), len(joined.results)
    (('oracle',), 33, 11550)
    """
    check_choice(missing, "missing", ("raise", "drop-series"))
    entry = _entry(against)
    info = entry.info
    name, key_params = (info.metric, None) if metric is None else split_metric_key(metric)
    if name != info.metric:
        raise ValueError(
            f"{info.name} holds {info.metric!r} values only; metric {metric!r} cannot be compared with them."
        )
    if key_params is not None:
        if params is not None and params != key_params:
            raise ValueError(f"metric {metric!r} and params={params!r} disagree.")
        params = key_params
    tidy = results_from_frame(results)
    mine = tidy[tidy["metric"] == info.metric]
    if mine.empty:
        held = ", ".join(repr(m) for m in dict.fromkeys(tidy["metric"])) or "nothing"
        raise ValueError(
            f"the results table holds no {info.metric!r} values (it holds {held}); {info.name} publishes "
            f"{info.metric} only. Compute it as docs/published.md says ('Comparable values')."
        )
    if params is not None:
        held_params = list(dict.fromkeys(mine["params"]))
        mine = mine[mine["params"] == params]
        if mine.empty:
            raise ValueError(
                f"no {info.metric!r} row has params {params!r}; the table holds {', '.join(map(repr, held_params))}."
            )
    repeated = mine.duplicated(["series", "detector"], keep=False)
    if repeated.any():
        first = mine[repeated].iloc[0]
        options = mine.loc[
            (mine["series"] == first["series"]) & (mine["detector"] == first["detector"]), "params"
        ].tolist()
        raise ValueError(
            f"the results table holds {info.metric!r} at several params for the same series and detector, e.g. "
            f"series {first['series']!r}, detector {first['detector']!r}: {', '.join(map(repr, options))}; "
            "choose one with params= (or metric='name[params]')."
        )
    if (mine["params"] == "").all():
        warn_at_caller(
            f"your {info.metric!r} rows carry no params: pate's default window (100), while {info.name}'s values "
            "use each series' period as the window. If yours were computed so, ignore this; otherwise see "
            "docs/published.md ('Comparable values').",
            UserWarning,
        )
    yours = list(dict.fromkeys(mine["detector"]))
    clash = [d for d in yours if d in set(info.detectors)]
    if clash:
        raise ValueError(
            f"detector(s) {_listed(clash)} of the results table are also published detectors of {info.name}; "
            "rename yours (e.g. 'IForest (mine)') so that the two can be told apart."
        )
    # series names: yours as published, with or without a folder and .csv
    written = list(dict.fromkeys(mine["series"]))
    key_of = {s: series_key(s) for s in written}
    by_key: dict[str, str] = {}
    for s, k in key_of.items():
        if k in by_key:
            raise ValueError(
                f"series {by_key[k]!r} and {s!r} of the results table are one series of {info.name} ({k!r}); "
                "each series may appear once."
            )
        by_key[k] = s
    published = published_results(info.name)
    published_series_names = list(dict.fromkeys(published["series"]))
    known = set(published_series_names)
    unknown = [s for s in written if key_of[s] not in known]
    absent = [s for s in published_series_names if s not in by_key]
    dropped: tuple[str, ...] = ()
    if unknown or absent:
        problems = []
        if unknown:
            problems.append(f"{len(unknown)} series of the results table are not in {info.name}: {_listed(unknown)}")
        if absent:
            problems.append(
                f"the results table lacks {len(absent)} of the {len(known)} series of {info.name}: {_listed(absent)}"
            )
        common = len(known) - len(absent)
        if missing == "raise" or common == 0:
            fix = (
                f"pass missing='drop-series' to compare on the {common} common series"
                if common
                else "no series is common to both; name the series by TSB-AD's file names"
            )
            raise ValueError("; ".join(problems) + f"; {fix}.")
        dropped = tuple(absent) + tuple(unknown)
        left_out = []
        if absent:
            left_out.append(f"{len(absent)} series of {info.name} missing from the results table ({_listed(absent)})")
        if unknown:
            left_out.append(f"{len(unknown)} series of the results table not in {info.name} ({_listed(unknown)})")
        warn_at_caller(
            f"compared on the {common} series common to the results table and {info.name} "
            f"(missing='drop-series'); dropped " + " and ".join(left_out) + ".",
            UserWarning,
        )
    mine = mine[[key_of[s] in known for s in mine["series"]]]
    out_mine = pd.DataFrame(
        {
            "series": [key_of[s] for s in mine["series"]],
            "detector": mine["detector"].to_numpy(),
            "metric": info.metric,
            "value": mine["value"].to_numpy(dtype=float),
            "params": info.params,
        }
    )
    keep = published["series"].isin(set(out_mine["series"]))
    joined = pd.concat([published[keep], out_mine], ignore_index=True)
    return PublishedJoin(joined, info.name, tuple(yours), dropped)
