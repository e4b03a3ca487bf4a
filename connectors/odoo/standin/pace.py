"""Optional pacing: make the stand-in answer about as slowly as a real Odoo.

Off by default (the stand-in answers in well under a millisecond of work).
`Pace.recorded(version)` holds the figures the recordings measured on
loopback with 2 cores: a per-call cost, a cost per record created and per
record updated (re-loading unchanged rows is 5–6 times a create), and the
slow key check of `common.authenticate`. With it the demo and benchmarks
show the ratios a user will meet on a real server.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pace:
    """How long each answer is held back. All values in seconds."""

    call_s: float
    """Per call (routing, key check, transaction)."""
    created_row_s: float
    """Per record created (`create`, rows of `load`)."""
    updated_row_s: float
    """Per record updated (`write`, re-loaded rows of `load`)."""
    authenticate_s: float
    """Per `common.authenticate` (the key is checked against hashed keys)."""

    @classmethod
    def recorded(cls, version: int) -> Pace:
        """The figures of the 18 corpus or the 19 JSON-2 recordings."""
        if version >= 19:
            return cls(
                call_s=0.071,
                created_row_s=0.0049,
                updated_row_s=0.023,
                authenticate_s=0.82,
            )
        return cls(
            call_s=0.046, created_row_s=0.0025, updated_row_s=0.015, authenticate_s=0.5
        )

    def delay_s(
        self, *, created: int, updated: int, authenticated: bool = False
    ) -> float:
        """The hold-back for one call that created and updated so many records."""
        extra = self.authenticate_s if authenticated else 0.0
        return (
            self.call_s
            + created * self.created_row_s
            + updated * self.updated_row_s
            + extra
        )
