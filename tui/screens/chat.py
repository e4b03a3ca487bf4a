"""The chat pane: questions in plain words, answers that cite events.

The backend is any `ask(question) -> Answer` callable; the insights chat job
provides it. Without one, the pane says how to get it and stays read-only.
"""

from __future__ import annotations

import asyncio

import structlog
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.markup import escape
from textual.widgets import Footer, Header, Input, RichLog

from opsgate.tui.screens.store_screen import StoreScreen

log = structlog.get_logger(__name__)


class ChatScreen(StoreScreen):
    """Ask about the store; every answer cites what it is based on."""

    VIEW_NAME = "chat"
    CSS_PATH = "chat.tcss"
    BINDINGS = [
        Binding("slash", "focus_question", "Ask", id="chat.ask"),
        Binding("escape", "leave_question", "Leave the question", id="chat.leave"),
    ]
    """While the question box has the cursor, `q` and `:` are letters of the
    question; Escape gives them back to the app (then `/` asks again)."""

    def compose(self) -> ComposeResult:
        """The conversation and the question box."""
        yield Header()
        yield RichLog(id="log", wrap=True, markup=True)
        yield Input(
            placeholder="ask, e.g. why was no project created for Acme?", id="question"
        )
        yield Footer()

    def on_mount(self) -> None:
        """Say what the pane can do in this build."""
        pane = self.query_one("#log", RichLog)
        if self.ctx.ask is None:
            pane.write(
                "The chat backend is not configured in this build; "
                "`opsgate ask` provides it once the chat job is installed."
            )
        self.query_one("#question", Input).focus()

    def action_focus_question(self) -> None:
        """Put the cursor in the question box."""
        self.query_one("#question", Input).focus()

    def action_leave_question(self) -> None:
        """Take the cursor out of the question box, so the app's keys work."""
        self.query_one("#log", RichLog).focus()

    @on(Input.Submitted, "#question")
    def _asked(self, event: Input.Submitted) -> None:
        question = event.value.strip()
        event.input.clear()
        if question:
            self._answer(question)

    @work(exclusive=True, exit_on_error=False, group="chat")
    async def _answer(self, question: str) -> None:
        pane = self.query_one("#log", RichLog)
        pane.write(f"[b]you[/b] {escape(question)}")
        if self.ctx.ask is None:
            pane.write("[dim]No chat backend: nothing to answer with.[/dim]")
            return
        try:
            answer = await asyncio.to_thread(self.ctx.ask, question)
        except Exception as exc:
            log.exception("chat.failed", question_chars=len(question))
            self.notify(str(exc), title="Chat failed", severity="error")
            return
        cited = getattr(answer, "citations", None) or getattr(answer, "cited_ids", [])
        cites = ", ".join(cited) or "none"
        proposal = getattr(answer, "proposal_id", None)
        if proposal is not None:
            cites += f" · proposal {proposal} waits in :approvals"
        pane.write(
            f"[b]opsgate[/b] {escape(answer.text)}\n[dim]cites: {escape(cites)}[/dim]"
        )
