"""Filing at the counter, end to end over real HTTP to the simulators: an agent authorised for it records
the identity document seen, the person's identity and mandate, the certified data comes through the identité
modality and prefills the form, the receipt says « déposé par … pour le compte de … » (page, PDF, e-mail,
back-office, export, API, webhook); then the same person logs in with FranceConnect and finds the dossier
and the mandate."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from demarche.counter.models import Mandate
from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.models import AccessLog, OutboxMessage
from demarche.webhooks.models import WebhookEndpoint, WebhookEvent
from tests.api.conftest import bearer, new_token
from tests.backoffice.factories import MARIE, THOMAS, agent_login, export
from tests.browser import Browser
from tests.identity_checks.test_email_path import pdf_text
from tests.journeys import accept, login
from tests.test_journey import CHOICES, ap_requests

# The FranceConnect simulator's persona « test », as typed at the desk from her identity card.
ANGELA = {"procedure": "cantine", "document": "carte_identite", "nom_naissance": "Dubois", "prenom_1": "Angela",
          "prenom_2": "Claire", "prenom_3": "Louise", "sexe": "F", "date_naissance": "24/08/1962",
          "lieu": "france", "commune_nom": "Paris", "commune": "75107", "duration": "31", "obtained": "papier",
          "agreed": "y", "email": "angela@exemple.fr"}
FILED = "Déposé par Marie LAMBERT pour le compte de Angela Claire Louise Dubois"


@pytest.fixture
def app(make_bo_app, fc_sim, ap_sim):
    service = make_bo_app(FRANCECONNECT_ISSUER=f"{fc_sim.url}/api/v2", API_PARTICULIER_URL=ap_sim.url)
    result = service.test_cli_runner().invoke(args=["agents", "guichet", MARIE, "21750001600019"])
    assert "peut déposer pour un usager présent" in result.output, result.output
    return service


def file_at_the_counter(app, identity: dict = ANGELA):
    """The agent's whole filing; returns (agent's browser, receipt page)."""
    agent = Browser(app.test_client())
    page = agent_login(agent)
    assert "Déposer pour un usager présent" in page.text
    page = agent.get("http://localhost/agents/guichet")
    page = agent.submit(page, "/agents/guichet", action="continuer", **identity)
    assert "Ce qui va se passer" in page.text, page.text[:3000]
    page = accept(agent, page)
    assert "Quotient familial CAF" in page.text and ": 650" in page.text, page.text[:3000]
    receipt = agent.submit(page, "/formulaire", children=["0", "2"], **CHOICES)
    assert "Votre demande a bien été envoyée" in receipt.text, receipt.text[:3000]
    return agent, receipt


def test_the_counter_filing_to_a_printed_receipt_then_the_person_finds_it_with_franceconnect(app, ap_sim):
    agent, receipt = file_at_the_counter(app)
    assert ap_requests(ap_sim) == ["/v3/dss/quotient_familial/identite"]  # never FranceConnect's route
    assert FILED in receipt.text and "Terminer le dépôt au guichet" in receipt.text, receipt.text[
        receipt.text.find("Numéro de dossier"):][:600]
    reference = re.search(r"/recu/([A-Z0-9-]+)", receipt.url).group(1)
    pdf = agent.service.get(f"/demarches/cantine/recu/{reference}/attestation.pdf")
    assert pdf.status_code == 200 and FILED in " ".join(pdf_text(pdf.data).split())
    assert FILED in agent.get(f"http://localhost/demarches/cantine/recu/{reference}/attestation").text
    with app.app_context():
        dossier = db.session.scalar(db.select(Dossier).filter_by(reference=reference))
        assert dossier.identity["source"] == "guichet" and dossier.identity["birthplace"] == "75107"
        assert dossier.certified["quotient_familial"]["provenance"]["modality"] == "identite"
        mandate = db.session.scalar(db.select(Mandate))
        assert (mandate.document_kind, mandate.obtained_how, mandate.duration_days, mandate.dossier_reference) == (
            "carte_identite", "papier", 31, reference)
        actions = db.session.scalars(db.select(AccessLog.action).order_by(AccessLog.id)).all()
        assert "counter_mandate" in actions and "counter_filed" in actions
        [mail] = db.session.scalars(db.select(OutboxMessage).filter_by(kind="receipt")).all()
        assert mail.recipient == "angela@exemple.fr" and reference in mail.body
    page = agent.submit(receipt, "/agents/guichet/terminer")
    assert page.url.endswith("/agents/dossiers")
    assert agent.service.get(f"/demarches/cantine/recu/{reference}").status_code != 200  # the person left

    # Everywhere the dossier is read: the back-office, the export, the API
    page = agent.get(f"http://localhost/agents/dossiers/{reference}")
    if "/ouvrir" in page.text:
        page = agent.submit(page, "/ouvrir")
    assert FILED in page.text and "Dépôt au guichet" in page.text
    rows = list(csv.DictReader(io.StringIO(export(agent, "csv").data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0]["Déposé pour le compte de"] == FILED
    detail = agent.service.get(f"/api/v1/dossiers/{reference}", headers=bearer(new_token(app))).get_json()
    assert detail["filed_for"]["filed_by"] == "Marie LAMBERT" and detail["filed_for"]["text"] == FILED
    agent.close()

    # The same person, later, with FranceConnect: the dossier in « Mes démarches », the mandate in « Mes données »
    person = Browser(app.test_client())
    login(person)
    assert reference in person.get("http://localhost/mes-demarches").text
    mine = person.get("http://localhost/mes-donnees").text
    assert "Vos mandats donnés au guichet (1)" in mine and "Marie LAMBERT" in mine and reference in mine
    assert "a déposé le dossier pour vous au guichet" in mine and "Vos accords (1)" in mine
    person.close()


def test_the_webhook_says_who_filed_for_whom(app, ap_sim):
    with app.app_context():  # a receiver subscribed (its delivery fails here: no network, retried later)
        db.session.add(WebhookEndpoint(siret="21750001600019", url="https://recepteur.exemple.fr/hook",
                                       secret="whsec_AAAA"))
        db.session.commit()
    file_at_the_counter(app)
    with app.app_context():
        [event] = db.session.scalars(db.select(WebhookEvent)).all()
        data = json.loads(event.body)["data"]
    # who filed, and that it was for someone; the person's name is read through the API, as every personal datum
    assert data["filed_for"] == {"filed_by": "Marie LAMBERT", "organisation_siret": "21750001600019"}


def test_filing_for_someone_is_an_authorisation_of_its_own(app):
    agent = Browser(app.test_client())
    page = agent_login(agent, THOMAS)  # may instruct, not file for others
    assert "Déposer pour un usager présent" not in page.text
    assert agent.service.get("/agents/guichet").status_code == 403
    agent.close()
    result = app.test_cli_runner().invoke(args=["agents", "guichet", MARIE, "21750001600019", "--retirer"])
    assert "ne peut plus" in result.output
    agent = Browser(app.test_client())
    agent_login(agent)
    assert agent.service.get("/agents/guichet").status_code == 403
    agent.close()


def test_the_mandate_needs_the_document_and_the_agreement(app):
    agent = Browser(app.test_client())
    agent_login(agent)
    page = agent.get("http://localhost/agents/guichet")
    missing = {k: v for k, v in ANGELA.items() if k not in ("document", "agreed")}
    page = agent.submit(page, "/agents/guichet", action="continuer", **missing)
    assert page.status == 400
    assert "Indiquez la pièce d’identité que vous avez vue." in page.text
    assert "La personne doit donner son accord" in page.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Mandate)) == 0
    agent.close()


def test_the_setting_switches_the_counter_off(make_bo_app):
    app = make_bo_app(COUNTER_FILING="0")
    app.test_cli_runner().invoke(args=["agents", "guichet", MARIE, "21750001600019"])
    agent = Browser(app.test_client())
    page = agent_login(agent)
    assert "Déposer pour un usager présent" not in page.text
    assert agent.service.get("/agents/guichet").status_code == 404
    agent.close()


def test_the_demo_coulisses_show_the_mandate_and_the_deposit(make_bo_app, fc_sim, ap_sim):
    app = make_bo_app(FRANCECONNECT_ISSUER=f"{fc_sim.url}/api/v2", API_PARTICULIER_URL=ap_sim.url, COULISSES="1")
    app.test_cli_runner().invoke(args=["agents", "guichet", MARIE, "21750001600019"])
    agent, receipt = file_at_the_counter(app)
    assert "Mandat enregistré au guichet" in receipt.text and "Carte nationale d’identité" in receipt.text
    assert "Dossier déposé pour le compte de la personne" in receipt.text
    agent.close()


def test_the_demo_lets_marie_lambert_file_at_the_counter(make_app):
    from demarche.demo import _allow_demo_agents
    from demarche.models import AgentAuthorisation

    app = make_app()
    with app.app_context():
        _allow_demo_agents()
        _allow_demo_agents()  # idempotent: the demo runs it at every start
        counter = db.session.scalars(db.select(AgentAuthorisation.email).filter_by(counter_filing=True)).all()
    assert counter == [MARIE]
