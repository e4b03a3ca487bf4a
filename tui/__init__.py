"""The Textual terminal UI for ops staff."""
