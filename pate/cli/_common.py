"""What every ``pate`` sub-command shares: exit codes and the two error kinds."""

from __future__ import annotations

__all__ = ["EXIT_OK", "EXIT_DATA", "EXIT_USAGE", "UsageError", "DataError"]

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A problem with the command line itself (exit status 2)."""


class DataError(Exception):
    """A file that cannot be evaluated (exit status 1)."""
