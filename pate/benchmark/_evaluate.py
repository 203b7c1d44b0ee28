"""Evaluate series x detectors x metrics into one tidy results table.

Data flows one way: sources (paths or in-memory series) -> one task per
series (load, validate, threshold, metric) -> rows gathered in the order the
series were given -> the table (and, with ``output=``, a file rewritten
atomically as series complete). The same task function runs in-process, in
joblib's loky worker processes and on dask.distributed workers, so the table
does not depend on where it ran.
"""

from __future__ import annotations

import math
import os
import time
import warnings
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

import numpy as np

from pate._validation import check_choice
from pate.compare._params import BEST_F1_ORACLES, MetricRequest, metric_requests, with_undefined
from pate.compare._readers import Series, SeriesError, read_csv_series
from pate.compare._results_io import read_output, write_results
from pate.compare._results_table import RESULT_COLUMNS

__all__ = ["evaluate", "EvaluationInterrupted"]


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


# ------------------------------------------------------------------ task
@dataclass
class _SeriesResult:
    """What one task returns (small and picklable: no arrays)."""

    name: str
    detectors: list[str]
    # detector, request index, value, error (None, or reason and file)
    rows: list[tuple[str, int, float, tuple[str, str | None] | None]] = field(default_factory=list)
    error: tuple[str, str | None, str | None] | None = None  # a whole-series error: reason, detector, file
    warnings: list[tuple[type, int, str, str, str]] = field(
        default_factory=list
    )  # category, request, message, detector, series


def _cap_threads(threads: int | None) -> None:
    """At most ``threads`` numba threads in this process (so processes x threads <= cores)."""
    if threads is None:
        return
    import numba

    numba.set_num_threads(max(1, min(int(threads), numba.config.NUMBA_NUM_THREADS)))


def _checked_labels(series: Series) -> np.ndarray:
    where = {"series": series.name, "file": series.files.get("") or None}
    try:
        y = np.asarray(series.y_true)
    except Exception as exc:  # noqa: BLE001 - any array conversion failure is a data error here
        raise SeriesError(f"labels cannot be read as an array ({exc}).", **where) from None
    if y.ndim != 1:
        raise SeriesError(f"labels must be 1-D, got shape {y.shape}.", **where)
    if y.size == 0:
        raise SeriesError("the series is empty (no labels).", **where)
    if y.dtype.kind not in "biuf":
        raise SeriesError(f"labels must be 0/1 numbers or booleans, got dtype {y.dtype}.", **where)
    bad = np.flatnonzero((y != 0) & (y != 1))
    if bad.size:
        i = int(bad[0])
        raise SeriesError(f"index {i}: label {y[i].item()!r} is not 0 or 1.", **where)
    return y.astype(np.int8, copy=False)


def _checked_scores(series: Series, detector: str, n: int) -> np.ndarray:
    where = {"series": series.name, "detector": detector, "file": series.files.get(detector) or None}
    try:
        s = np.asarray(series.scores[detector])
    except Exception as exc:  # noqa: BLE001
        raise SeriesError(f"scores cannot be read as an array ({exc}).", **where) from None
    if s.ndim != 1:
        raise SeriesError(f"scores must be 1-D, got shape {s.shape}.", **where)
    if s.dtype.kind not in "biuf":
        raise SeriesError(f"scores must be numbers, got dtype {s.dtype}.", **where)
    if s.shape[0] != n:
        raise SeriesError(f"{s.shape[0]} scores for {n} labels; every time step needs one score.", **where)
    s = s.astype(np.float64, copy=False)
    bad = np.flatnonzero(~np.isfinite(s))
    if bad.size:
        i = int(bad[0])
        raise SeriesError(f"index {i}: the score is {float(s[i])!r}; scores must be finite numbers.", **where)
    return s


def _predictions(request: MetricRequest, scores: np.ndarray, binary: bool) -> np.ndarray | None:
    """Binary predictions for a binary metric; ``None`` when no strategy applies."""
    if isinstance(request.threshold, float):
        return (scores >= request.threshold).astype(np.int8)
    if request.contamination is not None:
        k = max(1, math.ceil(request.contamination * scores.size))
        cut = np.partition(scores, scores.size - k)[scores.size - k]  # the k-th largest score
        return (scores >= cut).astype(np.int8)
    if binary:
        return scores.astype(np.int8)
    return None


def _evaluate_source(
    source: Any, requests: list[MetricRequest], skip: frozenset = frozenset(), threads: int | None = None
) -> _SeriesResult:
    """The task: load one series and compute every (detector, metric) not in ``skip``."""
    from pate.metrics import get_metric_info

    _cap_threads(threads)
    name = str(source.name)
    known = list(getattr(source, "detectors", None) or [])
    try:
        series = source.load()
        labels = _checked_labels(series)
    except SeriesError as exc:
        return _SeriesResult(name, known, error=(exc.reason, exc.detector, exc.file))
    result = _SeriesResult(name, series.detectors)
    infos = [get_metric_info(r.name) for r in requests]
    for detector in series.detectors:
        todo = [i for i, r in enumerate(requests) if (detector, r.name, r.params) not in skip]
        if not todo:
            continue
        try:
            if detector in series.problems:
                raise SeriesError(
                    series.problems[detector], series=name, detector=detector, file=series.files.get(detector) or None
                )
            scores = _checked_scores(series, detector, labels.size)
        except SeriesError as exc:
            result.rows.extend((detector, i, math.nan, (exc.reason, exc.file)) for i in todo)
            continue
        binary = bool(np.all((scores == 0) | (scores == 1)))
        for i in todo:
            request, info = requests[i], infos[i]
            func, y = info.func, scores
            if info.input == "binary":
                if request.threshold == "best":
                    func = get_metric_info(BEST_F1_ORACLES[request.name]).func
                else:
                    y = _predictions(request, scores, binary)
                    if y is None:
                        reason = (
                            f"metric {request.name!r} needs binary predictions but the scores are not 0/1: "
                            f"give a thresholding strategy, e.g. ({request.name!r}, {{'threshold': 0.5}}), "
                            "{'contamination': 0.1} or, where the registry has one, {'threshold': 'best'}."
                        )
                        result.rows.append((detector, i, math.nan, (reason, series.files.get(detector) or None)))
                        continue
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    value, error = float(func(labels, y, **request.options)), None
                except (ValueError, TypeError) as exc:
                    value, error = math.nan, (f"metric {request.name!r}: {exc}", series.files.get(detector) or None)
            result.rows.append((detector, i, value, error))
            result.warnings.extend((w.category, i, str(w.message), detector, name) for w in caught)
    return result


# --------------------------------------------------------------- sources
def _frame_series(name: str, frame: Any, label: str) -> Series:
    from pate._tables import default_score_columns

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
        self.name, self.error, self.detectors = name, error, []

    def load(self) -> Series:
        raise self.error


def _sources(data: Any, label: str) -> Iterator[Any]:
    """Every source of ``data``, lazily, in order."""
    import pandas as pd

    if isinstance(data, (str, os.PathLike, Series, pd.DataFrame)) or hasattr(data, "load"):
        data = [data]
    if isinstance(data, Mapping):
        data = list(data.items())
    for position, item in enumerate(data):
        if isinstance(item, (str, os.PathLike)):
            yield from read_csv_series(item, label=label)
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
                f"data item {position}: expected a Series, a source from pate.compare.read_*, "
                f"a DataFrame, a (name, DataFrame) pair or a path, got {type(item).__name__}."
            )


# ------------------------------------------------------------- executors
def _run_local(tasks: Iterable[tuple], requests: list[MetricRequest]) -> Iterator[_SeriesResult]:
    for source, skip in tasks:
        yield _evaluate_source(source, requests, skip, None)


def _joblib_threads(n_jobs: int) -> int:
    from joblib import cpu_count

    return max(1, cpu_count() // n_jobs)


def _run_joblib(tasks: Iterable[tuple], requests: list[MetricRequest], n_jobs: int) -> Iterator[_SeriesResult]:
    from joblib import Parallel, delayed, parallel_config

    threads = _joblib_threads(n_jobs)
    # inner_max_num_threads sets NUMBA_NUM_THREADS (and the BLAS ones) in the
    # workers; the task also calls numba.set_num_threads for reused workers.
    with parallel_config(backend="loky", inner_max_num_threads=threads):
        parallel = Parallel(n_jobs=n_jobs, return_as="generator", pre_dispatch="2*n_jobs")
        yield from parallel(delayed(_evaluate_source)(s, requests, skip, threads) for s, skip in tasks)


def _dask_client(scheduler: Any, n_jobs: int | None) -> tuple[Any, Callable[[], None]]:
    """A distributed Client for ``scheduler`` and how to release what was started here."""
    from pate._optional import import_optional

    distributed = import_optional("distributed", extra="dask", feature="pate.compare.evaluate(scheduler='dask')")
    if isinstance(scheduler, distributed.Client):
        return scheduler, lambda: None
    if scheduler == "dask":
        try:
            return distributed.get_client(), lambda: None
        except ValueError:  # no client yet: a local cluster for this call
            from joblib import cpu_count

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
        f"scheduler must be None, 'dask', a dask.distributed.Client or a scheduler address, got {scheduler!r}."
    )


def _run_dask(
    tasks: Iterable[tuple], requests: list[MetricRequest], scheduler: Any, n_jobs: int | None
) -> Iterator[_SeriesResult]:
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
                pending.append(client.submit(_evaluate_source, source, requests, skip, 1, pure=False))
            if not pending:
                return
            future = pending.popleft()
            yield future.result()
            future.release()
    finally:
        for future in pending:
            future.cancel()
        close()


# ----------------------------------------------------------------- table
class _Progress:
    """The ``progress`` option: a tqdm bar, a callback, or nothing."""

    def __init__(self, progress: Any, total: int | None) -> None:
        self.done, self.total, self._bar, self._callback = 0, total, None, None
        if progress is False:
            return
        if callable(progress) and not isinstance(progress, bool):
            self._callback = progress
            return
        from tqdm import tqdm

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


def _table(rows: list[tuple], with_error: bool) -> Any:
    import pandas as pd

    columns = list(RESULT_COLUMNS) + (["error"] if with_error else [])
    if not rows:
        frame = pd.DataFrame({c: pd.Series([], dtype="float64" if c == "value" else "str") for c in columns})
        return frame
    data = {c: [r[i] for r in rows] for i, c in enumerate(RESULT_COLUMNS + ("error",)) if c in columns}
    frame = pd.DataFrame(data, columns=columns)
    frame["value"] = frame["value"].astype("float64")
    return frame


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
        import signal
        import threading

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
            import signal

            signal.signal(signal.SIGINT, self._previous)
            self._previous = None


def _is_interrupt(exc: BaseException) -> bool:
    """Ctrl-C, also when it arrived inside a numba function (which wraps it in a SystemError)."""
    seen = 0
    while exc is not None and seen < 8:
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc, seen = exc.__context__ or exc.__cause__, seen + 1
    return False


def _reissue(collected: dict, requests: list[MetricRequest]) -> None:
    for (category, i, message), where in collected.items():
        first_series, first_detector, count = where
        request = requests[i]
        shown = request.name + (f" ({request.params})" if request.params else "")
        more = f" and {count - 1} more (series, detector) pair(s)" if count > 1 else ""
        warnings.warn(
            f"{shown}: {message} [series {first_series!r}, detector {first_detector!r}{more}]",
            category,
            stacklevel=3,
        )


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
    metrics : str or sequence, default=("pate",)
        Registry names, or ``(name, options)`` pairs, so one call can hold a
        metric at several settings. A binary metric on continuous scores
        needs a thresholding strategy among its options: ``threshold=X``,
        ``contamination=R`` or ``threshold="best"`` (the registry's best-F1
        oracle); see :func:`pate.compare.metric_requests`.
    n_jobs : int, optional
        Series evaluated in parallel with joblib (loky processes); ``None``
        means 1 (unless in a ``joblib.parallel_config`` context), ``-1`` all
        cores. numba threads are capped so processes x threads <= cores.
    scheduler : None, "dask", dask.distributed.Client or str
        ``"dask"``: the current dask.distributed client, or a local cluster
        of ``n_jobs`` worker processes started for this call; a ``Client``
        or a scheduler address (``"tcp://host:8786"``) to use a cluster.
        Sources read from paths are read on the workers. Needs
        ``pip install 'pate[dask]'``.
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
        rewritten atomically as series complete (never a half row), so an
        interrupted run keeps what was done.
    resume : bool, default=False
        With ``output``: keep the rows already in it and compute only the
        (series, detector, metric, params) rows it lacks (rows with an error
        are computed again).
    undefined : {"warn", "nan"} or float, default="warn"
        The undefined-case policy given to every metric that has none in its
        own options (see docs/undefined.md); a policy other than ``"warn"``
        shows in ``params`` (``undefined=nan``).

    Returns
    -------
    pandas.DataFrame
        Columns ``series``, ``detector``, ``metric``, ``value``, ``params``
        (and ``error``), ordered by series (as given), detector (as in the
        series), metric (as given), the same whatever ``n_jobs`` or
        ``scheduler``. ``params`` is the canonical ``name=value;...`` string
        of the options that differ from the metric's defaults.

    Raises
    ------
    ValueError
        An unknown metric or option (the message lists close names).
    SeriesError
        Bad data, with ``on_error="raise"``.
    EvaluationInterrupted
        Ctrl-C; what was done is in ``output``.

    Warns
    -----
    UndefinedMetricWarning
        Once per metric and message, with the first series and detector
        concerned and how many more there are.

    Examples
    --------
    >>> from pate.compare import Series, evaluate
    >>> s1 = Series("s1", [0, 0, 1, 1, 0, 0], {"good": [0, .1, .9, .8, .1, 0], "flat": [.5] * 6})
    >>> s2 = Series("s2", [0, 1, 1, 0, 0, 0], {"good": [.1, .9, .9, .2, 0, 0], "flat": [.5] * 6})
    >>> table = evaluate([s1, s2], metrics=["auc_pr", ("point_f1", {"threshold": 0.5})], progress=False)
    >>> print(table.to_string(index=False))
    series detector   metric    value        params
        s1     good   auc_pr 1.000000
        s1     good point_f1 1.000000 threshold=0.5
        s1     flat   auc_pr 0.333333
        s1     flat point_f1 0.500000 threshold=0.5
        s2     good   auc_pr 1.000000
        s2     good point_f1 1.000000 threshold=0.5
        s2     flat   auc_pr 0.333333
        s2     flat point_f1 0.500000 threshold=0.5
    """
    check_choice(on_error, "on_error", ("raise", "record"))
    requests = with_undefined(metric_requests(metrics), undefined)
    if resume and output is None:
        raise ValueError("resume=True needs output= (the results file to continue).")
    if n_jobs is not None and (isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs == 0):
        raise ValueError(f"n_jobs must be a non-zero integer or None, got {n_jobs!r}.")
    output_path = Path(output) if output is not None else None
    if output_path is not None:
        from pate.compare._results_io import _format_of

        if _format_of(output_path) == "parquet":  # a bad suffix or a missing extra fails now, not after the work
            from pate.compare._results_io import _pyarrow

            _pyarrow()

    # Rows already done (resume): series -> list of rows; done keys skip work.
    previous: dict[str, list[tuple]] = {}
    previous_order: list[str] = []
    with_error = on_error == "record"
    if resume and output_path is not None and output_path.exists():
        old = read_output(output_path)
        has_error = "error" in old.columns
        with_error = with_error or (has_error and bool((old["error"] != "").any()))
        for row in old.itertuples(index=False):
            values = (
                row.series,
                row.detector,
                row.metric,
                float(row.value),
                row.params,
                getattr(row, "error", "") if has_error else "",
            )
            if row.series not in previous:
                previous[row.series] = []
                previous_order.append(row.series)
            previous[row.series].append(values)

    def done_keys(name: str) -> frozenset:
        return frozenset((r[1], r[2], r[4]) for r in previous.get(name, ()) if not r[5])

    total = len(data) if hasattr(data, "__len__") and not isinstance(data, (str, os.PathLike)) else None
    if total is not None and isinstance(data, (list, tuple)) and any(isinstance(d, (str, os.PathLike)) for d in data):
        total = None  # a directory expands to many series
    sources = _sources(data, label)
    tasks = ((source, done_keys(str(source.name))) for source in sources)

    if scheduler is not None:
        results = _run_dask(tasks, requests, scheduler, n_jobs)
    else:
        from joblib import effective_n_jobs

        workers = effective_n_jobs(n_jobs) if n_jobs is not None else 1
        results = _run_joblib(tasks, requests, workers) if workers > 1 else _run_local(tasks, requests)

    rows: list[tuple] = []
    finished: list[str] = []
    collected: dict = {}
    bar = _Progress(progress, total)
    state = {"written_at": time.monotonic(), "cost": 0.0, "rows": 0, "writes": 0}

    def current_table() -> Any:
        seen = set(finished)
        kept = [r for name in previous_order if name not in seen for r in previous[name]]
        return _table(rows + kept, with_error)

    def checkpoint(force: bool = False) -> None:
        if output_path is None:
            return
        now = time.monotonic()
        # The first series at once (the file exists early), then at most every
        # few seconds and never more than a tenth of the time spent writing.
        if not force and state["writes"] and now - state["written_at"] < max(5.0, 10 * state["cost"]):
            return
        table = current_table()
        write_results(table, output_path)
        state["written_at"] = time.monotonic()
        state["cost"], state["rows"] = state["written_at"] - now, len(table)
        state["writes"] += 1

    sigint = _SigintFlag()
    try:
        for result in sigint.watch(results):
            if result.error is not None:
                reason, detector, file = result.error
                exc = SeriesError(reason, series=result.name, detector=detector, file=file)
                if on_error == "raise":
                    raise exc
                detectors = result.detectors or [""]
                new = [(result.name, d, r.name, math.nan, r.params, str(exc)) for d in detectors for r in requests]
            else:
                for category, i, message, detector, series_name in result.warnings:
                    key = (category, i, message)
                    first = collected.get(key)
                    collected[key] = (series_name, detector, 1) if first is None else (first[0], first[1], first[2] + 1)
                new = []
                for detector, i, value, error in result.rows:
                    text = ""
                    if error is not None:
                        exc = SeriesError(error[0], series=result.name, detector=detector, file=error[1])
                        if on_error == "raise":
                            raise exc
                        text = str(exc)
                    new.append((result.name, detector, requests[i].name, value, requests[i].params, text))
            # Merge with the rows of an earlier run: the order of this run first.
            old = {(r[1], r[2], r[4]): r for r in previous.get(result.name, ())}
            fresh = {(r[1], r[2], r[4]): r for r in new}
            order = list(dict.fromkeys(result.detectors + [r[1] for r in new]))
            merged = []
            for detector in order:
                for request in requests:
                    key = (detector, request.name, request.params)
                    row = fresh.get(key) or old.get(key)
                    if row is not None:
                        merged.append(row)
            used = {(r[1], r[2], r[4]) for r in merged}
            merged += [r for k, r in old.items() if k not in used]
            rows.extend(merged)
            finished.append(result.name)
            bar.advance(1)
            checkpoint()
    except BaseException as exc:
        _close(results)
        checkpoint(force=True)  # keep every completed series for resume=True
        if sigint.seen or _is_interrupt(exc):
            raise EvaluationInterrupted(
                state["rows"], len(finished), str(output_path) if output_path else None
            ) from None
        raise
    finally:
        sigint.restore()
        bar.close()
    table = current_table()
    if output_path is not None:
        write_results(table, output_path)
    _reissue(collected, requests)
    return table
