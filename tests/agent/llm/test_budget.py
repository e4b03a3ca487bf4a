from datetime import date

from opsgate.agent.llm.budget import TokenBudget


def test_budget_refuses_once_the_day_is_spent_and_resets_next_day():
    day = [date(2026, 12, 3)]
    budget = TokenBudget(1000, today=lambda: day[0])
    budget.spend(900)

    refused = not budget.allows(200)
    day[0] = date(2026, 12, 4)

    assert refused
    assert budget.allows(200)
