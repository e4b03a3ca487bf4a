"""Read the real Odoo faults recorded in `shared/odoo/` into plain records."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_EXC_NAME = re.compile(
    r"\b((?:odoo\.exceptions|werkzeug\.exceptions|builtins|psycopg2\.errors)"
    r"\.\w+|\w+Error|AccessDenied)\b"
)


@dataclass(frozen=True)
class RealFault:
    """One fault as Odoo sent it."""

    file: str
    """Path relative to `shared/odoo/`."""
    protocol: str
    http_status: int
    name: str
    """The exception name (`odoo.exceptions.AccessError`, `load.messages`)."""
    message: str
    model: str | None
    method: str | None
    fault_code: int | None = None


def read_faults(odoo_dir: Path) -> list[RealFault]:
    """Return every fault in the corpus, json2 and samples folders."""
    faults: list[RealFault] = []
    for path in sorted(odoo_dir.glob("corpus/*.json")) + sorted(
        odoo_dir.glob("json2/*.json")
    ):
        faults.extend(_from_exchange(path, odoo_dir))
    for path in sorted(odoo_dir.glob("samples/errors/*")):
        faults.extend(_from_sample(path, odoo_dir))
    return faults


def _from_exchange(path: Path, root: Path) -> Iterator[RealFault]:
    record = json.loads(path.read_text())
    rel = str(path.relative_to(root))
    model, method = _call_of(record.get("request"), record.get("endpoint", ""))
    status = int(record.get("status") or 200)
    protocol = record.get("protocol") or "json2"
    yield from _faults_in(record.get("response"), rel, protocol, status, model, method)


def _from_sample(path: Path, root: Path) -> Iterator[RealFault]:
    rel = str(path.relative_to(root))
    text = path.read_text(errors="replace")
    protocol = path.name.split(".")[-2] if path.name.count(".") >= 2 else "http"
    body: Any = text
    if path.suffix == ".json":
        try:
            body = json.loads(text)
        except json.JSONDecodeError:
            return
    yield from _faults_in(body, rel, protocol, 200, None, None)


def _faults_in(
    response: Any,
    rel: str,
    protocol: str,
    status: int,
    model: str | None,
    method: str | None,
) -> Iterator[RealFault]:
    if isinstance(response, dict) and isinstance(response.get("error"), dict):
        data = response["error"].get("data") or {}
        name = data.get("name") or response["error"].get("message", "")
        message = data.get("message") or response["error"].get("message", "")
        yield RealFault(rel, protocol, status, str(name), str(message), model, method)
    elif isinstance(response, dict) and isinstance(response.get("result"), dict):
        for item in response["result"].get("messages") or []:
            if item.get("type") == "error":
                yield RealFault(
                    rel,
                    protocol,
                    status,
                    "load.messages",
                    str(item.get("message")),
                    model,
                    method,
                )
    elif isinstance(response, dict) and "name" in response and "message" in response:
        yield RealFault(
            rel,
            protocol,
            status,
            str(response["name"]),
            str(response["message"]),
            model,
            method,
        )
    elif isinstance(response, str) and "<fault>" in response:
        yield _xml_fault(response, rel, protocol, status, model, method)


def _xml_fault(
    body: str,
    rel: str,
    protocol: str,
    status: int,
    model: str | None,
    method: str | None,
) -> RealFault:
    code = re.search(r"<name>faultCode</name>\s*<value><int>(\d+)</int>", body)
    found = re.search(
        r"<name>faultString</name>\s*<value><string>(.*?)</string>", body, re.S
    )
    text = (
        (found.group(1) if found else "").replace("&#x27;", "'").replace("&quot;", '"')
    )
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()
    lines = [line for line in text.splitlines() if line.strip()]
    message = lines[-1] if lines else ""
    if len(lines) > 1 and message.startswith("("):
        message = f"{lines[-2]} {message}"
    names = _EXC_NAME.findall(text)
    name = names[-1] if names else f"xmlrpc.fault{code.group(1) if code else ''}"
    return RealFault(
        rel,
        protocol,
        status,
        name,
        message,
        model,
        method,
        int(code.group(1)) if code else None,
    )


def _call_of(request: Any, endpoint: str) -> tuple[str | None, str | None]:
    if endpoint.startswith("/json/2/"):
        parts = endpoint.split("/")
        return (
            parts[3] if len(parts) > 3 else None,
            parts[4] if len(parts) > 4 else None,
        )
    if isinstance(request, dict):
        args = (request.get("params") or {}).get("args") or []
        if len(args) >= 5 and isinstance(args[3], str):
            return args[3], str(args[4])
    if isinstance(request, str):
        strings = re.findall(r"<string>([\w.]+)</string>", request)
        models = [s for s in strings if "." in s and not s.startswith("opsgate")]
        if models:
            after = strings[strings.index(models[0]) + 1 :]
            return models[0], after[0] if after else None
    return None, None
