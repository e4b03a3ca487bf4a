"""Fault injection: make the stand-in misbehave on purpose, per model/method.

For the demo and for tests of the client's retry, breaker and drift paths:
rate limiting (429 with `Retry-After`), unavailability (503), slow answers
(a timeout on the client's side) and a renamed field (schema drift: the old
name is refused as unknown, reads and `fields_get` show the new one).

    standin.inject(FaultRule("rate_limit", model="res.partner", times=2))
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Literal

FaultKind = Literal["rate_limit", "unavailable", "slow", "rename_field"]


@dataclass
class FaultRule:
    """One misbehaviour and where it applies."""

    kind: FaultKind
    model: str | None = None
    """Only calls on this model (None: every model, and version/login calls)."""
    method: str | None = None
    """Only calls of this method (None: every method)."""
    times: int | None = None
    """How many calls it hits before it stops (None: until cleared)."""
    retry_after_s: float | None = 1.0
    """`Retry-After` sent with 429/503 (None: no header). Seconds."""
    delay_s: float = 5.0
    """How long a `slow` answer waits before it is sent. Seconds."""
    field: str | None = None
    """`rename_field`: the field's recorded name."""
    renamed_to: str | None = None
    """`rename_field`: the name the server now uses."""

    def applies(self, model: str | None, method: str | None) -> bool:
        """Whether this rule hits a call of `model.method`."""
        if self.times is not None and self.times <= 0:
            return False
        if self.model is not None and self.model != model:
            return False
        return self.method is None or self.method == method


class FaultInjector:
    """The active rules of one stand-in (thread-safe: tests add them live)."""

    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()

    def add(self, rule: FaultRule) -> FaultRule:
        """Activate a rule; returns it so callers can inspect `times` left."""
        with self._lock:
            self._rules.append(rule)
        return rule

    def remove(self, rule: FaultRule) -> None:
        """Deactivate one rule (no error if it is already gone)."""
        with self._lock:
            self._rules = [active for active in self._rules if active is not rule]

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self._rules.clear()

    def take(self, model: str | None, method: str | None) -> FaultRule | None:
        """Return the first transport-level rule (429/503/slow) for this call."""
        with self._lock:
            for rule in self._rules:
                if rule.kind != "rename_field" and rule.applies(model, method):
                    if rule.times is not None:
                        rule.times -= 1
                    return rule
        return None

    def renames(self, model: str | None) -> dict[str, str]:
        """The active field renames of `model`: recorded name → served name."""
        with self._lock:
            return {
                rule.field: rule.renamed_to
                for rule in self._rules
                if rule.kind == "rename_field"
                and rule.model == model
                and rule.field
                and rule.renamed_to
            }


def mentions_field(value: Any, name: str) -> bool:
    """Whether a request's arguments use the field `name` anywhere."""
    if isinstance(value, dict):
        return name in value or any(mentions_field(v, name) for v in value.values())
    if isinstance(value, list | tuple):
        if len(value) == 3 and value[0] == name and isinstance(value[1], str):
            return True
        return any(
            mentions_field(v, name) or v == name or v == f"{name}/id" for v in value
        )
    return False


def rename_keys(value: Any, renames: dict[str, str]) -> Any:
    """Rename dict keys in a result (reads, `fields_get`) after a drift."""
    if isinstance(value, dict):
        return {renames.get(k, k): rename_keys(v, renames) for k, v in value.items()}
    if isinstance(value, list):
        return [rename_keys(v, renames) for v in value]
    return value


def swap_names(value: Any, mapping: dict[str, str]) -> Any:
    """Replace field names (dict keys, list items, domain leaves) per `mapping`."""
    if isinstance(value, dict):
        return {mapping.get(k, k): swap_names(v, mapping) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [
            mapping.get(v, v) if isinstance(v, str) else swap_names(v, mapping)
            for v in value
        ]
    return value
