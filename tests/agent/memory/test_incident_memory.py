import chromadb.utils.embedding_functions as chroma_functions
import pytest

from opsgate.agent.classify.facts import IncidentFacts
from opsgate.agent.memory.store import IncidentMemory


def _facts(key, message):
    return IncidentFacts(
        incident_id=key,
        title=message,
        source="harvest",
        target="odoo",
        operation="load:account.analytic.line",
        fault={"name": "load.messages", "message": message},
    )


@pytest.fixture
def no_default_embedding(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("ChromaDB's default embedding must never be loaded.")

    monkeypatch.setattr(chroma_functions.DefaultEmbeddingFunction, "__call__", refuse)
    monkeypatch.setattr(chroma_functions.DefaultEmbeddingFunction, "__init__", refuse)


def test_similar_past_incidents_come_back_after_reopening(
    tmp_path, no_default_embedding
):
    memory = IncidentMemory(tmp_path / "chroma")
    memory.remember(
        _facts(1, "You cannot modify timesheets that are already invoiced."),
        category="conflict",
        resolution="skip_with_reason verified",
    )
    memory.remember(
        _facts(2, "Access Denied"), category="auth", resolution="escalate verified"
    )

    reopened = IncidentMemory(tmp_path / "chroma")
    found = reopened.similar(
        _facts(3, "You cannot remove a timesheet that has already been invoiced.")
    )

    assert reopened.count() == 2
    assert found[0]["category"] == "conflict"
    assert found[0]["resolution"] == "skip_with_reason verified"


def test_an_incident_is_not_its_own_neighbour(tmp_path, no_default_embedding):
    memory = IncidentMemory(tmp_path / "chroma")
    facts = _facts(1, "Access Denied")
    memory.remember(facts, category="auth", resolution="escalate verified")

    assert memory.similar(facts) == []
