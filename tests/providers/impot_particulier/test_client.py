"""The API Impôt particulier client against the DGFiP simulator over real HTTP: the gateway token cached and
shared, the three headers, one call per year, the year rule, typed results, one exception per failure."""

from __future__ import annotations

import logging
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from demarche.providers import impot_particulier as ip
from demarche.providers.impot_particulier.years import latest_taxed, years_to_ask
from demarche.providers.results import FailureKind
from tests.providers.impot_particulier.conftest import BOTH_YEARS, FALLBACK, IR

AFTER, BEFORE = date(2026, 9, 15), date(2026, 3, 1)  # incomes 2025 taxed on 22 July 2026


def test_the_year_rule():
    assert latest_taxed(date(2026, 7, 21)) == 2024 and latest_taxed(date(2026, 7, 22)) == 2025
    assert years_to_ask(frozenset(FALLBACK), AFTER) == [2025]
    assert years_to_ask(frozenset(FALLBACK), BEFORE) == [2024]
    assert years_to_ask(frozenset(BOTH_YEARS), AFTER) == [2025, 2024]
    assert years_to_ask(frozenset(BOTH_YEARS), BEFORE) == [2024]  # N-1 is never asked before it is taxed
    assert years_to_ask(frozenset({"dgfip_rfr"}), AFTER) == []


def test_a_household_typed_with_the_headers_the_dgfip_asks(fc, dgfip, ip_client, caplog):
    sim = dgfip(IP_SIM_TODAY=AFTER.isoformat())
    client = ip_client(sim.url, today=lambda: AFTER)
    token = fc.access_token("test", IR + FALLBACK)
    with caplog.at_level(logging.INFO, logger="demarche.impot_particulier"):
        fetched = client.situation_ir(fc_access_token=token, year_scopes=FALLBACK)
    data = fetched.data
    assert (data.annee_revenus, data.revenu_fiscal_reference, data.nombre_parts) == (2025, 29840, 4.0)
    assert (data.situation_famille, data.personnes_a_charge, data.persons) == ("M", 3, 5)
    assert data.birth_dates == {"1962-08-24", "1964-02-11"} and "TOURS" in data.adresse
    assert fetched.route == "/impotparticulier/1.0/situations/ir/assiettes/annrev/2025"
    uuid.UUID(fetched.request_id)  # the X-Correlation-ID sent, kept as provenance
    logged = caplog.text
    assert token not in logged and "DUBOIS" not in logged and "29840" not in logged
    assert re.search(r"GET /impotparticulier/1.0/situations/ir/assiettes/annrev/2025 -> 200", logged)


def test_one_gateway_token_for_many_concurrent_calls(fc, dgfip, ip_client):
    sim = dgfip(IP_SIM_TODAY=AFTER.isoformat())
    client = ip_client(sim.url, today=lambda: AFTER)
    tokens = [fc.access_token(login, IR + FALLBACK) for login in ("test", "nom_composé", "sans_mail")]
    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(lambda t: client.situation_ir(fc_access_token=t, year_scopes=FALLBACK), tokens))
    assert [r.data.revenu_fiscal_reference for r in results] == [29840, 38420, 24310]
    assert sim.requests().count("/token") == 1


def test_an_expired_gateway_token_is_renewed(fc, dgfip, ip_client):
    sim = dgfip(IP_SIM_TODAY=AFTER.isoformat(), IP_SIM_TOKEN_TTL="60")
    client = ip_client(sim.url, today=lambda: AFTER)
    client.situation_ir(fc_access_token=fc.access_token("test", IR + FALLBACK), year_scopes=FALLBACK)
    sim.control("clock", {"advance": 61})  # the gateway forgets the token; the client renews it before use
    client.situation_ir(fc_access_token=fc.access_token("test", IR + FALLBACK), year_scopes=FALLBACK)
    assert sim.requests().count("/token") == 2


def test_n_minus_2_after_a_410_for_n_minus_1_when_the_scopes_open_it(fc, dgfip, ip_client):
    """The client thinks N-1 is taxed; the DGFiP (its own calendar) does not yet: one call per year."""
    sim = dgfip(IP_SIM_TODAY="2026-07-01")
    client = ip_client(sim.url, today=lambda: AFTER)
    fetched = client.situation_ir(fc_access_token=fc.access_token("test", IR + BOTH_YEARS), year_scopes=BOTH_YEARS)
    assert fetched.data.annee_revenus == 2024 and fetched.data.revenu_fiscal_reference == 28610
    paths = [p for p in sim.requests() if "annrev" in p]
    assert paths == ["/impotparticulier/1.0/situations/ir/assiettes/annrev/2025",
                     "/impotparticulier/1.0/situations/ir/assiettes/annrev/2024"]


@pytest.mark.parametrize(("setup", "login", "error", "kind"), [
    ({}, "moins_25_ans", ip.NotFound, FailureKind.NOT_FOUND),  # attached to his parents' household: 410/4102
    ({"IP_SIM_FAILURE": "500"}, "test", ip.Unavailable, FailureKind.UNAVAILABLE),
    ({"IP_SIM_FAILURE": "503"}, "test", ip.Unavailable, FailureKind.UNAVAILABLE),
    ({"IP_SIM_FAILURE": "timeout"}, "test", ip.Timeout, FailureKind.UNAVAILABLE),
    ({"IP_SIM_FAILURE": "hang"}, "test", ip.Timeout, FailureKind.UNAVAILABLE),
    ({"IP_SIM_FAILURE": "429"}, "test", ip.RateLimited, FailureKind.RATE_LIMITED),
    ({"IP_SIM_CLIENT_SCOPES": "RessourceIRDerniere"}, "test", ip.MissingScope, FailureKind.SCOPE),
    ({"IP_SIM_ID_TELESERVICE": "AUTRE"}, "test", ip.MissingScope, FailureKind.SCOPE),
    ({"IP_SIM_CLIENT_SECRET": "autre"}, "test", ip.GatewayRefused, FailureKind.ERROR),
])
def test_each_failure_has_its_exception_and_its_kind(fc, dgfip, ip_client, setup, login, error, kind):
    sim = dgfip(IP_SIM_TODAY=AFTER.isoformat(), **setup)
    client = ip_client(sim.url, today=lambda: AFTER, timeout=0.5, total_budget=1.2, max_retries=1)
    with pytest.raises(error) as raised:
        client.situation_ir(fc_access_token=fc.access_token(login, IR + FALLBACK), year_scopes=FALLBACK)
    assert raised.value.kind is kind


def test_a_year_without_assessment_is_year_unavailable(fc, dgfip, ip_client):
    """sans_mail (Amandine DUFOUR) declared with her former husband three years ago: no N-3 of her own."""
    sim = dgfip(IP_SIM_TODAY=AFTER.isoformat())
    client = ip_client(sim.url, today=lambda: AFTER)
    scopes = ("dgfip_annee_n_moins_3",)
    with pytest.raises(ip.YearUnavailable) as raised:
        client.situation_ir(fc_access_token=fc.access_token("sans_mail", IR + scopes), year_scopes=scopes)
    assert raised.value.codeapp == 4101 and raised.value.kind is FailureKind.YEAR_UNAVAILABLE


def test_an_expired_franceconnect_token_is_token_refused(fc, dgfip, ip_client):
    sim = dgfip(IP_SIM_TODAY=AFTER.isoformat())
    client = ip_client(sim.url, today=lambda: AFTER)
    token = fc.access_token("test", IR + FALLBACK)
    fc.advance_clock(61)  # FranceConnect's access tokens live 60 s
    with pytest.raises(ip.TokenRefused) as raised:
        client.situation_ir(fc_access_token=token, year_scopes=FALLBACK)
    assert raised.value.kind is FailureKind.EXPIRED
