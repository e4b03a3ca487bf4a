"""An anomaly flag: what is unusual, in words and numbers, and what it puts at risk."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class AnomalyKind(StrEnum):
    """The kinds of billing anomaly Opsgate names."""

    DAY_OVER_CEILING = "day_over_ceiling"
    HOURS_SPIKE_CONSULTANT = "hours_spike_consultant"
    HOURS_SPIKE_PROJECT = "hours_spike_project"
    WEEKEND_OR_HOLIDAY = "weekend_or_holiday"
    RATE_MISMATCH = "rate_mismatch"
    BILLING_TYPE_MISMATCH = "billing_type_mismatch"
    DUPLICATE_LINE = "duplicate_line"
    UNBILLED_TIME = "unbilled_time"
    INVOICE_MISMATCH = "invoice_mismatch"
    PAYMENT_UNMATCHED = "payment_unmatched"
    PAYMENT_DUPLICATE = "payment_duplicate"
    UNUSUAL_PATTERN = "unusual_pattern"
    """Found by the model, not named by any check."""


class CorrectionAction(StrEnum):
    """What a person could do about a flag."""

    ADJUST_LINE = "adjust_line"
    HOLD_INVOICE = "hold_invoice"
    ASK_PROJECT_MANAGER = "ask_project_manager"


@dataclass(frozen=True)
class Correction:
    """A correction to propose through the gate."""

    action: CorrectionAction
    summary: str
    """One sentence a person reads before deciding."""
    params: dict[str, Any] = field(default_factory=dict)
    """What executing it needs (event id and patch, invoice number, ...)."""


@dataclass(frozen=True)
class Flag:
    """One anomaly, explained, with the records it rests on."""

    kind: AnomalyKind
    title: str
    """One sentence with the numbers: what is unusual, where."""
    reasons: tuple[str, ...]
    """Which features made it unusual, each in words and numbers."""
    records: tuple[str, ...]
    """Ids of the lines, invoices or payments flagged (`<source>:<key>`)."""
    event_ids: tuple[str, ...] = ()
    """Store events behind the records, when they came from the store."""
    amount_at_risk: float = 0.0
    currency: str | None = None
    hours_at_risk: float | None = None
    project: str | None = None
    consultant: str | None = None
    customer: str | None = None
    features: dict[str, float] = field(default_factory=dict)
    """The numbers behind `reasons`, by name."""
    correction: Correction | None = None
    first_day: date | None = None
    """The earliest day the flagged records concern (work, invoice or payment date)."""

    @property
    def fingerprint(self) -> str:
        """Return the identity of the flag: its kind and the records it covers."""
        body = "|".join([self.kind.value, *sorted(self.records)])
        return hashlib.sha256(body.encode()).hexdigest()[:32]

    def to_dict(self) -> dict[str, Any]:
        """Return the flag as plain data, fit to print as JSON or store."""
        return {
            "kind": self.kind.value,
            "fingerprint": self.fingerprint,
            "title": self.title,
            "reasons": list(self.reasons),
            "records": list(self.records),
            "event_ids": list(self.event_ids),
            "amount_at_risk": round(self.amount_at_risk, 2),
            "currency": self.currency,
            "hours_at_risk": self.hours_at_risk,
            "project": self.project,
            "consultant": self.consultant,
            "customer": self.customer,
            "features": self.features,
            "first_day": self.first_day.isoformat() if self.first_day else None,
            "correction": None
            if self.correction is None
            else {
                "action": self.correction.action.value,
                "summary": self.correction.summary,
                "params": self.correction.params,
            },
        }


def hours_text(hours: float) -> str:
    """Return hours as people write them (`38.0 h`, `7.25 h`), never rounded away."""
    one = f"{hours:.1f}"
    return f"{one} h" if abs(float(one) - hours) < 1e-9 else f"{hours:.2f} h"


def money_text(amount: float, currency: str | None) -> str:
    """Return money as people write it (`1,234.50 EUR`)."""
    return f"{amount:,.2f} {currency or '(currency unknown)'}"


def flag_from_dict(data: dict[str, Any]) -> Flag:
    """Return the flag `Flag.to_dict` described (graph state holds flags as data)."""
    correction = data.get("correction")
    return Flag(
        kind=AnomalyKind(data["kind"]),
        title=data["title"],
        reasons=tuple(data["reasons"]),
        records=tuple(data["records"]),
        event_ids=tuple(data.get("event_ids", ())),
        amount_at_risk=float(data.get("amount_at_risk") or 0.0),
        currency=data.get("currency"),
        hours_at_risk=data.get("hours_at_risk"),
        project=data.get("project"),
        consultant=data.get("consultant"),
        customer=data.get("customer"),
        features=dict(data.get("features") or {}),
        first_day=date.fromisoformat(data["first_day"])
        if data.get("first_day")
        else None,
        correction=None
        if correction is None
        else Correction(
            action=CorrectionAction(correction["action"]),
            summary=correction["summary"],
            params=dict(correction.get("params") or {}),
        ),
    )


def select_flags(
    flags: list[Flag], *, since: date | None = None, project: str | None = None
) -> list[Flag]:
    """Keep flags about `project` (code or name) whose records reach `since` or later."""
    wanted = project.lower() if project else None
    return [
        flag
        for flag in flags
        if (since is None or flag.first_day is None or flag.first_day >= since)
        and (wanted is None or (flag.project or "").lower() == wanted)
    ]
