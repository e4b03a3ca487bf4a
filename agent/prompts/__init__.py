"""Prompt files (`*.md`) for the agent; names starting with `_` are partials."""
