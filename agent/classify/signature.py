"""Failure signatures: incidents with the same one share a cause."""

from __future__ import annotations

import hashlib
import re

from opsgate.agent.classify.facts import IncidentFacts

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBER = re.compile(r"\b\d[\d.,:/-]*\b")
_IDS = re.compile(r"\b(?:evt|cus|si|prod|inv)[-_][A-Za-z0-9]+\b")


def normalise(text: str) -> str:
    """Return `text` with values, numbers and ids replaced by placeholders."""
    text = _QUOTED.sub("'_'", text)
    text = _IDS.sub("<id>", text)
    return _NUMBER.sub("<n>", text).strip().lower()


def fingerprint(facts: IncidentFacts) -> str:
    """Return the failure signature of an incident."""
    operation = (facts.operation or "").split(":", 1)[0]
    parts = [
        facts.source or "",
        facts.target or "",
        operation,
        facts.stage or "",
        str(facts.http_status or ""),
        str(facts.fault.get("name", "")),
        normalise(str(facts.fault.get("message", "")) or facts.detail),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
