"""The agents' side of an identity check (request, decision) on the back-office dossier page, and the one line
the person sees on their receipt."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_wtf import FlaskForm

from demarche.auth.guards import agent_required, current_agent
from demarche.declared_identity import DeclaredIdentity, is_declared
from demarche.dossiers import access
from demarche.dossiers.access import dossier_for_agent
from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.identity_checks import services
from demarche.procedures import PROCEDURES

agent_bp = Blueprint("identity_checks", __name__, url_prefix="/agents")


def _back(reference: str):
    return redirect(url_for("backoffice.dossier", reference=reference, _anchor="verification"), code=303)


@agent_bp.post("/dossiers/<reference>/verification-identite")
@agent_required
def ask(reference: str):
    """Record how the identity was verified, then queue the call (never on this request's thread)."""
    dossier = dossier_for_agent(reference)
    check = services.check_of(dossier)
    if not FlaskForm().validate_on_submit() or check is None:
        return _back(reference)
    how = request.form.get("verified_how", "")
    try:
        services.request(check, dossier, agent_email=current_agent().email, verified_how=how)
    except services.CheckRefused as refused:
        flash(str(refused), "error")
        return _back(reference)
    access.record("identity_check_requested", dossier, {"verified_how": how})
    db.session.commit()
    flash("Vérification demandée : la réponse s’affichera ici dans quelques instants.", "success")
    return _back(reference)


@agent_bp.post("/dossiers/<reference>/verification-identite/decision")
@agent_required
def decide(reference: str):
    dossier = dossier_for_agent(reference)
    check = services.check_of(dossier)
    if not FlaskForm().validate_on_submit() or check is None:
        return _back(reference)
    try:
        services.decide(check, dossier, agent_email=current_agent().email, decision=request.form.get("decision", ""))
    except services.CheckRefused as refused:
        flash(str(refused), "error")
        return _back(reference)
    access.record("identity_check_decided", dossier, {"decision": check.decision})
    db.session.commit()
    flash("Conclusion enregistrée ; l’usager la verra sur son dossier.", "success")
    return _back(reference)


def panel(dossier: Dossier) -> dict | None:
    """What the back-office dossier page shows of a declared identity and its check (agents only)."""
    if not is_declared(dossier.identity):
        return None
    procedure = PROCEDURES.get(dossier.procedure)
    declared_lines = [line for line in (procedure.summary(dossier.identity, dossier.answers, dossier.certified)
                                        if procedure else []) if line.origin == "declared"]
    return {"declared": DeclaredIdentity.from_dict(dossier.identity["declaration"]), "lines": declared_lines,
            "check": services.check_of(dossier), "how": services.VERIFIED_HOW, "decisions": services.DECISIONS,
            "sources": {s.key: s for s in procedure.sources} if procedure else {}}


def citizen_status(dossier: Dossier) -> str | None:
    """The person's line on the receipt: the conclusion, never the data."""
    if not is_declared(dossier.identity):
        return None
    return services.citizen_view(services.check_of(dossier), PROCEDURES.get(dossier.procedure))
