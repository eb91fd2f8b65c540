"""The public pages' views (see the package's docstring)."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from sqlalchemy import text

from demarche import dates
from demarche.accessibility.audit import AUDITED_ON
from demarche.auth import session as auth_session
from demarche.auth.guards import current_identity, login_required
from demarche.extensions import db
from demarche.journey import session as journey_session
from demarche.procedures import PROCEDURES

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    """Every démarche offered, the one picked (if any) highlighted next to the FranceConnect button."""
    if auth_session.citizen():
        return redirect(url_for("pages.espace"), code=303)
    chosen = PROCEDURES.get(journey_session.chosen_procedure() or "")
    return render_template("pages/home.html", procedures=PROCEDURES.values(), chosen=chosen)


@bp.get("/commencer")
def start():
    """Start a démarche: `?demarche=<slug>` picks it, before or after login; a login lands here too."""
    if request.args.get("demarche") in PROCEDURES:
        journey_session.choose_procedure(request.args["demarche"])
    if auth_session.citizen() is None:
        return redirect(url_for("pages.home"), code=303)  # the FranceConnect button is there
    slug = journey_session.take_chosen_procedure()
    if slug not in PROCEDURES and len(PROCEDURES) == 1:
        slug = next(iter(PROCEDURES))  # a service with one démarche needs no choice
    if slug not in PROCEDURES:  # logged in without picking one: the citizen's space lists them
        return redirect(url_for("pages.espace"), code=303)
    return redirect(url_for("journey.consent", slug=slug), code=303)


@bp.get("/mon-espace")
@login_required
def espace():
    return render_template("pages/espace.html", identity=current_identity(), login=auth_session.citizen(),
                           procedures=PROCEDURES.values())


@bp.get("/accessibilite")
def accessibilite():
    """The statement, its figures computed from the self-audit (demarche/accessibility)."""
    return render_template("pages/accessibilite.html", audit_date=dates.long_day(AUDITED_ON))


@bp.get("/mentions-legales")
def mentions_legales():
    return render_template("pages/mentions_legales.html")


@bp.get("/donnees-personnelles")
def donnees_personnelles():
    return render_template("pages/donnees_personnelles.html", procedures=PROCEDURES.values())


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
