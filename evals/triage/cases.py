"""Load the labelled triage cases."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from opsgate.agent.classify.facts import IncidentFacts

CASES_DIR = Path(__file__).resolve().parent.parent / "cases" / "triage"
Split = Literal["train", "test", "all"]


@dataclass(frozen=True)
class TriageCase:
    """One labelled incident."""

    id: str
    split: str
    tags: list[str]
    facts: IncidentFacts
    category: str
    proposal_kind: str
    cited_ids: list[str]


def load_cases(split: Split = "all", cases_dir: Path = CASES_DIR) -> list[TriageCase]:
    """Return the cases of `split`, in id order."""
    cases = []
    for path in sorted(cases_dir.glob("*/case.yaml")):
        raw = yaml.safe_load(path.read_text())
        if split != "all" and raw["split"] != split:
            continue
        expected = raw["expected"]
        cases.append(
            TriageCase(
                id=raw["id"],
                split=raw["split"],
                tags=list(raw.get("tags", [])),
                facts=IncidentFacts.model_validate(raw["incident"]),
                category=expected["category"],
                proposal_kind=expected["proposal_kind"],
                cited_ids=list(expected.get("cited_ids", [])),
            )
        )
    return cases
