"""ProConnect's own rules (demarche/auth/proconnect.py) over real HTTP against the ProConnect simulator:
its acr values, PROCONNECT_REQUIRE_MFA, and its outages answered like FranceConnect's. The agents' access
to the back-office is in tests/backoffice/test_agent_access.py.

acr values: https://github.com/numerique-gouv/proconnect-documentation/blob/main/doc_fs/donnees_fournies.md
double authentication: https://github.com/numerique-gouv/proconnect-documentation/blob/main/doc_fs/double_authentification.md
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from demarche.auth.proconnect import ACR_VALUES
from demarche.config import ConfigurationError, load_settings
from tests.backoffice.factories import agent_login
from tests.journeys import SimControl


@pytest.fixture
def pc(pc_sim):
    """The ProConnect simulator's test controls."""
    return SimControl(pc_sim.url)


def in_back_office(browser) -> bool:
    return browser.service.get("/agents/dossiers").status_code == 200


def authorize_params(browser) -> dict[str, list[str]]:
    return parse_qs(urlsplit(next(u for u in browser.requested if "/api/v2/authorize" in u)).query)


@pytest.mark.parametrize("acr", ACR_VALUES)
def test_every_acr_proconnect_returns_is_accepted(bo_app, browsers, pc, acr):
    pc.post("next-id-token", {"set": {"acr": acr}})
    browser = browsers(bo_app)
    assert agent_login(browser).url.endswith("/agents/dossiers") and in_back_office(browser)


@pytest.mark.parametrize("acr", ["eidas4", "https://proconnect.gouv.fr/assurance/self-asserted-2fa"])
def test_an_acr_proconnect_does_not_return_is_refused(bo_app, browsers, pc, acr):
    pc.post("next-id-token", {"set": {"acr": acr}})
    browser = browsers(bo_app)
    page = agent_login(browser)
    assert page.status == 400 and "interrompue par sécurité" in page.text
    assert not in_back_office(browser)


@pytest.fixture
def mfa_app(make_bo_app):
    return make_bo_app(PROCONNECT_REQUIRE_MFA="true")


def test_with_mfa_required_the_service_asks_for_a_second_factor(mfa_app, browsers, pc):
    pc.post("next-id-token", {"set": {"acr": "eidas1-mfa"}})
    browser = browsers(mfa_app)
    assert agent_login(browser).url.endswith("/agents/dossiers")
    params = authorize_params(browser)
    assert "acr_values" not in params
    assert json.loads(params["claims"][0]) == {
        "id_token": {"acr": {"essential": True, "values": ["eidas0-mfa", "eidas1-mfa", "eidas2", "eidas3"]}}}


@pytest.mark.parametrize("acr", ["eidas1", "eidas0"])
def test_with_mfa_required_a_login_without_second_factor_is_refused_and_explained(mfa_app, browsers, pc, acr):
    pc.post("next-id-token", {"set": {"acr": acr}})
    pc.clear_requests()
    browser = browsers(mfa_app)
    page = agent_login(browser)
    assert page.status == 403
    assert "La double authentification est requise" in page.text
    assert "identite.proconnect.gouv.fr" in page.text and "service informatique" in page.text
    assert 'action="/agents/connexion"' in page.text  # log in again once it is on
    assert "/api/v2/userinfo" not in pc.requests()  # nothing more is asked about the agent
    assert not in_back_office(browser)


def test_without_the_setting_the_service_asks_for_eidas1_as_before(bo_app, browsers):
    browser = browsers(bo_app)
    agent_login(browser)
    params = authorize_params(browser)
    assert params["acr_values"] == ["eidas1"] and "claims" not in params


@pytest.mark.parametrize("value", ["yes", "1", "vrai"])
def test_the_setting_takes_true_or_false_only(value):
    env = {"DEMARCHE_ENV": "test", "PROCONNECT_REQUIRE_MFA": value}
    with pytest.raises(ConfigurationError, match="PROCONNECT_REQUIRE_MFA"):
        load_settings(env)
    assert load_settings({**env, "PROCONNECT_REQUIRE_MFA": "TRUE"}).pc_require_mfa is True
    assert load_settings({"DEMARCHE_ENV": "test"}).pc_require_mfa is False


@pytest.mark.parametrize("mode", ["server_error", "temporarily_unavailable"])
def test_a_proconnect_outage_is_not_our_5xx(bo_app, browsers, pc, mode):
    pc.post("failure", {"mode": mode})
    browser = browsers(bo_app)
    page = browser.submit(browser.get("http://localhost/agents/"), "/agents/connexion")
    assert page.status == 200 and "ProConnect" in page.text
    assert 'action="/agents/connexion"' in page.text  # try again
    assert not in_back_office(browser)


def test_an_unreachable_proconnect_is_not_our_5xx(make_bo_app, browsers):
    browser = browsers(make_bo_app(PROCONNECT_ISSUER="http://127.0.0.1:9/api/v2"))
    page = browser.submit(browser.get("http://localhost/agents/"), "/agents/connexion")
    assert page.status == 200 and "ProConnect est momentanément indisponible" in page.text

