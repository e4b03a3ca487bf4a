"""When `opsgate run` sends the daily summary: settings and the due check."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Literal

from pydantic import BaseModel, ConfigDict, SecretStr


class SummarySettings(BaseModel):
    """The daily summary's schedule and where it goes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    enabled: bool = False
    """Whether `opsgate run` sends the summary each day."""
    send_at_utc: clock = clock(7, 0)
    """Time of day (UTC) after which yesterday's summary is sent."""
    webhook_url: SecretStr | None = None
    """Slack-compatible incoming webhook; none prints the summary to the log only."""
    format: Literal["text", "markdown"] = "markdown"
    """How the posted summary is written."""
    post_attempts: int = 4
    """Attempts per post, with exponential backoff between them."""


@dataclass
class SummarySchedule:
    """Decides, on each tick of `opsgate run`, whether a summary is due.

    A summary covers the previous UTC day and is sent once per day, at the
    first tick after `send_at_utc`. The last day sent lives in memory; a
    restart after the send time sends that day's summary again.
    """

    settings: SummarySettings
    last_sent: date | None = field(default=None)

    def due(self, now: datetime) -> date | None:
        """Return the day to summarise if a summary is due at `now`, else None."""
        if not self.settings.enabled or now.time() < self.settings.send_at_utc:
            return None
        day = now.date() - timedelta(days=1)
        return None if self.last_sent == day else day

    def mark_sent(self, day: date) -> None:
        """Remember that `day`'s summary was sent."""
        self.last_sent = day
