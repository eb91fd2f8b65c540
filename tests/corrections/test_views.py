"""The correction loop on the server, over real HTTP and SMTP: the agent asks, the citizen is mailed, corrects only
declared answers (a certified value sent anyway is ignored), confirms; no decision meanwhile; history, export,
API and webhooks tell old → new."""

from __future__ import annotations

import csv
import io
import json

from demarche.dossiers.models import Dossier, DossierEvent
from demarche.extensions import db
from demarche.models import Citizen, Prefill
from demarche.webhooks.models import WebhookEvent
from tests.api.conftest import bearer, new_token
from tests.backoffice.factories import agent_login, export, open_dossier
from tests.browser import Browser
from tests.corrections.conftest import CHOICES, consent, csrf, file_dossier
from tests.webhooks.helpers import add_webhook

MOTIVE = "Précisez le régime alimentaire de votre enfant."


def dossier(app, reference: str) -> tuple[Dossier, list[DossierEvent]]:
    with app.app_context():
        item = db.session.scalar(db.select(Dossier).filter_by(reference=reference))
        events = db.session.scalars(db.select(DossierEvent).filter_by(dossier_id=item.id).order_by(DossierEvent.id))
        events = list(events)
        db.session.expunge_all()
        return item, events


def move(agent: Browser, reference: str, decision: str, motive: str = ""):
    page = open_dossier(agent, reference)  # a POST the first time (journaled), then the page
    return agent.submit(page, "/instruction", decision=decision, motive=motive)


def asked(app, browsers) -> tuple[Browser, Browser, str]:
    """A dossier filed by a citizen, put « en attente de correction » by Marie."""
    citizen, agent = browsers(app), browsers(app)
    reference = file_dossier(citizen)
    agent_login(agent)
    move(agent, reference, "en_instruction")
    page = move(agent, reference, "en_attente_de_correction", MOTIVE)
    assert "est maintenant « En attente de correction »" in page.text
    return citizen, agent, reference


def test_the_agent_asks_the_citizen_corrects_the_diet_and_the_agent_accepts(app, browsers, smtp_sink):
    add_webhook(app, "http://127.0.0.1:9/hook")  # nothing listens: the events stay recorded, which we read
    citizen, agent, reference = asked(app, browsers)
    refused = move(agent, reference, "accepte", "Trop tôt.")
    assert "ne peut être ni accepté, ni refusé, ni classé sans suite" in refused.text
    assert dossier(app, reference)[0].status == "en_attente_de_correction"

    tab = agent.get("http://localhost/agents/dossiers?statut=en_attente_de_correction").text
    assert "En attente de correction (1)" in tab and reference in tab and MOTIVE in agent.get(
        f"http://localhost/agents/dossiers/{reference}").text
    mail = next(m for m in smtp_sink.mailbox.messages() if "correction" in m.subject)
    assert mail.subject == f"Votre dossier n° {reference} : une correction vous est demandée"
    assert MOTIVE in mail.body and f"http://localhost/mes-demarches/{reference}/correction" in mail.body
    mine = citizen.get("http://localhost/mes-demarches")
    assert "En attente de correction" in mine.text and MOTIVE in mine.text and "Corriger mon dossier" in mine.text

    page = citizen.get(f"http://localhost/mes-demarches/{reference}/correction")
    assert page.status == 200 and MOTIVE in page.text and "J’ai effectué les corrections demandées" in page.text
    assert 'name="quotient_familial"' not in page.text  # certified: shown, not editable
    assert "Quotient familial CAF" in page.text and 'selected value="jules-ferry"' in page.text
    unconfirmed = citizen.service.post(f"/mes-demarches/{reference}/correction",
                                       data={"csrf_token": csrf(page), **CHOICES, "children": ["0"],
                                             "email": "parent@example.fr", "diet": "vegetarien"})
    assert unconfirmed.status_code == 400 and "Cochez la case pour confirmer" in unconfirmed.get_data(as_text=True)
    assert dossier(app, reference)[0].answers["diet"] == "Menu standard"

    sent = citizen.service.post(f"/mes-demarches/{reference}/correction", data={
        "csrf_token": csrf(page), **CHOICES, "children": ["0"], "email": "parent@example.fr",
        "diet": "vegetarien", "confirm": "oui",
        "quotient_familial": "1", "regime": "MSA", "address": "1 rue Fausse"})  # certified: ignored
    assert sent.status_code == 303
    item, events = dossier(app, reference)
    assert item.status == "en_instruction" and item.answers["diet"] == "Végétarien"
    assert item.answers["quotient_familial"] == {"value": 650, "origin": "certified"}
    assert item.answers["address"] is None
    assert [(e.kind, e.actor) for e in events[-3:]] == [
        ("status_changed", "marie.lambert@demarche-sur-loire.example"),
        ("correction_requested", "marie.lambert@demarche-sur-loire.example"), ("corrected", "usager")]
    assert events[-2].motive == MOTIVE
    changes = {c["label"]: (c["old"], c["new"]) for c in events[-1].changes}
    assert changes["Régime alimentaire"] == ("Menu standard", "Végétarien")
    assert set(changes) == {"Régime alimentaire", "Adresse électronique"}

    mine = citizen.get(f"http://localhost/demarches/cantine/recu/{reference}").text  # the citizen's history
    assert "Correction demandée par" in mine and MOTIVE in mine and "Vos corrections" in mine
    assert "Régime alimentaire : « Menu standard » → « Végétarien »" in mine
    history = agent.get(f"http://localhost/agents/dossiers/{reference}").text
    assert "Corrections de l’usager" in history and "Régime alimentaire : « Menu standard » → « Végétarien »" in history
    assert "est maintenant « Accepté »" in move(agent, reference, "accepte", "Inscription validée.").text

    with app.app_context():
        types = [json.loads(e.body)["type"] for e in db.session.scalars(db.select(WebhookEvent)
                                                                         .order_by(WebhookEvent.id))]
    assert types == ["dossier.depose", "dossier.statut_modifie", "dossier.correction_demandee",
                     "dossier.statut_modifie", "dossier.correction_effectuee", "dossier.statut_modifie",
                     "dossier.statut_modifie"]
    exported = export(agent, "csv", statut="tous")
    [row] = list(csv.DictReader(io.StringIO(exported.data.decode("utf-8-sig")), delimiter=";"))
    assert row["État"] == "Accepté" and row["Dernière demande de correction"].endswith(MOTIVE)
    assert "Régime alimentaire : Menu standard → Végétarien" in row["Dernière correction de l’usager"]


def test_the_correction_page_is_the_citizens_only_and_only_while_waiting(app, browsers):
    citizen, agent, reference = asked(app, browsers)
    owner = dossier(app, reference)[0].citizen_id
    with app.app_context():  # the same dossier, another citizen's: indistinguishable from a wrong reference
        other = Citizen(issuer="http://fc.test/api/v2", sub="someone-else")
        db.session.add(other)
        db.session.flush()
        db.session.execute(db.update(Dossier).filter_by(reference=reference).values(citizen_id=other.id))
        db.session.commit()
    assert citizen.service.get(f"/mes-demarches/{reference}/correction").status_code == 404
    with app.app_context():
        db.session.execute(db.update(Dossier).filter_by(reference=reference).values(citizen_id=owner))
        db.session.commit()
    move(agent, reference, "en_instruction", "On reprend sans attendre.")
    page = citizen.get(f"http://localhost/mes-demarches/{reference}/correction")
    assert "Aucune correction n’est attendue sur ce dossier." in page.text and "/recu/" in page.url


def test_the_api_asks_for_a_correction_and_cannot_decide_meanwhile(app, browsers, smtp_sink):
    citizen = browsers(app)
    reference = file_dossier(citizen)
    client, token = app.test_client(), new_token(app, scope="instruct", name="Logiciel Cantine+")

    def instruct(**body):
        return client.post(f"/api/v1/dossiers/{reference}/instruction", json=body, headers=bearer(token))

    assert instruct(status="en_instruction").status_code == 200
    assert instruct(status="en_attente_de_correction", motive="  ").json["code"] == "motif_obligatoire"
    assert instruct(status="en_attente_de_correction", motive=MOTIVE).json["event"]["kind"] == "correction_requested"
    for decision in ("accepte", "refuse", "sans_suite"):
        refused = instruct(status=decision, motive="Décision.")
        assert refused.status_code == 409 and refused.mimetype == "application/problem+json"
        assert refused.json["code"] == "correction_en_attente" and "ni accepté, ni refusé" in refused.json["detail"]
    detail = client.get(f"/api/v1/dossiers/{reference}", headers=bearer(token)).json
    assert detail["status"] == "en_attente_de_correction" and detail["allowed_statuses"] == ["en_instruction"]
    assert [(r["motive"], r["corrected_at"]) for r in detail["correction_requests"]] == [(MOTIVE, None)]
    page = citizen.get(f"http://localhost/mes-demarches/{reference}/correction")
    citizen.service.post(f"/mes-demarches/{reference}/correction", data={
        "csrf_token": csrf(page), **CHOICES, "children": ["0"], "email": "parent@example.fr", "diet": "pai",
        "diet_details": "Arachides", "confirm": "oui"})
    detail = client.get(f"/api/v1/dossiers/{reference}", headers=bearer(token)).json
    [round_] = detail["correction_requests"]
    assert round_["corrected_at"] and {"label": "Régime alimentaire", "old": "Menu standard",
                                       "new": "Allergie ou intolérance alimentaire (projet d’accueil individualisé) — "
                                              "Arachides"} in round_["changes"]
    assert detail["events"][-1]["kind"] == "corrected" and detail["events"][-1]["changes"] == round_["changes"]
    document = client.get("/api/v1/openapi.json").json
    assert "en_attente_de_correction" in document["components"]["schemas"]["InstructionBody"]["properties"][
        "status"]["enum"]
    assert instruct(status="accepte", motive="Validé.").status_code == 200


def test_certified_data_are_refreshed_only_through_a_new_consent(app, browsers, ap_sim):
    citizen, agent, reference = asked(app, browsers)
    before, _ = dossier(app, reference)
    page = citizen.get(f"http://localhost/mes-demarches/{reference}/correction")
    consent_page = citizen.submit(page, "/actualiser")
    assert "Ce qui va se passer" in consent_page.text
    assert f"Correction de votre dossier {reference}" in consent_page.text
    back = consent(citizen, consent_page)  # the new consent, FranceConnect, the prefill: back to the correction
    assert back.url.endswith(f"/mes-demarches/{reference}/correction") and "Vos données ont été récupérées" in back.text
    citizen.service.post(f"/mes-demarches/{reference}/correction", data={
        "csrf_token": csrf(back), **CHOICES, "children": ["0"], "email": "parent@example.fr", "confirm": "oui"})
    after, events = dossier(app, reference)
    assert after.status == "en_instruction" and after.consent_id != before.consent_id
    new, old = (d.certified["quotient_familial"]["provenance"]["request_id"] for d in (after, before))
    assert new != old and events[-1].kind == "corrected"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Prefill)) == 0  # the draft went with it


def test_a_follow_up_is_forgotten_when_the_citizen_starts_a_new_demarche(app, browsers):
    citizen, agent, reference = asked(app, browsers)
    page = citizen.get(f"http://localhost/mes-demarches/{reference}/correction")
    citizen.submit(page, "/actualiser")
    fresh = citizen.get("http://localhost/demarches/cantine/")  # the démarche opened anew, not from the button
    assert "Correction de votre dossier" not in fresh.text
    form = consent(citizen, fresh)
    assert form.url.endswith("/demarches/cantine/formulaire") and "Vérifiez et complétez votre demande" in form.text
