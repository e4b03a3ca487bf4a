"""Accept inputs into the store: the raw body first, as an event or in quarantine.

Webhooks, file imports and REST pulls all go through `accept` / `accept_many`.
"""

from opsgate.rules.accept.accept import (
    AcceptOutcome,
    AcceptRequest,
    AcceptResult,
    accept,
    accept_many,
)

__all__ = ["AcceptOutcome", "AcceptRequest", "AcceptResult", "accept", "accept_many"]
