"""Check a narrative against the facts: every number and id in it must be among them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

_NUMBER = re.compile(r"(?<![\w.])[-+]?\d[\d,]*(?:\.\d+)?")
_UUID = re.compile(
    r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I
)


@dataclass(frozen=True)
class Verdict:
    """Whether a text states only what the facts hold."""

    ok: bool
    unknown_numbers: tuple[str, ...] = ()
    unknown_ids: tuple[str, ...] = ()


def _normal(token: str) -> str | None:
    try:
        value = Decimal(token.replace(",", "").lstrip("+"))
    except InvalidOperation:
        return None
    return (
        format(value.normalize(), "f")
        if value == value.to_integral()
        else str(value.normalize())
    )


def numbers_in(text: str) -> set[str]:
    """Return the numbers in `text`, normalised (`1,250.50` → `1250.5`)."""
    found = set()
    for match in _NUMBER.finditer(_UUID.sub(" ", text)):
        for part in re.split(r"(?<=\d)-(?=\d)", match.group()):
            normal = _normal(part)
            if normal is not None:
                found.add(normal)
    return found


def allowed_from(facts: dict[str, Any], *texts: str) -> tuple[set[str], set[str]]:
    """Return the numbers and ids the facts (and trusted texts) contain."""
    body = json.dumps(facts, default=str)
    numbers = numbers_in(body)
    for text in texts:
        numbers |= numbers_in(text)
    for value in list(numbers):
        number = Decimal(value)
        numbers.add(_normal(f"{number:.2f}") or value)
        numbers.add(_normal(f"{number:.1f}") or value)
        numbers.add(_normal(f"{number:.0f}") or value)
    ids = {m.group().lower() for m in _UUID.finditer(body)}
    return numbers, ids


def verify_narrative(text: str, facts: dict[str, Any], *trusted: str) -> Verdict:
    """Return whether every number and id in `text` is among the facts."""
    numbers, ids = allowed_from(facts, *trusted)
    unknown_numbers = sorted(numbers_in(text) - numbers)
    unknown_ids = sorted({m.group().lower() for m in _UUID.finditer(text)} - ids)
    return Verdict(
        not unknown_numbers and not unknown_ids,
        tuple(unknown_numbers),
        tuple(unknown_ids),
    )
