"""Issue 4's « done when », end to end over real HTTP and SMTP: test / 123 files a dossier (accusé de
réception in the mailbox), an agent of the commune logs in with ProConnect, finds it, sees what is
certified and by whom, puts it in instruction and accepts it with a motive, exports the list; the citizen
sees « Accepté » and every e-mail, and can download everything held about them."""

import json
import re

import pytest

from tests.backoffice.factories import agent_login, export, open_dossier
from tests.journeys import login as citizen_login
from tests.test_journey import CHOICES, accept


@pytest.fixture
def full_app(make_bo_app, fc_sim, ap_sim):
    return make_bo_app(FRANCECONNECT_ISSUER=f"{fc_sim.url}/api/v2", API_PARTICULIER_URL=ap_sim.url)


def test_the_newcomer_demo(full_app, browsers, smtp_sink):
    citizen, agent = browsers(full_app), browsers(full_app)
    receipt = citizen.submit(accept(citizen, citizen_login(citizen)), "/formulaire", children=["0"], **CHOICES)
    reference = re.search(r"CAN-\d{4}-[A-Z0-9]{6}", receipt.text).group(0)
    [mail] = smtp_sink.mailbox.messages()
    assert mail.subject == f"Votre dossier n° {reference} a bien été déposé" and reference in mail.body

    page = agent_login(agent)
    assert reference in page.text and "Angela Claire Louise DUBOIS" in page.text
    page = open_dossier(agent, reference)
    assert "Authentifié par FranceConnect le" in page.text and "(niveau eidas1)" in page.text
    assert "CAF via API Particulier" in page.text and "Déclaré par l’usager" in page.text
    page = agent.submit(page, "/instruction", decision="en_instruction")
    page = agent.submit(page, "/instruction", decision="accepte",
                        motive="Inscription validée pour l’année scolaire 2026-2027.")
    assert "est maintenant « Accepté »" in page.text
    exported = export(agent, "csv", statut="accepte").data.decode("utf-8-sig")
    assert reference in exported and "certifié" in exported and "déclaré par l’usager" in exported

    mine = citizen.get("http://localhost/mes-demarches")
    assert reference in mine.text and "Accepté" in mine.text
    subjects = [m.subject for m in smtp_sink.mailbox.messages()][::-1]
    assert subjects == [f"Votre dossier n° {reference} a bien été déposé",
                        f"Votre dossier n° {reference} : en instruction",
                        f"Votre dossier n° {reference} : accepté"]
    assert "Inscription validée pour l’année scolaire 2026-2027." in smtp_sink.mailbox.messages()[0].body

    data = json.loads(citizen.service.get("/mes-donnees.json").data)
    [dossier] = data["dossiers"]
    assert dossier["numero"] == reference and dossier["etat"] == "Accepté"
    assert [e["vers"] for e in dossier["historique"]] == ["Déposé", "En instruction", "Accepté"]
    assert len(dossier["courriels"]) == 3
    # Issue 12, transparency: the citizen sees who opened, changed and exported the dossier.
    seen = {(a["par"], a["action"]) for a in dossier["acces"]}
    assert {("Marie LAMBERT", "a ouvert le dossier"), ("Marie LAMBERT", "a changé l’état du dossier"),
            ("Marie LAMBERT", "a exporté le dossier dans un tableur")} <= seen, seen
    assert data["accords"][0]["decision"] == "accepted" and data["compte"]["identifiant_technique"]
    readable = citizen.get("http://localhost/mes-donnees")
    assert reference in readable.text and "Télécharger toutes mes données" in readable.text
