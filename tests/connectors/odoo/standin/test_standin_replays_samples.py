"""The earlier captures in `samples/` (error shapes of all three RPC flavours).

Each capture in `samples/index.json` whose request can be rebuilt is sent to
an Odoo 18 stand-in holding the records the captures name (partner 71,
deleted partner 74, posted invoice 10); the answer must have the captured
shape: status, content type, fault codes (integer or legacy string) and
messages with numbers generalised.
"""

from __future__ import annotations

import json
import xmlrpc.client
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from opsgate.connectors.odoo.standin import OdooStandin
from tests.connectors.odoo.standin import recordings as rec

SAMPLES = rec.RECORDINGS / "samples"
ADMIN_KEY = "samples-admin-key"
DEMO_KEY = "samples-demo-key"

UNREBUILDABLE = "the index keeps only a summary of this request"
SKIPPED = {
    "ok/search_read_res.partner.xmlrpc2.xml": UNREBUILDABLE,
    "ok/search_read_project.project.xmlrpc2.xml": UNREBUILDABLE,
    "ok/search_read_account.analytic.line.xmlrpc2.xml": UNREBUILDABLE,
    "ok/search_read_account.move.xmlrpc2.xml": UNREBUILDABLE,
    "ok/search_read_crm.lead.xmlrpc2.xml": UNREBUILDABLE,
    "ok/search_read_hr.employee.xmlrpc2.xml": UNREBUILDABLE,
    "ok/create_multi_res.partner.jsonrpc.json": UNREBUILDABLE,
    "ok/write_res.partner.jsonrpc.json": UNREBUILDABLE,
    "ok/create_timesheet.jsonrpc.json": UNREBUILDABLE,
    "ok/common_version.xmlrpc2.xml": UNREBUILDABLE,
    "ok/db_list.xmlrpc2.xml": UNREBUILDABLE,
    "errors/authenticate_wrong_password.xmlrpc2.xml": UNREBUILDABLE,
    "errors/route_not_found.http.html": "the website's 404 page is not reproduced",
}
WEB_CLIENT = "the web-client session API (/web/session, /web/dataset) is not served"


def _captures() -> list[dict[str, Any]]:
    index = SAMPLES / "index.json"
    if not index.is_file():
        return []
    captures = json.loads(index.read_text())["captures"]
    return [c for c in captures if c["file"].startswith(("ok/", "errors/"))]


@pytest.fixture(scope="module")
def samples_standin() -> Iterator[OdooStandin]:
    with OdooStandin(
        version=18, database="ps_demo", api_key=ADMIN_KEY, demo_api_key=DEMO_KEY
    ) as standin:
        now = standin.db.now
        base = {
            "create_date": now,
            "write_date": now,
            "active": True,
            "type": "contact",
        }
        standin.db.table("res.partner")[71] = {
            "id": 71,
            "name": "Sample Co",
            "is_company": True,
            **base,
        }
        standin.db.table("account.move")[10] = {
            "id": 10,
            "name": "INV/2026/00001",
            "state": "posted",
            "move_type": "out_invoice",
            "payment_state": "not_paid",
            **base,
        }
        yield standin


def _key(uid: Any) -> str:
    return DEMO_KEY if uid == 6 else ADMIN_KEY


def _request(capture: dict[str, Any]) -> tuple[str, bytes, dict[str, str]]:
    sent = capture["sent"]
    protocol = capture["protocol"]
    if isinstance(sent, dict) and "execute_kw" in sent:
        args = list(sent["execute_kw"])
        args[2] = (
            "wrong-password" if "wrong_password" in capture["file"] else _key(args[1])
        )
        if protocol == "jsonrpc":
            sent = {"service": "object", "method": "execute_kw", "args": args}
        else:
            body = xmlrpc.client.dumps(tuple(args), "execute_kw", allow_none=True)
            return "POST", body.encode(), {"Content-Type": "text/xml"}
    if isinstance(sent, dict) and "service" in sent:
        args = list(sent["args"])
        if sent["service"] == "object" and len(args) > 2:
            args[2] = (
                "wrong-password"
                if "wrong_password" in capture["file"]
                else _key(args[1])
            )
        envelope = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {**sent, "args": args},
            "id": 1,
        }
        return (
            "POST",
            json.dumps(envelope).encode(),
            {"Content-Type": "application/json"},
        )
    if isinstance(sent, dict) and "jsonrpc" in sent:
        return "POST", json.dumps(sent).encode(), {"Content-Type": "application/json"}
    if sent == "GET":
        return "GET", b"", {}
    if isinstance(sent, dict) and "headers" in sent:
        headers = {
            k: v.replace("<api-key>", ADMIN_KEY) for k, v in sent["headers"].items()
        }
        return (
            "POST",
            sent["body"].encode(),
            {**headers, "Content-Type": "application/json"},
        )
    content_type = "text/xml" if protocol.startswith("xmlrpc") else "application/json"
    if capture["file"].endswith("json_wrong_content_type.jsonrpc.html"):
        content_type = "text/plain"
    return "POST", str(sent).encode(), {"Content-Type": content_type}


def _compare(capture: dict[str, Any], response: httpx.Response) -> list[str]:
    recorded = (SAMPLES / capture["file"]).read_text(encoding="utf-8")
    if response.status_code != capture["http_status"]:
        return [
            f"status {response.status_code} != {capture['http_status']}: {response.text[:300]}"
        ]
    recorded_type = capture.get("content_type") or "application/json; charset=utf-8"
    if response.headers.get("content-type") != recorded_type:
        return [
            f"content-type {response.headers.get('content-type')} != {recorded_type}"
        ]
    if capture["file"].endswith(".xml"):
        return rec.compare_xml_rpc(recorded, response.text) or _legacy_codes(
            recorded, response.text
        )
    if capture["file"].endswith(".json"):
        return rec.compare_json_rpc(json.loads(recorded), response.json())
    return (
        [] if response.text.strip() == recorded.strip() else [f"body {response.text!r}"]
    )


def _legacy_codes(recorded: str, actual: str) -> list[str]:
    rec_kind, rec_value = rec.parse_xmlrpc(recorded)
    _, act_value = rec.parse_xmlrpc(actual)
    if rec_kind == "fault" and isinstance(rec_value[0], str):
        return rec.compare_messages(rec_value[0], act_value[0], "faultCode")
    return []


@pytest.mark.parametrize("capture", _captures(), ids=lambda c: c["file"])
def test_sample_capture_is_answered_in_the_captured_shape(
    samples_standin: OdooStandin, capture: dict[str, Any]
) -> None:
    if capture["file"] in SKIPPED:
        pytest.skip(SKIPPED[capture["file"]])
    if capture["path"].startswith("/web/") or capture["protocol"] == "calljson":
        pytest.skip(WEB_CLIENT)
    method, body, headers = _request(capture)
    with httpx.Client(base_url=samples_standin.url, timeout=30) as client:
        response = client.request(
            method, capture["path"], content=body, headers=headers
        )

    problems = _compare(capture, response)

    assert problems == [], (
        f"{capture['file']}: {problems} answer: {response.text[:600]}"
    )
