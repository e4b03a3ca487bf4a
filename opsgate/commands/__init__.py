"""Subcommands of the `opsgate` CLI, one module per command group."""
