"""What a peer's REST read-back client needs: a pool, one logged call, a context.

A peer's client subclasses `RestApi`, names its `target` and adds the calls
it makes; errors surface as `ConnectorError`s from `connectors.http_errors`.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

import httpx
import structlog

from opsgate.connectors.http_errors import raise_for_status, translate_httpx_errors

log = structlog.get_logger(__name__)


class RestApi:
    """A JSON REST API behind one base URL and one set of auth headers."""

    target = "rest"

    def __init__(
        self,
        *,
        base_url: str,
        headers: dict[str, str],
        timeout_s: float,
        auth: httpx.Auth | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url,
            headers={"accept": "application/json", **headers},
            auth=auth,
            timeout=httpx.Timeout(timeout_s),
            limits=httpx.Limits(max_connections=10, max_keepalive_connections=5),
            transport=transport,
        )

    async def get(self, path: str, *, operation: str, **params: Any) -> Any:
        """GET `path` and return its JSON, or raise the `ConnectorError` it means."""
        return await self.request(
            "GET", path, operation=operation, params=params or None
        )

    async def request(
        self, method: str, path: str, *, operation: str, **kwargs: Any
    ) -> Any:
        """Send one request and return its JSON, or raise the `ConnectorError` it means."""
        with translate_httpx_errors(self.target, operation):
            response = await self._http.request(method, path, **kwargs)
        log.info(
            "peer_api.called",
            target=self.target,
            operation=operation,
            status=response.status_code,
            duration_ms=round(response.elapsed.total_seconds() * 1000, 1),
        )
        raise_for_status(response, target=self.target, operation=operation)
        return response.json()

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
