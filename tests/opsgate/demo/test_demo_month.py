"""The demo month end to end: stand-ins on loopback, a real SQLite store."""

from dataclasses import replace

import pytest
from sqlmodel import col, func, select

from opsgate.demo.firm import build_firm_month, toggl_entries
from opsgate.demo.runner import DemoOptions, run_demo
from opsgate.rules.billing.facts import load_billing_facts
from opsgate.rules.store.db import create_store_engine, session_scope
from opsgate.rules.store.invoicing_tables import InvoicedTime
from opsgate.rules.store.statuses import EventStatus, ProposalKind, ProposalStatus
from opsgate.rules.store.tables import Delivery, Event, Incident, Proposal


@pytest.fixture(scope="module")
def demo_month(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("demo")
    report = _run(workdir)
    engine = create_store_engine(f"sqlite:///{workdir / 'demo.db'}")
    return report, engine, workdir


def _run(workdir):
    import asyncio

    return asyncio.run(run_demo(DemoOptions(seed=7, workdir=workdir)))


def _incidents(engine):
    with session_scope(engine) as session:
        return session.exec(select(Incident)).all()


def test_every_workflow_moves_events(demo_month):
    report, _, _ = demo_month

    assert set(report.events_by_workflow) >= {
        "lead-to-project",
        "staffing-to-delivery",
        "time-to-billing",
        "contract-to-cash",
    }
    assert report.deliveries_delivered > 500


def test_incomplete_and_unmapped_deals_are_held_naming_the_control(demo_month):
    _, engine, _ = demo_month
    controls = {i.control for i in _incidents(engine) if i.control}
    with session_scope(engine) as session:
        held = session.exec(
            select(func.count()).where(Event.status == EventStatus.HELD)
        ).one()

    assert held == 2
    assert {"contract_complete", "legal_entity_mapped"} <= controls


def test_a_held_deal_is_priced_for_its_customer_and_project(demo_month):
    _, engine, _ = demo_month
    holds = [
        i for i in _incidents(engine) if i.control and i.workflow == "lead-to-project"
    ]

    assert holds
    for incident in holds:
        assert incident.blocks == "project_creation"
        assert incident.customer and incident.project
        assert incident.amount_at_risk is None or incident.amount_at_risk > 0


def test_deal_amount_that_is_not_a_number_is_rejected_naming_the_field(demo_month):
    _, engine, _ = demo_month
    mapping = [
        i for i in _incidents(engine) if i.category == "mapping" and "amount" in i.title
    ]

    assert mapping and "'TBD'" in mapping[0].title


def test_redelivered_hubspot_notification_is_one_event(demo_month):
    _, engine, _ = demo_month
    month = build_firm_month(7)
    with session_scope(engine) as session:
        notified = session.exec(
            select(func.count()).where(
                Event.source == "hubspot",
                col(Event.source_event_id).not_like("deal.read:%"),
            )
        ).one()

    # Thirteen notifications were posted: one per deal, and one deal twice.
    assert notified == len(month.deals)


def test_rate_limited_odoo_calls_are_retried_and_land(demo_month):
    _, engine, _ = demo_month
    with session_scope(engine) as session:
        retried = session.exec(
            select(func.count()).where(
                Delivery.attempt_count > 1, Delivery.status == "delivered"
            )
        ).one()

    assert retried > 0


def test_time_after_leaving_and_on_unknown_project_become_priced_incidents(demo_month):
    _, engine, _ = demo_month
    incidents = _incidents(engine)
    after_leaving = [i for i in incidents if "left on" in (i.title or "")]
    unknown = [i for i in incidents if "'P-99'" in (i.title or "")]

    assert after_leaving and after_leaving[0].category == "validation"
    assert unknown and unknown[0].category == "missing_reference"
    assert unknown[0].amount_at_risk > 0


def test_renamed_odoo_field_is_schema_drift_and_overdue_invoices_are_flagged(
    demo_month,
):
    _, engine, _ = demo_month
    categories = {i.category for i in _incidents(engine)}
    overdue = [i for i in _incidents(engine) if i.control == "invoice_overdue"]

    assert "schema_drift" in categories
    assert overdue and all(i.blocks == "payment_status" for i in overdue)


def test_account_status_reaches_the_crm(demo_month):
    _, engine, _ = demo_month
    with session_scope(engine) as session:
        delivered = session.exec(
            select(func.count()).where(
                Delivery.operation == "update:account_status",
                Delivery.status == "delivered",
            )
        ).one()

    assert delivered > 0


def test_same_seed_gives_the_same_outcome(demo_month, tmp_path):
    report, _, _ = demo_month

    again = _run(tmp_path)

    # Incident ids and retry counts follow the timing of concurrent deliveries;
    # what happened to the business does not.
    def outcome(r):
        top = [(i.category, i.title, i.amount_at_risk) for i in r.top_incidents]
        return replace(r, phases={}, deliveries_retried=0, top_incidents=top)

    assert outcome(again) == outcome(report)


def test_time_invoiced_in_odoo_no_longer_counts_as_unbilled(demo_month):
    _, engine, _ = demo_month
    with session_scope(engine) as session:
        invoiced = set(session.exec(select(InvoicedTime.external_id)).all())
        facts = load_billing_facts(session, as_of=build_firm_month(7).last_day)

    # Finance invoiced every order's delivered time in Odoo at month end;
    # the Harvest export said none of that time was invoiced.
    assert len(invoiced) > 100
    assert int(facts.lines.invoiced.sum()) >= len(invoiced)


def test_toggl_week_by_webhook_and_by_export_is_each_entry_once(demo_month):
    report, engine, _ = demo_month
    week = toggl_entries(build_firm_month(7))
    with session_scope(engine) as session:
        sheets = session.exec(
            select(Event).where(
                Event.source == "toggl",
                col(Event.type).startswith("opsgate.timesheet."),
            )
        ).all()
        landed = session.exec(
            select(func.count())
            .select_from(Delivery)
            .join(Event, col(Event.id) == col(Delivery.event_id))
            .where(
                Event.source == "toggl",
                Delivery.target == "odoo",
                Delivery.status == "delivered",
            )
        ).one()

    assert report.tracker_webhooks == {"toggl": len(week)}
    assert report.time_entries_by_source["toggl"] == len(week)
    # One event per entry: the export's rows were the webhooks' entries again.
    assert len(sheets) == len(week)
    assert landed == len(week)


def test_the_month_ends_with_fixes_waiting_at_the_gate(demo_month):
    _, engine, _ = demo_month
    with session_scope(engine) as session:
        waiting = session.exec(
            select(Proposal).where(Proposal.status == ProposalStatus.PENDING)
        ).all()

    # The employees whose upsert met the renamed field: retry their dead
    # letters, which a person approves.
    assert waiting
    assert {p.kind for p in waiting} == {ProposalKind.RETRY}
    assert all(p.params.get("dead_letter_id") for p in waiting)
