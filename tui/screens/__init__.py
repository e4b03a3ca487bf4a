"""The TUI's views and dialogs, one module and one .tcss each."""
