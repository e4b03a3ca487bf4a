"""Layer 1: rules over the error taxonomy and the fault's text.

Each rule is a pattern over the fault (name, message, HTTP status) that
names a category with high precision. Where no rule fires, or two rules
disagree, the layer abstains and the model decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from opsgate.agent.classify.facts import Category, IncidentFacts

RULE_CONFIDENCE = 0.97
"""Confidence given to a category named by exactly one rule."""


@dataclass(frozen=True)
class Rule:
    """A pattern that, when it matches the fault text, names a category."""

    category: Category
    pattern: re.Pattern[str]
    statuses: frozenset[int] = frozenset()
    """HTTP statuses that name the category on their own."""


def _rule(category: Category, pattern: str, statuses: tuple[int, ...] = ()) -> Rule:
    # Patterns run over lower-cased text: far faster than IGNORECASE alternations.
    return Rule(category, re.compile(pattern.lower()), frozenset(statuses))


RULES: list[Rule] = [
    _rule("unknown", r"outcome is unknown|cannot marshal None"),
    _rule(
        "rate_limit",
        r"\brate limit|too many requests|REQUEST_LIMIT_EXCEEDED|"
        r"rolling limit",
        (429,),
    ),
    _rule("timeout", r"timed out|\btimeout\b|did not answer .* within"),
    _rule(
        "unavailable",
        r"service unavailable|bad gateway|connection refused|"
        r"OperationalError|connection to server",
        (502, 503, 504),
    ),
    _rule(
        "auth",
        r"AccessDenied|Access Denied|Invalid apikey|not authenticated|INVALID_SESSION_ID|"
        r"invalid_token|token .* expired|Session expired",
        (401,),
    ),
    _rule(
        "permission",
        r"odoo\.exceptions\.AccessError|You are not allowed to|"
        r"INSUFFICIENT_ACCESS|required scopes|Private methods",
    ),
    _rule(
        "missing_reference",
        r"MissingError|External ID not found|does not exist in "
        r"Odoo|which Odoo does not have|has no project with external id|"
        r"no Odoo project is mapped to|no Odoo employee for",
    ),
    _rule(
        "conflict",
        r"system of record|already invoiced|reconciled journal entry|"
        r"posted journal item",
    ),
    _rule(
        "duplicate",
        r"duplicate key value|already accepted|already imported|"
        r"already holds",
    ),
    _rule(
        "schema_drift",
        r"Invalid field|the model '.*' does not exist|"
        r"method '.*' does not exist|Method not found|payload shape changed|"
        r"header changed|columns this import does not know",
    ),
]


def classify_by_rules(facts: IncidentFacts) -> tuple[Category, float] | None:
    """Return (category, confidence) when exactly one category's rules match."""
    text = f"{facts.fault_text()} {facts.detail}".lower()
    named = {
        rule.category
        for rule in RULES
        if rule.pattern.search(text) or (facts.http_status in rule.statuses)
    }
    if len(named) != 1:
        return None
    return named.pop(), RULE_CONFIDENCE
