"""The approvals inbox: proposals waiting at the gate, with their previews."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from opsgate.tui import formatting as fmt
from opsgate.tui.context import TuiContext
from opsgate.tui.gateway import Decision
from opsgate.tui.messages import StoreChanged
from opsgate.tui.queries import WaitingProposal, list_waiting_proposals
from opsgate.tui.screens.decision import DecisionScreen, Verb, verb_for
from opsgate.tui.screens.store_screen import StoreScreen
from opsgate.tui.widgets.columns import add_fixed_columns
from opsgate.tui.widgets.diff_view import DiffView


class ApprovalsScreen(StoreScreen):
    """Waiting proposals, worst incident first; approve or reject each."""

    VIEW_NAME = "approvals"
    CSS_PATH = "approvals.tcss"
    BINDINGS = [
        Binding("a", "approve", "Approve", id="approvals.approve"),
        Binding("x", "reject", "Reject", id="approvals.reject"),
    ]

    def __init__(self, ctx: TuiContext) -> None:
        super().__init__(ctx)
        self.waiting: dict[str, WaitingProposal] = {}

    def compose(self) -> ComposeResult:
        """The inbox on the left, the highlighted proposal on the right."""
        yield Header()
        with Horizontal():
            yield DataTable(id="inbox", cursor_type="row")
            with VerticalScroll(id="detail"):
                yield Static(id="about")
                yield DiffView(id="diff")
        yield Footer()

    @property
    def inbox(self) -> DataTable[str]:
        """The table of waiting proposals."""
        return self.query_one("#inbox", DataTable)

    def on_mount(self) -> None:
        """Columns, then the first load."""
        add_fixed_columns(
            self.inbox, [("id", 3), ("risk", 6), ("at risk", 11), ("kind", 17)]
        )
        self.inbox.focus()
        self.refresh_data()

    def refresh_data(self) -> None:
        """Re-read the waiting proposals."""
        self._load()

    @work(exclusive=True, exit_on_error=False, group="approvals")
    async def _load(self) -> None:
        rows = await self.ctx.read_async(list_waiting_proposals)
        keep = self.inbox.cursor_row
        self.inbox.clear()
        self.waiting = {str(w.proposal.id): w for w in rows}
        for w in rows:
            inc = w.incident
            self.inbox.add_row(
                str(w.proposal.id),
                str(w.proposal.risk),
                fmt.money(inc.amount_at_risk, inc.currency) if inc else "–",
                str(w.proposal.kind),
                key=str(w.proposal.id),
            )
        if rows:
            self.inbox.move_cursor(row=min(keep, len(rows) - 1))
            self._show(self._highlighted())
        else:
            self._show(None)

    def _highlighted(self) -> WaitingProposal | None:
        if not self.inbox.row_count:
            return None
        key = self.inbox.coordinate_to_cell_key(self.inbox.cursor_coordinate).row_key
        return self.waiting.get(str(key.value))

    @on(DataTable.RowHighlighted, "#inbox")
    def _highlight(self) -> None:
        self._show(self._highlighted())

    def _show(self, waiting: WaitingProposal | None) -> None:
        about = self.query_one("#about", Static)
        diff = self.query_one("#diff", DiffView)
        if waiting is None:
            about.update("No proposals wait for a decision.")
            diff.show({})
            return
        p, inc = waiting.proposal, waiting.incident
        lines = [
            f"[b]Proposal {p.id}[/b] · {p.kind} · {p.risk} risk · {p.status}",
            p.summary,
            f"[dim]{p.rationale or ''}[/dim]",
        ]
        if inc is not None:
            lines.append(f"Incident {inc.id}: {inc.title}")
        for a in waiting.approvals:
            lines.append(f"{a.decision} by {a.approver} ({a.role}): {a.reason}")
        about.update("\n".join(lines))
        diff.show(p.preview)

    def action_approve(self) -> None:
        """Open the approval dialog for the highlighted proposal."""
        self._decide("approve")

    def action_reject(self) -> None:
        """Open the rejection dialog for the highlighted proposal."""
        self._decide("reject")

    def _decide(self, verb: Verb) -> None:
        waiting = self._highlighted()
        if waiting is None:
            self.notify("Nothing to decide.", title="Approvals", severity="warning")
            return
        screen = DecisionScreen(
            self.ctx, waiting.proposal, verb_for(waiting.proposal, verb)
        )
        self.app.push_screen(screen, self._decided)

    def _decided(self, decision: Decision | None) -> None:
        if decision is None:
            return
        self.notify(
            f"Proposal {decision.proposal_id}: {decision.message}",
            title="Gate",
        )
        self.app.post_message(StoreChanged(f"proposal {decision.proposal_id}"))
        self.refresh_data()
