"""Structured logs: structlog configured once, one event per line, no secrets."""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

from opsgate.connectors.errors import redact
from opsgate.settings import LoggingSettings

SERVER_LOGGERS = ("uvicorn", "uvicorn.error")
"""Loggers uvicorn sets up on its own, routed back through the root logger."""

QUIET_LOGGERS = ("alembic", "uvicorn.access", "httpx")
"""Standard-library loggers held at WARNING: their INFO lines repeat ours."""


class _CurrentStderr:
    """Writes to whatever `sys.stderr` is at the time of each write."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def redact_secrets(
    _logger: object, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Mask credentials in every field of a log event (a structlog processor)."""
    cleaned: MutableMapping[str, Any] = redact(dict(event_dict))
    return cleaned


def configure_logging(settings: LoggingSettings) -> None:
    """Configure structlog and the standard library's root logger once."""
    level = logging.getLevelNamesMapping()[settings.level]
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if settings.format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    shared: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        redact_secrets,
    ]
    structlog.configure(
        processors=[*shared, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(_CurrentStderr()),  # type: ignore[arg-type]
        cache_logger_on_first_use=True,
    )
    _route_standard_logging(level, shared, renderer)


def _route_standard_logging(
    level: int,
    shared: list[structlog.typing.Processor],
    renderer: structlog.typing.Processor,
) -> None:
    """Render records of standard-library loggers (uvicorn, alembic) the same way."""
    handler = logging.StreamHandler(_CurrentStderr())
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[structlog.stdlib.add_logger_name, *shared],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    for name in SERVER_LOGGERS:
        # uvicorn configures these itself when a server starts; hand them back
        # to the root logger so their records come out as ours do.
        server_logger = logging.getLogger(name)
        server_logger.handlers = []
        server_logger.propagate = True
        server_logger.setLevel(logging.NOTSET)
    for noisy in QUIET_LOGGERS:
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
