"""Stream the rows of a CSV export with their line numbers and raw text.

Reads UTF-8 with or without a BOM (a file that is not valid UTF-8 is read
as Windows-1252, which is what spreadsheet tools save), sniffs the delimiter from the header line
(comma, semicolon or tab), and never holds more than one row in memory. Blank
lines are skipped. Each row keeps the exact text it was read from, so a bad
row can be stored as it was.
"""

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

_DELIMITERS = (",", ";", "\t")
csv.field_size_limit(10 * 1024 * 1024)


@dataclass(frozen=True)
class RawRow:
    """One CSV record as read: where it starts, its cells and its text."""

    line: int
    """Line number where the record starts (the header is line 1)."""
    cells: list[str]
    """The cells, unquoted."""
    text: str
    """The record's text as in the file (may span lines inside quotes)."""


class _LineTap:
    """Feeds lines to the csv reader and keeps the ones the last record used."""

    def __init__(self, handle: TextIO) -> None:
        self._handle = handle
        self.taken: list[str] = []

    def __iter__(self) -> "_LineTap":
        return self

    def __next__(self) -> str:
        line = next(self._handle)
        self.taken.append(line)
        return line


def sniff_delimiter(header_line: str) -> str:
    """Return the delimiter the header uses most (comma when none appears)."""
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def detect_encoding(path: Path) -> str:
    """Return the file's text encoding: `utf-16`, `utf-8-sig` or `cp1252`.

    A UTF-16 byte-order mark means UTF-16; a file that decodes as UTF-8 (with
    or without its BOM) is UTF-8; anything else is read as Windows-1252.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        if handle.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            return "utf-16"
        handle.seek(0)
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def read_header(path: Path, encoding: str) -> tuple[list[str], str]:
    """Return the header cells and the delimiter, without reading further."""
    with path.open(encoding=encoding, newline="") as handle:
        first = handle.readline()
    delimiter = sniff_delimiter(first)
    cells = next(csv.reader([first], delimiter=delimiter), [])
    return [cell.strip().lstrip("\ufeff") for cell in cells], delimiter


def iter_rows(path: Path, delimiter: str, encoding: str) -> Iterator[RawRow]:
    """Yield every non-blank record after the header, streaming."""
    with path.open(encoding=encoding, newline="") as handle:
        tap = _LineTap(handle)
        reader = csv.reader(tap, delimiter=delimiter)
        next(reader, None)
        tap.taken.clear()
        line = reader.line_num + 1
        for cells in reader:
            text = "".join(tap.taken).rstrip("\r\n")
            tap.taken.clear()
            if any(cell.strip() for cell in cells):
                yield RawRow(line=line, cells=cells, text=text)
            line = reader.line_num + 1
