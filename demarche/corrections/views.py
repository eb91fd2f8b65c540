"""The citizen's correction page: the démarche's own form, declared answers editable, certified values locked
and shown as such, the agent's request above, « J’ai effectué les corrections » to send."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from demarche import ratelimit
from demarche.auth.guards import login_required
from demarche.corrections import services
from demarche.dossiers.states import CORRECTION
from demarche.dossiers.transitions import TransitionRefused
from demarche.identity import PivotIdentity
from demarche.journey import followups
from demarche.procedures import PROCEDURES
from demarche.procedures.formdata import as_formdata

bp = Blueprint("corrections", __name__)


@bp.route("/mes-demarches/<reference>/correction", methods=["GET", "POST"])
@login_required
def correct(reference: str):
    dossier = followups.own_dossier(reference)
    procedure = PROCEDURES.get(dossier.procedure) or abort(404)
    receipt = url_for("journey.receipt", slug=procedure.slug, reference=reference)
    if dossier.status != CORRECTION:
        flash("Aucune correction n’est attendue sur ce dossier.", "info")
        return redirect(receipt, code=303)
    draft, refresh_failed = services.refreshed(dossier)
    certified = procedure.certified(draft.certified if draft else dossier.certified)
    identity = PivotIdentity.from_claims(dossier.identity or {})
    posted = request.method == "POST"
    form = procedure.build_form(certified, identity,
                                formdata=request.form if posted else as_formdata(dossier.form_data))
    if "renewal_reminder" in form:
        del form.renewal_reminder  # a preference, changed on the receipt: not a correction
    confirmed = request.form.get("confirm") == "oui"
    if posted and form.validate() and confirmed:
        try:
            services.confirm(procedure, dossier, form, draft)
        except TransitionRefused:
            flash("Ce dossier n’attend plus de correction : il a été repris par la mairie entre-temps.", "warning")
            return redirect(receipt, code=303)
        flash("Vos corrections ont été envoyées : votre dossier est de nouveau en instruction.", "success")
        return redirect(receipt, code=303)
    return render_template(
        procedure.form_template, procedure=procedure, form=form, draft=draft, identity=identity,
        review=procedure.review(certified, draft.failures if draft else {}), dossier=dossier,
        correction=services.pending_request(dossier), refresh_failed=refresh_failed,
        unconfirmed=posted and not confirmed, form_action=url_for(".correct", reference=reference),
    ), 400 if posted else 200


@bp.post("/mes-demarches/<reference>/correction/actualiser")
@login_required
@ratelimit.per_account("consent")  # a new consent and the providers' calls
def refresh(reference: str):
    """Certify the data again: a new consent, then FranceConnect and the prefill, back to the correction page."""
    dossier = followups.own_dossier(reference)
    if dossier.status != CORRECTION:
        abort(404)
    return followups.start("correction", dossier)
