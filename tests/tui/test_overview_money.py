"""Money at risk on the overview: per currency, never added across currencies."""

from datetime import UTC, datetime
from decimal import Decimal

from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.incidents.opening import open_incident
from opsgate.rules.store.db import create_schema, create_store_engine, session_scope
from opsgate.tui.formatting import amounts
from opsgate.tui.queries import load_overview


def test_a_workflows_money_at_risk_keeps_each_currency_apart(tmp_path):
    engine = create_store_engine(f"sqlite:///{tmp_path / 'store.db'}")
    create_schema(engine)
    with session_scope(engine) as session:
        for n, (amount, currency) in enumerate(
            [("1000", "EUR"), ("250", "EUR"), ("700", "USD")]
        ):
            open_incident(
                session,
                category=ErrorCategory.VALIDATION,
                title=f"refused {n}",
                fingerprint=f"f{n}",
                workflow="time-to-billing",
                blocks="invoice",
                amount_at_risk=Decimal(amount),
                currency=currency,
            )
    with session_scope(engine) as session:
        overview = load_overview(session, now=datetime.now(UTC))
    [flow] = [f for f in overview.flows if f.workflow == "time-to-billing"]

    assert flow.money_at_risk == {"EUR": Decimal(1250), "USD": Decimal(700)}
    assert amounts(flow.money_at_risk) == "1,250 EUR, 700 USD"
    assert amounts({}) == "0"
    engine.dispose()
