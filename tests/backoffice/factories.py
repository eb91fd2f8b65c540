"""Back-office test helpers: the agents of the ProConnect simulator, logging in through its screens,
the allow-list, and dossiers written straight to the database (the journey tests cover how they are made)."""

from __future__ import annotations

import itertools
import re
from datetime import datetime

from demarche.config import DEMO_RECIPIENT_SIRET
from demarche.dossiers.models import Dossier, DossierEvent
from demarche.extensions import db
from demarche.models import AgentAuthorisation, Citizen, ConsentRecord, utcnow
from tests.browser import Browser, Page

COMMUNE = DEMO_RECIPIENT_SIRET
OTHER_ORG = "21450123400006"
MARIE = "marie.lambert@demarche-sur-loire.example"
THOMAS = "thomas.nguyen@demarche-sur-loire.example"
SOPHIE = "sophie.bernard@ville-voisine.example"  # another organisation
PAUL = "paul.roux@demarche-sur-loire.example"  # the commune's SIRET, not on the allow-list
_numbers = itertools.count(1)


def allow(app, email: str, siret: str) -> None:
    """Put (email, siret) on the allow-list, once."""
    with app.app_context():
        if db.session.scalar(db.select(AgentAuthorisation).filter_by(email=email, siret=siret)) is None:
            db.session.add(AgentAuthorisation(email=email, siret=siret, created_by="test"))
            db.session.commit()


def agent_login(browser: Browser, email: str = MARIE, password: str = "123") -> Page:
    """Espace agents → ProConnect button → e-mail → password; returns the page back at the service."""
    page = browser.get("http://localhost/agents/")
    page = browser.submit(page, "/agents/connexion")
    page = browser.submit(page, "/idp", email=email)
    return browser.submit(page, "/login", password=password)


def csrf_token(page: Page) -> str:
    """The CSRF token of the first form of a service page."""
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def certified_snapshot(qf: int = 650) -> dict:
    """A quotient familial snapshot shaped like the journey's (procedures/base.py DataSource.snapshot)."""
    return {"quotient_familial": {
        "data": {
            "quotient_familial": {"fournisseur": "CNAF", "valeur": qf, "annee": 2026, "mois": 10},
            "allocataires": [{"prenoms": "Angela Claire Louise", "nom_naissance": "DUBOIS",
                              "date_naissance": "1962-08-24"}],
            "enfants": [{"prenoms": "Léo", "nom_naissance": "DUBOIS", "date_naissance": "2016-05-12"}],
            "adresse": {"destinataire": "Madame Angela DUBOIS", "numero_libelle_voie": "12 rue des Lilas",
                        "code_postal_ville": "45000 DÉMARCHE-SUR-LOIRE"},
        },
        "provenance": {"platform": "API Particulier", "provider": "CAF ou MSA",
                       "route": "/v3/dss/quotient_familial/france_connect", "request_id": "req-0123456789",
                       "retrieved_at": "2026-11-21T09:15:00", "modality": "france_connect"},
    }}


def answers(certified: bool, email: str = "angela.dubois@example.fr") -> dict:
    child_origin = "certified" if certified else "declared"
    return {
        "children": [{"prenoms": "Léo", "nom": "DUBOIS", "date_naissance": "2016-05-12", "origin": child_origin}],
        "school": {"value": "jules-ferry", "label": "École élémentaire Jules-Ferry"},
        "days": ["lundi", "mardi"], "diet": "Sans régime particulier", "diet_details": "", "email": email,
        "phone": "", "quotient_familial": {"value": 650, "origin": "certified"} if certified else
        {"value": 520, "origin": "declared", "regime": "CNAF"},
        "address": None if certified else {"value": "3 rue des Écoles, 45000 Démarche-sur-Loire", "origin": "declared"},
        "price": {"code": "B", "label": "Tarif B : 2,10 € par repas", "provisional": not certified},
    }


def make_dossier(app, *, status: str = "depose", siret: str = COMMUNE, certified: bool = True,
                 given_name: str = "Angela Claire Louise", family_name: str = "DUBOIS",
                 submitted_at: datetime | None = None, email: str = "angela.dubois@example.fr") -> str:
    """A cantine dossier of a new citizen, with its consent record and submission event; its reference."""
    number = next(_numbers)
    at = submitted_at or utcnow()
    with app.app_context():
        citizen = Citizen(issuer="http://fc.test/api/v2", sub=f"sub-{number}")
        db.session.add(citizen)
        db.session.flush()
        consent = ConsentRecord(citizen_id=citizen.id, citizen_key=f"key{number}", procedure="cantine",
                                text_version="cantine-2026-11", categories=["quotient familial"],
                                decision="accepted" if certified else "refused",
                                modality="france_connect" if certified else "none", recipient=siret,
                                outcome="success" if certified else "not_called", created_at=at, outcome_at=at)
        db.session.add(consent)
        db.session.flush()
        reference = f"CAN-2026-T{number:05d}"
        identity = {"given_name": given_name, "family_name": family_name, "birthdate": "1962-08-24",
                    "gender": "female", "birthplace": "75107", "birthcountry": "99100", "preferred_username": "",
                    "email": "angela@fc.example"}
        dossier = Dossier(reference=reference, procedure="cantine", citizen_id=citizen.id, status=status,
                          identity=identity, answers=answers(certified, email),
                          certified=certified_snapshot() if certified else {}, consent_id=consent.id,
                          authentication={"provider": "FranceConnect", "issuer": "http://fc.test/api/v2",
                                          "sub": citizen.sub, "acr": "eidas1", "auth_time": 1795166100},
                          idempotency_key=f"idem-{number}", submitted_at=at, updated_at=at,
                          organisation_siret=siret)
        db.session.add(dossier)
        db.session.flush()
        db.session.add(DossierEvent(dossier_id=dossier.id, at=at, actor="usager", kind="submitted",
                                    to_status="depose"))
        db.session.commit()
    return reference


def open_dossier(browser: Browser, reference: str) -> Page:
    """Open a dossier as the list's button does: a POST with CSRF (the opening is journaled), then its page."""
    page = browser.get(f"http://localhost/agents/dossiers/{reference}")
    if page.status == 200 and any(f"/dossiers/{reference}/ouvrir" in form.action for form in page.forms()):
        page = browser.submit(page, f"/dossiers/{reference}/ouvrir")
    return page


def export(browser: Browser, fmt: str, **filters: str):
    """Export the list as its buttons do: a POST with CSRF carrying the list's filters; the Flask response."""
    token = csrf_token(browser.get("http://localhost/agents/dossiers"))
    return browser.service.post(f"/agents/export.{fmt}", data={**filters, "csrf_token": token})
