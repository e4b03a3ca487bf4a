"""Render prompts from `agent/prompts/*.md` with untrusted data fenced."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

PROMPT_DIR = Path(__file__).resolve().parent.parent / "prompts"

_env = Environment(
    loader=FileSystemLoader(PROMPT_DIR),
    undefined=StrictUndefined,
    autoescape=False,
    keep_trailing_newline=True,
)


def fence(data: Any) -> str:
    """Return `data` as JSON inside a fence the data itself cannot close."""
    body = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str)
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}json DATA\n{body}\n{ticks}"


def render(name: str, **variables: Any) -> str:
    """Render prompt `name` (without `.md`); `data_*` variables are fenced."""
    values = {
        key.removeprefix("data_"): fence(value) if key.startswith("data_") else value
        for key, value in variables.items()
    }
    return _env.get_template(f"{name}.md").render(**values)


def prompt_hash(text: str) -> str:
    """Return the SHA-256 of a rendered prompt, for the audit log."""
    return hashlib.sha256(text.encode()).hexdigest()
