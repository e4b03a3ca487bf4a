from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from opsgate.connectors.odoo.standin import OdooStandin


@pytest.fixture(scope="package")
def running19() -> Iterator[OdooStandin]:
    with OdooStandin(version=19) as standin:
        yield standin


@pytest.fixture(scope="package")
def running18() -> Iterator[OdooStandin]:
    with OdooStandin(version=18) as standin:
        yield standin


@pytest.fixture
def standin19(running19: OdooStandin) -> OdooStandin:
    running19.reset()
    return running19


@pytest.fixture
def standin18(running18: OdooStandin) -> OdooStandin:
    running18.reset()
    return running18


class Json2:
    """A tiny JSON-2 caller for tests: `call(model, method, **body)`."""

    def __init__(self, standin: OdooStandin, key: str | None = None) -> None:
        self.standin = standin
        self.key = key or standin.api_key

    def post(self, model: str, method: str, **body: Any) -> httpx.Response:
        return httpx.post(
            f"{self.standin.url}/json/2/{model}/{method}",
            json=body,
            headers={"Authorization": f"bearer {self.key}"},
            timeout=10,
        )

    def call(self, model: str, method: str, **body: Any) -> Any:
        response = self.post(model, method, **body)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def json2(standin19: OdooStandin) -> Json2:
    return Json2(standin19)
