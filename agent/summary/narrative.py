"""Write the summary: the model's narrative when it agrees with the facts, else the template."""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from pydantic import BaseModel, Field
from sqlmodel import Session

from opsgate.agent.llm import LLMClient
from opsgate.agent.summary.facts import DayFacts
from opsgate.agent.summary.template import Format, render_template
from opsgate.agent.summary.verification import numbers_in, verify_narrative
from opsgate.rules.audit.chain import record

log = structlog.get_logger(__name__)


class Narrative(BaseModel):
    """What the model must return."""

    text: str = Field(max_length=4000)
    """The summary, a few short paragraphs."""


@dataclass(frozen=True)
class Summary:
    """The summary as written, and where its text came from."""

    text: str
    source: str
    """`template`, `model`, or `template_after_discard`."""
    facts: DayFacts


def write_summary(
    session: Session,
    facts: DayFacts,
    *,
    fmt: Format = "text",
    llm: LLMClient | None = None,
) -> Summary:
    """Return the day's summary; a model's narrative is kept only if it checks out.

    It checks out when every number and id in it is among the facts and it
    states at least the day's event total, so an empty or evasive narrative
    is discarded as surely as a wrong one.
    """
    template = render_template(facts, "markdown" if fmt == "markdown" else "text")
    if llm is None or not llm.available:
        return Summary(template, "template", facts)
    reply = llm.structured(
        "summary_narrative",
        Narrative,
        data={"facts": facts.to_dict()},
        variables={"format": fmt},
        purpose="summary",
    )
    if reply.value is None:
        return Summary(template, "template", facts)
    verdict = verify_narrative(reply.value.text, facts.to_dict(), template)
    says_enough = str(facts.events_total) in numbers_in(reply.value.text)
    if verdict.ok and says_enough:
        return Summary(reply.value.text.strip() + "\n", "model", facts)
    record(
        session,
        actor="agent",
        action="summary.narrative_discarded",
        subject=f"summary:{facts.day}",
        detail={
            "unknown_numbers": list(verdict.unknown_numbers),
            "unknown_ids": list(verdict.unknown_ids),
            "omits_event_total": not says_enough,
            "kept": "template",
        },
    )
    log.warning(
        "summary.narrative_discarded",
        day=facts.day,
        unknown_numbers=list(verdict.unknown_numbers)[:10],
    )
    return Summary(template, "template_after_discard", facts)
