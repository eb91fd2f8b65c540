"""Jinja filters for what citizens and agents read: French dates, times in Paris time."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from demarche.dates import display


def date_fr(value: str | date | datetime | None, with_time: bool = False) -> str:
    """« 24/08/1962 » for a date; a stored time (naive UTC) in Paris time, « 21/11/2026 à 14:05 » with_time."""
    if not value:
        return ""
    if isinstance(value, str) and len(value) == 10:
        value = date.fromisoformat(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    return display(value, time=with_time)


def register_filters(app: Flask) -> None:
    app.add_template_filter(date_fr, "date_fr")
