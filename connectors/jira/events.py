"""Verify and parse Jira Cloud webhooks.

Jira is a support-desk input: its events say which customer or project an
issue concerns, so incidents can weigh impact. Nothing is written back.

Dedupe key: the `X-Atlassian-Webhook-Identifier` header, which stays the
same across retries; without it, event name, object id and the delivery's
`timestamp` (ms). Webhooks registered with a secret carry `X-Hub-Signature:
sha256=<hex HMAC-SHA256 of the body>`.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from opsgate.connectors.inbound.body import from_epoch_ms, load_json, require
from opsgate.connectors.inbound.errors import PayloadRejected
from opsgate.connectors.inbound.record import SourceRecord
from opsgate.connectors.inbound.request import InboundRequest
from opsgate.connectors.inbound.signing import (
    hex_digest,
    hmac_sha256,
    require_header,
    require_match,
)

SOURCE = "jira"


def signature(secret: str, body: bytes) -> str:
    """Return the `X-Hub-Signature` value Jira sends for `body`."""
    return "sha256=" + hex_digest(hmac_sha256(secret.encode(), body))


def verify(request: InboundRequest, secret: str, now: datetime | None = None) -> None:
    """Raise `SignatureRejected` unless `X-Hub-Signature` matches the body."""
    given = require_header(
        request.header("X-Hub-Signature"), "X-Hub-Signature", source=SOURCE
    )
    require_match(
        signature(secret, request.body), given, source=SOURCE, scheme="sha256"
    )


def parse(body: bytes, headers: Mapping[str, str] | None = None) -> list[SourceRecord]:
    """Turn one Jira delivery into one record.

    Raises:
        PayloadRejected: not JSON, no `webhookEvent` / `timestamp`, or an issue
            part that is not the shape Jira sends (names the path and value).
    """
    document = load_json(body, source=SOURCE)
    event = str(require(document, "webhookEvent", source=SOURCE, location="$"))
    stamp = require(document, "timestamp", source=SOURCE, location="$")
    object_type, obj = _subject(document)
    if event.startswith("jira:issue_") and object_type != "issue":
        raise PayloadRejected(
            f"jira body at $: a {event} delivery must carry the issue, and "
            "has no `issue` object.",
            source=SOURCE,
            location="$.issue",
        )
    object_id = str(obj.get("id")) if obj.get("id") is not None else None
    identifier = InboundRequest(body=b"", headers=headers or {}).header(
        "X-Atlassian-Webhook-Identifier"
    )
    return [
        SourceRecord(
            source=SOURCE,
            source_event_id=identifier or f"{event}:{object_id}:{stamp}",
            event_type=event,
            object_type=object_type,
            object_id=object_id,
            occurred_at=from_epoch_ms(stamp, source=SOURCE, location="$.timestamp"),
            fields=_fields(document, object_type, obj),
            meta={
                "issue_event_type_name": document.get("issue_event_type_name"),
                "retry": (headers or {}).get("x-atlassian-webhook-retry"),
            },
            location="$",
            raw=document,
        )
    ]


def _subject(document: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    for name in ("worklog", "comment", "issue", "project", "sprint", "version"):
        if isinstance(document.get(name), dict):
            return name, document[name]
    return "unknown", {}


def _fields(
    document: dict[str, Any], object_type: str, obj: dict[str, Any]
) -> dict[str, Any]:
    issue = _object(document, "issue", "$")
    issue_fields = _object(issue, "fields", "$.issue")
    status = _object(issue_fields, "status", "$.issue.fields")
    project = _object(issue_fields, "project", "$.issue.fields")
    fields: dict[str, Any] = {
        "issue_id": issue.get("id"),
        "issue_key": issue.get("key"),
        "summary": issue_fields.get("summary"),
        "status": status.get("name"),
        "status_category": _object(
            status, "statusCategory", "$.issue.fields.status"
        ).get("key"),
        "resolution": _name(issue_fields, "resolution"),
        "priority": _name(issue_fields, "priority"),
        "issue_type": _name(issue_fields, "issuetype"),
        "project_key": project.get("key"),
        "project_name": project.get("name"),
        "labels": _list(issue_fields, "labels", "$.issue.fields"),
        "components": [
            c.get("name")
            for c in _list(issue_fields, "components", "$.issue.fields")
            if isinstance(c, dict)
        ],
        "assignee_account_id": _object(issue_fields, "assignee", "$.issue.fields").get(
            "accountId"
        ),
        "changes": [
            {
                "field": item.get("field"),
                "from": item.get("fromString"),
                "to": item.get("toString"),
            }
            for item in _list(
                _object(document, "changelog", "$"), "items", "$.changelog"
            )
            if isinstance(item, dict)
        ],
    }
    if object_type == "worklog":
        fields["time_spent_seconds"] = obj.get("timeSpentSeconds")
        fields["started"] = obj.get("started")
        fields["author_account_id"] = _object(obj, "author", "$.worklog").get(
            "accountId"
        )
        fields["issue_id"] = fields["issue_id"] or obj.get("issueId")
    return fields


def _object(container: dict[str, Any], key: str, location: str) -> dict[str, Any]:
    """`container[key]` as an object (empty when absent), or `PayloadRejected`."""
    value = container.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise PayloadRejected(
            f"jira body at {location}.{key}: expected an object, got {value!r}.",
            source=SOURCE,
            location=f"{location}.{key}",
            value=value,
        )
    return value


def _list(container: dict[str, Any], key: str, location: str) -> list[Any]:
    value = container.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise PayloadRejected(
            f"jira body at {location}.{key}: expected a list, got {value!r}.",
            source=SOURCE,
            location=f"{location}.{key}",
            value=value,
        )
    return value


def _name(issue_fields: dict[str, Any], key: str) -> Any:
    return _object(issue_fields, key, "$.issue.fields").get("name")
