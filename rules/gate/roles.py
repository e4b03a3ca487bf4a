"""Roles and the principals who hold them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a person or a service account may do at the gate."""

    VIEWER = "viewer"
    """Reads only."""
    OPERATOR = "operator"
    """Approves low-risk proposals, rejects, executes approved ones."""
    APPROVER = "approver"
    """Approves proposals of every risk level."""
    ADMIN = "admin"
    """Everything an approver may, plus administration."""


MACHINE_ACTORS = frozenset({"agent", "chat"})
"""Actors that propose but can never approve, whatever the settings say."""


@dataclass(frozen=True)
class Principal:
    """Someone acting at the gate."""

    name: str
    role: Role | None
    """None when the name is not in the settings."""
    is_person: bool
    """False for service accounts and the agent and chat."""
