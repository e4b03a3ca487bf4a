"""The hook `opsgate run` calls on each tick: send the daily summary when it is due."""

from __future__ import annotations

from datetime import date, datetime

import structlog
from sqlalchemy import Engine

from opsgate.agent.graphs.summary import run_summary
from opsgate.agent.llm import LLMClient
from opsgate.agent.summary.posting import WebhookError, post_summary
from opsgate.agent.summary.schedule import SummarySchedule

log = structlog.get_logger(__name__)


def send_due_summary(
    schedule: SummarySchedule,
    engine: Engine,
    now: datetime,
    *,
    llm: LLMClient | None = None,
) -> date | None:
    """Write and post the summary if one is due at `now`; return the day sent.

    A webhook that keeps failing is logged and the day stays unsent, so the
    next tick tries again; the engine's loop never sees an exception from here.
    """
    day = schedule.due(now)
    if day is None:
        return None
    settings = schedule.settings
    state = run_summary(engine, day, fmt=settings.format, llm=llm)
    if settings.webhook_url is not None:
        try:
            post_summary(
                settings.webhook_url.get_secret_value(),
                state["text"],
                attempts=settings.post_attempts,
            )
        except WebhookError as exc:
            log.error("summary.post_failed", day=day.isoformat(), error=str(exc))
            return None
    schedule.mark_sent(day)
    log.info("summary.sent", day=day.isoformat(), source=state["source"])
    return day
