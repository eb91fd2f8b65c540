"""The journey's pages: « Ce qui va se passer », FranceConnect data callback, review (and its refresh); the
waiting page (waiting.py) and what follows the deposit (receipts.py) are in the route table below. A démarche
reopened for a correction or a renewal goes the same way (demarche/journey/followups.py)."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from demarche import ratelimit
from demarche.auth import franceconnect
from demarche.auth import session as auth_session
from demarche.auth.guards import current_identity, login_required
from demarche.counter import services as counter_services
from demarche.dates import display
from demarche.dossiers import submission
from demarche.extensions import db
from demarche.journey import declaration as declaration_views
from demarche.journey import followups, receipts, refresh, services, waiting
from demarche.journey import session as journey_session
from demarche.journey.credentials import Credentials
from demarche.journey.declaration import declared
from demarche.journey.settings import settings
from demarche.models import ConsentRecord, Prefill, utcnow
from demarche.procedures import PROCEDURES
from demarche.procedures.base import Procedure, scopes_of

bp = Blueprint("journey", __name__)
# « Nous récupérons vos données… » (waiting.py): follows the prefill job the consent started.
bp.add_url_rule("/demarches/<slug>/patientez/<int:consent_id>", "waiting", waiting.page, methods=["GET", "POST"])
bp.add_url_rule("/demarches/<slug>/patientez/<int:consent_id>/etat", "waiting_status", waiting.status)
# After the deposit (receipts.py): the receipt, the attestation (PDF and page), « Mes démarches ».
bp.add_url_rule("/demarches/<slug>/recu/<reference>", "receipt", login_required(receipts.receipt))
bp.add_url_rule("/demarches/<slug>/recu/<reference>/attestation.pdf", "attestation",
                login_required(receipts.attestation))
bp.add_url_rule("/demarches/<slug>/recu/<reference>/attestation", "attestation_html",
                login_required(receipts.attestation_html))
bp.add_url_rule("/mes-demarches", "my_dossiers", login_required(receipts.my_dossiers))


def _procedure(slug: str) -> Procedure:
    return PROCEDURES.get(slug) or abort(404)


def _draft(slug: str) -> Prefill | None:
    draft_id = journey_session.draft_id(slug)
    draft = draft_id and db.session.get(Prefill, draft_id)
    if not draft or draft.citizen_id != auth_session.citizen().citizen_id or draft.expires_at <= utcnow():
        return None
    return draft


def _keep_draft(slug: str, draft: Prefill):
    journey_session.keep_draft(slug, draft.id)
    return redirect(url_for("journey.review", slug=slug), code=303)


@bp.get("/demarches/<slug>/")
@login_required
def consent(slug: str):
    """What will happen: which data, from whom, for whom, why, how long, on what legal basis."""
    procedure = _procedure(slug)
    if auth_session.citizen().by_email:  # no certified data without FranceConnect: the identity, then the form
        return redirect(url_for("declaration.declare", slug=slug), code=303)
    return render_template("journey/consent.html", procedure=procedure, form=FlaskForm(), sources=_offered(procedure),
                           follow_up=followups.on_consent_page(slug))


def _offered(procedure: Procedure):
    # At the counter, no FranceConnect access token: the DGFiP (which identifies the person by it) is not offered.
    counter = auth_session.citizen().at_counter
    return procedure.offered(settings().impot_particulier and not counter)


def _modality() -> str | None:
    """The counter's identity was checked in person: API Particulier's identite modality, whatever the setting."""
    return "identite" if auth_session.citizen().at_counter else None


@bp.post("/demarches/<slug>/consentement")
@login_required
@ratelimit.per_account("consent")  # each one a consent record and a draft, and on « accept » provider calls
def give_consent(slug: str):
    """Record the explicit choice (which sources), then fetch (accept) or open an empty form (manual)."""
    procedure, form = _procedure(slug), FlaskForm()
    if not form.validate_on_submit() or auth_session.citizen().by_email:
        abort(400)
    accepted = request.form.get("choice") == "accept"
    chosen = [s.key for s in _offered(procedure) if request.form.get(f"source_{s.key}") == "yes"]
    missing = "accept" if request.form.get("accept") != "yes" else "sources" if not chosen else None
    if accepted and missing:
        flash("Cochez la case pour accepter la récupération de vos données, ou choisissez de remplir vous-même."
              if missing == "accept" else "Choisissez au moins une source de données, ou remplissez vous-même.",
              "error")
        return render_template("journey/consent.html", procedure=procedure, form=form, missing=missing,
                               sources=_offered(procedure)), 400
    login = auth_session.citizen()
    record = services.record_consent(procedure, citizen_id=login.citizen_id, citizen_key=login.user_key,
                                     accepted=accepted, sources=chosen, modality=_modality())
    if not accepted:
        return _keep_draft(slug, services.new_draft(procedure, record))
    return _fetch(procedure, record)


def _fetch(procedure: Procedure, record: ConsentRecord, draft: Prefill | None = None):
    """FranceConnect's transmission screen for every chosen source at once (one authorization), or the
    identite modality's prefill job (waiting.py)."""
    chosen = procedure.chosen(record.sources)
    if services.unreachable(chosen):  # every chosen provider is known to be down: straight to the form
        services.without_calls(procedure, record, draft)
        return waiting.land(procedure, record)
    if record.modality == "france_connect":
        journey_session.start_data_request(procedure.slug, record.id, draft.id if draft else None)
        return franceconnect.start_authorization("data", ("openid", "identite_pivot", *scopes_of(chosen)),
                                                 "journey.data_callback")
    return waiting.start(procedure, record, Credentials(None, current_identity()), draft)


@bp.post("/demarches/<slug>/actualiser")
@login_required
@ratelimit.per_account("consent")
def refresh_data(slug: str):
    """Fetch the draft's certified data again (a new consent record), at most once per 24 hours."""
    procedure, draft = _procedure(slug), _draft(slug)
    if not FlaskForm().validate_on_submit() or draft is None or not refresh.refreshable(draft):
        flash("Votre brouillon a expiré ou n’a pas de données à mettre à jour.", "warning")
        return redirect(url_for("journey.review", slug=slug), code=303)
    allowed_at = refresh.next_refresh(draft)
    if allowed_at:
        flash(f"Vos données ont déjà été mises à jour aujourd’hui. Nouvelle mise à jour possible à partir du "
              f"{display(allowed_at)}.", "info")
        return redirect(url_for("journey.review", slug=slug), code=303)
    previous, login = db.session.get(ConsentRecord, draft.consent_id), auth_session.citizen()
    record = services.record_consent(procedure, citizen_id=login.citizen_id, citizen_key=login.user_key,
                                     accepted=True, sources=previous.sources, kind="refresh",
                                     modality=_modality())
    return _fetch(procedure, record, draft)


@bp.get("/franceconnect/data-callback")
@login_required
def data_callback():
    """Back from FranceConnect's transmission screen: the prefill job calls API Particulier now (60 s token)."""
    slug, consent_id, refreshing = journey_session.take_data_request() or abort(400)
    procedure, login = _procedure(slug), auth_session.citizen()
    record = db.session.get(ConsentRecord, consent_id)
    if record is None or record.citizen_id != login.citizen_id:
        abort(403)
    draft = _draft(slug) if refreshing else None
    if refreshing and (draft is None or draft.id != refreshing):
        flash("Votre brouillon a expiré. Reprenez la démarche depuis le début.", "warning")
        return redirect(url_for("journey.consent", slug=slug), code=303)
    try:
        tokens = franceconnect.finish_authorization("data")
        if tokens.id_claims["sub"] != login.sub:
            raise franceconnect.CallbackError("verification", "another person came back")
    except franceconnect.CallbackError as error:
        record.outcome = "cancelled" if error.kind == "denied" else f"franceconnect_{error.kind}"
        record.outcome_at = utcnow()
        if draft:  # a refresh that did not happen: the draft keeps its data
            db.session.commit()
            flash("La mise à jour de vos données n’a pas eu lieu : vos données précédentes sont conservées.",
                  "warning")
            return redirect(url_for("journey.review", slug=slug), code=303)
        return _keep_draft(procedure.slug, services.new_draft(procedure, record, failures={"*": error.kind}))
    auth_session.renew_citizen_id_token(tokens.id_token)
    return waiting.start(procedure, record, Credentials(tokens.access_token, current_identity()), draft)


@bp.route("/demarches/<slug>/formulaire", methods=["GET", "POST"])
@login_required
def review(slug: str):
    """Certified data shown as such, the rest to complete; the price before submission."""
    procedure, follow, declaration = _procedure(slug), followups.current(slug), declared()
    if auth_session.citizen().by_email and declaration is None:
        return redirect(url_for("declaration.declare", slug=slug), code=303)
    # The address that received the code is the e-mail account's contact address.
    identity = replace(declaration.pivot(), email=auth_session.citizen().sub) if declaration else current_identity()
    if follow and follow.kind == "correction":  # data certified again for a correction: back to its page
        return redirect(url_for("corrections.correct", reference=follow.dossier.reference), code=303)
    if request.method == "POST":
        existing = submission.find_dossier(request.form.get("draft", ""), auth_session.citizen().citizen_id)
        if existing:  # double click or replayed POST: the dossier already exists
            return redirect(url_for("journey.receipt", slug=slug, reference=existing.reference), code=303)
    draft = _draft(slug)
    if draft is None:
        flash("Votre brouillon a expiré ou n’existe pas. Reprenez la démarche depuis le début.", "warning")
        return redirect(url_for("journey.consent", slug=slug), code=303)
    certified = procedure.certified(draft.certified)  # typed, read once from the draft's snapshot
    form = procedure.build_form(certified, identity, formdata=request.form if request.method == "POST"
                                else followups.renewal_start(procedure, follow, certified))
    if request.method == "POST" and form.validate() and form.draft.data == draft.idempotency_key:
        answers, columns = followups.submission(form, follow, procedure.answers(form, certified))
        dossier = submission.submit(procedure, draft, answers=answers, authentication=_authentication(),
                                    identity=declaration.claims() if declaration else _identity_kept(identity),
                                    columns=columns)
        if declaration:
            declaration_views.record_agreement(procedure, dossier)
        if auth_session.citizen().at_counter:
            counter_services.filed(counter_services.current_mandate(), dossier)
        journey_session.forget_draft(slug)
        journey_session.forget_follow_up(slug)
        return redirect(url_for("journey.receipt", slug=slug, reference=dossier.reference), code=303)
    form.draft.data = draft.idempotency_key
    status = 400 if request.method == "POST" else 200
    consent = db.session.get(ConsentRecord, draft.consent_id)
    return render_template(procedure.form_template, procedure=procedure, form=form, draft=draft, identity=identity,
                           review=procedure.review(certified, draft.failures),
                           chosen=procedure.chosen(consent.sources if consent else None),
                           refresh={"possible": refresh.refreshable(draft), "at": refresh.next_refresh(draft)},
                           follow_up=follow, declaration=declaration,
                           agreement=declaration_views.agreement_text(procedure) if declaration else None), status


def _identity_kept(identity) -> dict:
    """The dossier's identity: FranceConnect's claims, or at the counter the identity typed and checked there."""
    return auth_session.counter_identity() or identity.to_dict()


def _authentication() -> dict:
    login = auth_session.citizen()
    if login.by_email:
        return declaration_views.authentication(login)
    if login.at_counter:
        agent = auth_session.agent()
        return counter_services.authentication(counter_services.current_mandate(), login.sub, login.auth_time,
                                               agent.acr if agent else None)
    return {"provider": "FranceConnect", "issuer": franceconnect.client().issuer, "sub": login.sub,
            "acr": login.acr, "auth_time": login.auth_time}
