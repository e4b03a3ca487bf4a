"""Serve an ASGI app on a loopback port from a background thread.

Stand-ins for outside systems (Odoo, the CRM, the HR system) run this way in
the demo and the tests: a real HTTP server, reachable only from this machine.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from types import TracebackType
from typing import Any, Literal, Self

import uvicorn

from opsgate.connectors.errors import ConnectorError, ErrorCategory


class LoopbackServer:
    """A uvicorn server bound to 127.0.0.1 on a free port, in a thread."""

    def __init__(
        self,
        app: Any,
        *,
        name: str,
        port: int = 0,
        lifespan: Literal["auto", "on", "off"] = "auto",
    ) -> None:
        self.name = name
        self._app = app
        self._port = port or _free_port()
        self._lifespan = lifespan
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL of the running server, without a trailing slash."""
        return f"http://127.0.0.1:{self._port}"

    def start(self, *, timeout_s: float = 10.0) -> Self:
        """Start serving; return once the server accepts connections."""
        config = uvicorn.Config(
            self._app,
            host="127.0.0.1",
            port=self._port,
            log_level="warning",
            access_log=False,
            lifespan=self._lifespan,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=lambda: asyncio.run(self._server.serve()),  # type: ignore[union-attr]
            name=f"{self.name}-server",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + timeout_s
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise ConnectorError(
                    f"The {self.name} stand-in did not start on port {self._port}.",
                    category=ErrorCategory.UNAVAILABLE,
                    retryable=False,
                    target=self.name,
                    operation="start",
                )
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread to end."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LoopbackStandin:
    """Base of the peer stand-ins: an app of their own, served on loopback.

    Subclasses set `name` and build their app in `_app()`.
    """

    name = "standin"

    def __init__(self) -> None:
        self._server: LoopbackServer | None = None

    @property
    def url(self) -> str:
        """Base URL while running."""
        if self._server is None:
            raise ConnectorError(
                f"The {self.name} stand-in is not running; call start() first.",
                category=ErrorCategory.UNAVAILABLE,
                retryable=False,
                target=self.name,
                operation="url",
            )
        return self._server.url

    def start(self) -> Self:
        """Serve on a loopback port."""
        self._server = LoopbackServer(self._app(), name=self.name).start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.stop()
            self._server = None

    def _app(self) -> Any:
        raise NotImplementedError(f"The {self.name} stand-in builds no app.")
