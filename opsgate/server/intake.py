"""What every webhook receiver does around the store: secrets, commits, refusals."""

from __future__ import annotations

import asyncio

from opsgate.rules.accept import AcceptRequest, AcceptResult
from opsgate.rules.accept.quarantine import quarantine
from opsgate.rules.catalog.model import SourceEntry
from opsgate.rules.store.db import session_scope
from opsgate.server.problems import Problem
from opsgate.server.state import ServerState


async def configured_secret(
    state: ServerState, entry: SourceEntry, body: bytes, headers: dict[str, str]
) -> str:
    """Return the source's webhook secret, or keep the body and answer 500.

    The 500 names the setting; the body is kept as a refused one (its first
    4 KiB), so what the sender tried to deliver can be seen.
    """
    secret = state.settings.webhooks.secrets.get(entry.source)
    if secret is None:
        setting = f"OPSGATE_WEBHOOKS__SECRETS__{entry.source.upper()}"
        detail = (
            f"No webhook secret is configured for source {entry.source!r}; set "
            f"{setting} or [webhooks.secrets] in opsgate.toml."
        )
        await keep_refused(state, entry.source, body, headers, detail)
        raise Problem(500, "source-not-configured", "Source not configured", detail)
    return secret.get_secret_value()


async def committed(state: ServerState, request: AcceptRequest) -> AcceptResult:
    """Accept `request` through the group-commit writer; 503 if it cannot commit."""
    try:
        return await state.writer.submit(request)
    except Exception as exc:
        # Nothing was acknowledged, so the sender's retry loses nothing.
        raise Problem(
            503,
            "store-unavailable",
            "Store unavailable",
            f"The event could not be committed ({type(exc).__name__}); send it again.",
        ) from None


REFUSED_BODY_KEPT_BYTES = 4096
"""How much of a refused (unsigned, unknown-source) body is kept for inspection:
enough to see what it was, too little for junk traffic to fill the disk."""


async def keep_refused(
    state: ServerState, source: str, body: bytes, headers: dict[str, str], reason: str
) -> None:
    """Keep the body of a refused request, without an incident (if settings say so)."""
    if not state.settings.webhooks.quarantine_rejected:
        return

    kept = body[:REFUSED_BODY_KEPT_BYTES]
    cut = (
        f" (first {len(kept)} of {len(body)} bytes kept)"
        if len(body) > len(kept)
        else ""
    )

    def keep() -> None:
        with session_scope(state.engine) as session:
            quarantine(
                session,
                source=source,
                channel="webhook",
                body=kept,
                headers=headers,
                reason=f"Refused: {reason}{cut}",
                category=None,
            )

    await asyncio.to_thread(keep)
