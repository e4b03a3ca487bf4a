"""Settings of the anomaly checks: thresholds a firm tunes to its own habits."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class AnomalySettings(BaseModel):
    """Thresholds for the billing checks and the unsupervised model."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    day_ceiling_h: float = 12.0
    """A consultant's day above this many hours is flagged. Hours."""
    spike_factor: float = 2.5
    """A day this many times the consultant's median day is a spike."""
    spike_min_excess_h: float = 4.0
    """...and at least this many hours above the median. Hours."""
    min_history_days: int = 10
    """Days of history a consultant needs before spikes are judged."""
    project_spike_factor: float = 1.5
    """A project week this many times the project's median week is a spike."""
    project_spike_min_excess_h: float = 12.0
    """...and at least this many hours above the median week. Hours."""
    min_history_weeks: int = 6
    """Weeks of history a project needs before spikes are judged."""
    rate_tolerance: float = 0.005
    """Relative difference between rates that still counts as equal."""
    hours_tolerance_h: float = 0.25
    """Difference between invoiced and logged hours that still counts as equal. Hours."""
    rounding_h: float = 0.25
    """Near-duplicates are lines equal after rounding to this step. Hours."""
    billing_grace_days: int = 15
    """Days after a month ends before its approved time must be invoiced."""
    holidays: tuple[date, ...] = ()
    """Public holidays on which time counts as weekend time."""
    model_enabled: bool = True
    """Whether the unsupervised model runs after the checks."""
    model_kind: Literal["isolation_forest", "local_outlier_factor", "robust_z"] = (
        "isolation_forest"
    )
    """Which model scores consultant-days; the forest won on the labelled set."""
    model_threshold: float = -0.62
    """A model score below this flags a consultant-day (forest `score_samples`;
    for the local outlier factor, its negated factor)."""
    model_min_robust_z: float = 4.0
    """A model flag also needs one feature this far from the consultant's usual."""
    model_trees: int = Field(default=100, ge=10, le=1000)
    """Trees in the IsolationForest."""
    model_seed: int = 7
    """Random seed, so the same facts give the same flags."""
