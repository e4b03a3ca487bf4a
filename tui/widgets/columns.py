"""Fixed-width table columns, so a table's layout never depends on timing."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import DataTable

TEXT_WIDTH = 160
"""Width of a free-text last column (titles, reasons). Cells."""


def add_fixed_columns(
    table: DataTable[str], columns: Sequence[tuple[str, int]]
) -> None:
    """Add `(label, width)` columns, keyed by label."""
    for label, width in columns:
        table.add_column(label, width=width, key=label)
