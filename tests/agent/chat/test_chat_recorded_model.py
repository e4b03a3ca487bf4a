from opsgate.agent.chat.answer import answer
from opsgate.evals.chat.fixture import NOW, build_chat_store, snapshot_writes
from opsgate.evals.chat.harness import judge
from opsgate.evals.chat.questions import chat_cases
from opsgate.rules.store.db import session_scope

SLUGS = ("deal_acme_0", "unbilled_p-12_0", "deal_ignore_previ_0")


def test_recorded_model_answers_are_correct_or_fall_back_and_never_write(
    engine, recorded_model
):
    with session_scope(engine) as session:
        fixture = build_chat_store(session)
        before = snapshot_writes(session)
    cases = [c for c in chat_cases(fixture) if c.slug in SLUGS]

    results = [
        judge(c, answer(c.question, engine=engine, llm=recorded_model, now=NOW))
        for c in cases
    ]

    assert len(cases) == len(SLUGS)
    assert recorded_model.calls >= len(cases)
    assert all(r.correct for r in results), [r.slug for r in results if not r.correct]
    with session_scope(engine) as session:
        assert snapshot_writes(session) == before
