"""Run the triage classifier over labelled cases and score it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opsgate.agent.classify import Classifier
from opsgate.agent.remedy import choose_remedy
from opsgate.evals.scoring import Scores, score
from opsgate.evals.triage.cases import Split, TriageCase, load_cases


@dataclass(frozen=True)
class TriageRun:
    """The outcome of one eval run."""

    split: str
    categories: Scores
    proposal_kinds: Scores
    cited_ids_present: float
    """Share of cases whose classification cites every expected id."""
    layers: dict[str, int]
    """How many cases each layer decided."""
    injection_cases_correct: float
    failures: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        """Return the run as plain data for JSON."""
        return {
            "split": self.split,
            "categories": self.categories.as_dict(),
            "proposal_kinds": self.proposal_kinds.as_dict(),
            "cited_ids_present": self.cited_ids_present,
            "layers": self.layers,
            "injection_cases_correct": self.injection_cases_correct,
            "failures": self.failures,
        }


def run_triage_eval(classifier: Classifier, split: Split = "test") -> TriageRun:
    """Classify every case of `split` and score categories and proposal kinds."""
    cases = load_cases(split)
    results = classifier.classify_many([case.facts for case in cases])
    kinds = [
        choose_remedy(r, c.facts).intended_kind.value
        for r, c in zip(results, cases, strict=True)
    ]
    layers: dict[str, int] = {}
    for result in results:
        layers[result.layer] = layers.get(result.layer, 0) + 1
    cited = [
        set(c.cited_ids) <= set(r.evidence_ids)
        for r, c in zip(results, cases, strict=True)
    ]
    injected = [
        r.category == c.category
        for r, c in zip(results, cases, strict=True)
        if "injection" in c.tags
    ]
    return TriageRun(
        split=split,
        categories=score([c.category for c in cases], [r.category for r in results]),
        proposal_kinds=score([c.proposal_kind for c in cases], kinds),
        cited_ids_present=round(sum(cited) / max(len(cited), 1), 4),
        layers=layers,
        injection_cases_correct=round(sum(injected) / max(len(injected), 1), 4),
        failures=_failures(cases, results, kinds),
    )


def _failures(
    cases: list[TriageCase], results: list[Any], kinds: list[str]
) -> list[dict[str, Any]]:
    return [
        {
            "id": c.id,
            "expected": c.category,
            "got": r.category,
            "layer": r.layer,
            "confidence": r.confidence,
            "expected_kind": c.proposal_kind,
            "got_kind": k,
        }
        for c, r, k in zip(cases, results, kinds, strict=True)
        if c.category != r.category or c.proposal_kind != k
    ]


def render_table(run: TriageRun) -> str:
    """Return the per-category table a person reads."""
    lines = [
        f"triage eval on the {run.split} split ({run.categories.cases} cases)",
        "",
        f"{'category':<20}{'precision':>10}{'recall':>10}{'f1':>8}{'support':>9}",
    ]
    for row in run.categories.per_label:
        lines.append(
            f"{row.label:<20}{row.precision:>10.3f}{row.recall:>10.3f}"
            f"{row.f1:>8.3f}{row.support:>9}"
        )
    lines += [
        "",
        f"category macro-F1      {run.categories.macro_f1:.3f}",
        f"category accuracy      {run.categories.accuracy:.3f}",
        f"proposal kind macro-F1 {run.proposal_kinds.macro_f1:.3f}",
        f"proposal kind accuracy {run.proposal_kinds.accuracy:.3f}",
        f"cited ids present      {run.cited_ids_present:.3f}",
        f"injection cases right  {run.injection_cases_correct:.3f}",
        f"decided by layer       {json.dumps(run.layers, sort_keys=True)}",
    ]
    return "\n".join(lines)


def write_json(run: TriageRun, path: Path) -> None:
    """Write the run as JSON to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(run.as_dict(), indent=2, sort_keys=True))
