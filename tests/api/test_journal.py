"""Every read and change through the API is in the access journal under the token's name, and the citizen
sees it in « Mes données »."""

from __future__ import annotations

import re

from demarche.dossiers.access import journal_query
from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.models import AccessLog, ApiToken
from tests.api.conftest import bearer, new_token
from tests.backoffice.factories import COMMUNE, make_dossier
from tests.browser import Browser
from tests.journeys import login as citizen_login
from tests.test_journey import CHOICES, accept


def test_reads_and_changes_are_journaled_under_the_token_name(api_app):
    first, second = make_dossier(api_app), make_dossier(api_app)
    client, token = api_app.test_client(), new_token(api_app, scope="instruct", name="Cantine+ (Berger-Levrault)")
    assert client.get("/api/v1/dossiers", headers=bearer(token)).status_code == 200
    assert client.get(f"/api/v1/dossiers/{first}", headers=bearer(token)).status_code == 200
    path = f"/api/v1/dossiers/{first}/instruction"
    assert client.post(path, json={"status": "accepte", "motive": "x"}, headers=bearer(token)).status_code == 409
    assert client.post(path, json={"status": "en_instruction"}, headers=bearer(token)).status_code == 200
    with api_app.app_context():
        token_id = db.session.scalar(db.select(ApiToken.id))
        rows = db.session.scalars(db.select(AccessLog).order_by(AccessLog.id)).all()
        references = dict(db.session.execute(db.select(Dossier.id, Dossier.reference)).all())
        lines = [(r.action, references[r.dossier_id]) for r in rows]
        assert lines == [("list", first), ("list", second), ("view", first), ("decision", first)]  # no refused change
        assert {(r.api_token_id, r.actor_name, r.agent_email, r.siret) for r in rows} == {
            (token_id, "Cantine+ (Berger-Levrault)", None, COMMUNE)}
        assert len(db.session.scalars(journal_query(COMMUNE)).all()) == 4  # the back-office's journal shows them


def test_the_citizen_sees_the_api_access_in_my_data(make_journey_app):
    app = make_journey_app()
    citizen = Browser(app.test_client())
    receipt = citizen.submit(accept(citizen, citizen_login(citizen)), "/formulaire", children=["0"], **CHOICES)
    reference = re.search(r"CAN-\d{4}-[A-Z0-9]{6}", receipt.text).group(0)
    token = new_token(app, name="Logiciel Cantine+")
    client = app.test_client()
    assert client.get(f"/api/v1/dossiers/{reference}", headers=bearer(token)).status_code == 200
    client.post(f"/api/v1/dossiers/{reference}/instruction", json={"status": "en_instruction"}, headers=bearer(token))

    page = citizen.get("http://localhost/mes-donnees")
    assert "Qui a consulté ou modifié ce dossier" in page.text
    assert page.text.count("le logiciel « Logiciel Cantine+ » (accès par l’API)") == 1  # the change was refused
    data = citizen.service.get("/mes-donnees.json").json
    [dossier] = data["dossiers"]
    assert [(a["par"], a["action"]) for a in dossier["acces"]] == [
        ("le logiciel « Logiciel Cantine+ » (accès par l’API)", "a ouvert le dossier")]
    citizen.close()
