"""Put together what an agent job needs from settings: store, model, memory, LLM."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from opsgate.agent.classify import Classifier
from opsgate.agent.classify.model import TriageModel
from opsgate.agent.graphs.triage_state import TriageContext
from opsgate.agent.llm import LLMClient
from opsgate.agent.llm.audit import store_audit, tokens_spent_since
from opsgate.agent.llm.budget import TokenBudget
from opsgate.agent.memory.embedding import EndpointEmbedding
from opsgate.agent.memory.store import IncidentMemory
from opsgate.agent.related import OdooRelatedRecords
from opsgate.agent.settings import AgentSettings
from opsgate.connectors.odoo.settings import OdooSettings
from opsgate.rules.gate import GateSettings


def beside_database(database_url: str, name: str) -> Path:
    """Return a path next to the SQLite file (or under `var/` for PostgreSQL)."""
    if database_url.startswith("sqlite:///") and ":memory:" not in database_url:
        return Path(database_url.removeprefix("sqlite:///")).parent / name
    return Path("var") / name


def checkpoint_target(database_url: str, settings: AgentSettings) -> str:
    """Return where triage runs are checkpointed.

    The settings' `checkpoint_url` wins; otherwise PostgreSQL stores use the
    same database and SQLite stores a `checkpoints.db` file beside theirs.
    """
    if settings.checkpoint_url:
        return settings.checkpoint_url
    if database_url.startswith(("postgresql://", "postgres://")):
        return database_url
    return str(beside_database(database_url, "checkpoints.db"))


def triage_context(
    engine: Engine,
    database_url: str,
    settings: AgentSettings,
    gate: GateSettings,
    odoo: OdooSettings | None = None,
) -> TriageContext:
    """Return the context the triage graph runs with."""
    midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    budget = TokenBudget(
        settings.llm.max_tokens_per_day,
        spent_today=tokens_spent_since(engine, midnight),
    )
    llm = LLMClient(settings.llm, audit=store_audit(engine), budget=budget)
    model = TriageModel.load(Path(settings.model_path))
    memory_dir = (
        Path(settings.memory_dir)
        if settings.memory_dir
        else beside_database(database_url, "chroma")
    )
    embedding = EndpointEmbedding(llm) if settings.llm.embeddings_model else None
    return TriageContext(
        engine=engine,
        classifier=Classifier(
            model, llm=llm, threshold=settings.llm_confidence_threshold
        ),
        gate=gate,
        memory=IncidentMemory(memory_dir, embedding=embedding),
        related=OdooRelatedRecords(odoo) if odoo is not None else None,
    )
