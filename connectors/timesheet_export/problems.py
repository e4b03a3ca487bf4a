"""What was wrong with a file or a row of it, and exactly where."""

from dataclasses import dataclass, field

from opsgate.connectors.errors import ConnectorError, ErrorCategory


@dataclass(frozen=True)
class CellIssue:
    """One bad cell: its column, the value found and what is wrong with it."""

    column: str
    """Column name as the file's header spells it."""
    value: str
    """The cell's text as found."""
    message: str
    """What is wrong, as a sentence fragment (`expected a decimal`)."""


@dataclass(frozen=True)
class RowProblem:
    """A row that could not become a time entry; it is kept, never dropped."""

    file: str
    """The file's name."""
    line: int
    """Line number (1-based, the header is line 1) where the row starts."""
    raw: str
    """The row's text exactly as in the file."""
    issues: tuple[CellIssue, ...] = field(default_factory=tuple)
    """Every bad cell of the row."""

    @property
    def location(self) -> str:
        """Where the first problem is: `file.csv line 14 column 'Hours'`."""
        where = f"{self.file} line {self.line}"
        if self.issues and self.issues[0].column:
            where += f" column {self.issues[0].column!r}"
        return where

    @property
    def reason(self) -> str:
        """Every issue as one message naming column and value."""
        parts = [
            f"column {issue.column!r}: {issue.message}, got {issue.value!r}"
            if issue.column
            else issue.message
            for issue in self.issues
        ]
        return f"{self.file} line {self.line}: " + "; ".join(parts) + "."


class ExportRefused(ConnectorError):
    """Raised when a whole file cannot be read: unknown format, missing columns."""

    def __init__(self, message: str, *, file: str, source: str = "timesheet") -> None:
        super().__init__(
            message,
            category=ErrorCategory.VALIDATION,
            retryable=False,
            target=source,
            operation="import",
        )
        self.file = file
