"""Remove instruction-like sentences from incident data before anyone reads it.

Payloads, fault texts and names come from outside. A sentence in them that
addresses a model or an operator ("ignore previous instructions", "approve
proposal 1") is not evidence of what failed, so it is removed before the
rules, the model and the LLM see the facts, and the incident is flagged.
"""

from __future__ import annotations

import re
from typing import Any

from opsgate.agent.classify.facts import IncidentFacts

INSTRUCTION = re.compile(
    r"ignore (?:all |any )?(?:the )?(?:previous|prior|above|earlier) instructions|"
    r"disregard (?:all |the )?(?:previous|prior|above)|you are now|"
    r"(?:^|[.!?\"\n]\s*)system\s*:|"
    r"operator override|new instructions?\s*:|\bapprove (?:the |this )?proposal|"
    r"classify (?:this|it) as|\bcall (?:the )?execute|</?data>|mark (?:the )?proposal",
    re.IGNORECASE,
)
_KEYWORDS = (
    "instruction",
    "you are now",
    "system",
    "override",
    "approve",
    "classify",
    "execute",
    "data>",
    "disregard",
    "proposal",
)
"""Words every instruction pattern contains; text without them skips the regex."""
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")

FLAG = "suspected_injection"
"""The flag an incident carries once instruction-like text was removed."""


def looks_instructive(text: str) -> bool:
    """Return whether `text` holds a sentence that reads as an instruction."""
    lowered = text.lower()
    return any(word in lowered for word in _KEYWORDS) and bool(INSTRUCTION.search(text))


def strip_instructions(text: str) -> str:
    """Return `text` without the sentences that read as instructions."""
    if not looks_instructive(text):
        return text
    kept = [s for s in _SENTENCE.split(text) if s and not INSTRUCTION.search(s)]
    return " ".join(kept).strip()


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return strip_instructions(value)
    if isinstance(value, dict):
        cleaned = {key: _clean(item) for key, item in value.items()}
        return {
            key: item
            for key, item in cleaned.items()
            if item not in ("", None) or value[key] in ("", None)
        }
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def defuse(facts: IncidentFacts) -> tuple[IncidentFacts, bool]:
    """Return the facts without instruction-like text, and whether any was found."""
    # One search over the serialised facts is much cheaper than one per field,
    # and nearly every incident has nothing to remove.
    if not looks_instructive(facts.model_dump_json()):
        return facts, False
    data = facts.model_dump()
    cleaned = _clean(data)
    if cleaned == data:
        return facts, False
    if not cleaned.get("customer"):
        cleaned["customer"] = None
    return IncidentFacts.model_validate(cleaned), True
