"""The desk's pages: « Déposer pour un usager présent » (the mandate and the identity), then the journey's own
pages act for the person (consent, certified data, form, receipt) until « Terminer le dépôt au guichet »."""

from __future__ import annotations

import time

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from demarche.auth import session as auth_session
from demarche.auth.guards import agent_required, current_agent
from demarche.counter import services
from demarche.counter.forms import CounterForm

bp = Blueprint("counter", __name__, url_prefix="/agents")


def allowed() -> bool:
    """Whether the agent of this page may file for someone (the back-office's menu asks)."""
    agent = g.get("agent")
    return agent is not None and services.may_file(agent)


@bp.route("/guichet", methods=["GET", "POST"])
@agent_required
def start():
    """The document seen, the person's identity and the mandate; then the démarche's consent page."""
    agent = current_agent()
    if not services.may_file(agent):
        abort(403)
    form = CounterForm(procedure=request.args.get("demarche", ""))
    searching = request.form.get("action") == "chercher"
    if request.method == "POST" and not searching and form.validate():
        mandate, claims = services.open_filing(agent, form)
        auth_session.open_counter(mandate.citizen_id, _sub(mandate), claims, mandate.id, int(time.time()))
        return redirect(url_for("journey.consent", slug=mandate.procedure), code=303)
    communes = form.communes()
    status = 400 if request.method == "POST" and not searching else 200
    return render_template("counter/start.html", form=form, communes=communes, searching=searching), status


def _sub(mandate) -> str:
    from demarche.extensions import db
    from demarche.models import Citizen

    return db.session.get(Citizen, mandate.citizen_id).sub


@bp.post("/guichet/terminer")
@agent_required
def finish():
    """Back to the agent alone: the person's drafts leave the session (their dossier stays theirs)."""
    auth_session.close_counter()
    return redirect(url_for("backoffice.dossiers"), code=303)
