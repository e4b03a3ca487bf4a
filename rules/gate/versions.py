"""Versions of the records proposals are computed against.

A record reference reads `<table>:<id>` (`delivery:42`, `dead_letter:7`,
`incident:3`, `event:<uuid>`). Its version is a hash of the fields a
correction depends on, so any change since the proposal makes it stale.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlmodel import Session

from opsgate.rules.gate.errors import GateRefusal, RefusalReason
from opsgate.rules.store.tables import DeadLetter, Delivery, Event, Incident


def record_version(session: Session, record_ref: str) -> str:
    """Return the current version of the record `record_ref` names."""
    return _digest(_fields(session, record_ref))


def _fields(session: Session, record_ref: str) -> list[Any]:
    table, _, key = record_ref.partition(":")
    if table == "delivery":
        delivery = session.get(Delivery, _int(record_ref, key))
        if delivery is not None:
            return _delivery_fields(delivery)
    elif table == "dead_letter":
        dead = session.get(DeadLetter, _int(record_ref, key))
        if dead is not None:
            delivery = session.get(Delivery, dead.delivery_id)
            fields = [dead.replay_count, dead.replayed_at, dead.reason]
            return fields + (_delivery_fields(delivery) if delivery else [])
    elif table == "incident":
        incident = session.get(Incident, _int(record_ref, key))
        if incident is not None:
            return [incident.status, incident.resolved_at, incident.fingerprint]
    elif table == "event":
        event = session.get(Event, key)
        if event is not None:
            return [event.status, event.data]
    else:
        raise _refusal(
            f"Unknown record reference {record_ref!r}: expected "
            "delivery:, dead_letter:, incident: or event:."
        )
    raise _refusal(f"Record {record_ref!r} does not exist.")


def _delivery_fields(delivery: Delivery) -> list[Any]:
    return [delivery.status, delivery.attempt_count, delivery.payload]


def _int(record_ref: str, key: str) -> int:
    if not key.isdigit():
        raise _refusal(f"Record reference {record_ref!r} needs a numeric id.")
    return int(key)


def _digest(fields: list[Any]) -> str:
    body = json.dumps(fields, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()[:32]


def _refusal(message: str) -> GateRefusal:
    return GateRefusal(message, reason=RefusalReason.BAD_INPUT, proposal_id=None)
