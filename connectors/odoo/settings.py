"""Settings of the Odoo connector: where the server is and how to reach it."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, SecretStr, model_validator


class OdooTransportName(StrEnum):
    """Which wire protocol the client speaks to Odoo."""

    AUTO = "auto"
    JSON2 = "json2"
    JSONRPC = "jsonrpc"
    XMLRPC = "xmlrpc"


class OdooSettings(BaseModel):
    """How Opsgate reaches one Odoo server."""

    model_config = ConfigDict(extra="forbid")

    url: HttpUrl
    """Base URL of the Odoo server, e.g. `https://erp.example.com`."""

    database: str | None = None
    """Database name. JSON-2 sends it as `X-Odoo-Database`; JSON-RPC and XML-RPC
    need it. May be left out for JSON-2 when the server holds one database."""

    login: str = "admin"
    """Login of the Odoo user the API key or password belongs to."""

    api_key: SecretStr | None = None
    """API key of that user (preferred; the only credential JSON-2 takes)."""

    password: SecretStr | None = None
    """Password of that user, used only when no API key is set."""

    transport: OdooTransportName = OdooTransportName.AUTO
    """`auto` asks `/web/version` and takes JSON-2 wherever the server has it
    (Odoo 19 and later), else JSON-RPC. `xmlrpc` is for proxies that allow
    nothing else."""

    timeout_s: float = Field(default=30.0, gt=0)
    """Seconds to wait for a response to one call (read, write and pool)."""

    connect_timeout_s: float = Field(default=5.0, gt=0)
    """Seconds to wait for the TCP (and TLS) connection."""

    max_connections: int = Field(default=10, ge=1)
    """Connections kept in the pool towards the server."""

    load_batch_size: int = Field(default=500, ge=1)
    """Rows sent per `load` call by `upsert`."""

    external_id_module: str = "opsgate"
    """Module part of the external ids `upsert` writes (`opsgate.<name>`)."""

    verify_tls: bool = True
    """Check the server's TLS certificate."""

    @model_validator(mode="after")
    def _needs_a_credential(self) -> Self:
        if self.api_key is None and self.password is None:
            raise ValueError(
                "Odoo settings need a credential: set odoo.api_key (preferred) "
                "or odoo.password."
            )
        if self.transport is OdooTransportName.JSON2 and self.api_key is None:
            raise ValueError(
                "The JSON-2 transport authenticates with an API key only; "
                "set odoo.api_key or choose odoo.transport = 'jsonrpc'."
            )
        return self

    @property
    def base_url(self) -> str:
        """The URL without a trailing slash."""
        return str(self.url).rstrip("/")

    @property
    def secret(self) -> str:
        """The credential to send: the API key, else the password."""
        if self.api_key is not None:
            return self.api_key.get_secret_value()
        if self.password is not None:
            return self.password.get_secret_value()
        raise ValueError("Odoo settings hold neither odoo.api_key nor odoo.password.")
