"""Choose the fix for a classified incident: a proposal kind and its params.

Two steps. The diagnosis names the fix the incident calls for
(`intended_kind`), from the category and the fault text alone. Then the
params are completed from the facts; where a value cannot be known (the
Odoo id a mapping should point to, the record to create, a patch that does
not follow from the fault), the agent escalates to a person instead of
guessing, and says what is missing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Field

from opsgate.agent.classify.facts import Classification, IncidentFacts
from opsgate.agent.classify.root_cause import root_cause
from opsgate.agent.patching import derive_patch
from opsgate.rules.store.statuses import ProposalKind

_KIND_BY_CATEGORY: dict[str, ProposalKind] = {
    "rate_limit": ProposalKind.RETRY,
    "timeout": ProposalKind.RETRY,
    "unavailable": ProposalKind.RETRY,
    "conflict": ProposalKind.SKIP_WITH_REASON,
    "duplicate": ProposalKind.SKIP_WITH_REASON,
    "missing_reference": ProposalKind.CREATE_REFERENCE,
}
_NEEDS_MAPPING = re.compile(
    r"no matching record found for external id|not found in selection|no .*mapping|"
    r"maps to no|already holds|no ISO 4217 mapping",
    re.IGNORECASE,
)
_PATCHABLE = re.compile(
    r"Invalid field (?:name )?'|Invalid field [\w.]+ in|^hubspot_\w+$|"
    r"does not seem to be a valid date|does not match format|unconverted data remains",
    re.IGNORECASE,
)
_VERBS = {
    ProposalKind.RETRY: "Retry",
    ProposalKind.REPLAY_WITH_PATCH: "Replay with a patch",
    ProposalKind.ADD_MAPPING: "Add a mapping, then replay",
    ProposalKind.CREATE_REFERENCE: "Create the missing record, then replay",
    ProposalKind.SKIP_WITH_REASON: "Skip with a reason",
    ProposalKind.ESCALATE: "Escalate to a person",
}


class Remedy(BaseModel):
    """The proposal the agent will put to the gate."""

    kind: ProposalKind
    """What is proposed."""
    intended_kind: ProposalKind
    """The fix the diagnosis calls for; differs from `kind` when a value is missing."""
    summary: str
    params: dict[str, Any] = Field(default_factory=dict)
    record_ref: str
    """The record the proposal is computed against."""
    missing: str | None = None
    """What a person must supply, when the agent escalated for lack of it."""


def intended_kind(category: str, facts: IncidentFacts) -> ProposalKind:
    """Return the kind of fix the incident calls for."""
    text = f"{facts.fault_text()} {facts.detail}"
    message = str(facts.fault.get("message", "")).strip()
    if category in {
        "missing_reference",
        "mapping",
        "duplicate",
    } and _NEEDS_MAPPING.search(text):
        return ProposalKind.ADD_MAPPING
    if category in {"mapping", "schema_drift"} and (
        _PATCHABLE.search(message) and facts.stage == "deliver"
    ):
        return ProposalKind.REPLAY_WITH_PATCH
    return _KIND_BY_CATEGORY.get(category, ProposalKind.ESCALATE)


def choose_remedy(
    classification: Classification,
    facts: IncidentFacts,
    *,
    known_mappings: Mapping[str, str] | None = None,
) -> Remedy:
    """Return the proposal for this incident, complete enough for the gate.

    `known_mappings` maps a source value to the target value people approved
    before (from the value mappings or similar resolved incidents).
    """
    if facts.held_by:
        return _wait_for_hold(classification, facts)
    if facts.upstream_dead_letters:
        return _retry_upstream(classification, facts)
    wanted = intended_kind(classification.category, facts)
    params, missing = _params(wanted, facts, known_mappings or {})
    kind = wanted if missing is None else ProposalKind.ESCALATE
    if missing is not None:
        params = {"to": "integration-engineer", "needs": missing}
    summary = f"{_VERBS[kind]}: {root_cause(classification.category, facts)}"
    if missing is not None:
        summary = f"{summary} Needs: {missing}"
    # NOTE: the summary is always template wording, never model-written text, so
    # nothing a payload smuggles into a model answer reaches a proposal.
    return Remedy(
        kind=kind,
        intended_kind=wanted,
        summary=summary[:500],
        params=params,
        record_ref=_record_ref(facts),
        missing=missing,
    )


def _wait_for_hold(classification: Classification, facts: IncidentFacts) -> Remedy:
    """Escalate to the hold that blocks this incident, not to the incident itself."""
    holds = ", ".join(
        f"incident {hold['incident_id']} ({hold['control']})" for hold in facts.held_by
    )
    summary = (
        f"Escalate to a person: {root_cause(classification.category, facts)} The "
        f"project waits on a held deal: fix {holds} and release it (`opsgate "
        "release`); then replay these entries."
    )
    return Remedy(
        kind=ProposalKind.ESCALATE,
        intended_kind=ProposalKind.ESCALATE,
        summary=summary[:500],
        params={
            "to": "finance",
            "needs": f"the held deal released ({holds}).",
            "held_by": [hold["incident_id"] for hold in facts.held_by],
        },
        record_ref=_record_ref(facts),
        missing=f"the held deal released ({holds}).",
    )


def _retry_upstream(classification: Classification, facts: IncidentFacts) -> Remedy:
    """Retry the dead-lettered record this incident waits on, first."""
    upstream = facts.upstream_dead_letters[0]
    summary = (
        f"Retry: {root_cause(classification.category, facts)} The employee "
        f"{upstream['name']!r} never reached Odoo: its {upstream['operation']} is "
        f"dead letter {upstream['dead_letter_id']} ({upstream['category']}). Retry "
        "it once its cause is fixed; then replay these time entries."
    )
    return Remedy(
        kind=ProposalKind.RETRY,
        intended_kind=ProposalKind.RETRY,
        summary=summary[:500],
        params={
            "dead_letter_id": upstream["dead_letter_id"],
            "delivery_id": upstream["delivery_id"],
        },
        record_ref=f"dead_letter:{upstream['dead_letter_id']}",
    )


def _params(
    kind: ProposalKind, facts: IncidentFacts, known: Mapping[str, str]
) -> tuple[dict[str, Any], str | None]:
    ids = _ids(facts)
    target = {k: v for k, v in ids.items() if k in {"delivery_id", "dead_letter_id"}}
    replay = [ids["delivery_id"]] if "delivery_id" in ids else []
    if kind in {ProposalKind.RETRY, ProposalKind.REPLAY_WITH_PATCH} and not target:
        return {}, "the delivery to replay (none is linked to this incident)."
    if kind == ProposalKind.RETRY:
        return target, None
    if kind == ProposalKind.REPLAY_WITH_PATCH:
        patch = derive_patch(str(facts.fault.get("message", "")), facts.payload)
        if patch is None:
            return {}, "the corrected payload values."
        return {**target, "patch": patch}, None
    if kind == ProposalKind.ADD_MAPPING:
        value = _quoted(facts)
        if value is None or value not in known:
            return {}, f"the target value to map {value!r} to."
        namespace = f"{facts.source}→{facts.target}"
        return {
            "namespace": namespace,
            "source_value": value,
            "target_value": known[value],
            "replay_delivery_ids": replay,
        }, None
    if kind == ProposalKind.CREATE_REFERENCE:
        return {}, f"the values of the missing record {_quoted(facts)!r}."
    if kind == ProposalKind.SKIP_WITH_REASON:
        return {"reason": f"{facts.title[:200]}"}, None
    return {"to": "integration-engineer"}, None


def _ids(facts: IncidentFacts) -> dict[str, int]:
    ids: dict[str, int] = {}
    for evidence in facts.evidence_ids:
        table, _, key = evidence.partition(":")
        if table in {"delivery", "dead_letter", "incident"} and key.isdigit():
            ids[f"{table}_id"] = int(key)
    return ids


def _record_ref(facts: IncidentFacts) -> str:
    ids = _ids(facts)
    if "dead_letter_id" in ids:
        return f"dead_letter:{ids['dead_letter_id']}"
    if "delivery_id" in ids:
        return f"delivery:{ids['delivery_id']}"
    if facts.incident_id is not None:
        return f"incident:{facts.incident_id}"
    return f"event:{facts.event_id}"


def _quoted(facts: IncidentFacts) -> str | None:
    found = re.search(r"'([^']+)'", str(facts.fault.get("message", "")))
    return found.group(1) if found else None
