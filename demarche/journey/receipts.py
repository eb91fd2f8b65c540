"""What a citizen finds of a deposited dossier: its receipt (status, history, the correction asked, the renewal
offered), its attestation as a PDF and as an accessible page, and « Mes démarches ». The routes are in
views.py's table, on the journey's blueprint."""

from __future__ import annotations

from flask import abort, current_app, render_template
from sqlalchemy.orm import load_only

from demarche.auth import session as auth_session
from demarche.dossiers import history
from demarche.dossiers.history import last_requests, pending_request
from demarche.dossiers.models import Dossier
from demarche.dossiers.renewal import offer as renewal_offer
from demarche.dossiers.states import CORRECTION, STATUSES
from demarche.extensions import db
from demarche.journey.settings import settings
from demarche.procedures import PROCEDURES
from demarche.procedures.base import Procedure
from demarche.validation import is_reference


def _own_dossier(slug: str, reference: str) -> tuple[Procedure, Dossier]:
    """The démarche and the citizen's dossier of it: a reference of another démarche (its answers have another
    shape) or of another citizen is indistinguishable from a wrong one, 404."""
    procedure = PROCEDURES.get(slug) or abort(404)
    dossier = is_reference(reference) and db.session.scalar(db.select(Dossier).filter_by(reference=reference))
    if not dossier or dossier.citizen_id != auth_session.citizen().citizen_id or dossier.procedure != procedure.slug:
        abort(404)
    return procedure, dossier


def receipt(slug: str, reference: str, **extra):
    """The receipt; `extra` reaches the template (an opinion refused, kept in its form: demarche/feedback)."""
    procedure, dossier = _own_dossier(slug, reference)
    lines = procedure.summary(dossier.identity, dossier.answers, dossier.certified)
    events = history.events(dossier)
    return render_template("journey/receipt.html", procedure=procedure, dossier=dossier, lines=lines,
                           statuses=STATUSES, events=events, renewal=renewal_offer(dossier),
                           correction=pending_request(events) if dossier.status == CORRECTION else None, **extra)


def attestation(slug: str, reference: str):
    from demarche.journey.attestation import render_attestation

    procedure, dossier = _own_dossier(slug, reference)
    pdf = render_attestation(procedure, dossier, settings().commune_name)
    response = current_app.response_class(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="attestation-{dossier.reference}.pdf"'
    return response


def attestation_html(slug: str, reference: str):
    """The attestation as an accessible page, same content as the PDF (which fpdf2 cannot tag): RGAA 13.3."""
    from demarche.journey.attestation import ORIGINS, notice
    from demarche.verification.codes import code_for

    procedure, dossier = _own_dossier(slug, reference)
    lines = procedure.summary(dossier.identity, dossier.answers, dossier.certified)
    return render_template("journey/attestation.html", procedure=procedure, dossier=dossier, lines=lines,
                           origins=ORIGINS, notice=notice(procedure, dossier), code=code_for(dossier.reference))


def my_dossiers():
    # Only the listed columns: decoding every dossier's JSON (identity, answers, certified data) was the
    # page's main cost in the benchmark.
    columns = load_only(Dossier.reference, Dossier.procedure, Dossier.status, Dossier.submitted_at)
    mine = db.select(Dossier).options(columns).filter_by(citizen_id=auth_session.citizen().citizen_id)
    dossiers = db.session.scalars(mine.order_by(Dossier.submitted_at.desc())).all()
    requests = last_requests([d.id for d in dossiers if d.status == CORRECTION])
    return render_template("journey/my_dossiers.html", dossiers=dossiers, procedures=PROCEDURES, statuses=STATUSES,
                           requests=requests)
