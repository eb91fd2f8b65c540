"""Jinja filters for what citizens and agents read: French dates."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask


def date_fr(value: str | date | datetime | None, with_time: bool = False) -> str:
    """« 24/08/1962 », or « 21/11/2026 à 14:05 » with_time (stored times are UTC)."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
    text = value.strftime("%d/%m/%Y")
    if with_time and isinstance(value, datetime):
        text += value.strftime(" à %H:%M")
    return text


def register_filters(app: Flask) -> None:
    app.add_template_filter(date_fr, "date_fr")
