"""Wire protocols of Odoo's external API, one module each, one interface.

- `json2`: `POST /json/2/<model>/<method>`, bearer API key (Odoo 19 and later).
- `jsonrpc`: `POST /jsonrpc`, `execute_kw` (Odoo 16-18; deprecated in 19).
- `xmlrpc`: `POST /xmlrpc/2/common|object` (where a proxy allows nothing else).
"""

from __future__ import annotations

from typing import Any, Protocol

from opsgate.connectors.odoo.calls import OdooCall


class OdooTransport(Protocol):
    """What the client needs from a wire protocol."""

    name: str
    """`json2`, `jsonrpc` or `xmlrpc`."""

    async def authenticate(self) -> int | None:
        """Check the credential; return the uid where the protocol tells it.

        Raises:
            ConnectorError: category `auth` when the server refuses it.
        """
        ...

    async def execute(self, call: OdooCall) -> Any:
        """Run one model method and return its decoded result."""
        ...
