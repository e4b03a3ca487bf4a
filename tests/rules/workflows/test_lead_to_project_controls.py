from datetime import date
from decimal import Decimal

from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.canonical import BillingType, Contract
from opsgate.rules.workflows.controls import lead_to_project_controls

ENTITIES = {"Opsgate Consulting Inc.": 1}


def contract(**changes):
    values = {
        "source": "hubspot",
        "source_key": "3001",
        "name": "Acme - cloud migration",
        "won": True,
        "amount": Decimal("48000"),
        "currency": "USD",
        "billing_type": BillingType.TIME_AND_MATERIALS,
        "start_date": date(2026, 11, 2),
        "sow_signed": True,
        "legal_entity": "Opsgate Consulting Inc.",
    }
    values.update(changes)
    return Contract(**values)


def test_complete_contract_with_mapped_entity_passes_every_control():
    assert lead_to_project_controls(contract(), ENTITIES) == []


def test_unsigned_statement_of_work_fails_contract_complete_naming_it():
    (failure,) = lead_to_project_controls(contract(sow_signed=False), ENTITIES)

    assert failure.control == "contract_complete"
    assert failure.category is ErrorCategory.VALIDATION
    assert "signed statement of work" in failure.message
    assert "hubspot:3001" in failure.message


def test_missing_amount_billing_type_and_start_date_are_all_named():
    (failure,) = lead_to_project_controls(
        contract(amount=None, billing_type=None, start_date=None), ENTITIES
    )

    assert failure.missing == ("amount", "billing_type", "start_date")


def test_unmapped_legal_entity_is_a_mapping_failure_naming_the_entity():
    (failure,) = lead_to_project_controls(
        contract(legal_entity="Opsgate Consulting GmbH"), ENTITIES
    )

    assert failure.control == "legal_entity_mapped"
    assert failure.category is ErrorCategory.MAPPING
    assert "'Opsgate Consulting GmbH'" in failure.message


def test_both_controls_report_when_both_fail():
    failures = lead_to_project_controls(
        contract(sow_signed=None, legal_entity=None), ENTITIES
    )

    assert [f.control for f in failures] == ["contract_complete", "legal_entity_mapped"]
