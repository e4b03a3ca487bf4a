"""One attempt at one delivery: call the target with a timeout, classify the end.

An attempt never raises: whatever the target does, the result says how it
ended, with the error in the shared category vocabulary.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import structlog

from opsgate.connectors.errors import ConnectorError, ErrorCategory
from opsgate.rules.delivery.targets import DeliveryCommand, Target, VerifyingTarget
from opsgate.rules.store.statuses import AttemptOutcome

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class AttemptResult:
    """How one attempt ended."""

    command: DeliveryCommand
    outcome: AttemptOutcome
    duration_s: float
    error: ConnectorError | None = None
    verified: bool = False
    """True when an uncertain outcome was read back and found applied."""

    @property
    def succeeded(self) -> bool:
        """Tell whether the target holds the command's write."""
        return self.outcome is AttemptOutcome.SUCCEEDED


async def attempt(
    target: Target, command: DeliveryCommand, *, timeout_s: float
) -> AttemptResult:
    """Deliver `command` to `target` once, within `timeout_s` seconds."""
    started = time.perf_counter()
    outcome, error, verified = await _call(target, command, timeout_s)
    result = AttemptResult(
        command=command,
        outcome=outcome,
        duration_s=time.perf_counter() - started,
        error=error,
        verified=verified,
    )
    log.info(
        "delivery.attempted",
        delivery_id=command.delivery_id,
        target=command.target,
        operation=command.operation,
        attempt=command.attempt,
        outcome=outcome.value,
        category=error.category.value if error is not None else None,
        duration_ms=round(result.duration_s * 1000, 2),
    )
    return result


async def _call(
    target: Target, command: DeliveryCommand, timeout_s: float
) -> tuple[AttemptOutcome, ConnectorError | None, bool]:
    try:
        async with asyncio.timeout(timeout_s):
            await target.deliver(command)
    except ConnectorError as error:
        if error.outcome_uncertain:
            return await _read_back(target, command, error, timeout_s)
        return AttemptOutcome.FAILED, error, False
    except TimeoutError:
        return AttemptOutcome.TIMED_OUT, _timeout_error(command, timeout_s), False
    except Exception as exc:  # a defect in the target must not kill the worker
        return AttemptOutcome.FAILED, _defect_error(command, exc), False
    return AttemptOutcome.SUCCEEDED, None, False


async def _read_back(
    target: Target, command: DeliveryCommand, error: ConnectorError, timeout_s: float
) -> tuple[AttemptOutcome, ConnectorError | None, bool]:
    """Settle an uncertain outcome by asking the target, when it can say."""
    if not isinstance(target, VerifyingTarget):
        return AttemptOutcome.UNCERTAIN, error, False
    try:
        async with asyncio.timeout(timeout_s):
            applied = await target.verify(command)
    except Exception:  # the read-back failed too: still uncertain
        return AttemptOutcome.UNCERTAIN, error, False
    if applied:
        return AttemptOutcome.SUCCEEDED, None, True
    # Read back and not applied: the write did not land, so the error's own
    # retryability holds again.
    settled = ConnectorError(
        error.message,
        category=error.category,
        retryable=error.retryable,
        target=error.target,
        operation=error.operation,
        model=error.model,
        fault=error.fault,
        retry_after_s=error.retry_after_s,
    )
    return AttemptOutcome.FAILED, settled, False


def _timeout_error(command: DeliveryCommand, timeout_s: float) -> ConnectorError:
    return ConnectorError(
        f"Delivery {command.delivery_id} to {command.target!r} "
        f"({command.operation}) took longer than {timeout_s!r} s.",
        category=ErrorCategory.TIMEOUT,
        retryable=True,
        target=command.target,
        operation=command.operation,
    )


def _defect_error(command: DeliveryCommand, exc: Exception) -> ConnectorError:
    return ConnectorError(
        f"Target {command.target!r} failed on delivery {command.delivery_id} "
        f"with {type(exc).__name__}: {exc} (a defect in the target, not a "
        "ConnectorError).",
        category=ErrorCategory.UNKNOWN,
        retryable=False,
        target=command.target,
        operation=command.operation,
        fault={"exception": type(exc).__name__, "message": str(exc)},
    )


def unknown_target_error(command: DeliveryCommand) -> ConnectorError:
    """Return the error for a delivery routed to a target no worker has."""
    return ConnectorError(
        f"Delivery {command.delivery_id} is routed to target {command.target!r}, "
        "which this worker does not have. Configure the target, then replay.",
        category=ErrorCategory.MAPPING,
        retryable=False,
        target=command.target,
        operation=command.operation,
    )
