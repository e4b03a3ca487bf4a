"""Keep command output clean: log lines go to stderr unless logging is set up already."""

from __future__ import annotations

import sys
from typing import Any

import structlog


class _CurrentStderr:
    """Writes to whatever `sys.stderr` is at the moment, so a swapped stream works."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def send_logs_to_stderr() -> None:
    """Send structlog output to stderr, so stdout carries only the command's result.

    Does nothing when the application already configured structlog.
    """
    if not structlog.is_configured():
        stream: Any = _CurrentStderr()
        structlog.configure(logger_factory=structlog.PrintLoggerFactory(stream))
