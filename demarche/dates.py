"""Times as people read them: stored as naive UTC (models.utcnow), shown in Paris time, « 21/11/2026 à 06:10 »."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

try:
    PARIS = ZoneInfo("Europe/Paris")
except ZoneInfoNotFoundError:  # a system without tz data: UTC rather than a crash
    PARIS = UTC


def local(value: datetime | int | float | None) -> datetime | None:
    """A stored time (naive UTC, aware, or a Unix timestamp such as auth_time) in Paris time."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        value = datetime.fromtimestamp(value, UTC)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(PARIS)


def display(value: datetime | int | float | str | None, time: bool = True) -> str:
    """« 21/11/2026 à 06:10 » (or « 21/11/2026 » with time=False); "" for no value."""
    if isinstance(value, str):  # an ISO time from a JSON snapshot
        value = datetime.fromisoformat(value)
    moment = local(value)
    if moment is None:
        return ""
    return f"{moment:%d/%m/%Y à %H:%M}" if time else f"{moment:%d/%m/%Y}"
