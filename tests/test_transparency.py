"""« Mes données » shows who accessed the citizen's dossiers: the agent's name, the time in Paris time and
what was done (opened, changed, exported, messages read), exports included only when they held the dossier."""

import json

import pytest

from tests.backoffice.conftest import browsers, make_bo_app, pc_sim, smtp_sink  # noqa: F401
from tests.backoffice.factories import THOMAS, agent_login, export, make_dossier, open_dossier
from tests.dossier_life import citizen_with_dossier


@pytest.fixture
def life_app(make_bo_app, fc_sim):  # noqa: F811
    return make_bo_app(FRANCECONNECT_ISSUER=f"{fc_sim.url}/api/v2")


def accesses(citizen) -> list[tuple[str, str, str]]:
    [dossier] = json.loads(citizen.service.get("/mes-donnees.json").data)["dossiers"]
    return [(a["par"], a["action"], a["dossier"]) for a in dossier["acces"]]


def test_a_consultation_a_change_and_an_export_are_listed_with_the_agents_name(life_app, browsers):  # noqa: F811
    citizen, marie, thomas = browsers(life_app), browsers(life_app), browsers(life_app)
    reference = citizen_with_dossier(life_app, citizen)
    assert accesses(citizen) == []
    assert "Personne pour l’instant." in citizen.get("http://localhost/mes-donnees").text

    agent_login(marie)
    page = open_dossier(marie, reference)
    marie.submit(page, "/instruction", decision="en_instruction")
    agent_login(thomas, THOMAS)
    assert reference in export(thomas, "csv", statut="en_instruction").data.decode("utf-8-sig")
    assert export(thomas, "xlsx", statut="accepte").status_code == 200  # without the dossier

    seen = accesses(citizen)
    assert ("Thomas NGUYEN", "a exporté le dossier dans un tableur", reference) in seen
    assert ("Marie LAMBERT", "a changé l’état du dossier", reference) in seen
    assert [s for s in seen if s[:2] == ("Marie LAMBERT", "a ouvert le dossier")]
    assert len([s for s in seen if "exporté" in s[1]]) == 1  # the export of accepted dossiers did not hold it
    readable = citizen.get("http://localhost/mes-donnees").text
    assert "Thomas NGUYEN a exporté le dossier dans un tableur" in readable
    assert "(heure de Paris), Marie LAMBERT a ouvert le dossier" in readable


def test_only_the_citizens_own_dossiers_are_listed(life_app, browsers):  # noqa: F811
    citizen, marie = browsers(life_app), browsers(life_app)
    citizen_with_dossier(life_app, citizen)
    someone_elses = make_dossier(life_app)
    agent_login(marie)
    open_dossier(marie, someone_elses)
    export(marie, "csv", statut="depose", q=someone_elses)
    assert accesses(citizen) == []
