"""Commands the CLI imports only when they run.

Some commands need scikit-learn, LangGraph, ChromaDB or Textual, which take
seconds to import; a command that needs none of them should start at once.
The command list names each command's module and its one-line help, so
`opsgate --help` lists everything without importing any of it, and running a
command imports that command's module alone. A test keeps each line of help
equal to the command's own.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, ClassVar

import typer
import typer.core
import typer.main


@dataclass(frozen=True)
class LazyCommand:
    """A command by name: where it lives and what its help says."""

    name: str
    target: str
    """`module:attribute`, a command function or a `typer.Typer` group."""
    help: str
    """The command's one-line help, shown without importing it."""

    def load(self) -> Any:
        """Import the command and return it as the CLI's command object."""
        module, _, attribute = self.target.partition(":")
        found = getattr(importlib.import_module(module), attribute)
        if isinstance(found, typer.Typer):
            group = typer.main.get_group(found)
            group.name = self.name
            return group
        single = typer.Typer()
        single.command(self.name)(found)
        return typer.main.get_command(single)


class LazyGroup(typer.core.TyperGroup):
    """A command group whose commands are imported on first use."""

    lazy: ClassVar[tuple[LazyCommand, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._by_name = {command.name: command for command in self.lazy}
        self._listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        """The lazy commands in their listed order, then the group's own."""
        own = [name for name in super().list_commands(ctx) if name not in self._by_name]
        return [command.name for command in self.lazy] + own

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command, imported now unless only its help is wanted."""
        if cmd_name in self.commands or cmd_name not in self._by_name:
            return super().get_command(ctx, cmd_name)
        spec = self._by_name[cmd_name]
        if self._listing:
            return typer.core.TyperCommand(spec.name, help=spec.help)
        command = spec.load()
        self.add_command(command, spec.name)
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """Write the group's help from the listed lines, importing nothing."""
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def lazy_group(commands: tuple[LazyCommand, ...]) -> type[LazyGroup]:
    """A `LazyGroup` class serving `commands`, for `typer.Typer(cls=...)`."""
    return type("OpsgateCommands", (LazyGroup,), {"lazy": commands})
