"""Every date and time people read (pages, PDF, e-mails, exports): French format, Paris time.

Times are stored as naive UTC (models.utcnow) or come as Unix timestamps (auth_time) and ISO strings
(snapshots' retrieved_at); calendar dates (birth dates) come as « AAAA-MM-JJ » and are shown as they are.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask

try:
    PARIS = ZoneInfo("Europe/Paris")
except ZoneInfoNotFoundError:  # a system without tz data: UTC rather than a crash
    PARIS = UTC

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")

Moment = datetime | int | float | str | None


def local(value: Moment) -> datetime | None:
    """A stored time (naive UTC, aware, Unix timestamp or ISO string) in Paris time."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, int | float):
        value = datetime.fromtimestamp(value, UTC)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(PARIS)


def display(value: Moment, time: bool = True) -> str:
    """A moment: « 21/11/2026 à 06:10 » in Paris time (« 21/11/2026 » with time=False); "" for no value."""
    moment = local(value)
    if moment is None:
        return ""
    return f"{moment:%d/%m/%Y à %H:%M}" if time else f"{moment:%d/%m/%Y}"


def day(value: Moment | date) -> str:
    """A calendar date « 24/08/1962 » (« 1962-08-24 » or a date, shown as is); a moment: its day in Paris."""
    if isinstance(value, str) and len(value) == 10:
        try:
            value = date.fromisoformat(value)
        except ValueError:  # a presumed date such as « 1992-00-00 »: shown as the provider gave it
            return value
    if isinstance(value, date) and not isinstance(value, datetime):
        return f"{value:%d/%m/%Y}"
    return display(value, time=False)


def long_day(value: date) -> str:
    """« 7 décembre 2026 » (« 1er » on the first of a month)."""
    return f"{'1er' if value.day == 1 else value.day} {MONTHS[value.month - 1]} {value.year}"


def month_year(month: int, year: int) -> str:
    """« octobre 2026 »."""
    return f"{MONTHS[month - 1]} {year}"


def of_month_year(month: int, year: int) -> str:
    """« d’octobre 2026 », « de mars 2026 »: French elision before a vowel."""
    name = month_year(month, year)
    return f"d’{name}" if name[0] in "aeiou" else f"de {name}"


def register_filters(app: Flask) -> None:
    """The Jinja filters, for the whole app: |date_fr for a day, |heure_paris for a day and time."""
    app.add_template_filter(day, "date_fr")
    app.add_template_filter(display, "heure_paris")
