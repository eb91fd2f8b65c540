"""Accessibility that can be stated: the RGAA self-audit (audit.py, data/), the status every page's
footer states, the audit grid offered for download from the statement (/accessibilite), and the way to
extend a session before it ends for inactivity (RGAA 13.1)."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, session

from demarche.accessibility.audit import GRID_FILE, load

bp = Blueprint("accessibility", __name__)


@bp.get("/accessibilite/grille-audit-rgaa.csv")
def grid():
    """The audit grid as the repository keeps it (criterion, status, page types, reason)."""
    response = current_app.response_class(GRID_FILE.read_bytes(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="grille-audit-rgaa.csv"'
    return response


@bp.post("/session/prolonger")
def extend_session():
    """« Rester connecté »: any request resets the inactivity limit (demarche/sessions.py), this one says so.
    RGAA 13.1, test 4: the person can extend a session's time limit
    (https://accessibilite.numerique.gouv.fr/methode/criteres-et-tests/#13.1)."""
    if not getattr(session, "row_id", None):
        return {"prolongee": False}, 401  # already ended: the page says to sign in again
    return {"prolongee": True, "secondes": current_app.config["SETTINGS"].session_idle_minutes * 60}


def init_app(app: Flask) -> None:
    """The grid's route, and `accessibility` (the audit) in every template, for the footer's mention."""
    load()  # a grid that does not cover every criterion on every page type stops the start-up
    app.register_blueprint(bp)
    app.context_processor(lambda: {"accessibility": load()})
