"""The time zone a time tracker's users record their days in, as a setting."""

from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator


def _known_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"{name!r} is not an IANA time zone (such as 'Europe/Berlin')"
        ) from None
    return name


IanaZone = Annotated[str, AfterValidator(_known_zone)]
"""An IANA zone name, refused at load when the zone database does not know it."""
