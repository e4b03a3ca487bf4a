"""The three-layer classifier with its signature cache."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import structlog

from opsgate.agent.classify.facts import Classification, IncidentFacts
from opsgate.agent.classify.injection import FLAG, defuse
from opsgate.agent.classify.llm_layer import ask_llm
from opsgate.agent.classify.model import TriageModel
from opsgate.agent.classify.root_cause import root_cause
from opsgate.agent.classify.rules import classify_by_rules
from opsgate.agent.classify.signature import fingerprint
from opsgate.agent.llm.client import LLMClient

log = structlog.get_logger(__name__)

CACHE_SIZE = 10_000
"""Signatures remembered per classifier."""


class Classifier:
    """Classify incidents: rules, then the model, then the LLM if still unsure."""

    def __init__(
        self,
        model: TriageModel | None,
        *,
        llm: LLMClient | None = None,
        threshold: float = 0.6,
    ) -> None:
        self.model = model
        self.llm = llm
        self.threshold = threshold
        """Below this confidence the LLM is asked (when one is configured)."""
        self._cache: OrderedDict[str, Classification] = OrderedDict()

    def classify(self, facts: IncidentFacts) -> Classification:
        """Return the classification of one incident."""
        return self.classify_many([facts])[0]

    def classify_many(self, raw: Sequence[IncidentFacts]) -> list[Classification]:
        """Classify a batch; one model call for all signatures not yet seen."""
        defused = [defuse(facts) for facts in raw]
        batch = [facts for facts, _ in defused]
        prints = [fingerprint(facts) for facts in batch]
        fresh: dict[str, IncidentFacts] = {}
        for facts, key in zip(batch, prints, strict=True):
            if key not in self._cache and key not in fresh:
                fresh[key] = facts
        for key, result in zip(fresh, self._decide(list(fresh.values())), strict=True):
            self._remember(key, result.model_copy(update={"fingerprint": key}))
        return [
            self._for(facts, self._cache[key], flagged)
            for (facts, flagged), key in zip(defused, prints, strict=True)
        ]

    def _decide(self, batch: list[IncidentFacts]) -> list[Classification]:
        by_rules = [classify_by_rules(facts) for facts in batch]
        unsure = [
            facts for facts, ruled in zip(batch, by_rules, strict=True) if not ruled
        ]
        predicted = iter(self.model.predict(unsure) if self.model else [])
        results = []
        for facts, ruled in zip(batch, by_rules, strict=True):
            if ruled is not None:
                results.append(self._made(facts, ruled[0], ruled[1], "rules"))
                continue
            guesses = next(predicted, [("unknown", 0.0)])
            results.append(self._unsure(facts, guesses))
        return results

    def _unsure(
        self, facts: IncidentFacts, guesses: list[tuple[str, float]]
    ) -> Classification:
        category, probability = guesses[0]
        layer = "model" if self.model else "fallback"
        if probability >= self.threshold or self.llm is None or not self.llm.available:
            return self._made(facts, category, probability, layer)
        answer = ask_llm(self.llm, facts, guesses)
        # NOTE: the LLM arbitrates among the model's own candidates only; an
        # answer outside them (for example one steered by injected text) is
        # discarded for the model's best guess.
        if answer is None or answer.category not in {c for c, _ in guesses}:
            return self._made(facts, category, probability, layer)
        log.info("incident.classified_by_llm", category=answer.category)
        return Classification(
            category=answer.category,
            root_cause=answer.root_cause,
            confidence=answer.confidence,
            evidence_ids=answer.evidence_ids or _evidence(facts),
            layer="llm",
        )

    @staticmethod
    def _made(
        facts: IncidentFacts, category: str, confidence: float, layer: str
    ) -> Classification:
        return Classification.model_validate(
            {
                "category": category,
                "root_cause": root_cause(category, facts),
                "confidence": round(confidence, 4),
                "evidence_ids": _evidence(facts),
                "layer": layer,
            }
        )

    @staticmethod
    def _for(
        facts: IncidentFacts, cached: Classification, flagged: bool
    ) -> Classification:
        values = dict(cached.__dict__)
        values["evidence_ids"] = _evidence(facts)
        values["flags"] = [FLAG] if flagged else []
        if cached.layer != "llm":
            values["root_cause"] = root_cause(cached.category, facts)
        # NOTE: built without re-validation; every value came from a validated
        # classification or from the same template the validated one used.
        return Classification.model_construct(**values)

    def _remember(self, key: str, result: Classification) -> None:
        self._cache[key] = result
        self._cache.move_to_end(key)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)


def _evidence(facts: IncidentFacts) -> list[str]:
    return list(facts.evidence_ids)
