"""Replaying recorded Odoo exchanges against the stand-in and comparing shapes.

A recording's request is sent as recorded (API key and nothing else
substituted); the answer must have the recorded SHAPE: HTTP status,
content type, JSON keys and value types (a recorded `false` or `[]` matches
anything: unset is a value, not a type), error names, fault codes, and the
message with its numbers generalised.
"""

from __future__ import annotations

import json
import os
import re
import xmlrpc.client
from pathlib import Path
from typing import Any

import httpx

RECORDINGS = Path(os.environ.get("OPSGATE_ODOO_RECORDINGS", "/work/shared/odoo"))
CORPUS = RECORDINGS / "corpus"
JSON2 = RECORDINGS / "json2"


def load_exchange(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    if value is False:
        return "unset"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if value is None:
        return "null"
    return "str"


def shape_differences(recorded: Any, actual: Any, where: str = "$") -> list[str]:
    """Where the actual value's shape departs from the recorded one."""
    if recorded == "unset" or recorded == []:
        return []
    if isinstance(recorded, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {actual!r}"]
        problems = []
        missing = sorted(set(recorded) - set(actual))
        extra = sorted(set(actual) - set(recorded))
        if missing or extra:
            problems.append(f"{where}: keys missing {missing}, unexpected {extra}")
        for key in set(recorded) & set(actual):
            problems += shape_differences(recorded[key], actual[key], f"{where}.{key}")
        return problems
    if isinstance(recorded, list):
        if not isinstance(actual, list):
            return [f"{where}: expected a list, got {actual!r}"]
        if not actual:
            return [f"{where}: expected a non-empty list, got []"]
        return shape_differences(recorded[0], actual[0], f"{where}[0]")
    if recorded != actual and actual != "unset":
        return [f"{where}: expected {recorded}, got {actual}"]
    if recorded != actual:
        return [f"{where}: expected {recorded}, got unset"]
    return []


def message_pattern(text: str) -> re.Pattern[str]:
    """The recorded message with numbers and dates generalised."""
    escaped = re.escape(text)
    escaped = re.sub(r"\d+", r"\\d+", escaped)
    return re.compile(escaped, re.DOTALL)


def last_line(traceback: str) -> str:
    return traceback.rstrip("\n").splitlines()[-1]


def compare_messages(recorded: str, actual: str, where: str) -> list[str]:
    if message_pattern(recorded).fullmatch(actual):
        return []
    return [f"{where}: message {actual!r} does not match recorded {recorded!r}"]


def compare_json_rpc(recorded: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    if "error" in recorded:
        if "error" not in actual:
            return [f"expected an error, got {json.dumps(actual)[:300]}"]
        rec, act = recorded["error"], actual["error"]
        problems = []
        if rec["code"] != act["code"] or rec["message"] != act["message"]:
            problems.append(f"error code/message {act['code']}/{act['message']}")
        if list(rec["data"]) != list(act["data"]):
            problems.append(
                f"error.data keys {list(act['data'])} != {list(rec['data'])}"
            )
        if rec["data"]["name"] != act["data"]["name"]:
            problems.append(
                f"error name {act['data']['name']} != {rec['data']['name']}"
            )
        problems += compare_messages(
            rec["data"]["message"], act["data"]["message"], "error"
        )
        return problems
    if "error" in actual:
        data = actual["error"]["data"]
        return [f"unexpected error {data['name']}: {data['message']}"]
    if set(recorded) != set(actual):
        return [f"envelope keys {sorted(actual)} != {sorted(recorded)}"]
    return shape_differences(shape(recorded.get("result")), shape(actual.get("result")))


def parse_xmlrpc(text: str) -> tuple[str, Any]:
    try:
        params, _ = xmlrpc.client.loads(text, use_datetime=False)
    except xmlrpc.client.Fault as fault:
        return "fault", (fault.faultCode, fault.faultString)
    return "result", params[0]


def compare_xml_rpc(recorded_text: str, actual_text: str) -> list[str]:
    rec_kind, rec = parse_xmlrpc(recorded_text)
    act_kind, act = parse_xmlrpc(actual_text)
    if rec_kind != act_kind:
        return [f"expected a {rec_kind}, got {act_kind}: {str(act)[:300]}"]
    if rec_kind == "fault":
        problems = [] if rec[0] == act[0] else [f"faultCode {act[0]} != {rec[0]}"]
        if rec[0] == 1 or str(rec[1]).startswith("Traceback"):
            return problems + compare_messages(
                last_line(rec[1]), last_line(act[1]), "faultString"
            )
        return problems + compare_messages(rec[1], act[1], "faultString")
    if not actual_text.startswith('<?xml version="1.0"?>\n<methodResponse>\n'):
        return ["XML envelope differs from Odoo's"]
    return shape_differences(shape(rec), shape(act))


def compare_json2(
    recorded: Any, status: int, content_type: str, actual: Any
) -> list[str]:
    if not content_type.startswith("application/json"):
        return [] if isinstance(recorded, str) else ["expected JSON"]
    if status >= 400:
        problems = []
        if list(recorded) != list(actual):
            problems.append(f"error keys {list(actual)} != {list(recorded)}")
        if recorded["name"] != actual.get("name"):
            problems.append(f"error name {actual.get('name')} != {recorded['name']}")
        problems += compare_messages(
            recorded["message"], actual.get("message", ""), "error"
        )
        if recorded["arguments"][1:] != actual.get("arguments", [None])[1:]:
            problems.append(
                f"arguments {actual.get('arguments')} != {recorded['arguments']}"
            )
        return problems
    return shape_differences(shape(recorded), shape(actual))


def send(
    client: httpx.Client,
    endpoint: str,
    *,
    method: str = "POST",
    headers: dict[str, str] | None = None,
    content: bytes | None = None,
) -> httpx.Response:
    return client.request(method, endpoint, headers=headers, content=content)
