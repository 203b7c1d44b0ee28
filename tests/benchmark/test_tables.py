"""The strict CSV reader and the shared default-column rule (pate.benchmark._tables)."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma

import numpy as np
import pandas as pd
import pytest

from pate.benchmark._tables import TableError, default_score_columns, numeric_column, read_csv_names, read_csv_table


def test_line_numbers_skip_blank_lines_and_follow_quoted_newlines():
    t = read_csv_table(b"\nlabel,det\n0,0.1\n\n1,0.9\r\n")
    assert t.lines.tolist() == [3, 5] and t.frame["det"].tolist() == [0.1, 0.9]
    t = read_csv_table(b'label,note,det\n0,"two\nlines",0.1\n1,x,oops\n')
    assert t.lines.tolist() == [2, 4]
    with pytest.raises(TableError, match="line 4, column 'det': 'oops' is not a number"):
        t.numeric("det")


@pytest.mark.parametrize(
    "text, message",
    [
        (b"label,det\n0,1,0.5\n", "line 2 has 3 fields, the header 2"),
        (b"label,det\n0,0.5\n\n1\n", "line 4 has 1 field, the header 2"),
        (b'label,det\n0,"0,5",9\n', "line 2 has 3 fields"),
        (b"label,det,label\n0,1,0\n", "column name 'label' appears twice \\(fields 1 and 3\\)"),
        (b"", "the file is empty"),
        (b"\n\n", "the file is empty"),
        (b"label,det\n", "header but no data rows"),
        (b'label,det\n0,"0.5\n', "line 2"),
    ],
)
def test_structure_errors_name_the_line(text, message):
    with pytest.raises(TableError, match=message):
        read_csv_table(text)


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, lzma.compress, lambda b: b])
def test_compression_is_detected_from_the_bytes(compress):
    t = read_csv_table(io.BytesIO(compress(b"label,det\n0,0.1\n1,0.9\n")))
    assert t.numeric("det").tolist() == [0.1, 0.9]


def test_archives_and_binary_data_are_refused():
    with pytest.raises(TableError, match="zip archive"):
        read_csv_table(b"PK\x03\x04...")
    with pytest.raises(TableError, match="gzip-compressed but cannot be decompressed"):
        read_csv_table(gzip.compress(b"label,det\n" * 100)[:30])
    with pytest.raises(TableError, match="NUL bytes"):
        read_csv_table(b"PAR1\x00\x00\x15")


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_the_separator_is_sniffed_from_the_header(sep):
    text = f"timestamp{sep}label{sep}det\n2024-01-01 00:00{sep}0{sep}0.5\n".encode()
    t = read_csv_table(text)
    assert t.separator == sep and list(t.frame.columns) == ["timestamp", "label", "det"]


def test_encodings():
    text = "label;détecteur\n0;0,5\n"
    assert read_csv_table(text.encode("utf-16"), decimal=",").numeric("détecteur").tolist() == [0.5]
    assert list(read_csv_table(text.encode("latin-1"), encoding="latin-1").frame.columns) == ["label", "détecteur"]
    with pytest.raises(TableError, match=r"line 1 is not valid UTF-8 \(byte 0xe9\).*--encoding latin-1"):
        read_csv_table(text.encode("latin-1"))


def test_names_like_null_are_kept_and_numbers_are_strict():
    t = read_csv_table(b"label,null,NA\n0,0.5,nan\n1,0.7,0.1\n")
    assert list(t.frame.columns) == ["label", "null", "NA"]
    with pytest.raises(TableError, match="line 2, column .NA.: the value is NaN"):
        t.numeric("NA")
    assert read_csv_names(io.StringIO("score,pate\nnull,0.5\nNA,0.1\n"))["score"].tolist() == ["null", "NA"]


@pytest.mark.parametrize(
    "cells, message",
    [
        (["0.5", ""], "line 3, column 'c': the value is empty"),
        (["0.5", "1e999"], "the value is infinite"),
        (["0.5", "-inf"], "the value is infinite"),
        (["0.5", "1,5"], "'1,5' is not a number \\(a decimal comma"),
        (["0.5", "NaN"], "the value is NaN"),
    ],
)
def test_numeric_column_names_the_first_bad_cell(cells, message):
    with pytest.raises(TableError, match=message):
        numeric_column(pd.DataFrame({"c": pd.array(cells, dtype=object)}), "c")


def test_numeric_column_takes_numbers_booleans_and_padded_text():
    frame = pd.DataFrame({"f": [0.5, 1.0], "b": [True, False], "t": [" 1.5", "2 "]})
    assert numeric_column(frame, "f").tolist() == [0.5, 1.0]
    assert numeric_column(frame, "b").tolist() == [1.0, 0.0]
    assert numeric_column(frame, "t").tolist() == [1.5, 2.0]


def test_default_score_columns_rule():
    frame = pd.DataFrame(
        {
            "Timestamp": ["a", "b", "c", "d"],
            "value": [1.0, 2, 3, 4],
            "label": [0, 1, 0, 0],
            "when": pd.date_range("2024-01-01", periods=4),
            "Unnamed: 0": [0, 1, 2, 3],
            "det": [0.1, 0.2, 0.3, 0.4],
            "flag": [True, False, True, False],
            "typo": ["0.1", "0.2", "0.3x", "0.4"],
            "host": ["a", "b", "c", "0.5"],
        }
    )
    assert default_score_columns(frame, "label") == (["det", "flag", "typo"], ["host"])
    assert default_score_columns(frame, "det")[0] == ["label", "flag", "typo"]
    assert default_score_columns(pd.DataFrame({0: [0, 1], 1: [0.2, 0.4]}), 0) == ([1], [])


def test_large_file_is_read_quickly_enough_to_not_matter():
    # not a timing assertion: the vectorised field count must agree with pandas on a big table
    n = 200_000
    frame = pd.DataFrame({"label": np.zeros(n, dtype=int), "a": np.arange(n) / n, "b": np.ones(n)})
    t = read_csv_table(frame.to_csv(index=False).encode())
    assert t.frame.shape == (n, 3) and t.lines[-1] == n + 1
    np.testing.assert_array_equal(t.numeric("a"), frame["a"].to_numpy())
