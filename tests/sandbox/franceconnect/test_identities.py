"""FranceConnect's claims about its test identities: presumed dates, born abroad, refusals, pairwise sub."""


from __future__ import annotations

import base64
import hashlib

import pytest

from tests.sandbox.conftest import CLIENT_A, CLIENT_B, Browser

FULL_PIVOT = "openid identite_pivot idp_birthdate"

@pytest.mark.parametrize(("login", "birthdate", "raw"), [
    ("étranger_présumé_né_jour", "1992-11-01", "1992-11-00"),
    ("étranger_présumé_né_jour_et_mois", "1992-01-01", "1992-00-00"),
])
def test_presumed_birthdates(browser: Browser, login: str, birthdate: str, raw: str):
    _, info = browser.verify(browser.userinfo(browser.tokens(login, scope=FULL_PIVOT)["access_token"]).text)
    assert (info["birthdate"], info["idp_birthdate"]) == (birthdate, raw)
    assert (info["birthplace"], info["birthcountry"]) == ("", "99217")


@pytest.mark.parametrize(("login", "country"), [("naissance_Algérie", "99352"),
                                                ("naissance_etranger_birthplace_cog", "99352")])
def test_born_abroad_has_an_empty_birthplace(browser: Browser, login: str, country: str):
    _, info = browser.verify(browser.userinfo(browser.tokens(login, scope=FULL_PIVOT)["access_token"]).text)
    assert (info["birthplace"], info["birthcountry"]) == ("", country)


@pytest.mark.parametrize("login", ["mois_00", "sans_prenom", "sans_genre", "sans_birthplace"])
def test_identities_franceconnect_refuses_go_back_with_access_denied(browser: Browser, login: str):
    params = browser.login(login)
    assert params["error"] == "access_denied" and "code" not in params


def test_empty_email_and_usage_name_are_left_out(browser: Browser):
    scope = "openid email preferred_username"
    _, info = browser.verify(browser.userinfo(browser.tokens("sans_mail", scope=scope)["access_token"]).text)
    assert "email" not in info and info["preferred_username"] == "DUFOUR"
    other = browser.another()
    _, info = other.verify(other.userinfo(other.tokens("test", scope=scope)["access_token"]).text)
    assert "preferred_username" not in info and info["email"]


def test_pairwise_sub_is_stable_for_a_client_and_differs_between_clients(start_fc):
    browser = start_fc(FC_SIM_SECRET="known-secret")
    sub_a1 = browser.verify(browser.tokens()["id_token"])[1]["sub"]
    sub_a2 = browser.verify(browser.another().tokens()["id_token"])[1]["sub"]
    sub_b = browser.verify(browser.another().tokens(client=CLIENT_B)["id_token"], ("RS256",))[1]["sub"]
    assert sub_a1 == sub_a2 != sub_b
    pivot = "Angela Claire LouiseDUBOIS1962-08-24female7510799100"
    identity_hash = base64.b64encode(hashlib.sha256(pivot.encode()).digest()).decode()
    expected = hashlib.sha256(f"{CLIENT_A['client_id']}{identity_hash}known-secret".encode()).hexdigest()
    assert sub_a1 == expected + "v1"
