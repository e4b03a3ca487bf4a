"""Per-label precision, recall and F1, and their macro average."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class LabelScore:
    """Scores of one label."""

    label: str
    precision: float
    recall: float
    f1: float
    support: int
    """Cases whose expected label is this one."""


@dataclass(frozen=True)
class Scores:
    """Scores of one run over a set of cases."""

    per_label: list[LabelScore]
    macro_f1: float
    accuracy: float
    cases: int

    def as_dict(self) -> dict[str, object]:
        """Return the scores as plain data for JSON."""
        return asdict(self)


def score(expected: Sequence[str], predicted: Sequence[str]) -> Scores:
    """Return the scores of `predicted` against `expected`, label by label."""
    labels = sorted(set(expected) | set(predicted))
    rows = [_label_score(label, expected, predicted) for label in labels]
    present = [row for row in rows if row.support > 0]
    macro = sum(row.f1 for row in present) / len(present) if present else 0.0
    hits = sum(e == p for e, p in zip(expected, predicted, strict=True))
    return Scores(
        rows, round(macro, 4), round(hits / max(len(expected), 1), 4), len(expected)
    )


def _label_score(
    label: str, expected: Sequence[str], predicted: Sequence[str]
) -> LabelScore:
    pairs = list(zip(expected, predicted, strict=True))
    true_pos = sum(e == label and p == label for e, p in pairs)
    predicted_pos = sum(p == label for _, p in pairs)
    support = sum(e == label for e, _ in pairs)
    precision = true_pos / predicted_pos if predicted_pos else 0.0
    recall = true_pos / support if support else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return LabelScore(
        label, round(precision, 4), round(recall, 4), round(f1, 4), support
    )
