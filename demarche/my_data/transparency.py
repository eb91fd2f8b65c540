"""Who accessed the citizen's dossiers, for « Mes données »: every line of the access journal about them
(openings, messages read, exports that included them) and every change an agent made, with the agent's
name, the time in Paris time and what was done. Exports are journaled once with the references exported
(backoffice/views.py), so an export counts for each of the citizen's dossiers it included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from demarche.dates import display
from demarche.dossiers.models import Dossier, DossierEvent
from demarche.extensions import db
from demarche.models import AccessLog, Agent

WHAT = {"view": "a ouvert le dossier", "export": "a exporté le dossier dans un tableur",
        "message_read": "a lu vos messages", "status_changed": "a changé l’état du dossier",
        "list": "a lu le dossier dans une liste", "decision": "a changé l’état du dossier",
        "counter_filed": "a déposé le dossier pour vous au guichet, avec votre mandat"}


@dataclass(frozen=True)
class Access:
    """One access, as the citizen reads it."""

    at: datetime
    reference: str
    who: str
    what: str

    def to_dict(self) -> dict:
        return {"le": display(self.at), "dossier": self.reference, "par": self.who, "action": self.what}


def accesses(citizen_id: int) -> list[Access]:
    """Every access to this citizen's dossiers, newest first."""
    dossiers = {row.id: row for row in db.session.execute(
        select(Dossier.id, Dossier.reference, Dossier.organisation_siret).where(Dossier.citizen_id == citizen_id))}
    if not dossiers:
        return []
    logs = list(db.session.scalars(select(AccessLog).where(AccessLog.dossier_id.in_(dossiers))))
    mine = {d.reference for d in dossiers.values()}
    logs += _exports_including(mine, {d.organisation_siret for d in dossiers.values()})
    # Changes made through the API are journaled with the software's name (demarche/api/journal.py).
    events = db.session.scalars(select(DossierEvent).where(DossierEvent.dossier_id.in_(dossiers),
                                                           DossierEvent.actor != "usager",
                                                           DossierEvent.actor.not_like("api:%"))).all()
    by_id, by_email = _agents({log.agent_id for log in logs}, {event.actor for event in events})
    found = [Access(event.at, dossiers[event.dossier_id].reference, by_email.get(event.actor, event.actor),
                    WHAT["status_changed"]) for event in events]
    for log in logs:
        references = ([dossiers[log.dossier_id].reference] if log.dossier_id in dossiers
                      else sorted(mine & set((log.detail or {}).get("references", []))))
        found += [Access(log.at, reference, _who(log, by_id), WHAT.get(log.action, log.action))
                  for reference in references]
    return sorted(found, key=lambda access: access.at, reverse=True)


def _exports_including(references: set[str], sirets: set[str | None]) -> list[AccessLog]:
    """The organisation's export lines whose list of exported references names one of these dossiers."""
    exports = db.session.scalars(select(AccessLog).where(AccessLog.action == "export",
                                                         AccessLog.dossier_id.is_(None),
                                                         AccessLog.siret.in_(s for s in sirets if s)))
    return [log for log in exports if references & set((log.detail or {}).get("references", []))]


def _agents(ids: set[int | None], emails: set[str]) -> tuple[dict[int, str], dict[str, str]]:
    rows = db.session.scalars(select(Agent).where(Agent.id.in_(i for i in ids if i) | Agent.email.in_(emails)))
    agents = list(rows)
    return {a.id: a.full_name for a in agents}, {a.email: a.full_name for a in agents}


def _who(log: AccessLog, names: dict[int, str]) -> str:
    """The agent's name (anyone may know who handles their case: CRPA article L111-2,
    https://www.legifrance.gouv.fr/codes/id/LEGITEXT000031366350), or the software's name for the API;
    never the agent's e-mail."""
    if log.agent_id is None and log.actor_name:
        return f"le logiciel « {log.actor_name} » (accès par l’API)"
    return names.get(log.agent_id) or log.actor_name or "un agent"
