"""Errors of the gate.

GateError
 └── GateRefusal   (the gate said no; the message says why)
"""

from __future__ import annotations

from enum import StrEnum


class RefusalReason(StrEnum):
    """Why the gate refused, as a stable key for the UI and the audit log."""

    NOT_FOUND = "not_found"
    ROLE_NOT_ALLOWED = "role_not_allowed"
    NOT_A_PERSON = "not_a_person"
    SECOND_APPROVER_NEEDED = "second_approver_needed"
    ALREADY_DECIDED = "already_decided"
    ALREADY_APPROVED_BY = "already_approved_by"
    STALE = "stale"
    NOT_APPROVED = "not_approved"
    WRONG_PROPOSAL = "wrong_proposal"
    UNKNOWN_KIND = "unknown_kind"
    BAD_INPUT = "bad_input"


class GateError(Exception):
    """Raised when the gate cannot do what was asked."""


class GateRefusal(GateError):
    """Raised when the gate refuses a proposal, approval or execution."""

    def __init__(
        self, message: str, *, reason: RefusalReason, proposal_id: int | None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason
        self.proposal_id = proposal_id
