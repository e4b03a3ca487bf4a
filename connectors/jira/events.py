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
        PayloadRejected: not JSON, or no `webhookEvent` / `timestamp`.
    """
    document = load_json(body, source=SOURCE)
    event = str(require(document, "webhookEvent", source=SOURCE, location="$"))
    stamp = require(document, "timestamp", source=SOURCE, location="$")
    object_type, obj = _subject(document)
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
    issue = document.get("issue") or {}
    issue_fields = issue.get("fields") or {}
    fields: dict[str, Any] = {
        "issue_id": issue.get("id"),
        "issue_key": issue.get("key"),
        "summary": issue_fields.get("summary"),
        "status": (issue_fields.get("status") or {}).get("name"),
        "status_category": (
            (issue_fields.get("status") or {}).get("statusCategory") or {}
        ).get("key"),
        "resolution": (issue_fields.get("resolution") or {}).get("name"),
        "priority": (issue_fields.get("priority") or {}).get("name"),
        "issue_type": (issue_fields.get("issuetype") or {}).get("name"),
        "project_key": (issue_fields.get("project") or {}).get("key"),
        "project_name": (issue_fields.get("project") or {}).get("name"),
        "labels": issue_fields.get("labels") or [],
        "components": [c.get("name") for c in issue_fields.get("components") or []],
        "assignee_account_id": (issue_fields.get("assignee") or {}).get("accountId"),
        "changes": [
            {
                "field": item.get("field"),
                "from": item.get("fromString"),
                "to": item.get("toString"),
            }
            for item in (document.get("changelog") or {}).get("items") or []
        ],
    }
    if object_type == "worklog":
        fields["time_spent_seconds"] = obj.get("timeSpentSeconds")
        fields["started"] = obj.get("started")
        fields["author_account_id"] = (obj.get("author") or {}).get("accountId")
        fields["issue_id"] = fields["issue_id"] or obj.get("issueId")
    return fields
