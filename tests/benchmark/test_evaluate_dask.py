"""pate.benchmark.evaluate on a real dask.distributed LocalCluster (2 worker processes).

One cluster for the module; the test that kills a worker runs last.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import warnings

import numpy as np
import pandas as pd
import pytest

distributed = pytest.importorskip(
    "distributed", reason='dask.distributed is not installed (pip install "pate-eval[dask]")'
)

from pate.benchmark import Series, evaluate, read_csv_series  # noqa: E402

pytestmark = pytest.mark.slow  # a dask.distributed LocalCluster

METRICS = ["pate", "auc_pr", ("point_f1", {"contamination": 0.1})]


@pytest.fixture(scope="module")
def client():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # distributed's own start-up notes
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50
        )
        client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _series(i: int, n: int = 300) -> Series:
    rng = np.random.default_rng(i)
    y = np.zeros(n, dtype=np.int8)
    y[100 + i : 130 + i] = 1
    return Series(f"s{i}", y, {"a": rng.random(n) + y, "b": rng.random(n)})


def _quiet(data, **kwargs):
    kwargs.setdefault("progress", False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return evaluate(data, **kwargs)


def test_in_memory_series_equal_the_local_table(client):
    data = [_series(i) for i in range(8)]
    local = _quiet(data, metrics=METRICS)
    pd.testing.assert_frame_equal(_quiet(data, metrics=METRICS, scheduler=client), local)
    # scheduler="dask" uses the current client.
    pd.testing.assert_frame_equal(_quiet(data, metrics=METRICS, scheduler="dask"), local)


def test_errors_are_recorded_or_raised_from_workers(client):
    from pate.benchmark import SeriesError

    bad = Series("bad", np.zeros(10, int), {"a": np.zeros(9)})
    with pytest.raises(SeriesError, match="series 'bad', detector 'a': 9 scores for 10 labels"):
        _quiet([_series(0), bad], metrics="auc_pr", scheduler=client)
    table = _quiet([_series(0), bad], metrics="auc_pr", scheduler=client, on_error="record")
    assert table["error"].tolist()[-1].endswith("9 scores for 10 labels; every time step needs one score.")


def test_nab_subset_read_on_the_workers_equals_one_process(nab_dir, client):
    nab = nab_dir
    sources = read_csv_series(nab / "realAdExchange")
    local = _quiet(sources, metrics=METRICS, n_jobs=1)
    assert len(local) == 6 * 16 * len(METRICS)
    pd.testing.assert_frame_equal(_quiet(sources, metrics=METRICS, scheduler=client), local)


def test_command_line_on_the_cluster_by_address(client, capsys):
    from importlib.resources import files

    from pate.cli import main

    argv = ["evaluate", str(files("pate") / "data"), "--tidy", "--format", "csv", "--metric", "pate,auc_pr"]
    assert main(argv) == 0
    local = capsys.readouterr().out
    assert main(argv + ["--scheduler", "dask", "--scheduler-address", client.scheduler.address]) == 0
    assert capsys.readouterr().out == local


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(client):
    data = [_series(i, n=20000) for i in range(24)]
    metrics = ["pate", "vus_pr"]
    expected = _quiet(data, metrics=metrics)
    done = [0]
    killed: list[tuple[int, int]] = []  # (pid, series done when it was killed)

    def kill_a_busy_worker():
        # A worker with a task in flight, so that its work is really lost.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            busy = [w for w, keys in client.processing().items() if keys]
            if busy and done[0] >= 1:
                pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed.append((pid, done[0]))
                return
            time.sleep(0.005)

    def count(n, total):
        done[0] = n

    watcher = threading.Thread(target=kill_a_busy_worker)
    watcher.start()
    try:
        table = _quiet(data, metrics=metrics, scheduler=client, progress=count)
    finally:
        watcher.join()
    assert killed, "no worker was killed"
    pid, done_then = killed[0]
    assert done_then < len(data), "the run was over before the kill"
    client.wait_for_workers(2, timeout=60)  # the nanny restarts the killed worker
    assert pid not in client.run(os.getpid).values()
    assert len(table) == len(expected) == 24 * 2 * 2
    pd.testing.assert_frame_equal(table, expected)
