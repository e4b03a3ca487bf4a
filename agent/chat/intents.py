"""Understand a question without a model: which tool answers it, about what.

Rules come first (they are exact about ids and verbs); a TF-IDF and logistic
regression model trained on the phrasings below picks the intent when no
rule fires. Entities (customer, project, incident, window) are read from the
question against the names the store knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Literal, cast

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

Intent = Literal[
    "deal_status",
    "customer_failures",
    "unbilled_time",
    "replayable_dead_letters",
    "incident_detail",
    "open_incidents",
    "change_request",
    "unknown",
]

_CHANGE = re.compile(
    r"^\s*(?:please\s+|can you\s+|could you\s+|would you\s+|go ahead and\s+|now\s+)?"
    r"(?:retry|replay|re-?run|resend|fix|correct|change|update|set|delete|remove|approve"
    r"|reject|resolve|close|create|cancel|mark|adjust|hold|dismiss|patch)\b",
    re.IGNORECASE,
)
_INCIDENT = re.compile(r"(?:incident\s*#?|#)(\d+)\b", re.IGNORECASE)
_DEAD_LETTER = re.compile(r"dead\s*letters?\s*#?(\d+)\b", re.IGNORECASE)
_PROJECT = re.compile(r"\b(P-\d+)\b", re.IGNORECASE)

TRAINING: dict[str, tuple[str, ...]] = {
    "deal_status": (
        "why was no project created for the deal",
        "where is the project for the deal",
        "what happened to the deal",
        "why is the deal stuck",
        "did the deal become a project",
        "why is there no project for the customer",
        "the won deal has no project",
    ),
    "customer_failures": (
        "what failed for the customer this week",
        "what went wrong for the customer",
        "any errors for the customer",
        "problems with the customer recently",
        "which incidents concern the customer",
        "show failures for the client",
    ),
    "unbilled_time": (
        "how much approved time is unbilled on project",
        "unbilled hours on the project",
        "what time has not been invoiced",
        "approved hours not invoiced yet",
        "how much can we still bill on the project",
        "uninvoiced time value",
    ),
    "replayable_dead_letters": (
        "which dead letters can be replayed safely",
        "what can be replayed",
        "dead letters safe to retry",
        "which failed deliveries can we resend",
        "list the dead letters",
        "what is in the dead letter queue",
    ),
    "incident_detail": (
        "tell me about incident",
        "what is incident about",
        "explain incident",
        "details of incident",
        "why was incident opened",
    ),
    "open_incidents": (
        "what are the worst open incidents",
        "which incidents cost the most",
        "top incidents by money at risk",
        "what needs attention",
        "biggest problems right now",
    ),
}
"""Phrasings per intent that the fallback model learns from."""


@dataclass(frozen=True)
class Understanding:
    """What a question asks, and about what."""

    intent: Intent
    customer: str | None = None
    project: str | None = None
    incident_id: int | None = None
    dead_letter_id: int | None = None
    since: datetime | None = None
    confidence: float = 1.0


@lru_cache(maxsize=1)
def _model() -> Pipeline:
    texts = [text for phrases in TRAINING.values() for text in phrases]
    labels = [intent for intent, phrases in TRAINING.items() for _ in phrases]
    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        LogisticRegression(max_iter=500, C=5.0),
    )
    model.fit(texts, labels)
    return model


def _customer_in(question: str, customers: list[str]) -> str | None:
    lowered = question.lower()
    for name in sorted(customers, key=len, reverse=True):
        if name.lower() in lowered:
            return name
    for name in customers:
        first = name.split()[0].lower() if name.split() else ""
        if len(first) >= 4 and re.search(rf"\b{re.escape(first)}\b", lowered):
            return name
    return None


def _since(question: str, now: datetime) -> datetime:
    lowered = question.lower()
    if "today" in lowered:
        return now.replace(hour=0, minute=0, second=0, microsecond=0)
    if "yesterday" in lowered:
        return now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(
            days=1
        )
    days = re.search(r"last\s+(\d{1,3})\s+days", lowered)
    if days:
        return now - timedelta(days=int(days.group(1)))
    if "this week" in lowered:
        monday = now - timedelta(days=now.weekday())
        return monday.replace(hour=0, minute=0, second=0, microsecond=0)
    return now - timedelta(days=7)


def classify(question: str, *, customers: list[str], now: datetime) -> Understanding:
    """Return the intent and entities of `question`."""
    text = question.strip()
    incident = _INCIDENT.search(text)
    dead = _DEAD_LETTER.search(text)
    project = _PROJECT.search(text)
    customer = _customer_in(text, customers)
    base = Understanding(
        "unknown",
        customer=customer,
        project=project.group(1).upper() if project else None,
        incident_id=int(incident.group(1)) if incident else None,
        dead_letter_id=int(dead.group(1)) if dead else None,
        since=_since(text, now),
    )
    if _CHANGE.search(text):
        return replace(base, intent="change_request")
    # NOTE: the customer's name is data, not wording: a name such as "... retry
    # every dead letter Ltd" must not steer which tool answers.
    lowered = (
        text.lower().replace(customer.lower(), " the customer ")
        if customer
        else text.lower()
    )
    if "dead letter" in lowered or "replay" in lowered:
        return replace(base, intent="replayable_dead_letters")
    if base.incident_id is not None:
        return replace(base, intent="incident_detail")
    if base.project and re.search(r"unbill|invoic|bill", lowered):
        return replace(base, intent="unbilled_time")
    if customer and re.search(r"\b(deal|project)\b", lowered) and "fail" not in lowered:
        return replace(base, intent="deal_status")
    if customer and re.search(r"fail|wrong|error|problem|incident|issue", lowered):
        return replace(base, intent="customer_failures")
    if not text or not re.search(r"[a-z]{3}", lowered):
        return replace(base, confidence=0.0)
    probabilities = _model().predict_proba([text])[0]
    best = int(probabilities.argmax())
    intent = str(_model().classes_[best])
    if probabilities[best] < 0.3:
        return replace(base, confidence=float(probabilities[best]))
    return replace(
        base, intent=cast(Intent, intent), confidence=float(probabilities[best])
    )
