"""Tell the day's facts as prose without a model, in text or Markdown."""

from __future__ import annotations

from typing import Literal

from opsgate.agent.summary.facts import DayFacts

Format = Literal["text", "markdown"]


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else (many or one + 's')}"


def _listing(counts: dict[str, int]) -> str:
    parts = [
        f"{count} {name}"
        for name, count in sorted(counts.items(), key=lambda kv: -kv[1])
    ]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _money(amount: float, currency: str | None) -> str:
    return f"{amount:,.2f} {currency or ''}".strip()


def _ids(ids: list[int], limit: int = 5) -> str:
    shown = ", ".join(f"#{i}" for i in ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def render_template(facts: DayFacts, fmt: Format = "text") -> str:
    """Return the summary as a few paragraphs a manager reads in a minute."""
    title = (
        f"# Opsgate summary for {facts.day}"
        if fmt == "markdown"
        else f"Opsgate summary for {facts.day}"
    )
    paragraphs = [
        title,
        _flow(facts),
        _trouble(facts),
        _billing(facts),
    ]
    if facts.top_incidents:
        paragraphs.append(_top(facts, fmt))
    return "\n\n".join(p for p in paragraphs if p) + "\n"


def _flow(facts: DayFacts) -> str:
    if facts.events_total == 0:
        return "No events were accepted on this day."
    text = f"Opsgate accepted {_count(facts.events_total, 'event')}"
    if facts.events_by_workflow:
        text += f" ({_listing(facts.events_by_workflow)})"
    text += "."
    if facts.failures_total:
        text += (
            f" {_count(facts.failures_total, 'attempt')} failed "
            f"({_listing(facts.failures_by_category)})"
        )
        text += (
            f", and {_count(facts.retries, 'retry', 'retries')} ran."
            if facts.retries
            else "."
        )
    else:
        text += " No delivery attempt failed."
    return text


def _trouble(facts: DayFacts) -> str:
    sentences = []
    if facts.dead_letter_ids:
        sentences.append(
            f"{_count(len(facts.dead_letter_ids), 'delivery', 'deliveries')} became dead "
            f"letters ({_ids(facts.dead_letter_ids)})."
        )
    opened, closed = len(facts.incidents_opened), len(facts.incidents_closed)
    if opened or closed:
        sentences.append(f"{_count(opened, 'incident')} opened and {closed} closed.")
    if facts.sla_breaches:
        sentences.append(
            f"{_count(len(facts.sla_breaches), 'open incident')} are past their due date "
            f"({_ids(facts.sla_breaches)})."
        )
    if facts.approvals_waiting:
        sentences.append(
            f"{_count(len(facts.approvals_waiting), 'proposal')} wait for approval "
            f"({_ids(facts.approvals_waiting)})."
        )
    return (
        " ".join(sentences)
        or "No incidents opened or closed, and nothing waits for approval."
    )


def _billing(facts: DayFacts) -> str:
    parts = [
        f"{facts.unbilled_hours[c]:,.2f} h worth {_money(facts.unbilled_value.get(c, 0.0), c)}"
        for c in sorted(facts.unbilled_hours)
    ]
    text = (
        "Approved time not yet invoiced: " + "; ".join(parts) + "."
        if parts
        else "All approved time is invoiced."
    )
    if facts.anomalies_raised:
        raised = _count(facts.anomalies_raised, "billing anomaly", "billing anomalies")
        text += f" {raised} were raised."
    return text


def _top(facts: DayFacts, fmt: Format) -> str:
    bullet = "- " if fmt == "markdown" else "  - "
    rows = [
        f"{bullet}#{i.id} {i.title} ({_money(i.amount_at_risk, i.currency)} at risk)"
        for i in facts.top_incidents
    ]
    return "The incidents with the most money at risk:\n" + "\n".join(rows)
