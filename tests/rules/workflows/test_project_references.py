"""Time finds its Odoo project by code, or by the deal's name, never by a guess."""

from opsgate.rules.store.db import session_scope
from opsgate.rules.workflows.references import (
    load_references,
    remember_name,
    remember_reference,
    resolve,
)

KINDS = ("project", "project_name")


def references(engine):
    with session_scope(engine) as session:
        return load_references(session, "odoo", KINDS)


def test_a_project_resolves_by_code_then_by_its_deals_name_in_any_case(store_engine):
    with session_scope(store_engine) as session:
        remember_reference(session, "odoo", "project", "P-08", 29)
        remember_name(session, "odoo", "project", "Wayne Foods - pricing analytics", 29)

    found = references(store_engine)

    assert resolve(found, "project", "P-08") == 29
    assert resolve(found, "project", "wayne foods -  Pricing Analytics") == 29
    assert resolve(found, "project", "Wayne Foods") is None


def test_a_name_two_deals_share_resolves_to_neither(store_engine):
    with session_scope(store_engine) as session:
        remember_name(session, "odoo", "project", "Rollout", 29)
        remember_name(session, "odoo", "project", "Rollout", 31)
        remember_name(session, "odoo", "project", "Rollout", 29)
        remember_reference(session, "odoo", "project", "P-09", 31)

    found = references(store_engine)

    assert resolve(found, "project", "Rollout") is None
    assert resolve(found, "project", "P-09") == 31
