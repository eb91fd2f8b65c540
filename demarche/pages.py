"""Public pages: home with the FranceConnect button, the citizen's space, the mandatory footer pages,
and the health probes used by load balancers."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, current_app, redirect, render_template, session, url_for
from sqlalchemy import text

from demarche.extensions import db
from demarche.identity import PivotIdentity

bp = Blueprint("pages", __name__)


def login_required(view):
    """Send anonymous visitors to the home page, where the FranceConnect button is."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not session.get("citizen_id"):
            return redirect(url_for("pages.home"), code=303)
        return view(*args, **kwargs)

    return wrapper


def current_identity() -> PivotIdentity | None:
    """The pivot identity FranceConnect certified for this session, if logged in."""
    claims = session.get("identity")
    return PivotIdentity.from_claims(claims) if claims else None


@bp.get("/")
def home():
    if session.get("citizen_id"):
        return redirect(url_for("pages.espace"), code=303)
    return render_template("pages/home.html")


@bp.get("/commencer")
@login_required
def start():
    """Where a login lands: the démarche the home page presents (the first one registered)."""
    from demarche.procedures import PROCEDURES

    return redirect(url_for("journey.consent", slug=next(iter(PROCEDURES))), code=303)


@bp.get("/mon-espace")
@login_required
def espace():
    return render_template("pages/espace.html", identity=current_identity())


@bp.get("/accessibilite")
def accessibilite():
    return render_template("pages/accessibilite.html")


@bp.get("/mentions-legales")
def mentions_legales():
    return render_template("pages/mentions_legales.html")


@bp.get("/donnees-personnelles")
def donnees_personnelles():
    return render_template("pages/donnees_personnelles.html")


@bp.get("/gestion-des-cookies")
def gestion_cookies():
    return render_template("pages/cookies.html")


@bp.get("/healthz")
def healthz():
    """The process is up (liveness)."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    """The database answers (readiness): a load balancer stops sending traffic otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not ready"
        db.session.rollback()
        current_app.logger.warning("readiness check failed")
        return {"status": "database unavailable"}, 503
    return {"status": "ok"}
