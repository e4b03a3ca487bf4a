"""A circuit breaker per target: stop calling a target that keeps failing.

    closed ──(threshold consecutive failures)──> open
    open ──(open_s elapsed)──> half-open: one probe is let through
    half-open ──probe succeeds──> closed;  ──probe fails──> open again

The state lives in the worker process; each process learns a target's health
on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog

log = structlog.get_logger(__name__)


@dataclass(slots=True)
class _TargetCircuit:
    failures: int = 0
    open_until: float | None = None
    probe_in_flight: bool = False


class CircuitBreaker:
    """Tracks consecutive failures per target and says who may be called."""

    def __init__(self, *, failure_threshold: int, open_s: float) -> None:
        self.failure_threshold = failure_threshold
        self.open_s = open_s
        self._circuits: dict[str, _TargetCircuit] = {}

    def _circuit(self, target: str) -> _TargetCircuit:
        return self._circuits.setdefault(target, _TargetCircuit())

    def state(self, target: str, now: float) -> str:
        """Return `closed`, `open` or `half_open` for `target` at monotonic `now`."""
        circuit = self._circuits.get(target)
        if circuit is None or circuit.open_until is None:
            return "closed"
        return "open" if now < circuit.open_until else "half_open"

    def blocked(self, now: float) -> list[str]:
        """Return the targets whose circuit is open (not yet probing) at `now`."""
        return [t for t in self._circuits if self.state(t, now) == "open"]

    def allow(self, target: str, now: float) -> bool:
        """Tell whether an attempt at `target` may start now.

        In the half-open state the first caller gets the probe; the others
        wait until the probe has ended.
        """
        state = self.state(target, now)
        if state == "closed":
            return True
        circuit = self._circuit(target)
        if state == "half_open" and not circuit.probe_in_flight:
            circuit.probe_in_flight = True
            return True
        return False

    def reopens_at(self, target: str, now: float) -> float:
        """Return the monotonic time at which `target` may be tried again."""
        circuit = self._circuits.get(target)
        if circuit is None or circuit.open_until is None:
            return now
        return max(circuit.open_until, now + 1.0)

    def record_success(self, target: str) -> None:
        """Close `target`'s circuit and forget its failures."""
        circuit = self._circuits.get(target)
        if circuit is None:
            return
        if circuit.open_until is not None:
            log.info("circuit.closed", target=target)
        circuit.failures = 0
        circuit.open_until = None
        circuit.probe_in_flight = False

    def record_failure(self, target: str, now: float) -> None:
        """Count a failure of `target`; open its circuit at the threshold."""
        circuit = self._circuit(target)
        circuit.failures += 1
        probing = circuit.probe_in_flight
        circuit.probe_in_flight = False
        if probing or circuit.failures >= self.failure_threshold:
            already_open = circuit.open_until is not None and now < circuit.open_until
            circuit.open_until = now + self.open_s
            if not already_open:
                log.warning(
                    "circuit.opened",
                    target=target,
                    consecutive_failures=circuit.failures,
                    open_s=self.open_s,
                )
