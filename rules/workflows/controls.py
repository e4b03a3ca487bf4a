"""Workflow controls: checks an event must pass before its workflow goes on."""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, select

from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.canonical import CanonicalObject, Contract
from opsgate.rules.store.mapping_tables import ValueMapping


@dataclass(frozen=True)
class ControlFailure:
    """A control that did not pass, and what would make it pass."""

    control: str
    """Stable name (`contract_complete`, `legal_entity_mapped`)."""
    category: ErrorCategory
    message: str
    """What is missing, naming the record and the field."""
    missing: tuple[str, ...] = ()
    """The fields or mappings that are missing."""


def contract_complete(contract: Contract) -> ControlFailure | None:
    """Require amount, billing type, start date and a signed statement of work."""
    missing = []
    if contract.amount is None or contract.amount <= 0:
        missing.append("amount")
    if contract.billing_type is None:
        missing.append("billing_type")
    if contract.start_date is None:
        missing.append("start_date")
    if contract.sow_signed is not True:
        missing.append("signed statement of work")
    if not missing:
        return None
    return ControlFailure(
        control="contract_complete",
        category=ErrorCategory.VALIDATION,
        message=(
            f"Contract {contract.source}:{contract.source_key} ({contract.name!r}) is "
            f"not complete: missing {', '.join(missing)}."
        ),
        missing=tuple(missing),
    )


def legal_entity_mapped(
    contract: Contract, legal_entities: dict[str, int]
) -> ControlFailure | None:
    """Require the contract's legal entity to map to an Odoo company."""
    if contract.legal_entity and contract.legal_entity in legal_entities:
        return None
    entity = contract.legal_entity or "(none)"
    return ControlFailure(
        control="legal_entity_mapped",
        category=ErrorCategory.MAPPING,
        message=(
            f"Contract {contract.source}:{contract.source_key} is signed by legal entity "
            f"{entity!r}, which no Odoo company maps; add it to "
            "workflows.legal_entities."
        ),
        missing=(f"legal_entities[{entity!r}]",),
    )


def lead_to_project_controls(
    contract: Contract, legal_entities: dict[str, int]
) -> list[ControlFailure]:
    """Run every control of lead-to-project; an empty list means go on."""
    failures = [
        contract_complete(contract),
        legal_entity_mapped(contract, legal_entities),
    ]
    return [f for f in failures if f is not None]


CONTROLS = ("contract_complete", "legal_entity_mapped")
"""The controls a catalog mapping may name."""

LEGAL_ENTITY_NAMESPACE = "legal_entity"
"""Value mappings of this namespace add legal entity → Odoo company ids."""


class WorkflowControls:
    """The controls catalog mappings name, with the mappings they need.

    Call it with the names a mapping gives and the mapped object (routing
    does). Legal entities come from settings plus the `legal_entity` value
    mappings a person approved (an `add_mapping` proposal); those are read
    again at most every `refresh_s` seconds, so an approval takes effect on a
    routing pass soon after.
    """

    def __init__(
        self,
        legal_entities: dict[str, int],
        *,
        engine: Engine | None = None,
        refresh_s: float = 2.0,
    ) -> None:
        self._configured = dict(legal_entities)
        self._legal_entities = dict(legal_entities)
        self._engine = engine
        self._refresh_s = refresh_s
        self._read_at = float("-inf")

    def __call__(
        self, controls: tuple[str, ...], canonical: CanonicalObject
    ) -> list[ControlFailure]:
        """Run the named controls on `canonical`; an empty list means go on."""
        self._refresh()
        failures = []
        for name in controls:
            if name not in CONTROLS:
                known = ", ".join(CONTROLS)
                raise ValueError(f"Unknown workflow control {name!r}; known: {known}.")
            if not isinstance(canonical, Contract):
                continue
            failure = (
                contract_complete(canonical)
                if name == "contract_complete"
                else legal_entity_mapped(canonical, self._legal_entities)
            )
            if failure is not None:
                failures.append(failure)
        return failures

    def _refresh(self) -> None:
        if self._engine is None or time.monotonic() - self._read_at < self._refresh_s:
            return
        with Session(self._engine) as session:
            rows = session.exec(
                select(ValueMapping.source_value, ValueMapping.target_value).where(
                    ValueMapping.namespace == LEGAL_ENTITY_NAMESPACE
                )
            ).all()
        approved = {source: int(target) for source, target in rows if target.isdigit()}
        self._legal_entities = self._configured | approved
        self._read_at = time.monotonic()
