"""Run the anomaly evaluation: score each split, print a table, write JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from opsgate.evals.billing.dataset import SPLITS, Split, labelled_split
from opsgate.evals.billing.scoring import Scorecard, compare_models, score_firms

TARGET = {"precision": 0.9, "recall": 0.9}
"""The held-out split must reach these overall."""


def run_anomaly_eval(*, compare: bool = False) -> dict[str, Any]:
    """Score every split (and, with `compare`, each candidate model on train)."""
    result: dict[str, Any] = {"target": TARGET, "splits": {}}
    for split in SPLITS:
        firms = labelled_split(split)
        result["splits"][split] = {
            "seeds": list(SPLITS[split]),
            **score_firms(firms).to_dict(),
        }
        if compare and split == "train":
            result["model_comparison"] = compare_models(firms)
    held = result["splits"]["held_out"]["overall"]
    result["meets_target"] = all(held[k] >= v for k, v in TARGET.items())
    return result


def render_table(result: dict[str, Any], split: Split = "held_out") -> str:
    """Return the per-kind precision and recall of `split` as a text table."""
    rows = [f"{'kind':<24} {'precision':>9} {'recall':>7} {'flags':>6} {'labels':>7}"]
    data = result["splits"][split]
    for kind, row in [*data["kinds"].items(), ("overall", data["overall"])]:
        rows.append(
            f"{kind:<24} {row['precision']:>9.3f} {row['recall']:>7.3f} "
            f"{row['flags']:>6} {row['labels']:>7}"
        )
    return "\n".join(rows)


def write_result(result: dict[str, Any], path: Path) -> None:
    """Write the result as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1, sort_keys=True))


__all__ = ["Scorecard", "render_table", "run_anomaly_eval", "write_result"]
