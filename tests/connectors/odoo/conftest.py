"""The Odoo targets the contract suite runs against, and the facts each one holds.

`odoo_server` is parametrized over the recordings of Odoo 18 (JSON-RPC and
XML-RPC chains) and 19 (JSON-2) replayed by a loopback server, the in-process
stand-in announcing 18 or 19, and a real Odoo when `OPSGATE_TEST_ODOO_URL`,
`OPSGATE_TEST_ODOO_DB` and `OPSGATE_TEST_ODOO_API_KEY` are set.

A recording can only answer what was recorded, so each target comes with the
facts its story holds (ids, values, rows). Live targets (stand-in, real Odoo)
make their own facts through the client before the check runs.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from opsgate.connectors.odoo import OdooClient, OdooSettings

sys.path.insert(0, str(Path(__file__).parent))

from tests.connectors.odoo.odoo_facts import J18, J19, X18, Facts  # noqa: E402
from tests.connectors.odoo.odoo_live_facts import make_live_facts  # noqa: E402
from tests.connectors.odoo.recorded_odoo import RecordedOdoo  # noqa: E402


@dataclass
class OdooTarget:
    """One server the contract suite talks to."""

    name: str
    settings: OdooSettings
    live: bool
    """True when state carries across calls (stand-in, real Odoo)."""
    facts: Facts | None = None
    replay: RecordedOdoo | None = None

    def client(self, **overrides: Any) -> OdooClient:
        """A new client for this target (settings fields may be overridden)."""
        settings = self.settings.model_copy(update=overrides)
        return OdooClient(settings=settings)

    def require_live(self, reason: str) -> None:
        """Skip the check on replayed recordings, which hold no changing state."""
        if not self.live:
            pytest.skip(f"{self.name}: {reason}")

    def fact(self, name: str) -> dict[str, Any]:
        """The facts for one check, or skip with the reason they are missing."""
        assert self.facts is not None
        value = getattr(self.facts, name)
        if value is None:
            pytest.skip(f"{self.name}: {self.facts.missing.get(name, 'not recorded')}")
        return value


@pytest.fixture(scope="session")
def recorded_18() -> Iterator[RecordedOdoo]:
    server = RecordedOdoo("18").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def recorded_19() -> Iterator[RecordedOdoo]:
    server = RecordedOdoo("19").start()
    yield server
    server.stop()


def _recorded_target(name: str, replay: RecordedOdoo, facts: Facts) -> OdooTarget:
    replay.rewind()
    transport = "xmlrpc" if facts.transport == "xmlrpc" else "auto"
    settings = OdooSettings(
        url=replay.url,
        database=replay.database,
        api_key="<api-key>",
        transport=transport,
    )
    return OdooTarget(
        name=name, settings=settings, live=False, facts=facts, replay=replay
    )


# --- the stand-in and a real server -----------------------------------------------


@pytest.fixture(scope="session")
def live_facts() -> dict[str, Facts]:
    """Facts made once per live target; each check uses its own records in them."""
    return {}


@pytest.fixture(scope="session")
def standin_servers() -> Iterator[dict[int, Any]]:
    started: dict[int, Any] = {}
    yield started
    for server in started.values():
        server.__exit__(None, None, None)


def _standin(version: int, servers: dict[int, Any]) -> Any:
    try:
        module = importlib.import_module("opsgate.connectors.odoo.standin")
    except ImportError:
        pytest.skip(
            "the Odoo stand-in (opsgate.connectors.odoo.standin, branch odoo-standin)"
            " is not in this checkout yet"
        )
    if version not in servers:
        servers[version] = module.OdooStandin(version=version).__enter__()
    return servers[version]


def _live_target(
    name: str, url: str, database: str | None, api_key: str, transport: str
) -> OdooTarget:
    settings = OdooSettings(
        url=url, database=database, api_key=api_key, transport=transport
    )
    return OdooTarget(name=name, settings=settings, live=True)


TARGETS = [
    "recordings-18",
    "recordings-18-xmlrpc",
    "recordings-19",
    "standin-18",
    "standin-18-xmlrpc",
    "standin-19",
    "live",
]


@pytest.fixture(params=TARGETS)
async def odoo_server(request: pytest.FixtureRequest) -> AsyncIterator[OdooTarget]:
    """One target, with the facts its data holds."""
    name = request.param
    if name.startswith("recordings-18"):
        facts = X18 if name.endswith("xmlrpc") else J18
        yield _recorded_target(name, request.getfixturevalue("recorded_18"), facts)
        return
    if name == "recordings-19":
        yield _recorded_target(name, request.getfixturevalue("recorded_19"), J19)
        return
    if name.startswith("standin"):
        version = 18 if "18" in name else 19
        server = _standin(version, request.getfixturevalue("standin_servers"))
        transport = "xmlrpc" if name.endswith("xmlrpc") else "auto"
        target = _live_target(
            name, server.url, server.database, server.api_key, transport
        )
    else:
        url = os.environ.get("OPSGATE_TEST_ODOO_URL")
        key = os.environ.get("OPSGATE_TEST_ODOO_API_KEY")
        if not url or not key:
            pytest.skip(
                "set OPSGATE_TEST_ODOO_URL, OPSGATE_TEST_ODOO_DB and"
                " OPSGATE_TEST_ODOO_API_KEY to run against a real Odoo"
            )
        target = _live_target(
            name, url, os.environ.get("OPSGATE_TEST_ODOO_DB"), key, "auto"
        )
    cache = request.getfixturevalue("live_facts")
    if name not in cache:
        async with target.client() as client:
            cache[name] = await make_live_facts(client)
    target.facts = cache[name]
    yield target
