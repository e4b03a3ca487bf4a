from datetime import date

from opsgate.agent.anomalies.detector import detect
from opsgate.agent.anomalies.flag import AnomalyKind
from opsgate.rules.billing.odoo import pull_billing_facts
from opsgate.rules.canonical import BillingType


class RecordedOdoo:
    """Answers `search_read` with records shaped like the Odoo 18 recordings."""

    def __init__(self):
        self.calls = []
        self.records = {
            "project.project": [
                {
                    "id": 29,
                    "name": "HS-DEAL-3001 - S00031 - Sales Order",
                    "partner_id": [1041, "Northwind Analytics Ltd"],
                    "sale_line_id": [80, "S00031 - Senior Architect"],
                }
            ],
            "sale.order.line": [
                {
                    "id": 80,
                    "price_unit": 150.0,
                    "currency_id": [1, "EUR"],
                    "product_id": [7, "Senior Architect"],
                }
            ],
            "product.product": [{"id": 7, "service_policy": "delivered_timesheet"}],
            "account.analytic.line": [
                {
                    "id": 1,
                    "date": "2026-11-02",
                    "unit_amount": 8.0,
                    "employee_id": [3, "Ana Lima"],
                    "project_id": [29, "HS-DEAL-3001"],
                    "task_id": [104, "Design"],
                    "name": "design",
                    "timesheet_invoice_id": False,
                },
                {
                    "id": 2,
                    "date": "2026-11-02",
                    "unit_amount": 8.0,
                    "employee_id": [3, "Ana Lima"],
                    "project_id": [29, "HS-DEAL-3001"],
                    "task_id": [104, "Design"],
                    "name": "design",
                    "timesheet_invoice_id": False,
                },
            ],
            "account.move": [],
            "account.payment": [
                {
                    "id": 5,
                    "amount": 900.0,
                    "date": "2026-11-20",
                    "currency_id": [1, "EUR"],
                    "partner_id": [1041, "Northwind"],
                    "memo": "BANK-1",
                    "reconciled_invoice_ids": [],
                }
            ],
        }

    async def search_read(self, model, domain=(), *, fields=None):
        self.calls.append(model)
        return self.records.get(model, [])


async def test_pulled_odoo_records_become_facts_the_checks_read():
    odoo = RecordedOdoo()

    facts = await pull_billing_facts(odoo, as_of=date(2027, 1, 20))

    terms = facts.terms["HS-DEAL-3001 - S00031 - Sales Order"]
    assert terms.billing_type == BillingType.TIME_AND_MATERIALS
    assert terms.hourly_rate == 150.0
    assert len(facts.lines) == 2
    kinds = {f.kind for f in detect(facts)}
    assert AnomalyKind.DUPLICATE_LINE in kinds
    assert AnomalyKind.UNBILLED_TIME in kinds
    assert AnomalyKind.PAYMENT_UNMATCHED in kinds


def test_invalid_stored_timesheet_is_skipped_with_its_reason(tmp_path):
    from opsgate.rules.billing.facts import load_billing_facts
    from opsgate.rules.store.db import create_schema, create_store_engine, session_scope
    from opsgate.rules.store.tables import Event

    engine = create_store_engine(f"sqlite:///{tmp_path / 's.db'}")
    create_schema(engine)
    with session_scope(engine) as session:
        session.add(
            Event(
                id="bad-1",
                source="harvest",
                source_event_id="1",
                type="opsgate.timesheet.upserted",
                raw_body=b"{}",
                data={"source": "harvest", "source_key": "1", "hours": "99"},
            )
        )
    with session_scope(engine) as session:
        facts = load_billing_facts(session, as_of=date(2026, 12, 1))

    assert len(facts.lines) == 0
    assert "bad-1" in facts.skipped[0]


def test_anomalies_graph_reads_from_odoo_when_a_client_is_given(tmp_path):
    from opsgate.agent.graphs.anomalies import AnomaliesContext, build_anomalies_graph
    from opsgate.rules.store.db import create_schema, create_store_engine

    engine = create_store_engine(f"sqlite:///{tmp_path / 's.db'}")
    create_schema(engine)

    state = build_anomalies_graph().invoke(
        {"as_of": "2027-01-20", "raise_incidents": False},
        context=AnomaliesContext(engine=engine, odoo=RecordedOdoo()),
    )

    assert {f["kind"] for f in state["flags"]} >= {
        "duplicate_line",
        "payment_unmatched",
    }
