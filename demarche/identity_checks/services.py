"""The check of a declared identity, step by step: the agreement at the deposit, the agent's request (after
recording how they verified the person's identity), the background call, the agent's decision.

API Particulier's terms allow the identité modality only once the administration's agents have verified the
person's identity, and its data goes to habilitated agents only, never to someone the service cannot
identify (https://particulier.api.gouv.fr/cgu, article 2; https://particulier.api.gouv.fr/cas_usages/modalite_appel_france_connect).
"""

from __future__ import annotations

import logging

from demarche import signals, tasks
from demarche.dossiers.models import Dossier, DossierEvent
from demarche.extensions import db
from demarche.identity_checks.models import IdentityCheck
from demarche.models import ConsentRecord, utcnow
from demarche.procedures.base import DataSource, Procedure

log = logging.getLogger("demarche.identity_checks")

# How the agent verified the person's identity: the kind of means only, never a document number or copy.
VERIFIED_HOW = {
    "guichet": "Pièce d’identité vue au guichet",
    "dossier_connu": "Personne connue d’un dossier de la mairie",
    "courrier": "Pièce d’identité reçue par courrier ou déposée",
}
DECISIONS = {"conforme": "conforme", "different": "différent", "introuvable": "introuvable"}


class CheckRefused(Exception):
    """The check cannot be requested or decided now; the message says why, in French."""


def checkable_sources(procedure: Procedure) -> tuple[DataSource, ...]:
    """The sources reachable with a declared identity: API Particulier's; the DGFiP wants FranceConnect."""
    return tuple(source for source in procedure.sources if not source.dgfip)


# « auprès … » of each organisation, as people say it (the sources' holders, demarche/providers).
_AUPRES = {"CAF ou MSA": "de la CAF / de la MSA", "assurance maladie": "de l’Assurance maladie", "Crous": "du Crous",
           "ministère de l’Enseignement supérieur": "du ministère de l’Enseignement supérieur"}


def holders(procedure: Procedure | None) -> str:
    """« de la CAF / de la MSA / de l’Assurance maladie »: the organisations a declaration can be checked with."""
    names = dict.fromkeys(s.name for s in checkable_sources(procedure)) if procedure else {}
    return " / ".join(_AUPRES.get(name, f"de {name}") for name in names) or "des organismes concernés"


def agreement_text(procedure: Procedure) -> str:
    return f"J’accepte que la mairie vérifie ma déclaration auprès {holders(procedure)}"


def record_agreement(procedure: Procedure, dossier: Dossier, *, citizen_id: int, citizen_key: str,
                     recipient: str, agreed: bool) -> IdentityCheck:
    """At the deposit: the person's separate, explicit answer, as a consent record of its own."""
    sources = checkable_sources(procedure)
    consent = ConsentRecord(
        citizen_id=citizen_id, citizen_key=citizen_key, procedure=procedure.slug,
        text_version=f"{procedure.consent.version}-verification", kind="verification",
        categories=[c for s in sources for c in s.categories], decision="accepted" if agreed else "refused",
        modality="identite" if agreed else "none", recipient=recipient, outcome="not_called",
        sources=[s.key for s in sources] if agreed else [])
    db.session.add(consent)
    db.session.flush()
    check = IdentityCheck(dossier_id=dossier.id, consent_id=consent.id, agreed=agreed, sources=consent.sources,
                          status="agreed" if agreed else "not_agreed")
    db.session.add(check)
    db.session.commit()
    signals.consent_recorded.send(consent)
    return check


def check_of(dossier: Dossier) -> IdentityCheck | None:
    return db.session.scalar(db.select(IdentityCheck).filter_by(dossier_id=dossier.id))


def request(check: IdentityCheck, dossier: Dossier, *, agent_email: str, verified_how: str) -> None:
    """The agent asks for the check: journaled, then run by the task queue after the commit."""
    if not check.agreed:
        raise CheckRefused("La personne n’a pas donné son accord à cette vérification.")
    if verified_how not in VERIFIED_HOW:
        raise CheckRefused("Indiquez comment vous avez vérifié l’identité de la personne.")
    if check.status == "requested":
        raise CheckRefused("La vérification est déjà en cours.")
    check.status, check.verified_how = "requested", verified_how
    check.requested_by, check.requested_at = agent_email, utcnow()
    check.results = check.decision = check.decided_by = check.decided_at = None
    db.session.add(DossierEvent(dossier_id=dossier.id, actor=agent_email, kind="identity_check_requested"))
    tasks.later("identity_check", check)
    signals.identity_check.send("requested", details={"moyen de vérification": VERIFIED_HOW[verified_how],
                                                      "sources": ", ".join(check.sources)})


def decide(check: IdentityCheck, dossier: Dossier, *, agent_email: str, decision: str) -> None:
    """The agent's conclusion, the only thing the person will see of the check."""
    if check.status not in ("done", "failed"):
        raise CheckRefused("La vérification n’a pas encore de réponse.")
    if decision not in DECISIONS:
        raise CheckRefused("Choisissez : conforme, différent ou introuvable.")
    check.decision, check.decided_by, check.decided_at = decision, agent_email, utcnow()
    db.session.add(DossierEvent(dossier_id=dossier.id, actor=agent_email, kind="identity_check_decided"))
    signals.identity_check.send("decided", details={"conclusion": DECISIONS[decision]})


def citizen_view(check: IdentityCheck | None, procedure: Procedure | None) -> str | None:
    """What the person sees: « vérifié auprès de la CAF : conforme » and nothing of the data."""
    if check is None:
        return None
    if not check.agreed:
        return "Vous n’avez pas accepté la vérification de votre déclaration."
    if check.decision:
        return f"Vérifié auprès {holders(procedure)} : {DECISIONS[check.decision]}"
    return f"Vérification auprès {holders(procedure)} : en attente"
