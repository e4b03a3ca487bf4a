"""The TUI's only way to change anything: the gate, replay and chain checks.

Every write the TUI offers goes through this module, which calls
`opsgate.rules.gate` (approve, reject, execute), the engine's
`replay_dead_letters` and the audit chain's `verify`. Those parts are built
on other branches; they are imported when first used, so the TUI still opens
(read-only in effect) in a build that lacks them, and says so when a write is
tried. Swapping an implementation means editing this module only.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import structlog
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.statuses import ProposalStatus
from opsgate.rules.store.tables import Proposal
from sqlalchemy import Engine

log = structlog.get_logger(__name__)


class ActionRefused(Exception):
    """Raised when the gate or the replay refuses an action; the text says why."""


@dataclass(frozen=True)
class Decision:
    """What came of an approval or a rejection."""

    proposal_id: int
    status: str
    """The proposal's status afterwards (`pending`, `executed`, `rejected`...)."""
    executed: bool
    message: str


@dataclass(frozen=True)
class ReplayOutcome:
    """What a replay did, or would do in a dry run."""

    dry_run: bool
    lines: list[str]
    """One human line per dead letter."""


@dataclass(frozen=True)
class ChainStatus:
    """The audit chain's verification result, as the TUI shows it."""

    ok: bool | None
    """`None` when verification is not available in this build."""
    entries_checked: int
    message: str


def _load(module: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ActionRefused(
            f"{module!r} is not part of this build, so this action is unavailable."
        ) from exc


class Gateway:
    """Calls the gate, replay and audit verification for one person."""

    def __init__(
        self,
        engine: Engine,
        *,
        actor: str,
        gate: ModuleType | None = None,
        replay: ModuleType | None = None,
        chain: ModuleType | None = None,
    ) -> None:
        self.engine = engine
        self.actor = actor
        self._gate = gate
        self._replay = replay
        self._chain = chain

    @property
    def gate(self) -> ModuleType:
        """The gate module (`opsgate.rules.gate` unless one was given)."""
        if self._gate is None:
            self._gate = _load("opsgate.rules.gate")
        return self._gate

    def _refusal(self, exc: Exception) -> ActionRefused | None:
        refusal = getattr(self.gate, "GateRefusal", None)
        if refusal is not None and isinstance(exc, refusal):
            return ActionRefused(str(exc))
        return None

    def approve(self, proposal_id: int, reason: str) -> Decision:
        """Approve, and execute through the gate once the approval suffices."""
        with session_scope(self.engine) as session:
            try:
                self.gate.approve(
                    session, proposal_id, approver=self.actor, reason=reason
                )
            except Exception as exc:
                refused = self._refusal(exc)
                if refused is None:
                    raise
                raise refused from exc
            status = _status(session, proposal_id)
        if status != ProposalStatus.APPROVED:
            log.info("proposal.approved", proposal_id=proposal_id, status=status)
            return Decision(
                proposal_id, status, False, "Approval recorded; more are needed."
            )
        return self._execute(proposal_id)

    def _execute(self, proposal_id: int) -> Decision:
        with session_scope(self.engine) as session:
            try:
                self.gate.execute(session, proposal_id, actor=self.actor)
            except Exception as exc:
                refused = self._refusal(exc)
                if refused is None:
                    raise
                raise refused from exc
            status = _status(session, proposal_id)
        log.info("proposal.executed", proposal_id=proposal_id, status=status)
        return Decision(proposal_id, status, True, f"Approved and {status}.")

    def reject(self, proposal_id: int, reason: str) -> Decision:
        """Reject a proposal through the gate."""
        with session_scope(self.engine) as session:
            try:
                self.gate.reject(
                    session, proposal_id, approver=self.actor, reason=reason
                )
            except Exception as exc:
                refused = self._refusal(exc)
                if refused is None:
                    raise
                raise refused from exc
            status = _status(session, proposal_id)
        log.info("proposal.rejected", proposal_id=proposal_id, status=status)
        return Decision(proposal_id, status, False, "Rejected.")

    def replay(
        self, dead_letter_ids: Sequence[int], *, dry_run: bool
    ) -> ReplayOutcome:
        """Replay dead letters through the engine (or preview it)."""
        if self._replay is None:
            self._replay = _load("opsgate.rules.delivery.replay")
        with session_scope(self.engine) as session:
            try:
                report = self._replay.replay_dead_letters(
                    session, list(dead_letter_ids), actor=self.actor, dry_run=dry_run
                )
            except ValueError as exc:
                raise ActionRefused(str(exc)) from exc
        log.info(
            "dead_letters.replayed",
            count=len(dead_letter_ids),
            dry_run=dry_run,
            actor=self.actor,
        )
        return ReplayOutcome(dry_run=dry_run, lines=_report_lines(report))

    def verify_chain(self) -> ChainStatus:
        """Verify the audit chain; report `ok=None` if this build cannot."""
        try:
            chain = self._chain or _load("opsgate.rules.audit.chain")
            verify = chain.verify
        except (ActionRefused, AttributeError):
            return ChainStatus(None, 0, "Chain verification is not in this build.")
        with session_scope(self.engine) as session:
            verdict = verify(session)
        if verdict.ok:
            message = f"Chain intact: {verdict.entries_checked} entries verified."
        else:
            message = (
                f"Chain broken at entry {verdict.first_broken_id}: {verdict.reason}"
            )
        return ChainStatus(bool(verdict.ok), int(verdict.entries_checked), message)


def _status(session: Any, proposal_id: int) -> str:
    proposal = session.get(Proposal, proposal_id)
    if proposal is None:
        return "missing"
    session.refresh(proposal)
    return str(proposal.status)


def _report_lines(report: Any) -> list[str]:
    """Turn whatever `ReplayReport` holds into lines a person can read."""
    for name in ("lines", "items", "results", "outcomes"):
        items = getattr(report, name, None)
        if items:
            return [str(item) for item in items]
    return [str(report)]
