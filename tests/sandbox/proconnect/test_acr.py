"""ProConnect's acr (2026 values eidas0 … eidas3, "-mfa" for a second factor): advertised, asked through
acr_values or an essential `claims` request, and returned per agent, so a service can test "require MFA"."""

from __future__ import annotations

import json

import pytest

from demarche_sandbox.proconnect.agents import agents
from demarche_sandbox.proconnect.federation import ACR_VALUES, reachable
from tests.sandbox.conftest import Browser
from tests.sandbox.proconnect.conftest import MARIE, SERVICE, login

THOMAS = "thomas.nguyen@demarche-sur-loire.example"  # his identity provider has no second factor


def essential(*values: str) -> str:
    return json.dumps({"id_token": {"acr": {"essential": True, "values": list(values)}}})


def acr(pc: Browser, email: str, **params: str | None) -> str:
    """The acr of the id_token this agent gets with these authorization parameters."""
    id_token = pc.token(login(pc, email, **params)["code"], SERVICE).json()["id_token"]
    return pc.verify(id_token)[1]["acr"]


def test_the_agents_csv_gives_some_agents_a_second_factor_and_some_not():
    levels = {agent.login: agent.acr for agent in agents().values()}
    assert set(levels.values()) <= set(ACR_VALUES)
    assert levels[MARIE] == "eidas1-mfa" and levels[THOMAS] == "eidas1"


def test_what_each_level_reaches():
    assert reachable("eidas1") == ("eidas0", "eidas1")
    assert reachable("eidas1-mfa") == ("eidas0", "eidas0-mfa", "eidas1", "eidas1-mfa")
    assert reachable("eidas3") == ACR_VALUES


@pytest.mark.parametrize("acr_values", [None, "eidas1"])
def test_without_an_mfa_request_no_second_factor_is_played(pc, acr_values):
    assert acr(pc, MARIE, acr_values=acr_values) == "eidas1"


def test_acr_values_asking_mfa_is_voluntary(pc):
    assert acr(pc, MARIE, acr_values="eidas1-mfa") == "eidas1-mfa"
    assert acr(pc.another(), THOMAS, acr_values="eidas1-mfa") == "eidas1"  # the best he has: no failure


def test_an_essential_mfa_request_is_met_or_the_login_fails(pc):
    assert acr(pc, MARIE, acr_values=None, claims=essential("eidas1-mfa")) == "eidas1-mfa"
    refused = login(pc.another(), THOMAS, acr_values=None, claims=essential("eidas1-mfa"), state="s" * 32)
    assert refused["error"] == "access_denied" and "code" not in refused and refused["state"] == "s" * 32


def test_an_essential_request_takes_the_first_value_the_agent_reaches(pc):
    assert acr(pc, THOMAS, acr_values=None, claims=essential("eidas1-mfa", "eidas1")) == "eidas1"
    single = json.dumps({"id_token": {"acr": {"essential": True, "value": "eidas0-mfa"}}})
    assert acr(pc.another(), MARIE, acr_values=None, claims=single) == "eidas0-mfa"


def test_the_old_2fa_uris_are_refused(pc):
    refused = pc.authorize(SERVICE, acr_values="https://proconnect.gouv.fr/assurance/self-asserted-2fa")
    assert refused.status_code == 400 and "eidas1-mfa" in refused.text
