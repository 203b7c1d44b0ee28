"""Writing output files safely: atomic replacement through symlinks, the umask's mode, one writer at a time.

Every file ``pate`` writes (the results table of :func:`pate.benchmark.evaluate`,
the text output of ``pate evaluate`` and ``pate compare``) goes through
:func:`atomic_write`: the content is written to a temporary file beside the
target and then replaces it in one ``os.replace``, so the old file stays
whole until the new one is complete, and a crash never leaves half a file.
A symlink is followed (the file it points to is replaced, the link stays),
and the new file gets the mode a plain ``open()`` would give it (the
umask's), or keeps the mode of the file it replaces.

:class:`OutputLock` keeps two runs from writing one results file at once: a
lock file ``<output>.lock`` beside it, locked while the run lasts and
holding the run's process id, which the second run's error names.
:func:`same_file` tells whether an output would overwrite an input.
"""

from __future__ import annotations

import os
import socket
import tempfile
import threading
from pathlib import Path
from typing import Any, Callable, Iterable

__all__ = ["atomic_write", "OutputLock", "OutputLockedError", "same_file", "check_not_an_input", "new_file_mode"]

_UMASK_LOCK = threading.Lock()


def new_file_mode() -> int:
    """The permission bits ``open(path, "w")`` gives a new file: ``0o666`` less the umask."""
    with _UMASK_LOCK:  # reading the umask means setting it: no other thread in between
        umask = os.umask(0o022)
        os.umask(umask)
    return 0o666 & ~umask


def _resolved(path: str | os.PathLike) -> Path:
    """The file a path names, symlinks followed (also a link to a file that does not exist yet)."""
    return Path(os.path.realpath(path))


def atomic_write(path: str | os.PathLike, write: Callable[[str], None]) -> None:
    """Call ``write(tmp)`` to fill a temporary file beside ``path``, then put it in place at once.

    Through symlinks (the target is replaced, the link kept); the mode of
    the file replaced, or the umask's for a new file. On any error the
    temporary file is removed and the old file is untouched.

    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> atomic_write(os.path.join(folder, "a.txt"), lambda tmp: open(tmp, "w").write("hello"))
    >>> open(os.path.join(folder, "a.txt")).read()
    'hello'
    """
    target = _resolved(path)
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = new_file_mode()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Whether two paths name one file (symlinks and hard links included); False if either is missing."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return _resolved(a) == _resolved(b)


def check_not_an_input(output: str | os.PathLike, inputs: Iterable[str | os.PathLike], what: str = "output") -> None:
    """A ValueError if ``output`` is one of the input files (writing it would destroy the data)."""
    for path in inputs:
        if same_file(output, path):
            raise ValueError(
                f"{what} {os.fspath(output)} is also an input file ({os.fspath(path)}); writing it would "
                "overwrite the data: choose another file."
            )


class OutputLockedError(RuntimeError):
    """Another run holds the lock of the results file."""


class OutputLock:
    """An exclusive lock on a results file for the length of a run: ``<output>.lock`` beside it.

    The lock file holds the process id and host of the run that holds it.
    On POSIX the lock is an ``flock`` on that file, released by the system
    when the process ends however it ends, so a crashed run leaves no stale
    lock; elsewhere the file's existence is the lock.

    >>> import tempfile, os
    >>> out = os.path.join(tempfile.mkdtemp(), "results.csv")
    >>> with OutputLock(out):
    ...     os.path.exists(out + ".lock")
    True
    >>> os.path.exists(out + ".lock")
    False
    """

    def __init__(self, output: str | os.PathLike) -> None:
        self.output = os.fspath(output)
        self.path = str(_resolved(output)) + ".lock"
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release()

    def _holder(self) -> str:
        try:
            with open(self.path, encoding="utf-8") as handle:
                text = handle.read().strip()
        except OSError:
            text = ""
        return text or "a process that has not written its id yet"

    def _refuse(self) -> OutputLockedError:
        return OutputLockedError(
            f"{self.output} is being written by another run ({self._holder()}; lock file {self.path}). "
            "Wait for it to finish, or write to another file; two runs on one file would lose rows."
        )

    def acquire(self) -> None:
        """Take the lock, or raise :class:`OutputLockedError` naming the run that holds it."""
        try:
            import fcntl  # POSIX only
        except ImportError:  # pragma: no cover - Windows: the lock file's existence is the lock
            try:
                self._fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                raise self._refuse() from None
            os.write(self._fd, self._identity())
            return
        while True:
            fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise self._refuse() from None
            # the holder before us may have removed the file between our open and our lock
            try:
                if os.stat(self.path).st_ino == os.fstat(fd).st_ino:
                    break
            except FileNotFoundError:
                pass
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, self._identity())
        self._fd = fd

    @staticmethod
    def _identity() -> bytes:
        return f"PID {os.getpid()} on {socket.gethostname()}".encode()

    def release(self) -> None:
        """Remove the lock file and let go of the lock."""
        if self._fd is None:
            return
        try:
            os.unlink(self.path)
        except OSError:
            pass
        os.close(self._fd)  # closing releases the flock
        self._fd = None
