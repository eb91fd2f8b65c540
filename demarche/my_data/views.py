"""« Mes données »: everything the service holds about the signed-in citizen, to read and to download
as JSON (RGPD art. 15, right of access,
https://www.cnil.fr/fr/reglement-europeen-protection-donnees/chapitre3#Article15 ; OWASP ASVS 4.0.3 V8.3.2).

Every access to the citizen's dossiers is listed with the agent's name, the time and what was done
(transparency.py), and the messagerie's messages with each dossier.
"""

from __future__ import annotations

import json

from flask import Blueprint, current_app, render_template

from demarche.auth import session as auth_session
from demarche.auth.guards import login_required
from demarche.counter.services import describe as describe_mandate
from demarche.counter.services import mandates_of
from demarche.dossiers.models import Dossier, DossierEvent
from demarche.dossiers.states import label
from demarche.extensions import db
from demarche.messages.services import thread
from demarche.models import Citizen, ConsentRecord, OutboxMessage, Prefill, WebSession
from demarche.my_data.transparency import accesses
from demarche.procedures import PROCEDURES

bp = Blueprint("my_data", __name__)

# What became of a data request, as the page says it (the download keeps the stored value).
OUTCOMES = {
    "pending": "en cours", "success": "données reçues", "partial": "une partie des données reçue",
    "not_called": "aucune donnée demandée", "cancelled": "annulé à FranceConnect",
    "not_found": "aucun dossier à votre nom chez l’organisme", "rate_limited": "service trop sollicité, non reçu",
    "unavailable": "service indisponible, non reçu", "expired": "autorisation expirée, non reçu",
    "scope": "donnée non autorisée, non reçue", "error": "erreur, non reçu",
    "year_unavailable": "année de revenus pas encore disponible",
    "mismatch": "réponse écartée : elle concernait une autre personne", "failed": "non reçu",
}


def outcome_label(outcome: str | None) -> str:
    """« données reçues » for « success »; FranceConnect's failures (« franceconnect_state ») read as one."""
    if outcome and outcome.startswith("franceconnect_"):
        return "interrompu lors du passage par FranceConnect"
    return OUTCOMES.get(outcome or "", outcome or "")


def _iso(value) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None


def _all(model, *where, order=None) -> list:
    return list(db.session.scalars(db.select(model).where(*where).order_by(order if order is not None else model.id)))


def _dossier(dossier: Dossier, seen: list) -> dict:
    procedure = PROCEDURES.get(dossier.procedure)
    return {
        "numero": dossier.reference, "demarche": procedure.title if procedure else dossier.procedure,
        "etat": label(dossier.status), "depose_le": _iso(dossier.submitted_at),
        "mis_a_jour_le": _iso(dossier.updated_at), "organisation_siret": dossier.organisation_siret,
        "identite_franceconnect": dossier.identity, "authentification": dossier.authentication,
        "reponses": dossier.answers, "donnees_certifiees": dossier.certified,
        "donnees_certifiees_exactes_selon_vous": dossier.data_correct, "votre_remarque": dossier.data_comment,
        "donnees_mises_a_jour_le": _iso(dossier.data_refreshed_at),
        # Issue 12: the declared fields as sent (to reopen the form), the renewal opt-in and its source.
        "formulaire_declare": dossier.form_data, "rappel_reinscription": dossier.renewal_reminder,
        "renouvelle_le_dossier": dossier.renewal_of,
        "historique": [{"le": _iso(e.at), "par": _event_actor(e.actor),
                        "de": label(e.from_status) if e.from_status else None, "vers": label(e.to_status or ""),
                        "motif": e.motive, "modifications": e.changes}
                       for e in _all(DossierEvent, DossierEvent.dossier_id == dossier.id)],
        "acces": [access.to_dict() for access in seen if access.reference == dossier.reference],
        "messages": [{"le": _iso(m.at), "de": "vous" if m.author == "usager" else m.agent_name or "un agent",
                      "texte": m.body} for m in thread(dossier.id)],
        "courriels": [{"objet": m.subject, "destinataire": m.recipient, "cree_le": _iso(m.created_at),
                       "envoye_le": _iso(m.sent_at), "texte": m.body}
                      for m in _all(OutboxMessage, OutboxMessage.dossier_id == dossier.id)],
    }


def _event_actor(actor: str) -> str:
    if actor == "usager":
        return "vous"
    return f"logiciel « {actor.removeprefix('api:')} » (accès par API)" if actor.startswith("api:") else "un agent"


def _mandate(mandate) -> dict:
    """A mandate given at a desk (demarche/counter): to whom, for what, how long, how, what it was used for."""
    return {"donne_le": _iso(mandate.created_at), "a": mandate.agent_name, "organisation_siret": mandate.siret,
            "demarche": mandate.procedure, "expire_le": _iso(mandate.expires_at),
            "dossier": mandate.dossier_reference, **describe_mandate(mandate)}


def collect(citizen_id: int) -> dict:
    """Every row about this citizen, as a JSON-ready dict with French keys."""
    citizen, seen = db.session.get(Citizen, citizen_id), accesses(citizen_id)
    return {
        "compte": {"fournisseur_d_identite": citizen.issuer, "identifiant_technique": citizen.sub,
                   "cree_le": _iso(citizen.created_at), "derniere_connexion": _iso(citizen.last_login_at)},
        "dossiers": [_dossier(d, seen)
                     for d in _all(Dossier, Dossier.citizen_id == citizen_id, order=Dossier.submitted_at)],
        "accords": [{"le": _iso(c.created_at), "demarche": c.procedure, "version_du_texte": c.text_version,
                     "donnees": c.categories, "sources": c.sources, "nature": c.kind or "prefill",
                     "decision": c.decision, "modalite": c.modality,
                     "destinataire_siret": c.recipient, "resultat": c.outcome, "resultat_le": _iso(c.outcome_at)}
                    for c in _all(ConsentRecord, ConsentRecord.citizen_id == citizen_id)],
        "brouillons": [{"demarche": p.procedure, "cree_le": _iso(p.created_at), "expire_le": _iso(p.expires_at),
                        "mis_a_jour_le": _iso(p.refreshed_at), "donnees_certifiees": p.certified}
                       for p in _all(Prefill, Prefill.citizen_id == citizen_id)],
        "mandats": [_mandate(m) for m in mandates_of(citizen_id)],
        "sessions": [{"ouverte_le": _iso(s.created_at), "derniere_activite": _iso(s.last_seen_at),
                      "expire_le": _iso(s.expires_at)} for s in _all(WebSession, WebSession.citizen_id == citizen_id,
                                                                      order=WebSession.created_at)],
    }


@bp.get("/mes-donnees")
@login_required
def index():
    """The same data as the download, readable."""
    return render_template("my_data/index.html", data=collect(auth_session.citizen().citizen_id),
                           outcome_label=outcome_label)


@bp.get("/mes-donnees.json")
@login_required
def download():
    """Everything, as a JSON file."""
    body = json.dumps(collect(auth_session.citizen().citizen_id), ensure_ascii=False, indent=2)
    response = current_app.response_class(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="mes-donnees.json"'
    return response
