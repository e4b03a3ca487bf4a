"""`OdooStandin`: run the stand-in on a loopback port in a background thread.

    with OdooStandin(version=19) as standin:
        client = ...(url=standin.url, database=standin.database,
                     api_key=standin.api_key)

The server speaks JSON-2 (19 only), JSON-RPC and XML-RPC, answers
`/web/version` (and `/json/version` on 19) and keeps its records in memory.
`standin.inject(FaultRule(...))` makes it misbehave on purpose; `standin.db`
is the database, for tests that seed or inspect rows directly.
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import structlog
import uvicorn
from starlette.applications import Starlette
from starlette.routing import Route

from opsgate.connectors.odoo.standin.gateway import Gateway
from opsgate.connectors.odoo.standin.injection import FaultInjector, FaultRule
from opsgate.connectors.odoo.standin.pace import Pace
from opsgate.connectors.odoo.standin.service import OdooService
from opsgate.connectors.odoo.standin.store import Database
from opsgate.connectors.odoo.standin.wire_json2 import (
    json2_endpoint,
    not_found,
    version_endpoint,
)
from opsgate.connectors.odoo.standin.wire_jsonrpc import jsonrpc
from opsgate.connectors.odoo.standin.wire_xmlrpc import xmlrpc_endpoint

log = structlog.get_logger(__name__)

_STARTUP_TIMEOUT_S = 10.0


def build_app(gateway: Gateway) -> Starlette:
    """The ASGI application serving every recorded endpoint."""
    both = ["GET", "POST"]
    routes = [
        Route("/web/version", version_endpoint, methods=both),
        Route("/json/version", version_endpoint, methods=both),
        Route("/jsonrpc", jsonrpc, methods=["POST"]),
        Route("/xmlrpc/2/{service}", xmlrpc_endpoint, methods=both),
        Route("/xmlrpc/{service}", xmlrpc_endpoint, methods=both),
        Route("/json/2", json2_endpoint, methods=both),
        Route("/json/2/{model}", json2_endpoint, methods=both),
        Route("/json/2/{model}/{method}", json2_endpoint, methods=both),
    ]
    app = Starlette(routes=routes)
    app.add_route("/{path:path}", not_found, methods=both)
    app.state.gateway = gateway
    return app


class OdooStandin:
    """An in-process Odoo 18 or 19 on `127.0.0.1`, started and stopped by you."""

    def __init__(
        self,
        *,
        version: int = 19,
        database: str = "standin",
        api_key: str = "standin-admin-key",
        demo_api_key: str = "standin-demo-key",
        port: int = 0,
        pace: Pace | None = None,
    ) -> None:
        """Prepare a stand-in; nothing listens until `start()`.

        Args:
            version: 18 or 19, the Odoo it plays.
            database: The database name clients must send.
            api_key: The admin user's key.
            demo_api_key: The non-admin demo user's key.
            port: Loopback port (0: any free one).
            pace: Hold answers back like a real Odoo (`Pace.recorded(version)`);
                None answers at once.
        """
        self.service = OdooService(
            version=version,
            database=database,
            admin_api_key=api_key,
            demo_api_key=demo_api_key,
        )
        self.injector = FaultInjector()
        self.gateway = Gateway(self.service, self.injector, pace)
        self.api_key = api_key
        """The admin user's API key (uid 2); also its password is `admin`."""
        self.demo_api_key = demo_api_key
        """The non-admin demo user's key (uid 6 on 18, 5 on 19)."""
        self._port = port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def version(self) -> int:
        """The Odoo major version the stand-in plays."""
        return self.service.version

    @property
    def database(self) -> str:
        """The database name to send (`X-Odoo-Database`, `execute_kw`)."""
        return self.service.database

    @property
    def db(self) -> Database:
        """The in-memory database, for seeding and inspection in tests."""
        return self.service.db

    @property
    def url(self) -> str:
        """Base URL, e.g. `http://127.0.0.1:54321`."""
        if self._server is None:
            raise RuntimeError("The Odoo stand-in is not running; call start() first.")
        return f"http://127.0.0.1:{self._port}"

    def inject(self, rule: FaultRule) -> FaultRule:
        """Activate a misbehaviour (429, 503, slow answers, a renamed field)."""
        return self.injector.add(rule)

    def remove_fault(self, rule: FaultRule) -> None:
        """Deactivate one injected misbehaviour (e.g. end a field rename)."""
        self.injector.remove(rule)

    def reset(self) -> None:
        """Back to the seeded demo records, with no injected faults (between tests)."""
        self.service.reset()
        self.injector.clear()

    def clear_faults(self) -> None:
        """Remove every injected misbehaviour."""
        self.injector.clear()

    def start(self) -> OdooStandin:
        """Bind a loopback port and serve in a daemon thread until `stop()`."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self._port))
        self._port = sock.getsockname()[1]
        config = uvicorn.Config(
            build_app(self.gateway),
            log_level="warning",
            access_log=False,
            server_header=False,
            date_header=False,
            lifespan="off",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [sock]},
            daemon=True,
            name=f"odoo-standin-{self._port}",
        )
        self._thread.start()
        deadline = time.monotonic() + _STARTUP_TIMEOUT_S
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(
                    f"The Odoo stand-in did not start on port {self._port}."
                )
            time.sleep(0.01)
        log.info(
            "standin.started",
            url=self.url,
            version=self.version,
            database=self.database,
        )
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread to end."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=_STARTUP_TIMEOUT_S)
        if self._server is not None:
            log.info("standin.stopped", port=self._port)
        self._server = None
        self._thread = None

    def __enter__(self) -> OdooStandin:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
