"""Without FranceConnect, end to end over real HTTP to the simulators: an e-mail account declares an identity,
fills the form, agrees to a check at the deposit; an agent records how they verified the identity, the check
runs as a job with API Particulier's identité modality, the agent compares and decides; the person sees the
conclusion only — typing a stranger's identity teaches nothing of the stranger's data."""

from __future__ import annotations

import re

import pytest

from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.identity_checks.models import IdentityCheck, IdentityCheckCall
from demarche.models import ConsentRecord, OutboxMessage
from tests.backoffice.factories import agent_login, csrf_token
from tests.browser import Browser
from tests.conftest import SERVICE_URL
from tests.test_journey import CHOICES

CLAIRE = {"nom_naissance": "Martin", "prenom_1": "Claire", "prenom_2": "Odile", "sexe": "F",
          "date_naissance": "12/05/1984", "lieu": "france", "commune_nom": "Tours"}
KARIM = {"nom_naissance": "ROBERT", "prenom_1": "Karim", "sexe": "M", "date_naissance": "1979-11-03",
         "lieu": "etranger", "pays": "99352"}
NGUYEN = {"nom_naissance": "NGUYEN", "prenom_1": "Thi", "prenom_2": "Lan", "sexe": "F",
          "date_naissance": "1990-02-20", "lieu": "etranger", "pays": "99243"}


def form_for(qf: str) -> dict:
    return {"manual_children-0-prenoms": "Léa", "manual_children-0-nom": "BERNARD",
            "manual_children-0-date_naissance": "2014-03-08", "quotient_familial": qf, "regime": "CNAF",
            "address": "3 rue des Écoles, 45000 Démarche-sur-Loire", **CHOICES}


def sign_in(app, address: str) -> Browser:
    browser = Browser(app.test_client())
    page = browser.submit(browser.get(f"{SERVICE_URL}/connexion-par-courriel"), "/connexion-par-courriel",
                          email=address)
    [body, *_] = [m.body for m in reversed(app.extensions["test_mailbox"].messages()) if address in m.recipients]
    browser.submit(page, "/code", code=re.search(r"\b(\d{6})\b", body).group(1))
    return browser


def file(app, address: str, identity: dict, qf: str, agree: bool = True):
    """Sign in by e-mail, declare the identity, fill the form, deposit; returns (browser, receipt page)."""
    browser = sign_in(app, address)
    page = browser.get(f"{SERVICE_URL}/commencer?demarche=cantine")
    assert page.url.endswith("/demarches/cantine/identite"), page.url
    page = browser.submit(page, "/identite", action="continuer", **identity)
    assert page.url.endswith("/demarches/cantine/formulaire"), page.text[:3000]
    assert "J’accepte que la mairie vérifie ma déclaration auprès de la CAF / de la MSA" in page.text
    agreement = {"verification_agreement": "oui"} if agree else {}
    receipt = browser.submit(page, "/formulaire", **form_for(qf), **agreement)
    assert "Votre demande a bien été envoyée" in receipt.text, receipt.text[:3000]
    return browser, receipt


def pdf_text(data: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    text = "".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    return text


def reference_of(receipt) -> str:
    return re.search(r"/recu/([A-Z0-9-]+)", receipt.url).group(1)


def verify(app, reference: str, decision: str | None = None):
    """The agent records how the identity was verified, asks for the check, reads it, and may decide."""
    agent = Browser(app.test_client())
    agent_login(agent)
    page = agent.get(f"{SERVICE_URL}/agents/dossiers/{reference}")
    if "/ouvrir" in page.text:
        page = agent.submit(page, "/ouvrir")
    page = agent.submit(page, "/verification-identite", verified_how="guichet")
    if decision:
        agent.submit(page, "/decision", decision=decision)
        page = agent.get(f"{SERVICE_URL}/agents/dossiers/{reference}")
    agent.close()
    return page


def test_nothing_is_fetched_before_the_deposit_and_the_agent_sees_declared_beside_certified(app, ap_sim):
    from tests.test_journey import ap_requests

    browser, receipt = file(app, "claire@exemple.fr", CLAIRE, "720")
    assert ap_requests(ap_sim) == []  # nothing before the deposit, nor at it
    assert "Vérification auprès de la CAF / de la MSA : en attente" in receipt.text
    reference = reference_of(receipt)
    with app.app_context():
        dossier = db.session.scalar(db.select(Dossier).filter_by(reference=reference))
        assert dossier.identity["source"] == "declaration" and dossier.identity["birthplace"] == "37261"
        assert dossier.authentication["provider"] == "courriel" and dossier.certified == {}
        check = db.session.scalar(db.select(IdentityCheck).filter_by(dossier_id=dossier.id))
        consent = db.session.get(ConsentRecord, check.consent_id)
        assert (check.agreed, check.status, consent.kind, consent.decision) == (True, "agreed", "verification",
                                                                               "accepted")
    page = verify(app, reference)
    assert ap_requests(ap_sim) == ["/v3/dss/quotient_familial/identite"]
    assert "Quotient familial : 720" in page.text and "CLAIRE ODILE" in page.text and "BERNARD" in page.text
    assert "Déclaré par l’usager" in page.text and "modalité identite" in page.text
    with app.app_context():
        [call] = db.session.scalars(db.select(IdentityCheckCall)).all()
        assert (call.agent, call.dossier_reference, call.outcome) == (
            "marie.lambert@demarche-sur-loire.example", reference, "found")
    page = verify(app, reference, decision="conforme")
    assert "Conclusion :</strong> conforme" in page.text
    mine = browser.get(receipt.url)
    assert "Vérifié auprès de la CAF / de la MSA : conforme" in mine.text
    browser.close()


def test_someone_typing_a_strangers_identity_learns_nothing_of_the_strangers_data(app):
    browser, receipt = file(app, "intrus@exemple.fr", KARIM, "540")
    reference = reference_of(receipt)
    page = verify(app, reference, decision="different")
    assert "Quotient familial : 1150" in page.text and "ROBERT KARIM" in page.text  # the agent sees the CAF's answer
    seen = "\n".join(browser.get(SERVICE_URL + path).text for path in (
        receipt.url.removeprefix(SERVICE_URL), "/mes-demarches", "/mes-donnees", "/mon-espace"))
    seen += browser.service.get("/mes-donnees.json").get_data(as_text=True)
    seen += pdf_text(browser.service.get(receipt.url.removeprefix(SERVICE_URL) + "/attestation.pdf").get_data())
    assert ": différent" in seen
    for stranger in ("1150", "1 150", "INES", "Ines", "BLOIS", "PEUPLIERS", "CNAF, "):
        assert stranger not in seen, stranger
    with app.app_context():
        mails = " ".join(db.session.scalars(db.select(OutboxMessage.body)).all())
    assert "1150" not in mails and "PEUPLIERS" not in mails
    browser.close()


def test_someone_the_caf_does_not_know_is_introuvable(app):
    browser, receipt = file(app, "lan@exemple.fr", NGUYEN, "300")
    page = verify(app, reference_of(receipt))
    assert "introuvable" in page.text
    verify(app, reference_of(receipt), decision="introuvable")
    assert ": introuvable" in browser.get(receipt.url).text
    browser.close()


def test_without_the_agreement_no_check_can_be_asked(app, ap_sim):
    from tests.test_journey import ap_requests

    browser, receipt = file(app, "refus@exemple.fr", CLAIRE, "720", agree=False)
    assert "Vous n’avez pas accepté la vérification" in receipt.text
    agent = Browser(app.test_client())
    agent_login(agent)
    reference = reference_of(receipt)
    page = agent.get(f"{SERVICE_URL}/agents/dossiers/{reference}")
    page = agent.submit(page, "/ouvrir") if "/ouvrir" in page.text else page
    assert "n’a pas accepté la vérification" in page.text and "/verification-identite" not in page.text
    forced = agent.service.post(f"/agents/dossiers/{reference}/verification-identite",
                                data={"csrf_token": csrf_token(page), "verified_how": "guichet"})
    assert forced.status_code == 303 and ap_requests(ap_sim) == []
    agent.close()
    browser.close()


def test_the_commune_must_have_existed_at_the_birth_date(app):
    browser = sign_in(app, "seine@exemple.fr")
    page = browser.get(f"{SERVICE_URL}/demarches/cantine/identite")
    born_1960 = {**CLAIRE, "date_naissance": "01/05/1960", "commune_nom": "Gennevilliers"}
    page = browser.submit(page, "/identite", action="chercher", **born_1960)
    assert "Gennevilliers (75)" in page.text and "Gennevilliers (92)" not in page.text
    page = browser.submit(page, "/identite", action="continuer", **{**born_1960, "commune": "92036"})
    assert page.status == 400 and "Choisissez votre commune de naissance" in page.text
    page = browser.submit(page, "/identite", action="continuer", **{**born_1960, "commune": "75036"})
    assert page.url.endswith("/formulaire") and "Gennevilliers (75)" in page.text
    browser.close()


@pytest.mark.parametrize(("slug", "holders"), [("transport", "du Crous / de l’Assurance maladie"),
                                               ("stationnement", "de la CAF / de la MSA / de l’Assurance maladie")])
def test_every_demarche_offers_the_path_with_its_own_organisations(app, slug, holders):
    browser = sign_in(app, f"{slug}@exemple.fr")
    page = browser.get(f"{SERVICE_URL}/commencer?demarche={slug}")
    page = browser.submit(page, "/identite", action="continuer", **CLAIRE)
    assert page.url.endswith(f"/demarches/{slug}/formulaire") and page.status == 200
    assert f"J’accepte que la mairie vérifie ma déclaration auprès {holders}" in page.text
    browser.close()
