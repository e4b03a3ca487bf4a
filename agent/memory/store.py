"""Remember incidents and find similar past ones, with how they were resolved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import chromadb
import structlog
from chromadb.api.types import Documents, EmbeddingFunction
from chromadb.config import Settings

from opsgate.agent.classify.facts import IncidentFacts
from opsgate.agent.classify.signature import normalise
from opsgate.agent.memory.embedding import HashingEmbedding

log = structlog.get_logger(__name__)

COLLECTION = "incidents"


def memory_text(facts: IncidentFacts) -> str:
    """Return the text an incident is remembered and searched by."""
    return " | ".join(
        part
        for part in (
            facts.source or "",
            facts.target or "",
            facts.operation or "",
            str(facts.fault.get("name", "")),
            normalise(str(facts.fault.get("message", "")) or facts.detail),
        )
        if part
    )


class IncidentMemory:
    """A persistent ChromaDB collection of past incidents."""

    def __init__(
        self,
        path: Path,
        *,
        embedding: EmbeddingFunction[Documents] | None = None,
    ) -> None:
        self._embed = embedding or HashingEmbedding()
        # NOTE: telemetry off, and the embedding function always named, so
        # ChromaDB never reaches the network or loads its default model.
        self._client = chromadb.PersistentClient(
            path=str(path), settings=Settings(anonymized_telemetry=False)
        )
        self._collection = self._client.get_or_create_collection(
            COLLECTION,
            embedding_function=self._embed,  # type: ignore[arg-type]
            metadata={"hnsw:space": "cosine"},
        )

    def remember(
        self,
        facts: IncidentFacts,
        *,
        category: str,
        resolution: str,
        proposal_kind: str | None = None,
    ) -> None:
        """Store one incident and how it ended (same incident again: replaced)."""
        text = memory_text(facts)
        key = f"incident:{facts.incident_id or facts.event_id}"
        metadata: dict[str, Any] = {
            "category": category,
            "resolution": resolution[:500],
            "proposal_kind": proposal_kind or "",
            "incident_id": facts.incident_id or 0,
            "title": facts.title[:300],
        }
        self._collection.upsert(
            ids=[key],
            documents=[text],
            embeddings=self._embed([text]),
            metadatas=[metadata],
        )
        log.info("memory.remembered", key=key, category=category)

    def similar(self, facts: IncidentFacts, *, limit: int = 3) -> list[dict[str, Any]]:
        """Return up to `limit` past incidents like this one, nearest first."""
        if self._collection.count() == 0:
            return []
        found = self._collection.query(
            query_embeddings=self._embed([memory_text(facts)]),
            n_results=min(limit + 1, self._collection.count()),
            include=["metadatas", "distances"],
        )
        own = f"incident:{facts.incident_id or facts.event_id}"
        rows = []
        ids = found["ids"][0]
        metadatas = (found.get("metadatas") or [[]])[0]
        distances = (found.get("distances") or [[]])[0]
        for key, meta, distance in zip(ids, metadatas, distances, strict=False):
            if key != own:
                rows.append(
                    {
                        "id": key,
                        "similarity": round(1 - float(distance), 4),
                        **dict(meta or {}),
                    }
                )
        return rows[:limit]

    def count(self) -> int:
        """Return how many incidents are remembered."""
        return self._collection.count()
