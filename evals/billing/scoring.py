"""Score flags against injected labels: precision and recall per kind and overall.

A flag is a true positive when it shares a record with a label of its kind;
a label is found when some flag of its kind shares a record with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from opsgate.agent.anomalies.detector import detect
from opsgate.agent.anomalies.flag import AnomalyKind, Flag
from opsgate.agent.anomalies.settings import AnomalySettings
from opsgate.evals.billing.dataset import LabelledFirm
from opsgate.evals.billing.injection import Label


@dataclass
class KindScore:
    """Counts for one kind."""

    flags: int = 0
    true_flags: int = 0
    labels: int = 0
    found_labels: int = 0

    @property
    def precision(self) -> float:
        """Share of flags that are right (1.0 when there are none)."""
        return self.true_flags / self.flags if self.flags else 1.0

    @property
    def recall(self) -> float:
        """Share of labels found (1.0 when there are none)."""
        return self.found_labels / self.labels if self.labels else 1.0

    def add(self, other: KindScore) -> None:
        """Add `other`'s counts to these."""
        self.flags += other.flags
        self.true_flags += other.true_flags
        self.labels += other.labels
        self.found_labels += other.found_labels


@dataclass
class Scorecard:
    """Per-kind scores and their total."""

    kinds: dict[str, KindScore] = field(default_factory=dict)

    @property
    def overall(self) -> KindScore:
        """Return the counts over every kind."""
        total = KindScore()
        for score in self.kinds.values():
            total.add(score)
        return total

    def to_dict(self) -> dict[str, Any]:
        """Return the scores as plain data."""

        def row(score: KindScore) -> dict[str, Any]:
            return {
                "precision": round(score.precision, 4),
                "recall": round(score.recall, 4),
                "flags": score.flags,
                "true_flags": score.true_flags,
                "labels": score.labels,
                "found_labels": score.found_labels,
            }

        return {
            "overall": row(self.overall),
            "kinds": {kind: row(score) for kind, score in sorted(self.kinds.items())},
        }


def score_flags(flags: Iterable[Flag], labels: Iterable[Label]) -> Scorecard:
    """Compare `flags` with `labels`, kind by kind."""
    flags, labels = list(flags), list(labels)
    card = Scorecard({kind.value: KindScore() for kind in AnomalyKind})
    for flag in flags:
        score = card.kinds[flag.kind.value]
        score.flags += 1
        records = set(flag.records)
        score.true_flags += any(
            label.kind == flag.kind and records.intersection(label.records)
            for label in labels
        )
    for label in labels:
        score = card.kinds[label.kind.value]
        score.labels += 1
        records = set(label.records)
        score.found_labels += any(
            flag.kind == label.kind and records.intersection(flag.records)
            for flag in flags
        )
    return card


def score_firms(
    firms: Iterable[LabelledFirm], settings: AnomalySettings | None = None
) -> Scorecard:
    """Detect over each firm and add up the scores."""
    total = Scorecard({kind.value: KindScore() for kind in AnomalyKind})
    for firm in firms:
        used = settings or firm.settings
        if settings is not None:
            used = settings.model_copy(update={"holidays": firm.settings.holidays})
        card = score_flags(detect(firm.facts, used), firm.labels)
        for kind, score in card.kinds.items():
            total.kinds[kind].add(score)
    return total


MODEL_CANDIDATES: dict[str, dict[str, Any]] = {
    "isolation_forest": {"model_kind": "isolation_forest", "model_threshold": -0.62},
    "local_outlier_factor": {
        "model_kind": "local_outlier_factor",
        "model_threshold": -1.5,
    },
    "robust_z": {"model_kind": "robust_z"},
}
"""The models compared on the training split for what no check names."""


def compare_models(firms: list[LabelledFirm]) -> dict[str, dict[str, Any]]:
    """Score each candidate model on the `unusual_pattern` kind and overall."""
    results = {}
    for name, overrides in MODEL_CANDIDATES.items():
        card = score_firms(firms, AnomalySettings(**overrides))
        results[name] = {
            "unusual_pattern": card.to_dict()["kinds"]["unusual_pattern"],
            "overall": card.to_dict()["overall"],
        }
    return results
