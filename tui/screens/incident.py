"""One incident in full: error, fault, attempts, related records, proposals."""

from __future__ import annotations

import asyncio
import json

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import Footer, Header, Static

from opsgate.rules.incidents.open_tickets import describe_open_tickets
from opsgate.rules.store.statuses import ProposalStatus
from opsgate.rules.store.tables import Proposal
from opsgate.tui import formatting as fmt
from opsgate.tui.context import Similar, TuiContext
from opsgate.tui.gateway import Decision
from opsgate.tui.messages import StoreChanged
from opsgate.tui.queries import IncidentDetail, as_utc, load_incident
from opsgate.tui.screens.decision import DecisionScreen, Verb, verb_for
from opsgate.tui.screens.store_screen import StoreScreen
from opsgate.tui.widgets.diff_view import DiffView


class IncidentScreen(StoreScreen):
    """The drill-down of one incident."""

    CSS_PATH = "incident.tcss"
    BINDINGS = [
        Binding("escape,backspace", "app.pop_screen", "Back", id="incident.back"),
        Binding("a", "approve", "Approve", id="incident.approve"),
        Binding("x", "reject", "Reject", id="incident.reject"),
    ]

    def __init__(self, ctx: TuiContext, incident_id: int) -> None:
        super().__init__(ctx)
        self.incident_id = incident_id
        self.detail: IncidentDetail | None = None

    def compose(self) -> ComposeResult:
        """One scrolling column of sections."""
        yield Header()
        with VerticalScroll(id="body"):
            yield Static(id="summary", classes="section")
            yield Static(id="classification", classes="section")
            yield Static(id="error", classes="section")
            yield Static(id="attempts", classes="section")
            yield Static(id="related", classes="section")
            yield Static(id="similar", classes="section")
            yield Static(id="proposal", classes="section")
            yield DiffView(id="diff")
        yield Footer()

    def on_mount(self) -> None:
        """Load the incident."""
        self.refresh_data()

    def refresh_data(self) -> None:
        """Re-read the incident and its records."""
        self._load()

    @work(exclusive=True, exit_on_error=False, group="incident")
    async def _load(self) -> None:
        iid = self.incident_id
        self.detail = await self.ctx.read_async(lambda s: load_incident(s, iid))
        if self.detail is None:
            self._set("summary", f"Incident {iid} does not exist.")
            return
        self._render_detail(self.detail)
        if self.ctx.similar is not None:
            self._similar_from_memory(self.ctx.similar, iid)

    @work(exclusive=True, exit_on_error=False, group="similar")
    async def _similar_from_memory(self, similar: Similar, incident_id: int) -> None:
        lines = await asyncio.to_thread(similar, incident_id)
        shown = [escape(line) for line in lines] or ["None found in the memory."]
        self._set("similar", "\n".join(["[b]Similar past incidents[/b]", *shown]))

    def _set(self, section: str, text: str) -> None:
        self.query_one(f"#{section}", Static).update(text)

    def _render_detail(self, d: IncidentDetail) -> None:
        i = d.incident
        now = self.ctx.clock()
        tickets = describe_open_tickets(i)
        self.title = f"Incident {i.id}"
        self._set(
            "summary",
            f"[b]Incident {i.id}[/b] · {i.category} · {i.status} · "
            f"impact {i.impact_score:.1f}\n{escape(i.title)}\n"
            f"workflow {i.workflow or '–'} · blocks {i.blocks or '–'} · "
            f"customer {escape(i.customer or '–')} · project {escape(i.project or '–')}\n"
            f"at risk {fmt.money(i.amount_at_risk, i.currency)} · due "
            f"{i.due_date or '–'} · opened {fmt.age(as_utc(i.opened_at), now)} ago"
            + (f"\n{escape(tickets)}" if tickets else ""),
        )
        ctx = i.context or {}
        cls = ctx.get("classification") or {}
        self._set(
            "classification",
            "[b]Classification[/b]\n"
            + (
                f"{cls.get('category')} · confidence {cls.get('confidence')} · "
                f"by {cls.get('method')}"
                if cls
                else "Not classified by the agent yet."
            ),
        )
        self._render_error(d)
        self._render_related(d)
        self._render_proposal(d)

    def _render_error(self, d: IncidentDetail) -> None:
        i = d.incident
        fault = d.attempts[-1].fault if d.attempts else (i.context or {}).get("fault")
        fault_text = json.dumps(fault, indent=2, default=str) if fault else "–"
        self._set(
            "error",
            f"[b]Error[/b]\n{escape(i.detail or i.title)}\n"
            f"[b]Fault[/b]\n{escape(fault_text)}",
        )
        lines = ["[b]Attempts[/b]"] + [
            f"#{a.number} {a.outcome} {fmt.stamp(as_utc(a.started_at))} "
            f"{a.error_category or ''} {escape(a.error_message or '')}"
            for a in d.attempts
        ]
        if d.delivery is not None:
            lines.insert(
                1,
                f"delivery {d.delivery.id} → {d.delivery.target} "
                f"{d.delivery.operation} · {d.delivery.status}",
            )
        if len(lines) == 1:
            lines.append("No delivery attempts (failed before delivery).")
        self._set("attempts", "\n".join(lines))

    def _render_related(self, d: IncidentDetail) -> None:
        related = ["[b]Related records[/b]"]
        if d.event is not None:
            related.append(
                f"event {d.event.id} · {d.event.type} from {d.event.source} · "
                f"correlation {d.event.correlation_id}"
            )
        for key, value in ((d.incident.context or {}).get("related") or {}).items():
            related.append(f"{key}: {value}")
        related += [
            f"  same flow: {e.id} {e.type} ({e.status})" for e in d.related_events
        ]
        if len(related) == 1:
            related.append("No event, delivery or related record.")
        if d.dead_letter is not None:
            related.append(
                f"dead letter {d.dead_letter.id} · replayed {d.dead_letter.replay_count}×"
            )
        self._set("related", "\n".join(related))
        similar = ["[b]Similar past incidents[/b]"] + [
            f"#{r.id} {r.status} · {escape(r.title)}" for r in d.similar
        ]
        if not d.similar:
            similar.append("None with the same failure signature.")
        self._set("similar", "\n".join(similar))

    def _render_proposal(self, d: IncidentDetail) -> None:
        proposal = self._actionable()
        if not d.proposals:
            self._set("proposal", "[b]Proposal[/b]\nThe agent has not proposed a fix.")
            self.query_one("#diff", DiffView).show(None)
            return
        shown = proposal or d.proposals[-1]
        approvals = d.approvals.get(shown.id or 0, [])
        lines = [
            f"[b]Proposal {shown.id}[/b] · {shown.kind} · {shown.risk} risk · {shown.status}",
            escape(shown.summary),
            f"[dim]{escape(shown.rationale or '')}[/dim]",
        ] + [f"{a.decision} by {a.approver}: {escape(a.reason)}" for a in approvals]
        self._set("proposal", "\n".join(lines))
        self.query_one("#diff", DiffView).show(shown.preview)

    def _actionable(self) -> Proposal | None:
        if self.detail is None:
            return None
        waiting = (ProposalStatus.PENDING, ProposalStatus.APPROVED)
        return next((p for p in self.detail.proposals if p.status in waiting), None)

    def action_approve(self) -> None:
        """Approve the incident's waiting proposal, after confirmation."""
        self._decide("approve")

    def action_reject(self) -> None:
        """Reject the incident's waiting proposal, after confirmation."""
        self._decide("reject")

    def _decide(self, verb: Verb) -> None:
        proposal = self._actionable()
        if proposal is None:
            self.notify("No proposal waits for a decision.", title="Incident")
            return
        self.app.push_screen(
            DecisionScreen(self.ctx, proposal, verb_for(proposal, verb)), self._decided
        )

    def _decided(self, decision: Decision | None) -> None:
        if decision is not None:
            self.notify(
                f"Proposal {decision.proposal_id}: {decision.message}", title="Gate"
            )
            self.app.post_message(StoreChanged(f"proposal {decision.proposal_id}"))
            self.refresh_data()
