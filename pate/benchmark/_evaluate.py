"""Evaluate series x detectors x metrics into one tidy results table.

Data flows one way: sources (paths or in-memory series) -> one task per
series (:func:`pate.benchmark._task.evaluate_series`: load, validate,
threshold, metric) -> rows gathered in the order the series were given ->
the table (and, with ``output=``, a file rewritten atomically as series
complete). The same task runs in-process, in joblib's loky worker processes
and on dask.distributed workers, so the table does not depend on where it
ran; ``pate evaluate`` and ``df.pate.evaluate`` run it too.
"""

from __future__ import annotations

import dataclasses
import math
import os
import signal
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple

import pandas as pd

from pate._intervals import EmptyIntervalWarning
from pate._optional import import_optional
from pate._time import is_time_span
from pate._validation import check_choice, short_repr
from pate._warnings import warn_at_caller
from pate.benchmark._files import OutputLock, check_not_an_input
from pate.benchmark._params import (
    AUTO,
    AUTO_OPTIONS,
    MetricRequest,
    metric_requests,
    with_undefined,
)
from pate.benchmark._readers import CsvSeriesFile, Series, SeriesError, read_csv_series, source_files
from pate.benchmark._results_io import (
    CHANCE_COLUMNS,
    RESULT_COLUMNS,
    require_pyarrow,
    results_format,
    write_results,
)
from pate.benchmark._resume_file import read_resumable
from pate.benchmark._tables import default_score_columns
from pate.benchmark._task import ChanceRequest, SeriesResult, evaluate_series, make_chance_request
from pate.metrics import get_metric_info

__all__ = ["evaluate", "EvaluationInterrupted", "WorkerLostError", "run_tasks", "series_rows", "Progress"]


class EvaluationInterrupted(KeyboardInterrupt):
    """Ctrl-C during :func:`evaluate`: what was done is saved and can be resumed.

    Attributes
    ----------
    rows : int
        Rows in the table written to ``output`` (0 without ``output``).
    series_done : int
        Series completed in this run before the interruption.
    output : str or None
        The results file.
    """

    def __init__(self, rows: int, series_done: int, output: str | None) -> None:
        self.rows, self.series_done, self.output = rows, series_done, output
        where = (
            f"{rows} rows are in {output}; run again with resume=True (--resume) to continue"
            if output
            else "nothing was saved (pass output= to keep partial results)"
        )
        super().__init__(f"interrupted after {series_done} series: {where}.")


# --------------------------------------------------------------- sources
def _frame_series(name: str, frame: Any, label: str) -> Series:
    if label not in frame.columns:
        raise SeriesError(
            f"no label column {label!r} (columns: {', '.join(map(str, frame.columns))}); pass label=COLUMN.",
            series=name,
        )
    detectors = default_score_columns(frame, label)[0]
    return Series(name, frame[label].to_numpy(), {str(c): frame[c].to_numpy() for c in detectors})


class _Failed:
    """A source that could not even be made (reported by evaluate like any series error)."""

    def __init__(self, name: str, error: SeriesError) -> None:
        self.name, self.error = name, error
        self.detectors: list[str] = []

    def load(self) -> Series:
        raise self.error


def _sources(data: Any, label: str, read_values: bool, read_times: bool = False) -> Iterator[Any]:
    """Every source of ``data``, lazily, in order (CSV files read their times when an option is a time span)."""
    if isinstance(data, (str, os.PathLike, Series, pd.DataFrame)) or hasattr(data, "load"):
        data = [data]
    if isinstance(data, Mapping):
        data = list(data.items())
    if isinstance(data, (bytes, bytearray)) or not isinstance(data, Iterable):
        raise TypeError(
            "data must be a Series, a source from pate.benchmark.read_*, a DataFrame, a path, or a list "
            f"(or mapping) of them; got {type(data).__name__}."
        )
    for position, item in enumerate(data):
        if isinstance(item, (str, os.PathLike)):
            for source in read_csv_series(item, label=label):
                yield dataclasses.replace(source, read_values=read_values, read_times=read_times)
        elif isinstance(item, CsvSeriesFile) and read_times and not item.read_times:
            yield dataclasses.replace(item, read_times=True)
        elif hasattr(item, "load") and hasattr(item, "name"):
            yield item
        elif isinstance(item, pd.DataFrame):
            name = str(item.attrs.get("name", position))
            try:
                yield _frame_series(name, item, label)
            except SeriesError as exc:
                yield _Failed(name, exc)
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], pd.DataFrame):
            try:
                yield _frame_series(str(item[0]), item[1], label)
            except SeriesError as exc:
                yield _Failed(str(item[0]), exc)
        else:
            raise TypeError(
                f"data item {position}: expected a Series, a source from pate.benchmark.read_*, "
                f"a DataFrame, a (name, DataFrame) pair or a path, got {type(item).__name__}."
            )


def _check_sources(sources: list[Any], output: Path | None) -> None:
    """Names unique (a resumed run matches rows by name), and the output not one of the inputs."""
    first: dict[str, int] = {}
    for position, source in enumerate(sources):
        name = str(source.name)
        if name in first:
            raise ValueError(
                f"series {name!r} is given twice (series {first[name]} and {position}): every series needs its "
                "own name, or the rows of one are taken for the other's (name DataFrames with "
                "frame.attrs['name'] or pass a mapping name -> DataFrame)."
            )
        first[name] = position
    if output is not None:
        check_not_an_input(output, (f for source in sources for f in source_files(source)), what="output")


def _check_output(output: Path) -> None:
    """A results file that can be written, checked before any work."""
    results_format(output)  # a ValueError for another suffix
    if output.is_dir():
        raise ValueError(f"output {output} is a directory; give a file name inside it.")
    parent = output.parent if str(output.parent) else Path(".")
    if not parent.is_dir():
        raise ValueError(f"output {output}: the directory {str(parent)!r} does not exist; create it first.")
    if not os.access(parent, os.W_OK) or (output.exists() and not os.access(output, os.W_OK)):
        raise ValueError(f"output {output}: not writable.")


def _is_span_option(request: MetricRequest, option: str, value: Any) -> bool:
    """Whether a request's option is a time span (it needs the series' times)."""
    declared = get_metric_info(request.name).options.get(option)
    return declared is not None and declared.kind == "span" and is_time_span(value)


# ------------------------------------------------------------- executors
def _run_local(
    tasks: Iterable[tuple], requests: list[MetricRequest], chance: ChanceRequest | None
) -> Iterator[SeriesResult]:
    for source, skip in tasks:
        yield evaluate_series(source, requests, skip, None, chance)


def _usable_cores() -> int:
    """The cores this process may run on (taskset, cgroups), as :func:`pate.metrics._batch` counts them."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def _joblib_threads(n_jobs: int) -> int:
    from joblib import cpu_count  # joblib: loaded only for parallel runs

    return max(1, cpu_count() // n_jobs)


_WATCHED_PARENT: int | None = None


def _watch_parent(parent: int) -> None:
    """In a worker process: exit as soon as the process that started the run is gone.

    loky keeps idle workers for minutes so that the next run reuses them; a
    run killed with SIGKILL cannot tell them to stop. Once per worker, a
    daemon thread checks every second whether the worker's parent changed
    (the run died and the worker was handed to another process).
    """
    global _WATCHED_PARENT
    if _WATCHED_PARENT is not None or os.getpid() == parent or os.getppid() != parent:
        return
    _WATCHED_PARENT = parent

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="pate-parent-watch", daemon=True).start()


def _worker_task(
    parent: int,
    source: Any,
    requests: list[MetricRequest],
    skip: frozenset,
    threads: int,
    chance: ChanceRequest | None = None,
) -> Any:
    """The task in a loky worker: the parent watched, then :func:`evaluate_series`."""
    _watch_parent(parent)
    return evaluate_series(source, requests, skip, threads, chance)


class WorkerLostError(RuntimeError):
    """A worker process died during :func:`evaluate` (killed, or out of memory); what was done is saved."""


def _run_joblib(
    tasks: Iterable[tuple], requests: list[MetricRequest], n_jobs: int, chance: ChanceRequest | None
) -> Iterator[SeriesResult]:
    from joblib import Parallel, delayed, parallel_config  # loaded only for parallel runs
    from joblib.externals.loky.process_executor import TerminatedWorkerError  # with joblib

    threads = _joblib_threads(n_jobs)
    parent = os.getpid()
    # inner_max_num_threads sets NUMBA_NUM_THREADS (and the BLAS ones) in the
    # workers; the task also calls numba.set_num_threads for reused workers.
    with parallel_config(backend="loky", inner_max_num_threads=threads):
        parallel = Parallel(n_jobs=n_jobs, return_as="generator", pre_dispatch="2*n_jobs")
        try:
            yield from parallel(delayed(_worker_task)(parent, s, requests, skip, threads, chance) for s, skip in tasks)
        except TerminatedWorkerError:
            raise WorkerLostError(
                "a worker process died while evaluating (killed, or out of memory: fewer --jobs use less)"
            ) from None


def _dask_client(scheduler: Any, n_jobs: int | None) -> tuple[Any, Callable[[], None]]:
    """A distributed Client for ``scheduler`` and how to release what was started here."""
    feature = "pate.benchmark.evaluate(scheduler='dask')"
    distributed = import_optional("distributed", extra="dask", feature=feature)
    if isinstance(scheduler, distributed.Client):
        return scheduler, lambda: None
    if scheduler == "dask":
        try:
            return distributed.get_client(), lambda: None
        except ValueError:  # no client yet: a local cluster for this call
            from joblib import cpu_count  # loaded only for parallel runs

            workers = n_jobs if n_jobs and n_jobs > 0 else cpu_count()
            cluster = distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
            client = distributed.Client(cluster)

            def close() -> None:
                client.close()
                cluster.close()

            return client, close
    if isinstance(scheduler, str):  # an address: "tcp://host:8786" or "host:8786"
        client = distributed.Client(scheduler, timeout="30s")
        return client, client.close
    raise ValueError(
        "scheduler must be None, 'dask', a dask.distributed.Client or a scheduler address, "
        f"got {short_repr(scheduler)}."
    )


def _run_dask(
    tasks: Iterable[tuple],
    requests: list[MetricRequest],
    scheduler: Any,
    n_jobs: int | None,
    chance: ChanceRequest | None,
) -> Iterator[SeriesResult]:
    client, close = _dask_client(scheduler, n_jobs)
    pending: deque = deque()
    try:
        slots = max(4, 2 * sum(client.nthreads().values()))
        iterator = iter(tasks)
        exhausted = False
        while True:
            while not exhausted and len(pending) < slots:
                try:
                    source, skip = next(iterator)
                except StopIteration:
                    exhausted = True
                    break
                # pure=False: a new key per call, so a re-run never reuses an
                # old result; a task lost with its worker is re-run by dask.
                pending.append(client.submit(evaluate_series, source, requests, skip, 1, chance, pure=False))
            if not pending:
                return
            future = pending.popleft()
            yield future.result()
            future.release()
    finally:
        for future in pending:
            future.cancel()
        close()


def run_tasks(
    tasks: Iterable[tuple[Any, frozenset]],
    requests: list[MetricRequest],
    *,
    n_jobs: int | None = None,
    scheduler: Any = None,
    chance: ChanceRequest | None = None,
) -> Iterator[SeriesResult]:
    """The task's results for ``(source, skip)`` pairs, in order: in this process, in joblib workers or on dask."""
    if scheduler is not None:
        return _run_dask(tasks, requests, scheduler, n_jobs, chance)
    if n_jobs is None:
        return _run_local(tasks, requests, chance)
    from joblib import effective_n_jobs  # loaded only for parallel runs

    workers = effective_n_jobs(n_jobs)
    return _run_joblib(tasks, requests, workers, chance) if workers > 1 else _run_local(tasks, requests, chance)


# ----------------------------------------------------------------- table
class ResultRow(NamedTuple):
    """One row of the results table (``error`` is ``""`` for a value)."""

    series: str
    detector: str
    metric: str
    value: float
    params: str
    error: str = ""
    expected: float = math.nan  # the chance columns (evaluate(chance=N)); nan without
    adjusted: float = math.nan
    pvalue: float = math.nan
    constant: bool | None = None  # the detector's scores take a single value on this series (None: unknown)

    @property
    def key(self) -> tuple[str, str, str]:
        """``(detector, metric, params)``: the row's identity within its series."""
        return (self.detector, self.metric, self.params)


class Progress:
    """The ``progress`` option: a tqdm bar, a callback, or nothing."""

    def __init__(self, progress: Any, total: int | None) -> None:
        self.done, self.total, self._bar, self._callback = 0, total, None, None
        if progress is False:
            return
        if callable(progress) and not isinstance(progress, bool):
            self._callback = progress
            return
        from tqdm import tqdm  # loaded only when a bar may be shown

        # disable=None: shown on a terminal only; delay: quick runs stay quiet.
        self._bar = tqdm(
            total=total,
            unit="series",
            disable=None if progress is None else False,
            delay=0.0 if progress is True else 1.0,
            dynamic_ncols=True,
            leave=False,
        )

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
        elif self._callback is not None:
            self._callback(self.done, self.total)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _table(rows: list[ResultRow], with_error: bool, with_chance: bool = False) -> Any:
    # ``constant`` after the contract's and the chance columns (as pate compare and leaderboard read it), where known
    with_constant = any(r.constant is not None for r in rows)
    columns = (
        list(RESULT_COLUMNS)
        + (list(CHANCE_COLUMNS) if with_chance else [])
        + (["constant"] if with_constant else [])
        + (["error"] if with_error else [])
    )
    numbers = ("value", *CHANCE_COLUMNS)
    if not rows:
        return pd.DataFrame({c: pd.Series([], dtype="float64" if c in numbers else "str") for c in columns})
    frame = pd.DataFrame(rows, columns=list(ResultRow._fields))[columns]
    for column in numbers:
        if column in frame.columns:
            frame[column] = frame[column].astype("float64")
    if with_constant:  # bool as a file reads it back; pandas' nullable boolean where a row does not know
        known = frame["constant"].notna().all()
        frame["constant"] = frame["constant"].astype(bool if known else "boolean")
    return frame


def series_rows(result: SeriesResult, requests: list[MetricRequest], on_error: str) -> list[ResultRow]:
    """A task's result as table rows (``on_error="raise"``: its first error raised)."""
    if result.error is not None:
        exc = SeriesError(result.error.reason, series=result.name, file=result.error.file)
        if on_error == "raise":
            raise exc
        detectors = result.detectors or [""]
        return [ResultRow(result.name, d, r.name, math.nan, r.params, str(exc)) for d in detectors for r in requests]
    rows = []
    for row in result.rows:
        text = ""
        if row.error is not None:
            exc = SeriesError(row.error.reason, series=result.name, detector=row.detector, file=row.error.file)
            if on_error == "raise":
                raise exc
            text = str(exc)
        request = requests[row.request]
        rows.append(
            ResultRow(
                result.name,
                row.detector,
                request.name,
                row.value,
                request.params,
                text,
                row.expected,
                row.adjusted,
                row.pvalue,
                result.constant.get(row.detector),
            )  # fmt: skip
        )
    return rows


def _flag(value: Any) -> bool | None:
    """A ``constant`` cell read back: True/False (text or bool), None where unknown."""
    if isinstance(value, str):
        return {"true": True, "false": False}.get(value.strip().lower())
    return None if value is None or pd.isna(value) else bool(value)


class _Resume:
    """The rows of an earlier run kept in ``output`` (``resume=True``), and merging with new ones."""

    def __init__(self, path: Path | None, names: list[str] | None, with_chance: bool = False) -> None:
        self.rows: dict[str, list[ResultRow]] = {}  # series -> its rows, in the file's order
        self.has_errors = False
        self.notes: list[str] = []  # what the run should say about the file (warnings)
        self.path = path
        if path is None or not path.exists():
            return
        old, self.notes = read_resumable(path)  # every line checked: a damaged file is refused
        has_chance = set(CHANCE_COLUMNS) <= set(old.columns)
        if has_chance != with_chance:
            written, asked = ("with", "without") if has_chance else ("without", "with")
            raise ValueError(
                f"{path} was written {written} chance levels (columns {', '.join(CHANCE_COLUMNS)}) and this run "
                f"asks {asked}: resume it with the chance= (--chance) it was written with, or write a new output."
            )
        has_error = "error" in old.columns
        self.has_errors = has_error and bool((old["error"] != "").any())
        for row in old.itertuples(index=False):
            error = getattr(row, "error", "") if has_error else ""
            expected, adjusted, pvalue = (row.expected, row.adjusted, row.pvalue) if has_chance else (math.nan,) * 3
            constant = _flag(getattr(row, "constant", None))
            kept = ResultRow(
                row.series, row.detector, row.metric, float(row.value), row.params, error,
                expected, adjusted, pvalue, constant,
            )  # fmt: skip
            self.rows.setdefault(row.series, []).append(kept)
        others = [name for name in self.rows if names is not None and name not in set(names)]
        if others:
            listed = ", ".join(map(repr, others[:5])) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
            self.notes.append(
                f"{path}: {len(others)} series in the file are not part of this run and are kept as they are: {listed}."
            )

    def done(self, name: str) -> frozenset:
        """The ``(detector, metric, params)`` keys of a series that need no work (rows with an error are redone)."""
        return frozenset(r.key for r in self.rows.get(name, ()) if not r.error)

    def merge(self, result: SeriesResult, new: list[ResultRow], requests: list[MetricRequest]) -> list[ResultRow]:
        """A series' rows: in this run's order, the new ones over the old ones, then old rows no request made."""
        old = {r.key: r for r in self.rows.get(result.name, ())}
        if result.error is None:  # the series was read: rows of detectors it does not have are stale
            stale = sorted({r.detector for r in old.values()} - set(result.detectors))
            if stale:
                old = {k: r for k, r in old.items() if r.detector in result.detectors}
                self.notes.append(
                    f"{self.path}: series {result.name!r} has no detector {', '.join(map(repr, stale))}: "
                    "its rows in the file were dropped."
                )
        fresh = {r.key: r for r in new}
        merged = []
        for detector in dict.fromkeys(result.detectors + [r.detector for r in new]):
            for request in requests:
                key = (detector, request.name, request.params)
                row = fresh.get(key) or old.get(key)
                if row is not None:
                    merged.append(row)
        used = {r.key for r in merged}
        return merged + [r for k, r in old.items() if k not in used]

    def untouched(self, finished: set[str]) -> list[ResultRow]:
        """The earlier rows of series this run has not (yet) redone, in the file's order."""
        return [r for name, rows in self.rows.items() if name not in finished for r in rows]


class _Checkpoint:
    """``output`` rewritten as series complete: the first series at once, then at most every few seconds."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.written_at = time.monotonic()
        self.cost = 0.0  # seconds the last write took
        self.rows = 0  # rows in the file
        self.writes = 0

    def write(self, table: Callable[[], Any], *, force: bool = False) -> None:
        """Write ``table()`` unless a write was recent (never more than a tenth of the time spent writing)."""
        if self.path is None:
            return
        now = time.monotonic()
        if not force and self.writes and now - self.written_at < max(5.0, 10 * self.cost):
            return
        frame = table()
        write_results(frame, self.path)
        self.written_at = time.monotonic()
        self.cost, self.rows = self.written_at - now, len(frame)
        self.writes += 1


def _close(results: Any) -> None:
    """Stop a runner early (cancels what joblib or dask still has queued)."""
    close = getattr(results, "close", None)
    if close is not None:
        close()


class _SigintFlag:
    """Remembers a Ctrl-C, so that an interrupt a library turned into another error still counts.

    pandas' C parser reports a Ctrl-C during a read as a ParserError, numba as a
    SystemError; the series then looks broken. Installed only in the main
    thread and only over Python's default handler (which it still calls).
    """

    def __init__(self) -> None:
        self.seen = False
        self._previous = None
        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler
        ):
            self._previous = signal.default_int_handler

            def handler(signum: int, frame: Any) -> None:
                self.seen = True
                signal.default_int_handler(signum, frame)

            signal.signal(signal.SIGINT, handler)

    def watch(self, results: Iterable[Any]) -> Iterator[Any]:
        """``results``, raising KeyboardInterrupt before the first result after a Ctrl-C."""
        for result in results:
            if self.seen:
                raise KeyboardInterrupt
            yield result

    def restore(self) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None


def _is_interrupt(exc: BaseException) -> bool:
    """Ctrl-C, also when it arrived inside a numba function (which wraps it in a SystemError)."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 8:
        if isinstance(current, KeyboardInterrupt):
            return True
        current, seen = current.__context__ or current.__cause__, seen + 1
    return False


def _reissue(collected: dict, requests: list[MetricRequest]) -> None:
    for (category, i, message), (first_series, first_detector, count) in collected.items():
        request = requests[i]
        shown = request.name + (f" ({request.params})" if request.params else "")
        more = f" and {count - 1} more (series, detector) pair(s)" if count > 1 else ""
        warn_at_caller(f"{shown}: {message} [series {first_series!r}, detector {first_detector!r}{more}]", category)


def evaluate(
    data: Any,
    *,
    metrics: Any = ("pate",),
    n_jobs: int | None = None,
    scheduler: Any = None,
    progress: Any = None,
    on_error: str = "raise",
    label: str = "label",
    output: str | os.PathLike | None = None,
    resume: bool = False,
    undefined: Any = "warn",
    chance: int | None = None,
    null: str = "shift",
    random_state: int | None = None,
) -> Any:
    """Evaluate every detector of every series with every metric: one tidy table.

    Read more in docs/evaluate.md.

    Parameters
    ----------
    data : iterable
        The series, evaluated one at a time in the order given. Each item is
        a :class:`Series`, a source from :func:`read_csv_series` /
        :func:`read_label_score_trees`, a path (a CSV file or a directory of
        them, NAB style), a DataFrame (label column ``label``, one column per
        detector; named by ``frame.attrs["name"]`` or its position) or a
        ``(name, DataFrame)`` pair. A mapping name -> DataFrame works too.
        Series names must be unique. The sources are listed before the run
        (files are read by the tasks) so that names and ``output`` are
        checked first; a generator without ``output`` is consumed as it goes.
    metrics : str or sequence, default=("pate",)
        Registry names, or ``(name, options)`` pairs, so one call can hold a
        metric at several settings. A binary metric on continuous scores
        needs a thresholding strategy among its options: ``threshold=X``,
        ``threshold={detector: X}`` (each detector its own, e.g. NAB's
        ``config/thresholds.json`` read by :func:`read_thresholds`; a detector
        without one is a row error), ``contamination=R`` or
        ``threshold="best"`` (the registry's best F1 over TSB-AD's threshold
        grid); see :func:`pate.benchmark.metric_requests`.
    n_jobs : int, optional
        Series evaluated in parallel with joblib (loky processes); ``None``
        means 1 (unless in a ``joblib.parallel_config`` context), ``-1`` all
        cores. numba threads are capped so processes x threads <= cores.
    scheduler : None, "dask", dask.distributed.Client or str
        ``"dask"``: the current dask.distributed client, or a local cluster
        of ``n_jobs`` worker processes started for this call; a ``Client``
        or a scheduler address (``"tcp://host:8786"``) to use a cluster.
        Sources read from paths are read on the workers. Needs
        ``pip install "pate-eval[dask]"``.
    progress : None, bool or callable
        ``None``: a tqdm bar on a terminal only; ``True``/``False``: always /
        never; a callable is called as ``progress(series_done, total)``
        (``total`` is ``None`` when ``data`` has no length).
    on_error : {"raise", "record"}, default="raise"
        What bad data does (label and score lengths that differ, NaN scores,
        labels not 0/1, unreadable or missing files): ``"raise"`` raises a
        :class:`SeriesError` naming the series, detector and file;
        ``"record"`` gives those rows ``value`` NaN and says why in an
        ``error`` column (``""`` for rows without error).
    label : str, default="label"
        Label column of DataFrames and CSV paths.
    output : path, optional
        A ``.csv``, ``.csv.gz`` or ``.parquet`` file that receives the table,
        rewritten atomically as series complete (never a half row; through a
        symlink; with the umask's mode), so an interrupted run keeps what was
        done. Its directory must exist, it may not be one of the input files,
        and one run at a time writes it: a lock file ``<output>.lock`` beside
        it names the run that holds it.
    resume : bool, default=False
        With ``output``: keep the rows already in it and compute only the
        (series, detector, metric, params) rows it lacks (rows with an error
        are computed again). The file is checked line by line first (header,
        fields, numbers, metric names, params, names, repeated rows); a
        damaged file is refused, naming the line, except a last line cut
        short, whose row is computed again with a warning.
    undefined : {"warn", "nan"} or float, default="warn"
        The undefined-case policy given to every metric that has none in its
        own options (see docs/undefined.md); a policy other than ``"warn"``
        shows in ``params`` (``undefined=nan``).
    chance : int, optional
        Also compute each value's chance level with that many resamples
        (:func:`pate.chance_level`, docs/chance.md): the table gets the
        columns ``expected`` (the null distribution's mean), ``adjusted``
        (``(value - expected) / (best - expected)``) and ``pvalue``.
    null : {"shift", "permutation"}, default="shift"
        The null distribution of ``chance``: circular shifts of the scores
        (every shift when ``chance >= n - 1``), or shuffles (metrics of
        continuous scores only, including ``threshold="best"``).
    random_state : int, optional
        Seed of the resamples. Each row draws from its own seed, made from
        ``random_state`` and the row's (series, detector, metric, params), so
        the table is the same on 1 or N workers and in a resumed run. None:
        a fresh seed for the run, recorded in ``table.attrs["random_state"]``.

    Returns
    -------
    pandas.DataFrame
        Columns ``series``, ``detector``, ``metric``, ``value``, ``params``
        (with ``chance``: ``expected``, ``adjusted``, ``pvalue``; and
        ``error``), ordered by series (as given), detector (as in the
        series), metric (as given), the same whatever ``n_jobs`` or
        ``scheduler``. ``params`` is the canonical ``name=value;...`` string
        of the options that differ from the metric's defaults. With
        ``chance``, ``attrs`` records ``chance``, ``null`` and ``random_state``.

    Raises
    ------
    ValueError
        An unknown metric or option (the message lists close names); two
        series with one name; an output that cannot be written or is an
        input; a damaged file to resume (the line and what is wrong).
    TypeError
        ``data`` is not a series, a source, a DataFrame, a path or a list of them.
    SeriesError
        Bad data, with ``on_error="raise"``.
    EvaluationInterrupted
        Ctrl-C; what was done is in ``output``.
    WorkerLostError
        A worker process died (killed, or out of memory); what was done is in ``output``.
    pate.benchmark._files.OutputLockedError
        Another run is writing ``output`` (the message names its process id).

    Warns
    -----
    UndefinedMetricWarning
        Once per metric and message, with the first series and detector
        concerned and how many more there are.

    Examples
    --------
    >>> from pate.benchmark import Series, evaluate
    >>> s1 = Series("s1", [0, 0, 1, 1, 0, 0], {"good": [0, .1, .9, .8, .1, 0], "flat": [.5] * 6})
    >>> s2 = Series("s2", [0, 1, 1, 0, 0, 0], {"good": [.1, .9, .9, .2, 0, 0], "flat": [.5] * 6})
    >>> table = evaluate([s1, s2], metrics=["auc_pr", ("point_f1", {"threshold": 0.5})], progress=False)
    >>> print(table.to_string(index=False))
    series detector   metric    value        params  constant
        s1     good   auc_pr 1.000000                   False
        s1     good point_f1 1.000000 threshold=0.5     False
        s1     flat   auc_pr 0.333333                    True
        s1     flat point_f1 0.500000 threshold=0.5      True
        s2     good   auc_pr 1.000000                   False
        s2     good point_f1 1.000000 threshold=0.5     False
        s2     flat   auc_pr 0.333333                    True
        s2     flat point_f1 0.500000 threshold=0.5      True
    """
    check_choice(on_error, "on_error", ("raise", "record"))
    requests = with_undefined(metric_requests(metrics), undefined)
    chance_request = make_chance_request(chance, null, random_state, requests)
    if resume and output is None:
        raise ValueError("resume=True needs output= (the results file to continue).")
    if n_jobs is not None and (isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs == 0):
        raise ValueError(f"n_jobs must be a non-zero integer or None, got {short_repr(n_jobs)}.")
    cores = _usable_cores()
    if n_jobs is not None and n_jobs > cores and scheduler is None:
        warn_at_caller(
            f"n_jobs={n_jobs} is more than the {cores} usable cores; evaluating {cores} series at a time.",
            UserWarning,
        )
        n_jobs = cores
    output_path = Path(output) if output is not None else None
    if output_path is not None:
        _check_output(output_path)  # a bad suffix, directory or missing extra fails now, not after the work
        if results_format(output_path) == "parquet":
            require_pyarrow()
    read_values = any(r.options.get(o) == AUTO for r in requests for o in AUTO_OPTIONS)  # early_buffer="auto"
    read_times = any(_is_span_option(r, k, v) for r in requests for k, v in r.options.items())  # "30min"
    sources: list[Any] | _NamesChecked
    if output_path is None and isinstance(data, Iterator):
        # a generator without output: consumed as it goes (memory stays flat), names checked on the way
        sources = _NamesChecked(_sources(data, label, read_values, read_times))
    else:
        # listed first (light: files are read by the tasks) so that names and the output are checked before work
        sources = list(_sources(data, label, read_values, read_times))
        _check_sources(sources, output_path)
    lock = OutputLock(output_path) if output_path is not None else None
    if lock is not None:
        lock.acquire()  # one run per results file, for the whole run
    try:
        table = _evaluate(sources, requests, n_jobs, scheduler, progress, on_error, output_path, resume, chance_request)
        if chance_request is not None:
            table.attrs.update(
                chance=chance_request.n_resamples, null=chance_request.null, random_state=chance_request.entropy
            )
        return table
    finally:
        if lock is not None:
            lock.release()


class _NamesChecked:
    """Sources consumed lazily; the first repeated name ends the iteration and is raised by :func:`_evaluate`."""

    def __init__(self, sources: Iterator[Any]) -> None:
        self._sources = sources
        self.error: ValueError | None = None

    def __iter__(self) -> Iterator[Any]:
        seen: dict[str, int] = {}
        for position, source in enumerate(self._sources):
            name = str(source.name)
            if name in seen:
                self.error = ValueError(
                    f"series {name!r} is given twice (series {seen[name]} and {position}): every series needs its "
                    "own name, or the rows of one are taken for the other's."
                )
                return
            seen[name] = position
            yield source


def _evaluate(
    sources: list[Any] | _NamesChecked,
    requests: list[MetricRequest],
    n_jobs: int | None,
    scheduler: Any,
    progress: Any,
    on_error: str,
    output_path: Path | None,
    resume: bool,
    chance: ChanceRequest | None = None,
) -> Any:
    """The run of :func:`evaluate` once its arguments are checked (and the output locked)."""
    names = [str(s.name) for s in sources] if isinstance(sources, list) else None
    with_chance = chance is not None
    previous = _Resume(output_path if resume else None, names, with_chance)
    with_error = on_error == "record" or previous.has_errors
    total = len(sources) if isinstance(sources, list) else None
    tasks = ((source, previous.done(str(source.name))) for source in sources)
    results = run_tasks(tasks, requests, n_jobs=n_jobs, scheduler=scheduler, chance=chance)

    rows: list[ResultRow] = []
    finished: set[str] = set()
    collected: dict = {}
    empty_intervals: list[str] = []
    bar = Progress(progress, total)
    checkpoint = _Checkpoint(output_path)

    def current_table() -> Any:
        return _table(rows + previous.untouched(finished), with_error, with_chance)

    sigint = _SigintFlag()
    try:
        for result in sigint.watch(results):
            new = series_rows(result, requests, on_error)
            if result.error is None:
                for warning in result.warnings:
                    key = (warning.category, warning.request, warning.message)
                    first = collected.get(key)
                    seen = (result.name, warning.detector, 1) if first is None else (*first[:2], first[2] + 1)
                    collected[key] = seen
            rows.extend(previous.merge(result, new, requests))
            empty_intervals.extend(f"series {result.name!r}: {text}" for text in result.interval_warnings)
            finished.add(result.name)
            bar.advance(1)
            checkpoint.write(current_table)
    except BaseException as exc:
        _close(results)
        if rows or previous.rows:  # keep every completed series for resume=True (never an empty table)
            checkpoint.write(current_table, force=True)
        if sigint.seen or _is_interrupt(exc):
            where = str(output_path) if output_path else None
            raise EvaluationInterrupted(checkpoint.rows, len(finished), where) from None
        if isinstance(exc, WorkerLostError):
            saved = (
                f"; {checkpoint.rows} rows of {len(finished)} series are in {output_path}: run again with "
                "resume=True (--resume) to continue"
                if output_path is not None and checkpoint.rows
                else ""
            )
            raise WorkerLostError(f"{exc}{saved}.") from None
        raise
    finally:
        sigint.restore()
        bar.close()
    if isinstance(sources, _NamesChecked) and sources.error is not None:
        raise sources.error
    table = current_table()
    if output_path is not None:
        write_results(table, output_path)
    for message in previous.notes:
        warn_at_caller(message, UserWarning)
    _reissue(collected, requests)
    for text in empty_intervals:
        warn_at_caller(text, EmptyIntervalWarning)
    return table
