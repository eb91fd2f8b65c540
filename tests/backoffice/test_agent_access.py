"""Agents log in with ProConnect; only an allowed agent reaches the back-office, and only their
organisation's dossiers. A citizen never does (issue 4: 403 or 404)."""

import httpx
import pytest

from demarche.extensions import db
from demarche.models import AccessLog, Agent, AgentAuthorisation
from tests.backoffice.factories import MARIE, PAUL, SOPHIE, agent_login, csrf_token, export, make_dossier, open_dossier
from tests.journeys import login as citizen_login


def test_an_allowed_agent_logs_in_with_proconnect_and_sees_the_list(bo_app, browsers):
    browser = browsers(bo_app)
    page = agent_login(browser)
    assert page.url.endswith("/agents/dossiers") and page.status == 200
    assert "Marie LAMBERT" in page.text and "Espace agents" in page.text
    authorize = next(u for u in browser.requested if "/api/v2/authorize" in u)
    assert "acr_values=eidas1" in authorize
    assert "scope=openid+email+given_name+usual_name+siret+uid+idp_id" in authorize
    with bo_app.app_context():
        agent = db.session.scalars(db.select(Agent)).one()
        assert (agent.email, agent.siret, agent.uid) == (MARIE, "21750001600019", "mlambert")
        assert len(agent.sub) == 64  # pairwise, never the e-mail


def test_the_agent_session_is_rotated_and_holds_no_citizen(bo_app, browsers):
    browser = browsers(bo_app)
    browser.get("http://localhost/agents/")
    before = browser.service.get_cookie(bo_app.config["SESSION_COOKIE_NAME"])
    agent_login(browser)
    after = browser.service.get_cookie(bo_app.config["SESSION_COOKIE_NAME"])
    assert after is not None and (before is None or before.value != after.value)
    assert browser.get("http://localhost/mon-espace").url.endswith("/")  # no citizen space for an agent


def test_an_agent_not_on_the_allow_list_is_refused(bo_app, browsers):
    browser = browsers(bo_app)
    page = agent_login(browser, PAUL)
    assert page.status == 403 and "n’est pas habilité" in page.text
    assert browser.get("http://localhost/agents/dossiers").url.endswith("/agents/")  # no session opened


def test_a_wrong_password_stays_at_proconnect(bo_app, browsers):
    page = agent_login(browsers(bo_app), MARIE, "456")
    assert "Mot de passe incorrect" in page.text


def test_anonymous_visitors_are_sent_to_the_login_page(bo_app):
    response = bo_app.test_client().get("/agents/dossiers")
    assert response.status_code == 303 and response.headers["Location"].endswith("/agents/")
    assert "S’identifier avec" in bo_app.test_client().get("/agents/").get_data(as_text=True)


@pytest.fixture
def citizen_app(make_bo_app, fc_sim):
    return make_bo_app(FRANCECONNECT_ISSUER=f"{fc_sim.url}/api/v2")


def test_a_citizen_session_never_opens_the_back_office(citizen_app, browsers):
    reference = make_dossier(citizen_app)
    browser = browsers(citizen_app)
    token = csrf_token(citizen_login(browser))
    for path in ("/agents/dossiers", f"/agents/dossiers/{reference}", "/agents/export.csv", "/agents/journal"):
        assert browser.service.get(path).status_code == 403, path
    response = browser.service.post(f"/agents/dossiers/{reference}/instruction",
                                    data={"decision": "en_instruction", "csrf_token": token})
    assert response.status_code == 403


def test_an_agent_of_another_organisation_gets_404(bo_app, browsers):
    reference = make_dossier(bo_app)
    browser = browsers(bo_app)
    page = agent_login(browser, SOPHIE)
    assert page.status == 200 and reference not in page.text
    assert browser.service.get(f"/agents/dossiers/{reference}").status_code == 404
    assert browser.service.get("/agents/dossiers/CAN-2026-NOPE00").status_code == 404
    assert reference not in export(browser, "csv", statut="tous").get_data(as_text=True)
    with bo_app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(AccessLog)
                                 .where(AccessLog.dossier_id.is_not(None))) == 0
    response = browser.service.post(f"/agents/dossiers/{reference}/instruction",
                                    data={"decision": "en_instruction", "csrf_token": csrf_token(page)})
    assert response.status_code == 404


def test_an_authorisation_withdrawn_during_the_session_takes_effect_at_once(bo_app, browsers):
    browser = browsers(bo_app)
    agent_login(browser)
    with bo_app.app_context():
        db.session.execute(db.delete(AgentAuthorisation).filter_by(email=MARIE))
        db.session.commit()
    assert browser.service.get("/agents/dossiers").status_code == 403
    assert browser.service.get("/agents/dossiers").status_code == 303  # and the session is gone


def test_the_access_journal_records_the_agents_login_level(bo_app, browsers, pc_sim):
    """The acr of the agent's ProConnect login goes with each line of the journal, and shows on its page."""
    httpx.post(f"{pc_sim.url}/_sim/next-id-token", json={"set": {"acr": "eidas1-mfa"}}).raise_for_status()
    reference = make_dossier(bo_app)
    browser = browsers(bo_app)
    agent_login(browser)
    assert open_dossier(browser, reference).status == 200
    with bo_app.app_context():
        assert db.session.scalars(db.select(AccessLog.acr)).all() == ["eidas1-mfa"]
    journal = browser.service.get("/agents/journal").get_data(as_text=True)
    assert "Niveau de connexion" in journal and "eidas1-mfa (double authentification)" in journal


def test_logout_ends_both_sessions(bo_app, browsers):
    browser = browsers(bo_app)
    page = agent_login(browser)
    out = browser.submit(page, "/agents/deconnexion")
    assert any("/api/v2/session/end" in u for u in browser.requested)
    assert "Vous êtes déconnecté·e" in out.text and out.url.startswith("http://localhost/agents/deconnexion/retour")
    assert browser.service.get("/agents/dossiers").status_code == 303


def test_without_proconnect_settings_there_is_no_back_office(make_app):
    app = make_app(PROCONNECT_ISSUER="", PROCONNECT_CLIENT_ID="", PROCONNECT_CLIENT_SECRET="")
    client = app.test_client()
    for path in ("/agents/", "/agents/dossiers", "/agents/callback"):
        assert client.get(path).status_code == 404
    assert client.get("/").status_code == 200


def test_the_allow_list_commands_and_the_demo_seed(app):
    runner = app.test_cli_runner()
    assert "est habilité(e) pour le SIRET 21750001600019" in runner.invoke(
        args=["agents", "add", "Agent@Example.fr", "21750001600019"]).output
    assert runner.invoke(args=["agents", "add", "agent@example.fr", "123"]).exit_code != 0
    assert "21750001600019  agent@example.fr" in runner.invoke(args=["agents", "list"]).output
    assert "1 habilitation(s) retirée(s)." in runner.invoke(
        args=["agents", "remove", "agent@example.fr", "21750001600019"]).output
    from demarche.demo import _allow_demo_agents

    with app.app_context():
        _allow_demo_agents()
        _allow_demo_agents()  # idempotent: the demo runs it at every start
        allowed = {a.email for a in db.session.scalars(db.select(AgentAuthorisation))}
    assert MARIE in allowed and SOPHIE in allowed and PAUL not in allowed and len(allowed) == 3
