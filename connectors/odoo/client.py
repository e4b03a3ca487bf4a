"""The one async client over Odoo's JSON-2, JSON-RPC and XML-RPC APIs.

    async with OdooClient(settings=settings.odoo) as odoo:
        partners = await odoo.search_read("res.partner", [["is_company", "=", True]],
                                          fields=["name"], limit=10)
        result = await odoo.upsert("res.partner", rows)

The transport is chosen from `/web/version` unless settings name one: JSON-2
wherever the server has it (Odoo 19 and later), else JSON-RPC.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import httpx
import structlog

from opsgate.connectors.errors import ConnectorError, ErrorCategory
from opsgate.connectors.odoo.calls import OdooCall
from opsgate.connectors.odoo.cursor import ChangeCursor, CursorPosition
from opsgate.connectors.odoo.errors import TARGET, OutcomeUncertain
from opsgate.connectors.odoo.faults import translate_httpx_errors
from opsgate.connectors.odoo.field_checks import FieldsMeta, check_record_values
from opsgate.connectors.odoo.load import LoadResult, load_rows
from opsgate.connectors.odoo.readback import mismatches
from opsgate.connectors.odoo.settings import OdooSettings, OdooTransportName
from opsgate.connectors.odoo.transports import OdooTransport
from opsgate.connectors.odoo.transports.json2 import Json2Transport
from opsgate.connectors.odoo.transports.jsonrpc import JsonRpcTransport
from opsgate.connectors.odoo.transports.xmlrpc import XmlRpcTransport
from opsgate.connectors.odoo.upsert import UpsertResult, run_upsert

log = structlog.get_logger(__name__)

FIELD_ATTRIBUTES = ("string", "type", "required", "readonly", "relation", "selection")
"""Attributes `fields_get` is asked for (enough for the value checks)."""

Domain = Sequence[Any]
"""An Odoo domain: `[["field", "op", value], "|", ...]`."""

_TRANSPORTS: dict[str, type[Json2Transport | JsonRpcTransport | XmlRpcTransport]] = {
    "json2": Json2Transport,
    "jsonrpc": JsonRpcTransport,
    "xmlrpc": XmlRpcTransport,
}


async def _stamp_request(request: httpx.Request) -> None:
    request.extensions["opsgate_started"] = time.perf_counter()


@dataclass(frozen=True)
class OdooWriteRecord:
    """One call that changes data in Odoo, as the audit log records it."""

    model: str
    method: str
    ids: list[int] | None
    fields: list[str]
    """Names of the fields written (values are left out: they may be personal)."""
    status: int
    """HTTP status of the answer (Odoo's RPC faults also come with 200)."""
    duration_ms: float


WriteObserver = Callable[[OdooWriteRecord], Awaitable[None]]
"""Called after each call that changes data; the engine writes the audit entry."""


def _written_fields(call: OdooCall) -> list[str]:
    params = call.params
    if "vals" in params and isinstance(params["vals"], Mapping):
        return sorted(params["vals"])
    values = params.get("vals_list")
    if isinstance(values, Mapping):
        return sorted(values)
    if isinstance(values, list):
        return sorted({name for v in values if isinstance(v, Mapping) for name in v})
    return (
        [str(name) for name in params.get("fields", [])]
        if call.method == "load"
        else []
    )


class OdooClient:
    """Talk to one Odoo server over the best protocol it offers."""

    def __init__(
        self,
        *,
        settings: OdooSettings,
        transport: httpx.AsyncBaseTransport | None = None,
        on_write: WriteObserver | None = None,
    ) -> None:
        """Prepare the client; nothing is sent until the first call.

        Args:
            settings: Where the server is and the credential.
            transport: An httpx transport to use instead of the network
                (tests pass `httpx.MockTransport` for replies no server sends).
            on_write: Called after every call that changes data (write, create,
                unlink, load, actions) with what was called; a failing observer
                is logged and the call's result stands.
        """
        self._on_write = on_write
        self.settings = settings
        self._http = httpx.AsyncClient(
            base_url=settings.base_url,
            timeout=httpx.Timeout(
                settings.timeout_s, connect=settings.connect_timeout_s
            ),
            limits=httpx.Limits(
                max_connections=settings.max_connections,
                max_keepalive_connections=settings.max_connections,
            ),
            transport=transport,
            verify=settings.verify_tls,
            follow_redirects=False,
            event_hooks={"request": [_stamp_request], "response": [self._after_call]},
        )
        self._protocol: OdooTransport | None = None
        self._connecting = asyncio.Lock()
        self.uid: int | None = None
        """The user id, once a JSON-RPC or XML-RPC login has told it."""
        self.server_version: tuple[int, ...] | None = None
        self._fields: dict[str, dict[str, dict[str, Any]]] = {}

    async def _after_call(self, response: httpx.Response) -> None:
        """Write the per-call log line; report calls that change data."""
        request = response.request
        started = request.extensions.get("opsgate_started", time.perf_counter())
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        log.info(
            "odoo.called",
            target=TARGET,
            operation=request.extensions.get("opsgate_operation", request.url.path),
            status=response.status_code,
            duration_ms=duration_ms,
        )
        call = request.extensions.get("opsgate_call")
        if (
            self._on_write is None
            or not isinstance(call, OdooCall)
            or not call.changes_data
        ):
            return
        record = OdooWriteRecord(
            call.model,
            call.method,
            call.ids,
            _written_fields(call),
            response.status_code,
            duration_ms,
        )
        try:
            await self._on_write(record)
        except Exception:  # an observer must not undo a call Odoo already made
            log.exception("odoo.write_observer_failed", operation=call.operation)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self._http.aclose()

    # --- connection ---------------------------------------------------------------

    @property
    def protocol(self) -> str | None:
        """The transport in use (`json2`, `jsonrpc`, `xmlrpc`), once connected."""
        return self._protocol.name if self._protocol else None

    async def connect(self) -> str:
        """Choose the transport and check the credential; return the transport name.

        Raises:
            ConnectorError: `auth` when the key or password is refused.
        """
        return (await self._ready()).name

    async def _ready(self) -> OdooTransport:
        async with self._connecting:
            if self._protocol is None:
                self._protocol = await self._open_protocol()
            return self._protocol

    async def _open_protocol(self) -> OdooTransport:
        name = self.settings.transport.value
        if self.settings.transport is OdooTransportName.AUTO:
            name = await self._detect_transport()
        protocol = _TRANSPORTS[name](http=self._http, settings=self.settings)
        self.uid = await protocol.authenticate()
        log.info("odoo.connected", target=TARGET, transport=name, uid=self.uid)
        return protocol

    async def _detect_transport(self) -> str:
        version = await self._web_version()
        if version is None:
            version = await self._rpc_version()
        self.server_version = version
        if version and version[0] >= 19 and self.settings.api_key is not None:
            return "json2"
        return "jsonrpc"

    async def _web_version(self) -> tuple[int, ...] | None:
        with translate_httpx_errors(TARGET, "web_version"):
            response = await self._http.get(
                "/web/version", extensions={"opsgate_operation": "web_version"}
            )
        if response.status_code != 200:
            return None
        try:
            info = response.json().get("version_info")
        except (ValueError, AttributeError):
            return None
        return _version_tuple(info)

    async def _rpc_version(self) -> tuple[int, ...] | None:
        rpc = JsonRpcTransport(http=self._http, settings=self.settings)
        info = await rpc.rpc("common", "version", [])
        return _version_tuple(info.get("server_version_info")) if info else None

    async def execute(self, call: OdooCall) -> Any:
        """Run one model method over the chosen transport (connecting first).

        A `schema_drift` answer drops the model's cached `fields_get`, so the
        next value check reads the server's current fields.
        """
        protocol = await self._ready()
        try:
            return await protocol.execute(call)
        except ConnectorError as error:
            if error.category is ErrorCategory.SCHEMA_DRIFT:
                self._fields.pop(call.model, None)
            raise

    # --- reads --------------------------------------------------------------------

    async def search_read(
        self,
        model: str,
        domain: Domain = (),
        *,
        fields: Sequence[str] | None = None,
        order: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """Return the records matching `domain` (archived ones skipped by default)."""
        params = _search_params(domain, order=order, limit=limit, offset=offset)
        if fields is not None:
            params["fields"] = list(fields)
        call = OdooCall(model, "search_read", None, params, context)
        return list(await self.execute(call))

    async def search(
        self,
        model: str,
        domain: Domain = (),
        *,
        order: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> list[int]:
        """Return the ids of the records matching `domain`."""
        params = _search_params(domain, order=order, limit=limit, offset=offset)
        call = OdooCall(model, "search", None, params, context)
        return [int(i) for i in await self.execute(call)]

    async def search_count(
        self,
        model: str,
        domain: Domain = (),
        *,
        context: Mapping[str, Any] | None = None,
    ) -> int:
        """Count the records matching `domain`."""
        call = OdooCall(model, "search_count", None, {"domain": list(domain)}, context)
        return int(await self.execute(call))

    async def read(
        self,
        model: str,
        ids: Sequence[int],
        *,
        fields: Sequence[str] | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """Read records by id. Odoo drops missing ids silently: compare lengths."""
        params = {"fields": list(fields)} if fields is not None else {}
        return list(
            await self.execute(OdooCall(model, "read", list(ids), params, context))
        )

    async def fields_get(self, model: str) -> FieldsMeta:
        """Return the model's field metadata, fetched once per model."""
        if model not in self._fields:
            call = OdooCall(
                model, "fields_get", None, {"attributes": list(FIELD_ATTRIBUTES)}
            )
            self._fields[model] = dict(await self.execute(call))
        return self._fields[model]

    def changes(
        self,
        model: str,
        *,
        fields: Sequence[str],
        domain: Domain = (),
        position: CursorPosition | None = None,
        page_size: int = 200,
        settle_s: float = 1.0,
        context: Mapping[str, Any] | None = None,
    ) -> ChangeCursor:
        """Iterate records changed since `position`, by (write_date, id).

        Records of the last `settle_s` seconds (and of the second still
        running) wait for the next pull; see `opsgate.connectors.odoo.cursor`.
        """
        return ChangeCursor(
            self,
            model,
            fields=fields,
            domain=domain,
            position=position or CursorPosition(),
            page_size=page_size,
            context=context,
            settle_s=settle_s,
        )

    # --- writes -------------------------------------------------------------------

    async def create(
        self, model: str, values: Mapping[str, Any], *, check: bool = True
    ) -> int:
        """Create one record and return its id."""
        if check:
            check_record_values(
                model, values, await self.fields_get(model), creating=True
            )
        result = await self.execute(
            OdooCall(model, "create", None, {"vals_list": dict(values)})
        )
        ids = _as_ids(result)
        return ids[0]

    async def create_many(
        self,
        model: str,
        values_list: Sequence[Mapping[str, Any]],
        *,
        check: bool = True,
    ) -> list[int]:
        """Create several records in one call; return their ids in order."""
        if check:
            meta = await self.fields_get(model)
            for row, values in enumerate(values_list):
                check_record_values(model, values, meta, row=row, creating=True)
        vals_list = [dict(values) for values in values_list]
        return _as_ids(
            await self.execute(
                OdooCall(model, "create", None, {"vals_list": vals_list})
            )
        )

    async def write(
        self,
        model: str,
        ids: Sequence[int],
        values: Mapping[str, Any],
        *,
        check: bool = True,
        verify: bool = False,
    ) -> None:
        """Write `values` on the records; with `verify`, read back and compare."""
        if check:
            check_record_values(
                model, values, await self.fields_get(model), creating=False
            )
        try:
            await self.execute(
                OdooCall(model, "write", list(ids), {"vals": dict(values)})
            )
        except OutcomeUncertain:
            if not verify:
                raise
        if verify:
            await self.confirm_values(model, ids, values, operation="write")

    async def unlink(
        self, model: str, ids: Sequence[int], *, verify: bool = False
    ) -> None:
        """Delete the records; with `verify`, confirm that none can be read."""
        try:
            await self.execute(OdooCall(model, "unlink", list(ids)))
        except OutcomeUncertain:
            if not verify:
                raise
        if verify:
            await self.confirm_deleted(model, ids)

    async def call_method(
        self,
        model: str,
        method: str,
        ids: Sequence[int] | None = None,
        *,
        params: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
        expect: Mapping[str, Any] | None = None,
    ) -> Any:
        """Call a public method (`action_post`, `action_confirm`, ...).

        `expect` names field values the records must hold afterwards. When
        given, they are read back and compared, and a fault that left the
        outcome uncertain (XML-RPC's None result) is resolved by that read:
        the call counts as done when the values hold.
        """
        call = OdooCall(
            model, method, list(ids) if ids is not None else None, params or {}, context
        )
        try:
            result = await self.execute(call)
        except OutcomeUncertain:
            if expect is None or ids is None:
                raise
            result = None
        if expect is not None and ids is not None:
            await self.confirm_values(model, ids, expect, operation=method)
        return result

    # --- verification -------------------------------------------------------------

    async def confirm_values(
        self,
        model: str,
        ids: Sequence[int],
        values: Mapping[str, Any],
        *,
        operation: str,
    ) -> None:
        """Read the records back; raise unless each exists and holds `values`."""
        records = await self.read(model, ids, fields=list(values))
        found = {record["id"]: record for record in records}
        gone = [record_id for record_id in ids if record_id not in found]
        if gone:
            raise ConnectorError(
                f"Odoo reported {model}.{operation} on records {gone!r} as done, but"
                " they cannot be read back: they do not exist.",
                category=ErrorCategory.MISSING_REFERENCE,
                retryable=False,
                target=TARGET,
                operation=operation,
                model=model,
            )
        for record_id in ids:
            wrong = mismatches(found[record_id], values)
            if wrong:
                field, (wanted, got) = next(iter(wrong.items()))
                raise ConnectorError(
                    f"Odoo reported {model}.{operation} on record {record_id} as done,"
                    f" but field {field!r} reads {got!r}, not {wanted!r}.",
                    category=ErrorCategory.DATA_QUALITY,
                    retryable=False,
                    target=TARGET,
                    operation=operation,
                    model=model,
                )

    async def confirm_deleted(self, model: str, ids: Sequence[int]) -> None:
        """Raise unless none of the records can be read any more."""
        left = await self.read(
            model, ids, fields=["id"], context={"active_test": False}
        )
        if left:
            raise ConnectorError(
                f"Odoo reported {model}.unlink as done, but records"
                f" {sorted(r['id'] for r in left)!r} still exist.",
                category=ErrorCategory.CONFLICT,
                retryable=False,
                target=TARGET,
                operation="unlink",
                model=model,
            )

    # --- upsert -------------------------------------------------------------------

    async def load(
        self, model: str, columns: Sequence[str], rows: Sequence[Sequence[str]]
    ) -> LoadResult:
        """Call `load` with string rows; rows Odoo rejects fail alone, the rest land.

        One bad row makes Odoo write nothing, so the rejected rows are taken
        out and the others sent again (one extra call per round of rejects).
        """
        return await load_rows(self, model, columns, rows)

    async def upsert(
        self,
        model: str,
        rows: Sequence[Mapping[str, Any]],
        *,
        batch_size: int | None = None,
        skip_unchanged: bool = True,
        check: bool = True,
    ) -> UpsertResult:
        """Create or update rows by external id through `load`, row by row results.

        Each row maps `load` columns to values; its `id` is the external id
        name (`hubspot_company_1001`, put in module `settings.external_id_module`)
        or a full `module.name`. A row that Odoo rejects fails alone: the others
        are sent again and land. Rows whose values Odoo already holds are not
        sent (`skip_unchanged`), since re-loading them costs 5-6 times a create.
        """
        return await run_upsert(
            self,
            model,
            rows,
            batch_size=batch_size or self.settings.load_batch_size,
            module=self.settings.external_id_module,
            skip_unchanged=skip_unchanged,
            check=check,
        )


def _search_params(
    domain: Domain, *, order: str | None, limit: int | None, offset: int | None
) -> dict[str, Any]:
    params: dict[str, Any] = {"domain": list(domain)}
    for name, value in (("order", order), ("limit", limit), ("offset", offset)):
        if value is not None:
            params[name] = value
    return params


def _version_tuple(info: Any) -> tuple[int, ...] | None:
    if not isinstance(info, list | tuple) or not info:
        return None
    numbers = [part for part in info[:3] if isinstance(part, int)]
    return tuple(numbers) or None


def _as_ids(result: Any) -> list[int]:
    """`create` answers a bare id (JSON-RPC, one dict) or a list (JSON-2, many)."""
    if isinstance(result, list):
        return [int(item) for item in result]
    return [int(result)]
