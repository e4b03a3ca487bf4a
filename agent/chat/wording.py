"""Turn tool results into a short answer that states the facts and cites the ids."""

from __future__ import annotations

from typing import Any

from opsgate.agent.llm import ToolResult


def _money(amount: float | None, currency: str | None) -> str:
    return (
        f"{amount:,.2f} {currency or ''}".strip() if amount is not None else "no amount"
    )


def word_deal_status(customer: str, result: ToolResult) -> tuple[str, list[str]]:
    """Explain what became of a customer's deal."""
    if result.status != "ok":
        return f"I found no deal for {customer!r} in the store.", []
    sentences, cited = [], []
    for deal in result.data:
        cited.append(deal["event_id"])
        text = f"The deal {deal['deal']!r} ({deal['event_id']}) is {deal['status']}."
        for incident in deal["incidents"]:
            cited.append(incident["id"])
            control = (
                f", control {incident['control']!r}" if incident["control"] else ""
            )
            text += f" {incident['id']} ({incident['category']}{control}): {incident['title']}"
        for dead in deal["dead_letters"]:
            cited.append(dead["id"])
            text += f" {dead['id']} ({dead['category']}): {dead['reason']}"
        if not deal["incidents"] and not deal["dead_letters"]:
            done = [d for d in deal["deliveries"] if d["status"] == "delivered"]
            text += (
                f" {len(done)} of {len(deal['deliveries'])} deliveries are delivered."
            )
        sentences.append(text)
    return " ".join(sentences), cited


def word_failures(customer: str, result: ToolResult) -> tuple[str, list[str]]:
    """List what failed for a customer."""
    if result.status != "ok":
        return (
            f"Nothing failed for {customer!r} since {result.params['since'][:10]}.",
            [],
        )
    rows: list[dict[str, Any]] = result.data
    parts = [f"{r['id']} ({r['category']}, {r['status']}): {r['title']}" for r in rows]
    text = (
        f"{len(rows)} incident(s) for {customer!r} since {result.params['since'][:10]}: "
        + "; ".join(parts)
    )
    return text, [r["id"] for r in rows]


def word_unbilled(project: str, result: ToolResult) -> tuple[str, list[str]]:
    """State a project's unbilled approved time."""
    if result.status != "ok":
        return f"I know no project {project!r}; no time is recorded for it.", []
    data = result.data
    if not data["lines"]:
        return f"Project {project} has no approved time waiting to be invoiced.", []
    parts = [
        f"{money['hours']:,.2f} h worth {_money(money['value'], currency)}"
        for currency, money in sorted(data["by_currency"].items())
    ]
    text = (
        f"Project {project} has {' and '.join(parts)} of approved time not invoiced, "
        f"in {data['lines']} line(s)."
    )
    return text, list(data["event_ids"])


LISTED_AT_MOST = 5
"""Dead letters an answer names one by one; the rest are counted."""


def word_dead_letters(result: ToolResult) -> tuple[str, list[str]]:
    """Say which dead letters a plain replay can fix."""
    if result.status != "ok":
        return "There are no dead letters waiting for a replay.", []
    safe = [r for r in result.data if r["safe_to_replay"]]
    unsafe = [r for r in result.data if not r["safe_to_replay"]]
    text = (
        f"{len(safe)} dead letter(s) can be replayed safely, their failure was transient: "
        + ", ".join(f"{r['id']} ({r['category']}, {r['event_id']})" for r in safe)
        + "."
        if safe
        else "No dead letter can be replayed as it is."
    )
    if unsafe:
        by_category: dict[str, int] = {}
        for row in unsafe:
            by_category[row["category"]] = by_category.get(row["category"], 0) + 1
        counts = ", ".join(
            f"{n} {category}" for category, n in sorted(by_category.items())
        )
        shown = unsafe[:LISTED_AT_MOST]
        text += (
            f" {len(unsafe)} need a fix first ({counts}), for example: "
            + "; ".join(f"{r['id']} ({r['category']}): {r['reason']}" for r in shown)
            + (
                f"; and {len(unsafe) - len(shown)} more."
                if len(unsafe) > len(shown)
                else "."
            )
        )
    return text, [r["id"] for r in safe] + [r["event_id"] for r in safe]


def word_incident(result: ToolResult) -> tuple[str, list[str]]:
    """Describe one incident."""
    if result.status != "ok":
        return f"There is no incident {result.params['incident_id']}.", []
    row = result.data
    text = f"{row['id']} is {row['status']} ({row['category']}): {row['title']}" + (
        f" Money at risk: {_money(row['amount_at_risk'], row['currency'])}."
        if row["amount_at_risk"]
        else ""
    )
    cited = [row["id"]] + ([f"event:{row['event_id']}"] if row["event_id"] else [])
    return text, cited


def word_open_incidents(result: ToolResult) -> tuple[str, list[str]]:
    """List the open incidents by impact."""
    if result.status != "ok":
        return "No incident is open.", []
    parts = [
        f"{r['id']}: {r['title']} ({_money(r['amount_at_risk'], r['currency'])} at risk)"
        for r in result.data
    ]
    return "The open incidents with the most impact: " + "; ".join(parts), [
        r["id"] for r in result.data
    ]
