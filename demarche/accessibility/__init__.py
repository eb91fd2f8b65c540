"""Accessibility that can be stated: the RGAA self-audit (audit.py, data/), the status every page's
footer states, and the audit grid offered for download from the statement (/accessibilite)."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app

from demarche.accessibility.audit import GRID_FILE, load

bp = Blueprint("accessibility", __name__)


@bp.get("/accessibilite/grille-audit-rgaa.csv")
def grid():
    """The audit grid as the repository keeps it (criterion, status, page types, reason)."""
    response = current_app.response_class(GRID_FILE.read_bytes(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="grille-audit-rgaa.csv"'
    return response


def init_app(app: Flask) -> None:
    """The grid's route, and `accessibility` (the audit) in every template, for the footer's mention."""
    load()  # a grid that does not cover every criterion on every page type stops the start-up
    app.register_blueprint(bp)
    app.context_processor(lambda: {"accessibility": load()})
