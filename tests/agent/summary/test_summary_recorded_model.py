import json

from opsgate.agent.graphs.summary import run_summary
from opsgate.agent.summary.verification import numbers_in
from opsgate.evals.chat.fixture import NOW, build_chat_store
from opsgate.rules.store.db import session_scope

DAY = NOW.date().replace(day=18)


def test_summary_with_the_recorded_model_prints_only_numbers_among_the_facts(
    engine, recorded_model
):
    with session_scope(engine) as session:
        build_chat_store(session)
    template = run_summary(engine, DAY)["text"]

    state = run_summary(engine, DAY, llm=recorded_model)

    assert state["source"] in {"model", "template", "template_after_discard"}
    assert recorded_model.calls == 1
    allowed = numbers_in(json.dumps(state["facts"])) | numbers_in(template)
    assert numbers_in(state["text"]) <= allowed
