"""The messagerie between a citizen and the organisation's agents, over the real FranceConnect and
ProConnect simulators and SMTP: unread markers, the e-mail that carries a link and never the text, the
journal of agents' reads, and stored XSS attempts inert in every view."""

import json
import re

import pytest

from demarche.extensions import db
from demarche.messages.models import DossierMessage
from demarche.models import AccessLog
from tests.backoffice.factories import MARIE, agent_login, csrf_token, make_dossier, open_dossier
from tests.dossier_life import citizen_with_dossier
from tests.tasks.fixtures import wait_for

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture
def life_app(make_bo_app, fc_sim):
    return make_bo_app(FRANCECONNECT_ISSUER=f"{fc_sim.url}/api/v2")


def write(browser, path: str, body: str):
    page = browser.get(f"http://localhost{path}")
    return browser._follow("post", f"http://localhost{path}", {"csrf_token": csrf_token(page), "body": body})


def test_a_conversation_with_unread_markers_and_inert_markup(life_app, browsers, smtp_sink):
    citizen, agent = browsers(life_app), browsers(life_app)
    reference = citizen_with_dossier(life_app, citizen)
    smtp_sink.mailbox.clear()
    page = write(citizen, f"/mes-demarches/{reference}/messages", f"Question {XSS}\nsur deux lignes")
    assert "Votre message a été envoyé" in page.text and ESCAPED in page.text and XSS not in page.text
    assert "aucune pièce jointe" in page.text
    # The organisation's agents are told, with a link to the dossier and never the text.
    notices = wait_for(lambda: [m for m in smtp_sink.mailbox.messages() if "de l’usager" in m.subject],
                       what="the agents' notices")
    assert {r for m in notices for r in m.recipients} >= {MARIE}
    assert all(f"/agents/dossiers/{reference}" in m.body for m in notices)
    assert all("Question" not in m.body and "alert(" not in m.body for m in notices)
    smtp_sink.mailbox.clear()

    listing = agent_login(agent)
    assert "1 message non lu" in listing.text
    page = open_dossier(agent, reference)
    assert ESCAPED in page.text and XSS not in page.text and "L’usager" in page.text
    assert "1 message non lu" not in agent.get("http://localhost/agents/dossiers").text
    with life_app.app_context():
        actions = [(a.action, a.detail) for a in db.session.scalars(db.select(AccessLog).order_by(AccessLog.id))]
    assert ("message_read", {"messages": 1}) in actions
    assert "Lecture des messages de l’usager" in agent.get("http://localhost/agents/journal").text

    page = agent._follow("post", f"http://localhost/agents/dossiers/{reference}/messages",
                         {"csrf_token": csrf_token(page), "body": f"Réponse confidentielle 4821 {XSS}"})
    assert "Message envoyé" in page.text and XSS not in page.text
    [mail] = smtp_sink.mailbox.messages()
    assert mail.subject == f"Nouveau message concernant votre dossier n° {reference}"
    assert f"http://localhost/mes-demarches/{reference}/messages" in mail.body
    assert "4821" not in mail.body and "<" not in mail.body and "alert(" not in mail.body

    assert re.search(r"1 nouveau\b", citizen.get("http://localhost/mes-demarches").text)
    page = citizen.get(f"http://localhost/mes-demarches/{reference}/messages")
    assert "Marie LAMBERT" in page.text and page.text.count(ESCAPED) == 2 and XSS not in page.text
    assert "nouveau" not in citizen.get("http://localhost/mes-demarches").text

    mine = citizen.service.get("/mes-donnees.json")
    assert mine.mimetype == "application/json" and mine.headers["X-Content-Type-Options"] == "nosniff"
    [dossier] = json.loads(mine.data)["dossiers"]
    assert [(m["de"], m["texte"]) for m in dossier["messages"]] == [
        ("vous", f"Question {XSS}\nsur deux lignes"), ("Marie LAMBERT", f"Réponse confidentielle 4821 {XSS}")]
    readable = citizen.get("http://localhost/mes-donnees").text
    assert readable.count(ESCAPED) == 2 and XSS not in readable


def test_refusals_say_why_and_keep_the_draft(life_app, browsers):
    citizen = browsers(life_app)
    reference = citizen_with_dossier(life_app, citizen)
    page = write(citizen, f"/mes-demarches/{reference}/messages", "Texte\x07 avec une cloche")
    assert page.status == 400 and "caractère de contrôle invisible" in page.text and "avec une cloche" in page.text
    page = write(citizen, f"/mes-demarches/{reference}/messages", "x" * 2001)
    assert page.status == 400 and "dépasse 2000 caractères" in page.text
    with life_app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(DossierMessage)) == 0


def test_nobody_reads_or_writes_another_persons_thread(life_app, browsers):
    citizen, stranger = browsers(life_app), browsers(life_app)
    citizen_with_dossier(life_app, citizen)
    someone_elses = make_dossier(life_app)
    assert citizen.get(f"http://localhost/mes-demarches/{someone_elses}/messages").status == 404
    anonymous = stranger.service.get(f"/mes-demarches/{someone_elses}/messages")
    assert anonymous.status_code == 303 and anonymous.headers["Location"].endswith("/")
    other_org = make_dossier(life_app, siret="21450123400006")
    agent = browsers(life_app)
    page = agent_login(agent, MARIE)  # the commune's agent: another organisation's dossier does not exist
    response = agent.service.post(f"/agents/dossiers/{other_org}/messages",
                                  data={"csrf_token": csrf_token(page), "body": "Bonjour"})
    assert response.status_code == 404
    with life_app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(DossierMessage)) == 0


def agent_message(app, reference: str) -> None:
    from demarche.dossiers.models import Dossier
    from demarche.messages import services
    from demarche.models import Agent

    with app.test_request_context():
        dossier = db.session.scalar(db.select(Dossier).filter_by(reference=reference))
        agent = db.session.scalar(db.select(Agent)) or Agent(email=MARIE, siret=dossier.organisation_siret,
                                                               given_name="Marie", usual_name="LAMBERT")
        services.post(dossier, "Votre dossier est complet.", agent=agent)


def unread(citizen) -> bool:
    return bool(re.search(r"1 nouveau\b", citizen.get("http://localhost/mes-demarches").text))


@pytest.mark.parametrize("site", ["cross-site", "same-site", None])
def test_a_link_from_another_site_does_not_mark_the_thread_read(life_app, browsers, site):
    """Issue 19 g: a GET from elsewhere changes nothing; the citizen marks the thread read by a POST."""
    citizen = browsers(life_app)
    reference = citizen_with_dossier(life_app, citizen)
    agent_message(life_app, reference)
    assert unread(citizen)
    headers = {"Sec-Fetch-Site": site} if site else {}
    response = citizen.service.get(f"/mes-demarches/{reference}/messages", headers=headers)
    assert response.status_code == 200 and "Votre dossier est complet." in response.get_data(as_text=True)
    assert "Marquer comme lu" in response.get_data(as_text=True)
    assert unread(citizen)
    token = re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True)).group(1)
    page = citizen._follow("post", f"http://localhost/mes-demarches/{reference}/messages/lu", {"csrf_token": token})
    assert page.status == 200 and page.url.endswith(f"/mes-demarches/{reference}/messages")
    assert not unread(citizen)


def test_marking_read_needs_the_csrf_token(life_app, browsers):
    citizen = browsers(life_app)
    reference = citizen_with_dossier(life_app, citizen)
    agent_message(life_app, reference)
    assert citizen.service.post(f"/mes-demarches/{reference}/messages/lu").status_code == 400
    assert unread(citizen)


def test_a_navigation_inside_the_service_marks_the_thread_read(life_app, browsers):
    citizen = browsers(life_app)
    reference = citizen_with_dossier(life_app, citizen)
    agent_message(life_app, reference)
    page = citizen.get(f"http://localhost/mes-demarches/{reference}/messages")  # from « Mes démarches »
    assert "Votre dossier est complet." in page.text and "Marquer comme lu" not in page.text
    assert not unread(citizen)
