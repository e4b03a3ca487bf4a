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
from sqlalchemy import Engine

from opsgate.rules.store.db import session_scope
from opsgate.rules.store.statuses import ProposalStatus

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
        gate_settings: object | None = None,
    ) -> None:
        self.engine = engine
        self.actor = actor
        self.gate_settings = gate_settings
        """The gate's `GateSettings` (who holds which role); `None` for its defaults."""
        self._gate = gate
        self._replay = replay
        self._chain = chain

    @property
    def gate(self) -> ModuleType:
        """The gate module (`opsgate.rules.gate` unless one was given)."""
        if self._gate is None:
            self._gate = _load("opsgate.rules.gate")
        return self._gate

    def _call(self, name: str, proposal_id: int, **kwargs: Any) -> Any:
        """Call one gate function in its own transaction; refusals roll back."""
        gate = self.gate
        with session_scope(self.engine) as session:
            try:
                return getattr(gate, name)(
                    session, proposal_id, settings=self.gate_settings, **kwargs
                )
            except gate.GateRefusal as exc:
                raise ActionRefused(str(exc)) from exc

    def approve(self, proposal_id: int, reason: str) -> Decision:
        """Approve; once the approvals suffice, execute through the gate once."""
        result = self._call("approve", proposal_id, approver=self.actor, reason=reason)
        if result.status != ProposalStatus.APPROVED:
            return Decision(proposal_id, str(result.status), False, result.message)
        executed = self.execute(proposal_id)
        return Decision(
            proposal_id,
            executed.status,
            True,
            f"{result.message} {executed.message}",
        )

    def execute(self, proposal_id: int, reason: str = "") -> Decision:
        """Execute an approved proposal through the gate (`reason` is unused).

        Used on its own when an approval went through but its execution was
        refused or interrupted, so the proposal still waits, approved.
        """
        result = self._call("execute", proposal_id, actor=self.actor)
        log.info("tui.proposal_executed", proposal_id=proposal_id, actor=self.actor)
        return Decision(proposal_id, str(result.status), True, result.message)

    def reject(self, proposal_id: int, reason: str) -> Decision:
        """Reject a proposal through the gate."""
        result = self._call("reject", proposal_id, approver=self.actor, reason=reason)
        return Decision(proposal_id, str(result.status), False, result.message)

    def replay(self, dead_letter_ids: Sequence[int], *, dry_run: bool) -> ReplayOutcome:
        """Replay dead letters through the engine (or preview it)."""
        if self._replay is None:
            self._replay = _load("opsgate.rules.delivery.replay")
        # Known limitation: the TUI replays without a patch; patched replays go
        # through a `replay_with_patch` proposal at the gate instead.
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


def _report_lines(report: Any) -> list[str]:
    """One line a person can read per item of a `ReplayReport`."""
    verbs = {"requeued": "re-queued", "would_requeue": "would re-queue"}
    lines = []
    for item in report.items:
        verb = verbs.get(item.action, item.action)
        where = f"delivery {item.delivery_id} → {item.target or '?'}"
        line = f"dead letter {item.dead_letter_id}: {verb} ({where})"
        if item.reason:
            line += f": {item.reason}"
        lines.append(line)
    return lines
