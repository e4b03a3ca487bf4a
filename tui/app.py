"""The Opsgate terminal UI: one mode per view, keyboard first.

Views are Textual modes, so each keeps its own place while you move between
them (`:incidents`, the number keys, or the command palette). Bindings carry
ids (`approvals.approve`), so `TuiSettings.keymap` can move any key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import HelpPanel

from opsgate.tui.context import TuiContext
from opsgate.tui.messages import StoreChanged
from opsgate.tui.screens.approvals import ApprovalsScreen
from opsgate.tui.screens.audit import AuditScreen
from opsgate.tui.screens.chat import ChatScreen
from opsgate.tui.screens.dead_letters import DeadLettersScreen
from opsgate.tui.screens.events import EventsScreen
from opsgate.tui.screens.incidents import IncidentsScreen
from opsgate.tui.screens.jump import JumpScreen
from opsgate.tui.screens.overview import OverviewScreen
from opsgate.tui.screens.store_screen import StoreScreen

VIEWS: dict[str, type[StoreScreen]] = {
    screen.VIEW_NAME: screen
    for screen in (
        OverviewScreen,
        IncidentsScreen,
        ApprovalsScreen,
        EventsScreen,
        DeadLettersScreen,
        AuditScreen,
        ChatScreen,
    )
}
"""Every view, by the name `:` jumps to, in number-key order."""


def _view_bindings() -> list[Binding]:
    return [
        Binding(
            str(number),
            f"view('{name}')",
            name.capitalize(),
            show=False,
            id=f"app.view.{name}",
        )
        for number, name in enumerate(VIEWS, start=1)
    ]


class OpsgateApp(App[None]):
    """Health, incidents, approvals, events, dead letters and the audit log."""

    CSS_PATH = "app.tcss"
    TITLE = "Opsgate"
    BINDINGS = [
        Binding("colon", "jump", "Jump", id="app.jump"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
        *_view_bindings(),
    ]

    def __init__(self, ctx: TuiContext, *, start: str = "overview") -> None:
        super().__init__()
        self.ctx = ctx
        self.start = start
        for name, screen in VIEWS.items():
            self.add_mode(name, self._factory(screen))

    def _factory(self, screen: type[StoreScreen]) -> Callable[[], Screen[None]]:
        return lambda: screen(self.ctx)

    def on_mount(self) -> None:
        """Theme, keymap, sub-title, then the first view."""
        self.theme = self.ctx.settings.theme
        self.set_keymap(self.ctx.settings.keymap)
        mode = " · read-only" if self.ctx.readonly else ""
        self.sub_title = f"{self.ctx.actor}{mode}"
        self.switch_mode(self.start)

    def action_view(self, name: str) -> None:
        """Switch to the view called `name`."""
        if name in VIEWS:
            self.switch_mode(name)
        else:
            self.notify(f"No view called {name!r}.", title="Jump", severity="warning")

    def action_jump(self) -> None:
        """Open the `:` prompt."""
        self.push_screen(JumpScreen(list(VIEWS)), self._jumped)

    def _jumped(self, name: str | None) -> None:
        if name is not None:
            self.action_view(name)

    def action_help(self) -> None:
        """Show or hide the key help beside the current view."""
        if self.screen.query(HelpPanel):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette's commands: every view, then Textual's own."""
        for name, view in VIEWS.items():
            yield SystemCommand(
                f"Go to {name}",
                (view.__doc__ or "").strip().splitlines()[0],
                self._goto(name),
            )
        yield from super().get_system_commands(screen)

    def _goto(self, name: str) -> Callable[[], None]:
        return lambda: self.action_view(name)

    def on_store_changed(self, message: StoreChanged) -> None:
        """After a write, every view in the current stack re-reads the store."""
        self.log.info("store.changed", what=message.what)
        for screen in self.screen_stack:
            if isinstance(screen, StoreScreen):
                screen.refresh_data()
