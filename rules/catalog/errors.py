"""Errors of the rules catalog.

CatalogError    (a catalog file is unreadable or invalid: file, line, key)
"""

from __future__ import annotations


class CatalogError(Exception):
    """Raised when a catalog file cannot be loaded; names the file, line and key."""

    def __init__(self, message: str, *, file: str, line: int | None, key: str) -> None:
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"Catalog {where}: {key}: {message}")
        self.file = file
        self.line = line
        self.key = key
