"""The citizen's renewal buttons: start next year's dossier from an accepted one, and the reminder opt-in."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for

from demarche import ratelimit
from demarche.auth.guards import login_required
from demarche.dossiers import renewal as services
from demarche.extensions import db
from demarche.journey import followups

bp = Blueprint("renewal", __name__)


@bp.post("/mes-demarches/<reference>/renouveler")
@login_required
@ratelimit.per_account("consent")  # a new consent and the providers' calls
def renew(reference: str):
    """A new consent and a fresh fetch of the certified data; then the form, last year's answers prefilled."""
    dossier = followups.own_dossier(reference)
    if not services.can_renew(dossier):
        flash("Ce dossier ne peut pas être renouvelé : seul un dossier accepté, pas encore renouvelé, peut l’être.",
              "warning")
        return redirect(url_for("journey.receipt", slug=dossier.procedure, reference=reference), code=303)
    return followups.start("renewal", dossier)


@bp.post("/mes-demarches/<reference>/rappel-reinscription")
@login_required
def reminder(reference: str):
    """« Me prévenir pour la réinscription l’an prochain »: given or withdrawn at any time."""
    dossier = followups.own_dossier(reference)
    dossier.renewal_reminder = request.form.get("reminder") == "oui"
    db.session.commit()
    flash("C’est noté : vous recevrez un courriel quand les réinscriptions ouvriront." if dossier.renewal_reminder
          else "C’est noté : vous ne recevrez pas de courriel pour la réinscription.", "success")
    return redirect(url_for("journey.receipt", slug=dossier.procedure, reference=reference), code=303)
