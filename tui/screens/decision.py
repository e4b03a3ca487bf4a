"""The confirmation dialog for approving or rejecting a proposal.

The decision is taken only when the person confirms, with a reason. If the
gate refuses (stale proposal, wrong role, a second approver needed), the
dialog stays open and says why.
"""

from __future__ import annotations

import asyncio
from typing import Literal

import structlog
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from opsgate.rules.store.statuses import ProposalStatus
from opsgate.rules.store.tables import Proposal
from opsgate.tui.context import TuiContext
from opsgate.tui.gateway import ActionRefused, Decision
from opsgate.tui.widgets.diff_view import DiffView

log = structlog.get_logger(__name__)

Verb = Literal["approve", "reject", "execute"]


def verb_for(proposal: Proposal, verb: Verb) -> Verb:
    """An approved proposal that has not run yet is executed, not approved."""
    if verb == "approve" and proposal.status == ProposalStatus.APPROVED:
        return "execute"
    return verb


class DecisionScreen(ModalScreen[Decision | None]):
    """Ask for a reason, then approve or reject through the gate."""

    CSS_PATH = "decision.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="decision.cancel")]

    def __init__(self, ctx: TuiContext, proposal: Proposal, verb: Verb) -> None:
        super().__init__()
        self.ctx = ctx
        self.proposal = proposal
        self.verb = verb

    def compose(self) -> ComposeResult:
        """The proposal, its preview, a reason and the two buttons."""
        p = self.proposal
        with Vertical(id="dialog", classes=f"-{self.verb}"):
            yield Label(
                f"{self.verb.capitalize()} proposal {p.id} ({p.kind}, {p.risk} risk)?",
                id="question",
            )
            yield Static(p.summary, id="summary")
            with VerticalScroll(id="preview"):
                yield DiffView(id="diff")
            yield Input(placeholder="reason (required)", id="reason")
            yield Static(id="refusal")
            with Horizontal(id="buttons"):
                yield Button(self.verb.capitalize(), id="confirm", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        """Show the preview and ask for the reason first."""
        self.query_one("#diff", DiffView).show(self.proposal.preview)
        self.query_one("#reason", Input).focus()

    @property
    def refusal(self) -> Static:
        """Where a refusal is explained."""
        return self.query_one("#refusal", Static)

    def action_cancel(self) -> None:
        """Close without deciding."""
        self.dismiss(None)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#confirm")
    @on(Input.Submitted, "#reason")
    def _confirm(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        if not reason and self.verb != "execute":
            self._refuse("A reason is required: say why, for the audit log.")
            return
        self.query_one("#confirm", Button).disabled = True
        self._decide(reason)

    @work(exclusive=True, group="decision")
    async def _decide(self, reason: str) -> None:
        gateway = self.ctx.gateway
        pid = self.proposal.id or 0
        call = {
            "approve": gateway.approve,
            "reject": gateway.reject,
            "execute": gateway.execute,
        }[self.verb]
        try:
            decision = await asyncio.to_thread(call, pid, reason)
        except ActionRefused as refused:
            self._refuse(f"Refused: {refused}")
            self.query_one("#confirm", Button).disabled = False
            return
        except Exception as exc:
            log.exception("tui.decision_failed", proposal_id=pid, verb=self.verb)
            self._refuse(f"Failed, nothing was decided: {exc}")
            self.query_one("#confirm", Button).disabled = False
            return
        self.dismiss(decision)

    def _refuse(self, message: str) -> None:
        self.refusal.update(message)
        self.refusal.add_class("-shown")
