"""Mask secrets and personal data before any text leaves for a model.

Emails, phone numbers, IBANs, tokens and keys, and people's names become
stable placeholders (`<email_1>`, `<person_2>`), so the model still sees that
two mentions are the same thing without seeing what it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "email",
        re.compile(
            r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
            r"\.[A-Za-z0-9-]{2,}"
        ),
    ),
    ("secret", re.compile(r"(?i)\b(?:bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}")),
    (
        "secret",
        re.compile(
            r"(?i)\b(?:api[_-]?key|token|secret|password|passwd)\b[\"']?\s*[:=]\s*"
            r"[\"']?[^\s\"',;]{4,}"
        ),
    ),
    ("secret", re.compile(r"\b(?:sk|pk|rk|ghp|gho|xox[bpa])[-_][A-Za-z0-9_-]{10,}")),
    ("secret", re.compile(r"\b[0-9a-fA-F]{32,}\b")),
    (
        "secret",
        re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+"),
    ),
    (
        "iban",
        re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b"),
    ),
    ("phone", re.compile(r"(?<![\w/.-])\+?\d[\d\s().-]{7,}\d(?![\w/-])")),
]

PERSON_KEYS = re.compile(
    r"(?i)^(?:(?:first|last|full|display|contact|employee|consultant|owner)[_ ]?name"
    r"|firstname|lastname|name_of_person|employee|consultant|owner|contact|approver"
    r"|assignee|user)$"
)
"""Payload keys whose values are people's names."""


class Masker:
    """Replace personal data and secrets with placeholders, consistently."""

    def __init__(self, known_names: Iterable[str] = ()) -> None:
        self._names = sorted(
            {n.strip() for n in known_names if len(n.strip()) > 2},
            key=len,
            reverse=True,
        )
        self._seen: dict[str, str] = {}
        self._counts: dict[str, int] = {}

    def text(self, value: str) -> str:
        """Return `value` with every match masked."""
        for name in self._names:
            value = re.sub(
                re.escape(name),
                lambda m: self._token("person", m[0]),
                value,
                flags=re.IGNORECASE,
            )
        for label, pattern in _PATTERNS:
            value = pattern.sub(partial(self._replace, label), value)
        return value

    def _replace(self, label: str, match: re.Match[str]) -> str:
        return self._token(label, match[0])

    def data(self, value: Any, key: str = "") -> Any:
        """Return a masked copy of plain data (dicts, lists, strings)."""
        if isinstance(value, Mapping):
            return {k: self.data(v, str(k)) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.data(v, key) for v in value]
        if isinstance(value, str):
            if PERSON_KEYS.match(key) and value.strip():
                return self._token("person", value)
            return self.text(value)
        return value

    def with_names(self, names: Iterable[str]) -> Masker:
        """Return a fresh masker that also masks `names` (placeholders restart)."""
        return Masker([*self._names, *names])

    def add_names(self, names: Iterable[str]) -> None:
        """Also mask these names wherever they appear in text."""
        merged = set(self._names) | {n.strip() for n in names if len(n.strip()) > 2}
        self._names = sorted(merged, key=len, reverse=True)

    def _token(self, label: str, original: str) -> str:
        key = f"{label}:{original.lower()}"
        if key not in self._seen:
            self._counts[label] = self._counts.get(label, 0) + 1
            self._seen[key] = f"<{label}_{self._counts[label]}>"
        return self._seen[key]
