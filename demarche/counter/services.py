"""Filing at the counter, step by step: the mandate recorded (journaled), the person's account of the desk,
the dossier stamped « déposé par … pour le compte de … » at its deposit (journaled too).

The identity was checked in person, so API Particulier's identité modality may fetch the certified data and
show it to the agent (https://particulier.api.gouv.fr/cas_usages/modalite_appel_france_connect, « À vérifier
par vos agents »): the journey's consent, prefill job, quota and breakers do it, as for FranceConnect.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from demarche import counter, signals
from demarche.auth import session as auth_session
from demarche.counter.forms import DOCUMENTS, DURATIONS, OBTAINED, CounterForm
from demarche.counter.matching import match_key
from demarche.counter.models import Mandate
from demarche.declared_identity import DeclaredIdentity
from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.models import AccessLog, Agent, AgentAuthorisation, Citizen, utcnow


def may_file(agent: Agent) -> bool:
    """The authorisation of its own (flask agents guichet EMAIL SIRET), beside the one to instruct."""
    return bool(db.session.scalar(db.select(AgentAuthorisation.counter_filing).filter_by(
        email=agent.email.strip().lower(), siret=agent.siret)))


def open_filing(agent: Agent, form: CounterForm) -> tuple[Mandate, dict]:
    """Record the mandate and the person's account of the desk; returns it with the identity claims the
    journey acts with (the e-mail, when given, is where the receipt goes)."""
    declared: DeclaredIdentity = form.declared()
    person = Citizen(issuer=counter.PROVIDER, sub=secrets.token_urlsafe(24), last_login_at=utcnow())
    db.session.add(person)
    db.session.flush()
    days = int(form.duration.data)
    mandate = Mandate(citizen_id=person.id, match_key=match_key(declared.pivot()), identity=declared.to_dict(),
                      agent_id=agent.id, agent_email=agent.email, agent_name=agent.full_name, siret=agent.siret,
                      procedure=form.procedure.data, document_kind=form.document.data,
                      obtained_how=form.obtained.data, duration_days=days, email=form.email.data or None,
                      expires_at=utcnow() + timedelta(days=days))
    db.session.add(mandate)
    db.session.flush()
    _journal("counter_mandate", mandate, detail={"procedure": mandate.procedure, "document": mandate.document_kind,
                                                 "obtained": mandate.obtained_how, "days": days})
    db.session.commit()
    signals.counter_filing.send("mandate", details=describe(mandate))
    claims = {**declared.claims(), "source": counter.PROVIDER, "email": mandate.email or ""}
    return mandate, claims


def _journal(action: str, mandate: Mandate, dossier: Dossier | None = None, detail: dict | None = None) -> None:
    """A line of the access journal in the agent's name (the journey's pages, too, run for the agent here)."""
    login = auth_session.agent()
    db.session.add(AccessLog(agent_id=mandate.agent_id, agent_email=mandate.agent_email,
                             actor_name=mandate.agent_name, siret=mandate.siret, action=action,
                             dossier_id=dossier.id if dossier else None,
                             detail={"mandate": mandate.id, **(detail or {})}, acr=login.acr if login else None))


def current_mandate() -> Mandate | None:
    """The mandate the agent's session files under now, if any."""
    mandate_id = auth_session.counter_mandate_id()
    return db.session.get(Mandate, mandate_id) if mandate_id else None


def describe(mandate: Mandate) -> dict[str, str]:
    """The mandate in French, as the pages and the demo's coulisses show it."""
    return {"pièce vue": DOCUMENTS.get(mandate.document_kind, mandate.document_kind),
            "durée": DURATIONS.get(str(mandate.duration_days), f"{mandate.duration_days} jours"),
            "accord": OBTAINED.get(mandate.obtained_how, mandate.obtained_how)}


def authentication(mandate: Mandate, sub: str, at: int, acr: str | None) -> dict:
    """What the dossier keeps of a counter filing: the agent who filed, for whom, under which mandate."""
    person = DeclaredIdentity.from_dict(mandate.identity)
    return {"provider": counter.PROVIDER, "issuer": counter.PROVIDER, "sub": sub, "acr": acr, "auth_time": at,
            "counter": {"agent": mandate.agent_name, "agent_email": mandate.agent_email,
                        "organisation_siret": mandate.siret, "mandate_id": mandate.id,
                        "person": f"{' '.join(person.prenoms)} {person.nom_naissance}"}}


def filed(mandate: Mandate, dossier: Dossier) -> None:
    """The deposit made under this mandate: kept on the mandate and journaled."""
    mandate.dossier_reference = dossier.reference
    _journal("counter_filed", mandate, dossier)
    db.session.commit()
    signals.counter_filing.send("filed", details={"dossier": dossier.reference})


def mandates_of(citizen_id: int) -> list[Mandate]:
    """The mandates a person gave at a desk (« Mes données »), newest first."""
    return list(db.session.scalars(db.select(Mandate).filter_by(citizen_id=citizen_id)
                                   .order_by(Mandate.created_at.desc())))
