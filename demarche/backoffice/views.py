"""The back-office pages: the list by status, a dossier, its instruction, the exports, the access journal.

Views stay thin: queries in services.py, moves in demarche/dossiers/transitions.py, rights and journal in
demarche/dossiers/access.py.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from demarche.auth.guards import agent_required, current_agent
from demarche.backoffice import export, services
from demarche.backoffice import session as backoffice_session
from demarche.backoffice.forms import SORTS, DecisionForm, FilterForm, choices
from demarche.dossiers import access, transitions
from demarche.dossiers import history as corrections
from demarche.dossiers.access import dossier_for_agent
from demarche.dossiers.models import Dossier, DossierEvent
from demarche.dossiers.provenance import certified_sources, describe
from demarche.dossiers.states import CORRECTION, DECISIONS, STATUSES
from demarche.extensions import db
from demarche.messages import services as messages
from demarche.messages.views import agent_read
from demarche.models import Agent, ConsentRecord, utcnow
from demarche.pagination import PAGE_SIZE, Page
from demarche.procedures import PROCEDURES

bp = Blueprint("backoffice", __name__, url_prefix="/agents")
REFUSALS = {
    "not_allowed": "Ce changement d’état n’est pas possible depuis l’état actuel du dossier.",
    "motive_required": "Indiquez le motif de la décision : l’usager le recevra.",
    "conflict": "Le dossier a été modifié entre-temps par un autre agent : vérifiez son état avant de décider.",
    "awaiting_correction": "Le dossier attend la correction demandée à l’usager : il ne peut être ni accepté, ni "
                           "refusé, ni classé sans suite avant que l’usager ait confirmé ses corrections (ou que "
                           "vous repreniez l’instruction sans attendre).",
}
MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@bp.get("/dossiers")
@agent_required
def dossiers():
    """Tabs by status with their counts, search, filters, sort, pagination."""
    form = FilterForm(request.args)
    filters, siret = form.cleaned(), current_agent().siret
    return render_template("backoffice/list.html", form=form, filters=filters, sorts=SORTS, args=form.query_args(),
                           page=services.page(siret, filters), counts=services.counts(siret, filters),
                           statuses=STATUSES, procedures=PROCEDURES)


@bp.get("/dossiers/<reference>")
@agent_required
def dossier(reference: str):
    """Everything about one dossier, and where each value comes from, once opened in this session; before,
    a button that opens it. A GET writes nothing: another site can make the agent's browser send one."""
    item = dossier_for_agent(reference)
    if not backoffice_session.has_opened(item.reference):
        return render_template("backoffice/open.html", dossier=item)
    return render_template("backoffice/dossier.html", **_dossier_context(item), form=_decision_form(item))


@bp.post("/dossiers/<reference>/ouvrir")
@agent_required
def open_dossier(reference: str):
    """Open a dossier (CSRF checked, like every POST): the opening is journaled, then its page shown."""
    item = dossier_for_agent(reference)
    access.record("view", item)
    agent_read(item)  # the page shows the messagerie: the citizen's new messages are read, and journaled
    db.session.commit()
    backoffice_session.remember_opened(item.reference)
    return redirect(url_for(".dossier", reference=item.reference), code=303)


@bp.post("/dossiers/<reference>/instruction")
@agent_required
def instruct(reference: str):
    """Move the dossier on; the citizen receives an e-mail with the motive."""
    item = dossier_for_agent(reference)
    form = _decision_form(item)
    if form.decision.data not in transitions.allowed_moves(item):  # also a page left open while a colleague decided
        waiting = item.status == CORRECTION and form.decision.data in DECISIONS
        flash(REFUSALS["awaiting_correction" if waiting else "not_allowed"], "error")
        return redirect(url_for(".dossier", reference=reference), code=303)
    if not form.validate_on_submit():
        return render_template("backoffice/dossier.html", **_dossier_context(item), form=form), 400
    try:
        transitions.move(item, form.decision.data, current_agent(), form.motive.data or "")
    except transitions.TransitionRefused as refused:
        flash(REFUSALS[refused.reason], "error")
        return redirect(url_for(".dossier", reference=reference), code=303)
    flash(f"Le dossier {reference} est maintenant « {STATUSES[item.status].label} ». "
          "Un courriel a été envoyé à l’usager.", "success")  # a correction request carries its link
    return redirect(url_for(".dossier", reference=reference), code=303)


@bp.post("/export.<fmt>")
@agent_required
def download(fmt: str):
    """The filtered list as CSV or XLSX, every value with its origin. The export is journaled once the file
    is built: an export that failed is not in the journal as handed over."""
    if fmt not in MIMETYPES:
        abort(404)
    filters = FilterForm(request.form).cleaned()
    items = services.for_export(current_agent().siret, filters)
    header, rows = export.table(items)
    body = export.to_csv(header, rows) if fmt == "csv" else export.to_xlsx(header, rows)
    access.record("export", detail={
        "format": fmt, "count": len(items), "references": [d.reference for d in items],
        "filters": {k: str(v) for k, v in filters.items() if v and k not in ("page", "q")} | (
            {"recherche": "oui"} if filters["q"] else {}),  # the search words may be a name: not kept
    })
    db.session.commit()
    return _attachment(body, fmt, filters["statut"])


@bp.get("/export.<fmt>")
@agent_required
def export_link(fmt: str):
    """An old bookmark or a link from another site: back to the list, nothing exported nor journaled."""
    flash("Pour exporter la liste, utilisez les boutons « Exporter » sous les filtres.", "info")
    return redirect(url_for(".dossiers", **FilterForm(request.args).query_args()), code=303)


@bp.get("/journal")
@agent_required
def journal():
    """« Journal des accès »: who opened which dossier, who exported what, when."""
    query = access.journal_query(current_agent().siret)
    total = db.session.scalar(db.select(db.func.count()).select_from(query.subquery())) or 0
    size = PAGE_SIZE
    number = services.page_number(request.args.get("page", ""), total)
    entries = db.session.scalars(query.offset((number - 1) * size).limit(size)).all()
    references = _references({e.dossier_id for e in entries if e.dossier_id})
    return render_template("backoffice/journal.html", entries=entries, references=references,
                           page=Page(list(entries), number, total))


def _attachment(body: bytes, fmt: str, status: str):
    response = current_app.response_class(body, mimetype=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="dossiers-{status}-{utcnow():%Y%m%d}.{fmt}"'
    return response


def _references(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(db.select(Dossier.id, Dossier.reference).where(Dossier.id.in_(ids))).all())


def _decision_form(item: Dossier) -> DecisionForm:
    form = DecisionForm()
    form.decision.choices = choices(transitions.allowed_moves(item).items())
    return form


def _dossier_context(item: Dossier) -> dict:
    procedure = PROCEDURES.get(item.procedure)
    sources = certified_sources(procedure, item)
    events = db.session.scalars(db.select(DossierEvent).filter_by(dossier_id=item.id)
                                .order_by(DossierEvent.at, DossierEvent.id)).all()
    actors = {a.email: a.full_name for a in db.session.scalars(
        db.select(Agent).where(Agent.email.in_({e.actor for e in events})))}
    return {
        "dossier": item, "procedure": procedure, "sources": sources,
        "lines": procedure.summary(item.identity, item.answers, item.certified) if procedure else [],
        "certified_by": describe(sources[0]) if len(sources) == 1 else "",
        "consent": db.session.get(ConsentRecord, item.consent_id), "events": events, "actors": actors,
        "statuses": STATUSES, "moves": transitions.allowed_moves(item), "thread": messages.thread(item.id),
        "correction": corrections.pending_request(events) if item.status == CORRECTION else None,
    }
