"""Series of a benchmark, and readers for the layouts benchmarks store them in.

A :class:`Series` is one labelled time series with the scores of several
detectors. The readers do not read data: they list files and return small
*sources*, one per series, whose ``load()`` reads that one series. So a
benchmark of any size is evaluated one series at a time, and on a
dask.distributed cluster the workers read the files themselves (only paths
travel through the scheduler).

Two layouts are read:

- :func:`read_csv_series`: CSV files (also gzip, bz2 or xz compressed) with a
  label column and one column per detector (NAB style; what ``pate evaluate
  FILE_OR_DIR...`` reads: the same files, read by the same strict reader,
  :mod:`pate.benchmark._tables`);
- :func:`read_label_score_trees`: labels and scores in separate trees, one
  label file per series (``LABELS/<series>.{csv,csv.gz,npy,txt}``) and one
  score file per detector and series
  (``SCORES/<detector>/<series>.{npy,csv,csv.gz,txt}``), the layout TSB-AD and
  TimeEval-style pipelines write detector outputs in. A series or detector
  missing on one side is reported by name, never skipped.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from pate._intervals import EmptyIntervalWarning, IntervalFile, labels_from_intervals, read_intervals
from pate._time import TimeIndex, check_timestamps
from pate._validation import InvalidValuesError, check_exact_integers, check_labels, short_repr
from pate.benchmark._tables import Table, TableError, default_score_columns, read_csv_table, time_column

__all__ = [
    "Series",
    "SeriesError",
    "CsvSeriesFile",
    "LabelScoreFiles",
    "read_csv_series",
    "read_label_score_trees",
    "csv_files",
    "csv_labels",
    "CSV_SUFFIXES",
    "source_files",
]

#: The files read as CSV tables (the compression is detected from the bytes).
CSV_SUFFIXES = (".csv", ".csv.gz", ".csv.bz2", ".csv.xz")
#: The files of the labels and scores trees (read_label_score_trees).
_TREE_SUFFIXES = (*CSV_SUFFIXES, ".npy", ".txt")


class SeriesError(ValueError):
    """A series (or one detector of it) that cannot be evaluated.

    Attributes
    ----------
    series : str
        The series' name.
    detector : str or None
        The detector concerned, ``None`` when the whole series is.
    file : str or None
        The file concerned, when the data came from one.
    reason : str
        What is wrong, without the location.
    """

    def __init__(self, reason: str, *, series: str, detector: str | None = None, file: str | None = None) -> None:
        self.series, self.detector, self.file, self.reason = series, detector, file, reason
        where = f"series {series!r}"
        if detector is not None:
            where += f", detector {detector!r}"
        if file:
            where += f" ({file})"
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True, eq=False)
class Series:
    """One labelled series and the scores of several detectors.

    Parameters
    ----------
    name : str
        The series' name (the ``series`` column of the results table).
    y_true : array-like of shape (n_samples,)
        Labels, 0/1 or bool.
    scores : mapping of str to array-like of shape (n_samples,)
        Detector name -> its scores (or 0/1 predictions), in the order the
        results table lists the detectors.
    files : mapping of str to str, optional
        Where the data came from, for error messages: ``""`` -> the label
        file, detector -> its score file.
    problems : mapping of str to str, optional
        Detectors whose scores could not be read -> why (a reader fills this
        so that the other detectors of the series are still evaluated).
    values : array-like of shape (n_samples,), optional
        The series' own values, read by per-series option strategies
        (``early_buffer="auto"``: :func:`pate.suggest_buffer_size` of them).
    ignored : tuple of str, optional
        Columns of the file a reader left out because they hold text, not
        scores (the command line notes them).
    timestamps : array-like of shape (n_samples,), optional
        The time of each row (date-times or numbers). A metric that takes
        ``timestamps`` gets them when one of its options is a time span
        (``early_buffer="30min"``, ``max_early="5min"``).
    interval_warnings : tuple of str, optional
        The messages of the anomaly intervals that label nothing
        (:class:`pate.EmptyIntervalWarning`), kept by the reader so that the
        command line prints them as notes and :func:`pate.benchmark.evaluate`
        warns them once.

    Notes
    -----
    The arrays are used as given, never copied or modified.

    Examples
    --------
    >>> s = Series("s1", [0, 0, 1, 1, 0], {"det": [0.1, 0.2, 0.9, 0.8, 0.1]})
    >>> s.name, list(s.scores), len(s)
    ('s1', ['det'], 5)
    """

    name: str
    y_true: Any
    scores: Mapping[str, Any]
    files: Mapping[str, str] = field(default_factory=dict, repr=False)
    problems: Mapping[str, str] = field(default_factory=dict, repr=False)
    values: Any = field(default=None, repr=False)
    ignored: tuple[str, ...] = field(default=(), repr=False)
    timestamps: Any = field(default=None, repr=False)
    interval_warnings: tuple[str, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise TypeError(f"Series name must be a string, got {short_repr(self.name)}.")
        if not isinstance(self.scores, Mapping):
            raise TypeError(
                f"series {self.name!r}: scores must be a mapping detector -> scores, got {type(self.scores).__name__}."
            )
        for detector in list(self.scores) + list(self.problems):
            if not isinstance(detector, str):
                raise TypeError(f"series {self.name!r}: detector names must be strings, got {short_repr(detector)}.")

    def __len__(self) -> int:
        return int(np.shape(self.y_true)[0]) if np.ndim(self.y_true) else 0

    @property
    def detectors(self) -> list[str]:
        """Every detector of the series, those that could not be read included."""
        names = list(self.scores)
        return names + [d for d in self.problems if d not in self.scores]

    def load(self) -> "Series":
        """The series itself (a series is its own source)."""
        return self


# -------------------------------------------------------------- sources
def _relative_name(path: Path, root: Path | None, suffixes: tuple[str, ...]) -> str:
    """The series' name: the path relative to ``root`` (or the file's name), without its suffix."""
    rel = path.relative_to(root) if root is not None else Path(path.name)
    text = rel.as_posix()
    for suffix in sorted(suffixes, key=len, reverse=True):
        if text.lower().endswith(suffix):
            return text[: -len(suffix)]
    return text


def csv_files(paths: Any) -> list[tuple[Path, str]]:
    """The CSV files of ``paths`` and their series' names, in order, without reading them.

    The one directory rule of :func:`read_csv_series` and ``pate evaluate``:
    a file is taken as given; a directory is searched recursively for files
    ending in one of :data:`CSV_SUFFIXES` (``.csv``, ``.csv.gz``,
    ``.csv.bz2``, ``.csv.xz``; hidden files included), sorted by their path
    relative to it. A series is named by that relative path without the
    suffix (``sub/series``), a file given directly by its name without the
    suffix.

    Raises
    ------
    FileNotFoundError
        A path that does not exist, or a directory without CSV files.
    OSError
        A path that exists but is neither a regular file nor a directory.

    Examples
    --------
    >>> from importlib.resources import files
    >>> [name for _, name in csv_files(str(files("pate") / "data"))]
    ['ec2_request_latency_system_failure', 'exchange-2_cpc_results']
    """
    out: list[tuple[Path, str]] = []
    for path in _as_paths(paths):
        if path.is_dir():
            found = sorted(
                (p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(CSV_SUFFIXES)),
                key=lambda p: p.relative_to(path).parts,
            )
            if not found:
                listed = ", ".join(CSV_SUFFIXES[:-1]) + " or " + CSV_SUFFIXES[-1]
                raise FileNotFoundError(f"{path}: the directory holds no {listed} file.")
            out += [(p, _relative_name(p, path, CSV_SUFFIXES)) for p in found]
        elif path.is_file():
            out.append((path, _relative_name(path, None, CSV_SUFFIXES)))
        elif path.exists():
            raise OSError(f"{path}: not a regular file or directory.")
        else:
            raise FileNotFoundError(f"{path}: no such file or directory.")
    return out


def csv_labels(table: Table, label: str) -> np.ndarray:
    """The label column of a table as int8 0/1; a ValueError naming the line and column of a bad label.

    Raises
    ------
    TableError
        No such column, or a cell that is not a finite number.
    InvalidValuesError
        A label that is not 0 or 1 (its message names the line and column).
    """
    columns = [str(c) for c in table.frame.columns]
    if label not in columns:
        raise TableError(
            f"no label column {label!r} (columns: {', '.join(columns)}); name it with --label (label= in Python)."
        )
    labels = table.numeric(label)
    try:
        check_labels(labels, name=label)
    except InvalidValuesError as exc:
        raise InvalidValuesError(exc.located(lambda row: f"line {table.line(row)}, column {label!r}")) from None
    return labels.astype(np.int8)


@dataclass(frozen=True)
class CsvSeriesFile:
    """A series stored as one CSV file: a label column and one column per detector.

    ``load()`` reads it with the strict reader of :mod:`pate.benchmark._tables`;
    use :func:`read_csv_series` to make these.

    Attributes
    ----------
    name, path : str
        The series' name and the file (as shown in messages).
    label : str
        The label column.
    scores : tuple of str, optional
        The detector columns; by default every numeric column except the
        label, the ``value`` column and an index or time column.
    sep, encoding, decimal
        As for :func:`read_csv_table` (detected when ``None``).
    value : str
        The column of the series' own values: never a detector.
    read_values : bool
        Read the ``value`` column into :attr:`Series.values` (for
        ``early_buffer="auto"``); a missing column is then an error.
    data : bytes, optional
        The file's bytes when they do not come from ``path`` (standard input).
    intervals : IntervalFile, optional
        Anomaly intervals: the labels come from them and the time column
        (:func:`pate.labels_from_intervals`), not from a label column. The
        series is found in the file by its name (relative path or file
        name, :meth:`pate.IntervalFile.find`).
    time_column : str, optional
        The column holding the times; by default the one column called
        ``timestamp``, ``time``, ``date``, ``datetime`` or ``ts``.
    read_times : bool
        Read the time column into :attr:`Series.timestamps` (for options
        given as time spans); it is read anyway with ``intervals`` or
        ``time_column``.
    """

    name: str
    path: str
    label: str = "label"
    scores: tuple[str, ...] | None = None
    sep: str | None = None
    encoding: str | None = None
    decimal: str = "."
    value: str = "value"
    read_values: bool = False
    data: bytes | None = field(default=None, repr=False)
    intervals: IntervalFile | None = field(default=None, repr=False)
    time_column: str | None = None
    read_times: bool = False

    @property
    def detectors(self) -> list[str] | None:
        """The detectors when named up front, else ``None`` (known after reading)."""
        return list(self.scores) if self.scores is not None else None

    def load(self) -> Series:
        """Read the file; a problem of one detector column goes to ``problems``.

        Raises
        ------
        SeriesError
            The file cannot be read, or its label column (or, with
            ``read_values``, its value column) is missing or bad, or it has no
            score column.
        """
        source = self.data if self.data is not None else self.path
        notes: list[str] = []
        times_column = None
        try:
            table = read_csv_table(source, sep=self.sep, encoding=self.encoding, decimal=self.decimal)
            times = None
            if self.intervals is not None or self.time_column is not None or self.read_times:
                times_column = time_column(table.frame, self.time_column)
                times = _times(table, times_column)
            if self.intervals is not None and times is not None:
                labels = self._interval_labels(times, notes)
            else:
                labels = csv_labels(table, self.label)
            values = self._values(table) if self.read_values else None
        except (TableError, InvalidValuesError) as exc:
            raise SeriesError(str(exc), series=self.name, file=self.path) from None
        except ValueError as exc:  # the interval file has no key for the series, or a bad interval
            raise SeriesError(str(exc), series=self.name, file=self.path) from None
        except OSError as exc:
            raise SeriesError(f"cannot be read: {exc.strerror or exc}.", series=self.name, file=self.path) from None
        frame = table.frame
        columns = [str(c) for c in frame.columns]
        ignored: list[str] = []
        if self.scores is not None:
            names = list(self.scores)
        else:
            numeric, text = default_score_columns(frame, self.label)
            names = [str(c) for c in numeric if str(c) not in (self.value, times_column)]
            ignored = [str(c) for c in text if str(c) != times_column]
        if not names:
            raise SeriesError(
                f"no score column found (columns: {', '.join(columns)}); name them with --score (scores= in Python).",
                series=self.name,
                file=self.path,
            )
        scores: dict[str, np.ndarray] = {}
        problems: dict[str, str] = {}
        for name in names:
            if name not in columns:
                problems[name] = f"no score column {name!r} (columns: {', '.join(columns)})."
                continue
            try:
                scores[name] = table.numeric(name)
            except TableError as exc:
                problems[name] = str(exc)
        files = {"": self.path, **{d: self.path for d in names}}
        # Keep the order asked for (or the file's), problems included.
        ordered = {d: scores[d] for d in names if d in scores}
        return Series(
            self.name,
            labels,
            ordered,
            files=files,
            problems={d: problems[d] for d in names if d in problems},
            values=values,
            ignored=tuple(ignored),
            timestamps=times,
            interval_warnings=tuple(notes),
        )

    def _interval_labels(self, times: TimeIndex, notes: list[str]) -> np.ndarray:
        """The labels from the intervals of this series; an interval that labels nothing becomes a note."""
        assert self.intervals is not None
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", EmptyIntervalWarning)
            pairs = self.intervals.find(self.name, shown=self.path)
            names = [f"interval {k} of {self.name!r} in {self.intervals.path}" for k in range(len(pairs))]
            labels = labels_from_intervals(times, pairs, names=names)
        notes.extend(str(w.message) for w in caught if issubclass(w.category, EmptyIntervalWarning))
        for w in caught:  # anything else goes on to the caller
            if not issubclass(w.category, EmptyIntervalWarning):
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        return labels.astype(np.int8)

    def _values(self, table: Table) -> np.ndarray:
        if self.value not in table.frame.columns:
            columns = ", ".join(map(str, table.frame.columns))
            raise TableError(
                f"automatic buffers read the series' values, but there is no column {self.value!r} "
                f"(columns: {columns}); pass --value COLUMN (value= in Python) or a number of points."
            )
        return table.numeric(self.value)


def _times(table: Table, column: str) -> TimeIndex:
    """The time column of a table; an unreadable or missing time names its line."""
    try:
        return check_timestamps(table.frame[column], name=f"time column {column!r}")
    except InvalidValuesError as exc:
        raise TableError(exc.located(lambda row: f"line {table.line(row)}, column {column!r}")) from None
    except (TypeError, ValueError) as exc:
        raise TableError(f"column {column!r}: {exc}") from None


def as_intervals(intervals: Any) -> IntervalFile | None:
    """An :class:`~pate.IntervalFile` from one, or from the path of an interval file (``None`` stays)."""
    if intervals is None or isinstance(intervals, IntervalFile):
        return intervals
    if isinstance(intervals, (str, os.PathLike)):
        return read_intervals(intervals)
    raise TypeError(
        f"intervals must be an interval file (a path, or pate.read_intervals(path)), got {type(intervals).__name__}."
    )


def _read_vector(path: str, *, column: str | None) -> np.ndarray:
    """One numeric vector from a .npy, .txt (one number a line) or CSV file.

    Raises ValueError with the line (or index) of the first bad value.
    """
    if path.lower().endswith(".npy"):
        try:
            values = np.load(path, allow_pickle=False)
        except (OSError, ValueError, EOFError) as exc:
            raise ValueError(f"cannot be read as .npy: {exc}") from None
        if values.ndim == 2 and 1 in values.shape:
            values = values.reshape(-1)
        if values.ndim != 1:
            raise ValueError(f"holds an array of shape {values.shape}; expected one value per time step (1-D).")
        if values.dtype.kind not in "biuf":
            raise ValueError(f"holds {values.dtype} values; expected numbers.")
        try:
            check_exact_integers(values, "the array")
        except InvalidValuesError as exc:
            raise ValueError(exc.located()) from None
        values = values.astype(np.float64, copy=False)
        nonfinite = np.flatnonzero(~np.isfinite(values))
        if nonfinite.size:
            i = int(nonfinite[0])
            raise ValueError(f"index {i}: the value is {float(values[i])!r}; scores and labels must be finite numbers.")
        return values
    if path.lower().endswith(".txt"):
        with open(path, encoding="utf-8") as handle:
            out = []
            for number, line in enumerate(handle, start=1):
                text = line.strip()
                if not text:
                    continue
                try:
                    value = float(text)
                except ValueError:
                    raise ValueError(f"line {number}: {text!r} is not a number.") from None
                if text.lstrip("+-").isdigit():  # an integer: exact as float64, or refused (one rule everywhere)
                    try:
                        check_exact_integers(np.array([int(text)], dtype=object), "the file")
                    except InvalidValuesError as exc:
                        raise ValueError(f"line {number}: {exc.reason}") from None
                if not np.isfinite(value):
                    raise ValueError(f"line {number}: the value is {text}; scores and labels must be finite numbers.")
                out.append(value)
        if not out:
            raise ValueError("the file holds no values.")
        return np.asarray(out, dtype=np.float64)
    table = read_csv_table(path)
    names = [str(c) for c in table.frame.columns]
    if column is not None and column in names:
        return table.numeric(column)
    if len(names) == 1:
        return table.numeric(table.frame.columns[0])
    want = f"a column {column!r} or " if column else ""
    raise ValueError(f"expected {want}exactly one column, found {len(names)}: {', '.join(names)}.")


@dataclass(frozen=True)
class LabelScoreFiles:
    """A series whose labels and detectors' scores are separate files.

    ``label_file`` is ``None`` when scores exist without labels;
    ``score_files`` maps each detector to its file, ``None`` when missing.
    Use :func:`read_label_score_trees` to make these.
    """

    name: str
    label_file: str | None
    score_files: tuple[tuple[str, str | None], ...]
    label: str = "label"
    score_column: str = "score"
    missing_hint: str = ""

    @property
    def detectors(self) -> list[str]:
        """The detectors (known from the directory listing)."""
        return [d for d, _ in self.score_files]

    def load(self) -> Series:
        """Read the label file and every score file.

        Raises
        ------
        SeriesError
            No label file, or it cannot be read, or its labels are not 0/1.
            A missing or unreadable score file goes to ``problems``.
        """
        if self.label_file is None:
            raise SeriesError(f"no label file for this series{self.missing_hint}.", series=self.name)
        try:
            labels = _read_vector(self.label_file, column=self.label)
        except (ValueError, OSError) as exc:
            raise SeriesError(str(exc), series=self.name, file=self.label_file) from None
        try:
            check_labels(labels, name="labels")
        except InvalidValuesError as exc:
            raise SeriesError(exc.located(), series=self.name, file=self.label_file) from None
        scores: dict[str, np.ndarray] = {}
        problems: dict[str, str] = {}
        files = {"": self.label_file}
        for detector, path in self.score_files:
            if path is None:
                problems[detector] = (
                    "no score file for this series (expected <scores>/<detector>/<series>.npy|.csv|.txt)."
                )
                continue
            files[detector] = path
            try:
                scores[detector] = _read_vector(path, column=self.score_column)
            except (ValueError, OSError) as exc:
                problems[detector] = str(exc)
        return Series(self.name, labels.astype(np.int8), scores, files=files, problems=problems)


# -------------------------------------------------------------- readers
def _as_paths(paths: Any) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return [Path(p) for p in paths]


def read_csv_series(
    paths: Any,
    *,
    label: str = "label",
    scores: Sequence[str] | None = None,
    sep: str | None = None,
    encoding: str | None = None,
    decimal: str = ".",
    intervals: Any = None,
    time_column: str | None = None,
) -> list[CsvSeriesFile]:
    """The series stored as CSV files (one file per series), without reading them.

    Parameters
    ----------
    paths : path or sequence of paths
        CSV files, or directories searched recursively for them: the rule of
        :func:`csv_files` (the rule of ``pate evaluate DIR`` too).
    label : str, default="label"
        The label column (0/1).
    scores : sequence of str, optional
        The detector columns; by default every numeric column except the
        label, ``value`` and an index/time column (the command line's rule).
    sep, encoding, decimal
        As for ``pate evaluate`` (``--sep``, ``--encoding``, ``--decimal``):
        detected when omitted.
    intervals : path or IntervalFile, optional
        Anomaly intervals (NAB's ``combined_windows.json`` layout, or a CSV
        of ``series,start,end``; :func:`pate.read_intervals`): each series'
        labels come from its intervals and its time column, and the files
        need no label column. Every file must have a key in it.
    time_column : str, optional
        The column holding the times (default: the one column called
        ``timestamp``, ``time``, ``date``, ``datetime`` or ``ts``); also read
        for options given as time spans.

    Returns
    -------
    list of CsvSeriesFile
        One source per file; a series is named by its path relative to the
        directory given (without the suffix), or by the file's name.

    Raises
    ------
    FileNotFoundError
        A path that does not exist, or a directory without CSV files.
    ValueError
        Two files that would give the same series name, or a file whose
        series has no key in ``intervals`` (the message names the file).

    Examples
    --------
    >>> from importlib.resources import files
    >>> sources = read_csv_series(str(files("pate") / "data"))
    >>> [s.name for s in sources]
    ['ec2_request_latency_system_failure', 'exchange-2_cpc_results']
    >>> series = sources[0].load()
    >>> len(series), list(series.scores)[:3]
    (4032, ['numenta', 'numentaTM', 'htmjava'])
    """
    sources: list[CsvSeriesFile] = []
    seen: dict[str, str] = {}
    scores_t = tuple(scores) if scores is not None else None
    if isinstance(scores, str):
        raise TypeError("scores must be a sequence of column names, e.g. scores=['det'], not a string.")
    windows = as_intervals(intervals)
    for file, name in csv_files(paths):
        if name in seen:
            raise ValueError(f"{seen[name]} and {file} give the same series name {name!r}; pass them separately.")
        seen[name] = str(file)
        if windows is not None:
            windows.find(name, shown=str(file))  # every file has its intervals, checked before any is read
        sources.append(
            CsvSeriesFile(
                name, str(file), label, scores_t, sep, encoding, decimal, intervals=windows, time_column=time_column
            )
        )
    return sources


def _index_tree(directory: Path, suffixes: tuple[str, ...], what: str) -> dict[str, Path]:
    """``name -> file`` for the files in ``directory``, one file per name.

    The directory rule of :func:`csv_files`: searched recursively, sorted by
    the path relative to it, a series named by that path without the suffix.
    """
    out: dict[str, Path] = {}
    found = (p for p in directory.rglob("*") if p.is_file() and p.name.lower().endswith(suffixes))
    for file in sorted(found, key=lambda p: p.relative_to(directory).parts):
        name = _relative_name(file, directory, suffixes)
        if name in out:
            raise ValueError(f"{what} {name!r} has two files: {out[name]} and {file}; keep one.")
        out[name] = file
    return out


def read_label_score_trees(
    labels: Any, scores: Any, *, label: str = "label", score_column: str = "score"
) -> list[LabelScoreFiles]:
    """The series of a labels tree and a scores tree, without reading them.

    Parameters
    ----------
    labels : path
        A directory with one label file per series: ``<series>.npy``,
        ``<series>.txt`` (one value a line), or ``<series>.csv`` (also
        ``.csv.gz``, ``.csv.bz2``, ``.csv.xz``) with a
        ``label`` column (or a single column).
    scores : path
        A directory with one sub-directory per detector, holding one file per
        series: ``<detector>/<series>.npy|.txt|.csv...`` (a CSV has a
        ``score`` column or a single column).
        Both are searched as :func:`csv_files` searches a directory:
        recursively, a series named by its path below the directory without
        the suffix (``labels/cat/s1.npy`` and ``scores/det/cat/s1.npy`` are the
        series ``cat/s1``).
    label, score_column : str
        Column names in CSV files.

    Returns
    -------
    list of LabelScoreFiles
        One source per series, sorted by name: every series with a label
        file, then every series that has scores but no labels (evaluating
        such a source reports it). A detector without a file for a series is
        kept, with its file ``None``, and reported when the series is
        evaluated.

    Raises
    ------
    FileNotFoundError
        A directory that does not exist, or holds no series or no detector.

    Examples
    --------
    >>> import tempfile, numpy as np
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "labels").mkdir(); (root / "scores" / "det").mkdir(parents=True)
    >>> np.save(root / "labels" / "s1.npy", np.array([0, 1, 1, 0]))
    >>> np.save(root / "scores" / "det" / "s1.npy", np.array([0.1, 0.9, 0.7, 0.2]))
    >>> [(s.name, s.detectors) for s in read_label_score_trees(root / "labels", root / "scores")]
    [('s1', ['det'])]
    """
    label_dir, score_dir = Path(labels), Path(scores)
    for directory, what in ((label_dir, "labels"), (score_dir, "scores")):
        if not directory.is_dir():
            raise FileNotFoundError(f"{directory}: the {what} directory does not exist.")
    label_files = _index_tree(label_dir, _TREE_SUFFIXES, "series")
    if not label_files:
        listed = ", ".join(_TREE_SUFFIXES)
        raise FileNotFoundError(f"{label_dir}: no label file ({listed}) in the labels directory.")
    detectors = sorted(p.name for p in score_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not detectors:
        raise FileNotFoundError(f"{score_dir}: no detector directory (expected <scores>/<detector>/<series>.npy).")
    score_files = {d: _index_tree(score_dir / d, _TREE_SUFFIXES, f"detector {d!r}, series") for d in detectors}
    orphans = sorted({s for files in score_files.values() for s in files} - set(label_files))
    sources = []
    for name in list(label_files) + orphans:
        per_detector = tuple((d, str(score_files[d][name]) if name in score_files[d] else None) for d in detectors)
        label_file = str(label_files[name]) if name in label_files else None
        hint = ""
        if label_file is None:
            having = [d for d, f in per_detector if f is not None]
            hint = f" in {label_dir} (scores exist for detector(s) {', '.join(having)})"
        sources.append(LabelScoreFiles(name, label_file, per_detector, label, score_column, hint))
    return sources


def source_files(source: Any) -> list[str]:
    """The files a source reads (none for in-memory data and standard input): what an output may not overwrite."""
    if isinstance(source, Series):
        return [f for f in source.files.values() if f]
    if getattr(source, "data", None) is not None:  # standard input: its bytes are read already
        return []
    files = [getattr(source, "path", None), getattr(source, "label_file", None)]
    files += [f for _, f in getattr(source, "score_files", ())]
    return [f for f in files if f]
