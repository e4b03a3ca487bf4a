"""A loopback HTTP server that answers with the exchanges recorded from real Odoo.

It serves `shared/odoo/corpus` (Odoo 18, JSON-RPC and XML-RPC) or
`shared/odoo/json2` (Odoo 19, JSON-2 plus a few legacy calls). A request is
answered with the recorded response whose request matches it:

- JSON-RPC: the same service, method and args (the `id` is ignored);
- XML-RPC: the same method name and parameters;
- JSON-2: the same path, body and bearer key (`X-Odoo-Database` naming the
  recorded database counts as absent);
- loosely, where the recordings would otherwise never match a client that
  asks for other columns: `fields_get` of a model answers any recorded
  `fields_get` of that model, and `read` of ids answers a recorded `read` of
  the same ids that returned a superset of the fields, cut to those fields.

Identical requests recorded at different moments (before and after a change)
are served in story order: the first candidate recorded after the exchange
served last. `rewind()` starts the story again (each test calls it).

A request that matches nothing gets a 404 `text/plain` answer starting
`no recorded exchange` and is listed in `misses`.
"""

from __future__ import annotations

import json
import threading
import xmlrpc.client
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SHARED_ODOO = Path("/work/shared/odoo")
RECORDED_DB = {"18": "ps_demo", "19": "ps19"}
_KEPT_HEADERS = (
    "content-type",
    "www-authenticate",
    "location",
    "retry-after",
    "accept",
)


@dataclass
class Exchange:
    """One recorded request/response pair."""

    index: int
    file: str
    method: str
    path: str
    key: str
    loose_key: str | None
    status: int
    headers: dict[str, str]
    response: Any
    read_fields: list[str] | None = None


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _jsonrpc_keys(body: Any) -> tuple[str, str | None, list[str] | None]:
    params = body.get("params", {})
    args = params.get("args", [])
    key = _dumps(["jsonrpc", params.get("service"), params.get("method"), args])
    if params.get("method") == "execute_kw" and len(args) >= 6:
        return (
            key,
            *_loose_call(args[3], args[4], args[5], args[6] if len(args) > 6 else {}),
        )
    return key, None, None


def _xmlrpc_keys(path: str, text: str) -> tuple[str, str | None, list[str] | None]:
    params, method = xmlrpc.client.loads(text, use_builtin_types=True)
    key = _dumps(["xmlrpc", path, method, list(params)])
    if method == "execute_kw" and len(params) >= 6:
        kwargs = params[6] if len(params) > 6 else {}
        return (key, *_loose_call(params[3], params[4], params[5], kwargs))
    return key, None, None


def _loose_call(
    model: str, method: str, args: list[Any], kwargs: dict[str, Any]
) -> tuple[str | None, list[str] | None]:
    if method == "fields_get":
        return _dumps(["fields_get", model]), None
    if method == "read" and args:
        fields = kwargs.get("fields") or (args[1] if len(args) > 1 else None)
        return _dumps(["read", model, args[0]]), fields
    return None, None


def _json2_keys(
    path: str, headers: dict[str, str], body: Any, version: str
) -> tuple[str, str | None, list[str] | None]:
    auth = headers.get("authorization", "")
    token = auth.split(" ", 1)[1].strip() if " " in auth else auth
    database = headers.get("x-odoo-database")
    if database == RECORDED_DB[version]:
        database = None
    body = body if body is not None else {}
    key = _dumps(["json2", path, token, database, body])
    parts = path.strip("/").split("/")
    loose: str | None = None
    fields: list[str] | None = None
    if len(parts) == 4 and isinstance(body, dict):
        model, method = parts[2], parts[3]
        if method == "fields_get":
            loose = _dumps(["fields_get", model, token])
        elif method == "read" and "ids" in body:
            loose, fields = (
                _dumps(["read", model, token, body["ids"]]),
                body.get("fields"),
            )
    return key, loose, fields


def load_exchanges(version: str) -> list[Exchange]:
    """Read every recorded exchange of one Odoo version, in story order."""
    folder = SHARED_ODOO / ("corpus" if version == "18" else "json2")
    exchanges = []
    for index, path in enumerate(sorted(folder.glob("*.json"))):
        record = json.loads(path.read_text())
        exchanges.append(_exchange(index, path.name, record, version))
    return exchanges


def _exchange(index: int, name: str, record: dict[str, Any], version: str) -> Exchange:
    endpoint = record["endpoint"]
    request = record["request"]
    method = "POST"
    if version == "19":
        method = request.get("method", "POST")
        headers = {k.lower(): v for k, v in request.get("headers", {}).items()}
        body = request.get("body")
        if endpoint == "/jsonrpc":
            key, loose, fields = _jsonrpc_keys(body)
        elif endpoint.startswith("/xmlrpc"):
            # The 19 recordings left the key placeholder unescaped in XML.
            body = body.replace("<api-key>", "&lt;api-key&gt;")
            key, loose, fields = _xmlrpc_keys(endpoint, body)
        elif method == "GET":
            key, loose, fields = _dumps(["GET", endpoint]), None, None
        else:
            if isinstance(body, str):
                body = ["not-json", body]
            key, loose, fields = _json2_keys(endpoint, headers, body, version)
    elif record["protocol"] == "jsonrpc":
        key, loose, fields = _jsonrpc_keys(request)
    else:
        key, loose, fields = _xmlrpc_keys(endpoint, request)
    return Exchange(
        index=index,
        file=name,
        method=method,
        path=endpoint,
        key=key,
        loose_key=loose,
        status=record["status"],
        headers={
            k: v
            for k, v in record.get("headers", {}).items()
            if k.lower() in _KEPT_HEADERS
        },
        response=record["response"],
        read_fields=fields,
    )


class RecordedOdoo:
    """The replaying server; `url` is where it listens."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.database = RECORDED_DB[version]
        self.exchanges = load_exchanges(version)
        self.misses: list[str] = []
        self.served: list[str] = []
        self._last = -1
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Base URL of the loopback server."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> RecordedOdoo:
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def rewind(self) -> None:
        """Start the story again: the next answers are the earliest recorded."""
        with self._lock:
            self._last = -1
            self.misses.clear()
            self.served.clear()

    def answer(
        self, method: str, path: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        """Find the recorded answer for one request."""
        try:
            key, loose, fields = self._keys(method, path, headers, raw)
        except Exception as exc:  # an unparsable request simply matches nothing
            key, loose, fields = f"unparsable: {exc}", None, None
        with self._lock:
            chosen, project = self._choose(key, loose, fields)
            if chosen is None:
                self.misses.append(key)
                return (
                    404,
                    {"content-type": "text/plain"},
                    f"no recorded exchange matches {key[:300]}".encode(),
                )
            self._last = chosen.index
            self.served.append(chosen.file)
        return chosen.status, chosen.headers, self._body(chosen, project)

    def _keys(
        self, method: str, path: str, headers: dict[str, str], raw: bytes
    ) -> tuple[str, str | None, list[str] | None]:
        if method == "GET":
            return _dumps(["GET", path]), None, None
        if path == "/jsonrpc":
            return _jsonrpc_keys(json.loads(raw))
        if path.startswith("/xmlrpc"):
            return _xmlrpc_keys(path, raw.decode())
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = ["not-json", raw.decode(errors="replace")]
        return _json2_keys(path, headers, body, self.version)

    def _choose(
        self, key: str, loose: str | None, fields: list[str] | None
    ) -> tuple[Exchange | None, list[str] | None]:
        exact = [e for e in self.exchanges if e.key == key]
        if exact:
            return self._in_story_order(exact), None
        if loose is None:
            return None, None
        similar = [
            e for e in self.exchanges if e.loose_key == loose and _covers(e, fields)
        ]
        if not similar:
            return None, None
        return self._in_story_order(similar), fields

    def _in_story_order(self, candidates: list[Exchange]) -> Exchange:
        later = [e for e in candidates if e.index > self._last]
        return later[0] if later else candidates[0]

    def _body(self, exchange: Exchange, project: list[str] | None) -> bytes:
        response = exchange.response
        if project is not None:
            response = _project(response, project, exchange)
        if isinstance(response, str):
            return response.encode()
        return json.dumps(response, ensure_ascii=False).encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, out_headers, body = replay.answer(
                    self.command, self.path, headers, raw
                )
                self.send_response(status)
                for name, value in out_headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = _serve
            do_POST = _serve

            def log_message(self, format: str, *args: Any) -> None:
                return

        return Handler


def _covers(exchange: Exchange, fields: list[str] | None) -> bool:
    if exchange.read_fields is None or fields is None:
        return exchange.read_fields is None or fields is not None
    return set(fields) <= set(exchange.read_fields) | {"id"}


def _project(response: Any, fields: list[str], exchange: Exchange) -> Any:
    """Cut recorded `read` records down to the requested fields."""
    wanted = set(fields) | {"id"}
    if exchange.path.startswith("/xmlrpc"):
        params, _ = xmlrpc.client.loads(response, use_builtin_types=True)
        records = [{k: v for k, v in r.items() if k in wanted} for r in params[0]]
        return xmlrpc.client.dumps((records,), methodresponse=True, allow_none=True)
    if isinstance(response, dict) and "result" in response:
        records = [
            {k: v for k, v in r.items() if k in wanted} for r in response["result"]
        ]
        return {**response, "result": records}
    if isinstance(response, list):
        return [{k: v for k, v in r.items() if k in wanted} for r in response]
    return response
