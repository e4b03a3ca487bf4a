"""Settings of delivery and of the event-backbone relay."""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from opsgate.rules.delivery.policy import RetryPolicy


class DeliverySettings(BaseModel):
    """How workers claim, attempt and retry deliveries."""

    model_config = ConfigDict(extra="forbid")

    max_attempts: int = Field(default=8, ge=1)
    """Attempts before a delivery becomes a dead letter (the first one included)."""
    initial_backoff_s: float = Field(default=1.0, ge=0)
    """Seconds before the second attempt."""
    backoff_factor: float = Field(default=2.0, ge=1)
    """Each further wait is this many times the one before."""
    max_backoff_s: float = Field(default=300.0, ge=0)
    """Seconds; no computed wait is longer (a target's `Retry-After` may be)."""
    jitter: float = Field(default=0.5, ge=0, le=1)
    """Fraction of each wait drawn at random, so retries of many spread out."""
    attempt_timeout_s: float = Field(default=10.0, gt=0)
    """Seconds one attempt may take before it counts as a timeout."""
    lease_s: float = Field(default=60.0, gt=0)
    """Seconds a claim lasts; a delivery whose worker died is claimable after."""
    batch_size: int = Field(default=100, ge=1, le=1000)
    """Deliveries claimed in one statement."""
    parallel_attempts: int = Field(default=25, ge=1)
    """Attempts of one batch that run at the same time."""
    coalesced_batch_size: int = Field(default=250, ge=1, le=1000)
    """Deliveries of an operation its target coalesces (timesheets to Odoo) a
    claim takes: a batch that holds some is topped up to this many. They are
    attempted together, beside the batch's rounds, so the lease check holds."""
    concurrency: int = Field(default=4, ge=1)
    """Worker loops per process, each claiming its own batches."""
    poll_interval_s: float = Field(default=0.5, gt=0)
    """Seconds an idle worker waits before claiming again."""
    circuit_failure_threshold: int = Field(default=5, ge=1)
    """Consecutive failures of a target (timeouts, unavailable, rate limits)
    that open its circuit."""
    circuit_open_s: float = Field(default=30.0, gt=0)
    """Seconds an open circuit stays open before one probe is let through."""

    @model_validator(mode="after")
    def _lease_outlasts_a_batch(self) -> DeliverySettings:
        rounds = math.ceil(self.batch_size / self.parallel_attempts)
        needed = rounds * self.attempt_timeout_s
        if self.lease_s <= needed:
            raise ValueError(
                f"delivery.lease_s = {self.lease_s!r} is too short: a batch of "
                f"{self.batch_size} with {self.parallel_attempts} attempts at a time "
                f"may take {needed!r} s. Raise lease_s above {needed!r}, or lower "
                "batch_size or attempt_timeout_s."
            )
        return self

    @model_validator(mode="after")
    def _backoff_grows(self) -> DeliverySettings:
        if self.max_backoff_s < self.initial_backoff_s:
            raise ValueError(
                f"delivery.max_backoff_s = {self.max_backoff_s!r} is below "
                f"initial_backoff_s = {self.initial_backoff_s!r}: the longest wait "
                "between attempts cannot be shorter than the first"
            )
        return self

    def retry_policy(self) -> RetryPolicy:
        """Return the retry policy these settings describe."""
        return RetryPolicy(
            initial_interval_s=self.initial_backoff_s,
            backoff_factor=self.backoff_factor,
            max_interval_s=self.max_backoff_s,
            max_attempts=self.max_attempts,
            jitter=self.jitter,
        )


class NatsSettings(BaseModel):
    """Where and how accepted events are relayed to NATS JetStream."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = None
    """NATS server URL (`nats://127.0.0.1:4222`); empty turns the relay off."""
    token: SecretStr | None = None
    """Authentication token, if the server wants one."""
    stream: str = "OPSGATE_EVENTS"
    """JetStream stream that holds the subjects (created when missing)."""
    subject_prefix: str = "opsgate.events"
    """Events go to `<subject_prefix>.<event type>`."""
    batch_size: int = Field(default=500, ge=1, le=10_000)
    """Events read from the store per relay round."""
    poll_interval_s: float = Field(default=0.5, gt=0)
    """Seconds the relay waits when nothing is left to publish."""
    publish_timeout_s: float = Field(default=5.0, gt=0)
    """Seconds to wait for JetStream to acknowledge one publish."""
    connect_timeout_s: float = Field(default=5.0, gt=0)
    """Seconds to wait for the connection to the server."""
