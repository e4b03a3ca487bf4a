"""Write the chat questions as one folder per case (`evals/cases/chat/NNN_slug/case.yaml`).

The questions are generated from the fixture builder, which is deterministic,
so the files are a readable copy that a test keeps in step with the code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from opsgate.evals.chat.questions import ChatCase

CASES_DIR = Path(__file__).resolve().parent.parent / "cases" / "chat"
"""Where the case folders live."""


def case_document(case: ChatCase) -> dict[str, Any]:
    """Return the case as the YAML document stored for it."""
    return {
        "question": case.question,
        "must_cite": list(case.must_cite),
        "must_state": list(case.must_state),
        "expects_proposal": case.expects_proposal,
        "tags": list(case.tags),
    }


def folder_name(number: int, case: ChatCase) -> str:
    """Return `NNN_slug` for the case."""
    return f"{number:03d}_{case.slug}"


def write_case_files(cases: list[ChatCase], root: Path = CASES_DIR) -> int:
    """Write every case; return how many were written."""
    for number, case in enumerate(cases, start=1):
        folder = root / folder_name(number, case)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "case.yaml").write_text(
            yaml.safe_dump(case_document(case), sort_keys=False, allow_unicode=True)
        )
    return len(cases)
