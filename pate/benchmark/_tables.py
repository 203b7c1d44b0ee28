"""Tables of series: read a CSV file strictly, pick and check its columns.

The one reader behind ``pate evaluate``, the pandas accessor's default
columns and the benchmark runner. It never guesses silently: what pandas
would do quietly with a malformed file (take an extra leading field as the
row index, rename a duplicate column ``det.1``, read ``null`` as a missing
value, fill a short row with empty cells) is an error here that names the
line and the column. Lines are counted as in a text editor: line 1 is the
first line of the file.

What is detected rather than asked for:

- compression, from the magic bytes (gzip, bz2, xz; on standard input too);
  zip and zstd archives are refused with a hint;
- the encoding: UTF-8 (with or without a byte-order mark) or UTF-16 with a
  byte-order mark; anything else is an error naming ``--encoding``;
- the separator: whichever of ``,`` ``;`` tab ``|`` splits the header line
  into the most fields (``,`` on a tie); ``--sep`` overrides it.
"""

from __future__ import annotations

import bz2
import codecs
import csv
import gzip
import io
import lzma
import zlib
from dataclasses import dataclass
from typing import IO, Any, Sequence

import numpy as np
import pandas as pd

from pate._validation import InvalidValuesError, check_exact_integers, short_repr

__all__ = [
    "TableError",
    "Table",
    "read_csv_table",
    "read_csv_names",
    "numeric_column",
    "default_score_columns",
    "time_column",
    "INDEX_LIKE_COLUMNS",
    "TIME_COLUMNS",
    "SEPARATORS",
]

#: Column names never taken as score columns by default (compared lower-case).
INDEX_LIKE_COLUMNS = frozenset({"timestamp", "time", "date", "datetime", "index", "ts"})
#: The columns taken as the time column when none is named (compared lower-case).
TIME_COLUMNS = ("timestamp", "time", "date", "datetime", "ts")
#: Separators tried, in order of preference on a tie.
SEPARATORS = (",", ";", "\t", "|")

_MAGIC = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bz2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"PK\x03\x04", "zip"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
)


class TableError(ValueError):
    """A table that cannot be used as it is; the message says where and how to fix it."""


@dataclass(frozen=True)
class Table:
    """A CSV file read strictly.

    Attributes
    ----------
    frame : pandas.DataFrame
        The data rows, columns named by the header, a RangeIndex.
    lines : ndarray of int64
        The 1-based line of the file each data row comes from (blank lines
        are skipped, a quoted field may span lines).
    separator, encoding, compression : str
        What the file turned out to use (``compression`` is ``""`` for none).
    """

    frame: Any
    lines: np.ndarray
    separator: str
    encoding: str
    compression: str

    def line(self, row: int) -> int:
        """The line of the file that data row ``row`` (0-based) comes from."""
        return int(self.lines[row])

    def numeric(self, column: str) -> np.ndarray:
        """``column`` as finite float64 values, or a :class:`TableError` naming the first bad line."""
        return numeric_column(self.frame, column, lines=self.lines)


# ------------------------------------------------------------------ bytes
def _decompress(raw: bytes) -> tuple[bytes, str]:
    kind = next((name for magic, name in _MAGIC if raw.startswith(magic)), "")
    if not kind:
        return raw, ""
    if kind in ("zip", "zstd"):
        hint = "unzip it" if kind == "zip" else "decompress it (zstd -d)"
        raise TableError(f"the data is a {kind} archive, which is not read directly; {hint} first.")
    try:
        if kind == "gzip":
            return gzip.decompress(raw), kind
        if kind == "bz2":
            return bz2.decompress(raw), kind
        return lzma.decompress(raw), kind
    except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError) as exc:
        raise TableError(
            f"the data is {kind}-compressed but cannot be decompressed ({exc}); is it truncated?"
        ) from None


def _decode(raw: bytes, encoding: str | None) -> tuple[str, str]:
    if encoding is not None:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise TableError(
                f"line {line} is not valid {encoding} (byte {raw[exc.start]:#04x}); "
                "pass the file's encoding with --encoding."
            ) from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise TableError("the data starts with a UTF-16 byte-order mark but is not valid UTF-16.") from None
    if b"\x00" in raw[:65536]:
        raise TableError("the data holds NUL bytes: it is a binary file, not CSV text.")
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TableError(
            f"line {line} is not valid UTF-8 (byte {raw[exc.start]:#04x}); pass the file's encoding, "
            "e.g. --encoding latin-1 or --encoding cp1252."
        ) from None


# ------------------------------------------------------------- structure
def _first_line(text: str) -> tuple[int, str]:
    """1-based number and text of the first non-blank line (0, "" when none)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            return number, line
    return 0, ""


def _split_header(line: str, sep: str) -> list[str]:
    return next(csv.reader([line], delimiter=sep), [])


def _sniff_separator(header: str) -> str:
    counts = [(len(_split_header(header, s)), -i, s) for i, s in enumerate(SEPARATORS)]
    return max(counts)[2]


def _records_without_quotes(text: str, sep: str) -> tuple[np.ndarray, np.ndarray]:
    """Fields per non-blank line and the line numbers, for text without quote characters.

    Vectorised over the bytes: a record is a line, its field count the
    separators on it plus one.
    """
    data = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    newlines = np.flatnonzero(data == 10)
    starts = np.concatenate(([0], newlines + 1))
    ends = np.concatenate((newlines, [data.size]))
    if starts[-1] == data.size:  # text ends with a newline: no last line
        starts, ends = starts[:-1], ends[:-1]
    length = ends - starts
    carriage = (length > 0) & (data[np.maximum(ends - 1, 0)] == 13)
    blank = (length - carriage) == 0
    seps = np.flatnonzero(data == ord(sep))
    fields = np.searchsorted(seps, ends) - np.searchsorted(seps, starts) + 1
    numbers = np.arange(1, starts.size + 1, dtype=np.int64)
    return fields[~blank], numbers[~blank]


def _records_with_quotes(text: str, sep: str) -> tuple[np.ndarray, np.ndarray]:
    """Fields per record and the line each record starts on (quoted fields may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    fields, numbers, previous = [], [], 0
    try:
        for record in reader:
            start, previous = previous + 1, reader.line_num
            if record:  # a blank line
                fields.append(len(record))
                numbers.append(start)
    except csv.Error as exc:
        raise TableError(f"line {previous + 1}: {exc} (a quote that is not closed?).") from None
    return np.asarray(fields, dtype=np.int64), np.asarray(numbers, dtype=np.int64)


def read_csv_table(
    source: str | bytes | IO[bytes],
    *,
    sep: str | None = None,
    encoding: str | None = None,
    decimal: str = ".",
) -> Table:
    """Read one CSV file strictly (see the module docstring for what is detected).

    Parameters
    ----------
    source : str, bytes or binary file
        A path, the raw bytes, or an open binary file (``sys.stdin.buffer``).
    sep : str, optional
        One-character field separator; detected from the header when omitted.
    encoding : str, optional
        Text encoding; UTF-8 / UTF-16 with a byte-order mark when omitted.
    decimal : str, default="."
        Decimal mark of the numbers (``","`` for ``0,5``).

    Raises
    ------
    TableError
        The file cannot be read as a table: empty, no data rows, a line with
        a different number of fields than the header, duplicate column names,
        an undecodable byte, an unreadable archive. The message names the line.
    OSError
        The path cannot be opened.

    Examples
    --------
    >>> t = read_csv_table(b"label;det\\n0;0.5\\n\\n1;0.9\\n")
    >>> t.separator, list(t.frame.columns), t.lines.tolist(), t.numeric("det").tolist()
    (';', ['label', 'det'], [2, 4], [0.5, 0.9])
    >>> read_csv_table(b"label,det\\n0,0,5\\n")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pate.benchmark._tables.TableError: line 2 has 3 fields, the header 2 (separator ','); ...
    """
    if sep is not None and len(sep) != 1:
        raise ValueError(f"sep must be one character, got {short_repr(sep)}.")
    if isinstance(source, (bytes, bytearray)):
        raw = bytes(source)
    elif isinstance(source, str):
        with open(source, "rb") as handle:
            raw = handle.read()
    else:
        raw = source.read()
    raw, compression = _decompress(raw)
    text, used_encoding = _decode(raw, encoding)
    if "\r" in text and "\n" not in text:  # classic Mac OS line ends (CR only): lines all the same
        text = text.replace("\r", "\n")
    header_line, header = _first_line(text)
    if not header_line:
        raise TableError("the file is empty (no header row).")
    separator = sep if sep is not None else _sniff_separator(header)
    if decimal == separator:
        raise TableError(
            f"the decimal mark {decimal!r} is also the field separator; pass the separator with --sep (e.g. --sep ';')."
        )
    names = _split_header(header, separator)
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if name in seen:
            raise TableError(
                f"line {header_line}: column name {name!r} appears twice (fields {seen[name]} and {position}); "
                "rename one."
            )
        seen[name] = position
    counts, lines = (_records_with_quotes if '"' in text else _records_without_quotes)(text, separator)
    bad = np.flatnonzero(counts != len(names))
    if bad.size:
        i = int(bad[0])
        many = "" if counts[i] == 1 else "s"
        hint = f" (separator {separator!r}); every line needs one field per header column"
        if separator == "," and counts[i] > len(names):
            hint += " (a decimal comma splits a number in two: quote it, or use --sep ';' --decimal ,)"
        elif sep is None:
            hint += "; pass --sep if the separator is another"
        raise TableError(f"line {int(lines[i])} has {int(counts[i])} field{many}, the header {len(names)}{hint}.")
    if counts.size <= 1:
        raise TableError("the file has a header but no data rows.")
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=separator,
            decimal=decimal,
            keep_default_na=False,
            na_values=[],
            index_col=False,
            low_memory=False,
            skip_blank_lines=True,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError) as exc:  # pragma: no cover - structure checked above
        raise TableError(f"cannot be read as CSV: {exc}".replace("\n", " ")) from None
    if frame.shape[0] != counts.size - 1:  # pragma: no cover - a pandas rule we did not foresee
        raise TableError(
            f"pandas read {frame.shape[0]} data rows where the file has {counts.size - 1} records; "
            "please report this file."
        )
    return Table(frame, lines[1:], separator, used_encoding, compression)


def read_csv_names(path_or_buffer: Any, **kwargs: Any) -> Any:
    """``pandas.read_csv`` with ``keep_default_na=False``: names such as ``null`` stay strings.

    For results files this package writes (``series``, ``detector`` ... columns):
    a detector called ``null`` (NAB has one) or ``NA`` must not become a
    missing value. Numeric columns are still parsed as numbers.

    Examples
    --------
    >>> read_csv_names(io.StringIO("detector,value\\nnull,0.5\\nNA,0.25\\n"))["detector"].tolist()
    ['null', 'NA']
    """
    kwargs.setdefault("keep_default_na", False)
    return pd.read_csv(path_or_buffer, **kwargs)


# --------------------------------------------------------------- columns
def _line_of(row: int, lines: Sequence[int] | np.ndarray | None) -> int:
    return int(lines[row]) if lines is not None else row + 2


def numeric_column(frame: Any, column: Any, *, lines: Sequence[int] | np.ndarray | None = None) -> np.ndarray:
    """A column as finite float64 values, or a :class:`TableError` naming the first bad cell.

    ``lines`` maps data rows to file lines (default: row + 2, a header line
    and no blank lines). Booleans become 0.0/1.0.

    Examples
    --------
    >>> import pandas as pd
    >>> numeric_column(pd.DataFrame({"det": ["0.5", "1,5"]}), "det")
    Traceback (most recent call last):
    ...
    pate.benchmark._tables.TableError: line 3, column 'det': '1,5' is not a number (a decimal comma? pass --decimal ,).
    """
    raw = frame[column]
    if pd.api.types.is_bool_dtype(raw):
        return raw.to_numpy(dtype=np.float64)
    if pd.api.types.is_numeric_dtype(raw):
        numbers = raw
        text = None
    else:
        text = raw.astype(object)
        numbers = pd.to_numeric(text.map(lambda v: v.strip() if isinstance(v, str) else v), errors="coerce")
    if pd.api.types.is_integer_dtype(numbers) and not numbers.hasnans:
        try:  # the one rule of every container: an integer float64 cannot hold exactly is refused
            check_exact_integers(numbers.to_numpy(), str(column))
        except InvalidValuesError as exc:
            raise TableError(exc.located(lambda i: f"line {_line_of(i, lines)}, column {str(column)!r}")) from None
    values = numbers.to_numpy(dtype=np.float64, na_value=np.nan)
    finite = np.isfinite(values)
    if finite.all():
        return values
    row = int(np.flatnonzero(~finite)[0])
    where = f"line {_line_of(row, lines)}, column {str(column)!r}"
    cell = None if text is None else text.iloc[row]
    if isinstance(cell, str) and cell.strip() == "":
        raise TableError(f"{where}: the value is empty.")
    if isinstance(cell, str) and np.isnan(values[row]) and cell.strip().lower() not in ("nan", "-nan", "+nan"):
        hint = " (a decimal comma? pass --decimal ,)" if "," in cell else ""
        raise TableError(f"{where}: {cell!r} is not a number{hint}.")
    what = "NaN (missing)" if np.isnan(values[row]) else "infinite"
    raise TableError(f"{where}: the value is {what}; scores and labels must be finite numbers.")


def _looks_numeric(series: Any) -> bool:
    """Most non-empty cells of a text column parse as numbers (a typo must not hide the column)."""
    text = series.dropna().astype(str).str.strip()
    text = text[text != ""]
    if text.empty:
        return False
    parsed = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    return int(parsed.notna().sum()) * 2 >= len(text)


def default_score_columns(frame: Any, label: Any) -> tuple[list[Any], list[Any]]:
    """The score columns evaluated when none are named, and the columns left out as text.

    One rule for the command line and ``df.pate.evaluate``: every column
    except the label, ``value`` (the raw series), an index or time column
    (``timestamp``, ``time``, ``date``, ``datetime``, ``index``, ``ts``,
    pandas' ``Unnamed: N``, any datetime column), that is numeric or boolean,
    or that is text whose cells are mostly numbers (a typo or a decimal comma
    in one cell must not hide a detector: the column is kept, and reading it
    names the bad cell). Text columns are returned second, so the caller can
    say they were left out.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"timestamp": ["t1", "t2"], "value": [1.0, 2.0], "label": [0, 1],
    ...                       "det": [0.1, 0.9], "typo": ["0.2", "O.8"], "host": ["a", "b"]})
    >>> default_score_columns(frame, "label")
    (['det', 'typo'], ['host'])
    """
    scores, text = [], []
    for column in frame.columns:
        name = str(column)
        if column == label or name == "value" or name.lower() in INDEX_LIKE_COLUMNS or name.startswith("Unnamed: "):
            continue
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values) or pd.api.types.is_timedelta64_dtype(values):
            continue
        if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
            scores.append(column)
        elif _looks_numeric(values):
            scores.append(column)
        else:
            text.append(column)
    return scores, text


def time_column(frame: Any, named: str | None = None) -> str:
    """The column holding the times of the rows: the one named, or the one time-like column.

    Without a name, the columns called ``timestamp``, ``time``, ``date``,
    ``datetime`` or ``ts`` (any case) and the datetime columns are the
    candidates: exactly one must exist (a file with both ``date`` and
    ``time`` must say which).

    Raises
    ------
    TableError
        No such column, none or several candidates; the message lists the columns.

    Examples
    --------
    >>> import pandas as pd
    >>> time_column(pd.DataFrame({"timestamp": ["2014-01-01"], "label": [0], "det": [0.1]}))
    'timestamp'
    """
    columns = [str(c) for c in frame.columns]
    if named is not None:
        if named not in columns:
            raise TableError(f"no time column {named!r} (columns: {', '.join(columns)}).")
        return named
    found = [
        str(c)
        for c in frame.columns
        if str(c).lower() in TIME_COLUMNS or pd.api.types.is_datetime64_any_dtype(frame[c])
    ]
    if len(found) == 1:
        return found[0]
    if not found:
        raise TableError(
            f"no time column found (columns: {', '.join(columns)}); name it with --time-column "
            "(time_column= in Python)."
        )
    raise TableError(
        f"several columns could hold the times ({', '.join(found)}); name one with --time-column (time_column= in "
        "Python)."
    )
