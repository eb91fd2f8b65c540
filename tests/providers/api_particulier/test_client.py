"""The API Particulier client against the simulator over real HTTP: typed results, exceptions,
retries within a budget, timeouts, concurrency, and logs that never hold identities or tokens."""

from __future__ import annotations

import logging
import socket
import threading
import time
from datetime import UTC, date, datetime

import pytest

from demarche.providers.api_particulier import (
    ApiParticulierClient,
    ApiParticulierError,
    AuthenticationFailed,
    Fetched,
    InvalidRecipient,
    InvalidResponse,
    MissingScope,
    NotFound,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
    Unprocessable,
)
from demarche.providers.api_particulier.models import Adresse, QuotientFamilial
from demarche.providers.api_particulier.params import CNOUS, DSS, MESRI, identity_params, is_valid_siret
from demarche.config import DEMO_API_PARTICULIER_TOKEN, DEMO_RECIPIENT_SIRET
from demarche.devserver import serve
from demarche.identity import PivotIdentity
from tests.sandbox import ap_conftest_helpers
from tests.sandbox.ap_conftest_helpers import FranceConnect

sim = ap_conftest_helpers.sim  # the shared simulator-factory fixture

ANGELA = PivotIdentity("Angela Claire Louise", "DUBOIS", "1962-08-24", "female", "75107", "99100")
PIERRE = PivotIdentity(
    "Pierre", "MERCIER", "1969-03-17", "male", "95277", "99100", preferred_username="DUBOIS"
)
JOELLE = PivotIdentity("Joëlle Françoise", "DUBINÔRE", "1992-08-15", "female", "75117", "99100")
PAUL = PivotIdentity("Paul", "CUILLERE", "2007-01-23", "male", "42218", "99100")
MELISSANDRE = PivotIdentity("Melissandre Juliette", "TROIS-DUPRE", "1981-07-27", "female", "13012", "99100")
JEAN = PivotIdentity("Jean Philippe Arnaud", "DUBIGNOT", "1943-06-15", "male", "75109", "99100")


@pytest.fixture
def client_for():
    """client_for(url, **options): an ApiParticulierClient with the demo token and SIRET, closed after."""
    clients = []

    def build(url: str, **options) -> ApiParticulierClient:
        options = {
            "recipient": DEMO_RECIPIENT_SIRET,
            "token": DEMO_API_PARTICULIER_TOKEN,
            "backoff": 0.05,
            **options,
        }
        clients.append(ApiParticulierClient(url, **options))
        return clients[-1]

    yield build
    for client in clients:
        client.close()


@pytest.fixture
def fc():
    """The FranceConnect simulator, to get citizens' access tokens."""
    franceconnect = FranceConnect()
    yield franceconnect
    franceconnect.close()


def test_identity_is_mapped_to_the_parameters_api_particulier_expects():
    assert identity_params(ANGELA, DSS) == {
        "nomNaissance": "DUBOIS",
        "prenoms[]": ["Angela", "Claire", "Louise"],
        "anneeDateNaissance": 1962,
        "moisDateNaissance": 8,
        "jourDateNaissance": 24,
        "sexeEtatCivil": "F",
        "codeCogInseePaysNaissance": "99100",
        "codeCogInseeCommuneNaissance": "75107",
    }
    assert identity_params(PIERRE, DSS)["nomUsage"] == "DUBOIS"
    student = identity_params(PIERRE, CNOUS)
    assert "nomUsage" not in student and "codeCogInseePaysNaissance" not in student
    assert identity_params(ANGELA, MESRI)["prenoms[]"] == ["Angela"]
    abroad = PivotIdentity("Jean", "TARGE", "1992-00-00", "unspecified", "", "99217")
    assert identity_params(abroad, DSS) == {
        "nomNaissance": "TARGE",
        "prenoms[]": ["Jean"],
        "anneeDateNaissance": 1992,
        "codeCogInseePaysNaissance": "99217",
    }


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("21750001600019", True),
        ("13002526500013", True),
        ("21750001600018", False),
        ("2175000160001", False),
        ("2175000160001A", False),
        ("35600000000010", True),
        ("35600000000011", False),
        ("١٣٠٠٢٥٢٦٥٠٠٠١٣", False),
    ],
)
def test_siret_check(value, valid):
    assert is_valid_siret(value) is valid


def test_an_invalid_recipient_is_refused_before_any_call(sim):
    simulator = sim()
    with pytest.raises(InvalidRecipient) as excinfo:
        ApiParticulierClient(simulator.url, recipient="21750001600018", token=DEMO_API_PARTICULIER_TOKEN)
    assert isinstance(excinfo.value, ValueError)
    assert simulator.requests() == []


def test_exactly_one_way_to_identify_the_person(sim, client_for):
    client = client_for(sim().url)
    with pytest.raises(ValueError):
        client.quotient_familial()
    with pytest.raises(ValueError):
        client.etudiant_boursier(identity=PAUL, ine="0701234567K")


def test_quotient_familial_by_identity_is_typed_with_its_provenance(sim, client_for):
    fetched = client_for(sim().url).quotient_familial(identity=ANGELA)
    today = date.today()
    assert isinstance(fetched, Fetched) and fetched.status == 200
    assert fetched.route == "/v3/dss/quotient_familial/identite"
    assert len(fetched.request_id) == 36
    assert (
        fetched.retrieved_at.tzinfo == UTC and (datetime.now(UTC) - fetched.retrieved_at).total_seconds() < 5
    )
    result = fetched.data
    assert result.quotient_familial == QuotientFamilial("CNAF", 650, today.year, today.month, today.year, 1)
    assert [p.prenoms for p in result.allocataires] == ["ANGELA CLAIRE LOUISE", "MARC ANTOINE"]
    assert [child.prenoms for child in result.enfants] == ["LEA CAMILLE", "HUGO", "CHLOE MARIE"]
    assert isinstance(result.adresse, Adresse) and result.adresse.code_postal_ville == "37000 TOURS"


def test_quotient_familial_of_a_chosen_month_and_of_an_msa_family(sim, client_for):
    client = client_for(sim().url)
    past = client.quotient_familial(identity=ANGELA, annee=2025, mois=3).data.quotient_familial
    assert (past.annee, past.mois) == (2025, 3)
    msa = client.quotient_familial(identity=PIERRE).data
    assert msa.quotient_familial.fournisseur == "MSA" and msa.quotient_familial.valeur == 980
    assert msa.allocataires[0].nom_usage == "DUBOIS" and len(msa.enfants) == 1


def test_dss_statuses_are_typed(sim, client_for):
    client = client_for(sim().url)
    c2s = client.complementaire_sante_solidaire(identity=ANGELA)
    assert (c2s.data.est_beneficiaire, c2s.data.avec_participation) == (True, False)
    assert c2s.route == "/v3/dss/complementaire_sante_solidaire/identite"
    rsa = client.revenu_solidarite_active(identity=JOELLE).data
    assert (rsa.est_beneficiaire, rsa.avec_majoration, rsa.date_debut_droit) == (True, True, "2023-09-01")
    aah = client.allocation_adulte_handicape(identity=PIERRE).data
    assert (aah.est_beneficiaire, aah.date_debut_droit) == (True, "2021-03-01")


def test_students_by_identity_and_by_ine(sim, client_for):
    client = client_for(sim().url)
    boursier = client.etudiant_boursier(identity=PAUL).data
    assert (boursier.est_boursier, boursier.echelon, boursier.duree_versement) == (True, "5", 10)
    assert boursier.nom_etablissement == "Université Jean Monnet" and boursier.identite["nom"] == "CUILLERE"
    assert client.etudiant_boursier(ine="0701234567K").data == boursier
    statut = client.statut_etudiant(identity=PAUL)
    assert statut.route == "/v3/mesri/statut_etudiant/identite"
    assert statut.data.admissions[0].est_inscrit is True
    assert statut.data.admissions[0].regime_formation == "formation initiale"
    assert client.statut_etudiant(ine="0701234567K").data == statut.data


def test_france_connect_modality_sends_the_citizens_token(sim, client_for, fc):
    client = client_for(sim({"AP_SIM_FC_ISSUER": fc.issuer}).url, token="")
    fetched = client.quotient_familial(fc_access_token=fc.access_token("test"))
    assert fetched.route == "/v3/dss/quotient_familial/france_connect"
    assert fetched.data.quotient_familial.valeur == 650 and len(fetched.data.enfants) == 3


def test_masked_keys_are_none(sim, client_for, fc):
    client = client_for(sim({"AP_SIM_FC_ISSUER": fc.issuer}).url)
    token = fc.access_token("avec_nom_dusage", scopes=("cnaf_quotient_familial",))
    result = client.quotient_familial(fc_access_token=token).data
    assert result.quotient_familial.fournisseur == "MSA"
    assert (result.allocataires, result.enfants, result.adresse) == (None, None, None)


def test_students_through_france_connect_have_no_identity_block(sim, client_for, fc):
    client = client_for(sim({"AP_SIM_FC_ISSUER": fc.issuer}).url)
    scopes = ("cnous_statut_boursier", "cnous_echelon_bourse", "mesri_admission")
    token = fc.access_token("moins_25_ans", scopes=scopes)
    boursier = client.etudiant_boursier(fc_access_token=token).data
    assert (boursier.est_boursier, boursier.echelon, boursier.identite, boursier.email) == (
        True,
        "5",
        None,
        None,
    )
    statut = client.statut_etudiant(fc_access_token=token).data
    assert statut.identite is None and statut.admissions[0].etablissement_uai == "0421095M"


def test_an_expired_france_connect_token_asks_the_citizen_to_reconnect(sim, client_for, fc):
    client = client_for(sim({"AP_SIM_FC_ISSUER": fc.issuer}).url)
    token = fc.access_token("test")
    fc.advance_clock(61)
    with pytest.raises(AuthenticationFailed) as excinfo:
        client.quotient_familial(fc_access_token=token)
    assert (excinfo.value.status, excinfo.value.code) == (401, "50002")
    assert "Votre connexion FranceConnect a expiré" in excinfo.value.user_message


@pytest.mark.parametrize(
    ("call", "error", "code"),
    [
        (lambda c: c.quotient_familial(identity=MELISSANDRE), NotFound, "35003"),
        (lambda c: c.complementaire_sante_solidaire(identity=MELISSANDRE), NotFound, "40003"),
        (lambda c: c.statut_etudiant(identity=ANGELA), NotFound, "25003"),
        (lambda c: c.quotient_familial(identity=JEAN), ProviderUnavailable, "37999"),
        (lambda c: c.etudiant_boursier(ine="123"), Unprocessable, "00360"),
    ],
)
def test_errors_are_named_exceptions(sim, client_for, call, error, code):
    simulator = sim()
    with pytest.raises(error) as excinfo:
        call(client_for(simulator.url))
    assert excinfo.value.code == code
    assert excinfo.value.request_id and excinfo.value.route.startswith("/v3/")
    assert "?" not in excinfo.value.route and "DUBOIS" not in str(excinfo.value)
    assert excinfo.value.user_message.endswith("Vous pouvez saisir ces informations vous-même.")


def test_not_found_names_the_organisation_for_the_citizen(sim, client_for):
    with pytest.raises(NotFound) as excinfo:
        client_for(sim().url).quotient_familial(identity=MELISSANDRE)
    assert excinfo.value.status == 404 and excinfo.value.provider == "CNAF & MSA"
    assert "auprès de la CAF ou la MSA" in excinfo.value.user_message


def test_authentication_scope_and_parameter_errors(sim, client_for):
    simulator = sim({"AP_SIM_TOKENS": {"qf-only": ["/v3/dss/quotient_familial"]}})
    with pytest.raises(AuthenticationFailed) as unknown:
        client_for(simulator.url, token="wrong").quotient_familial(identity=ANGELA)
    with pytest.raises(MissingScope) as scope:
        client_for(simulator.url, token="qf-only").complementaire_sante_solidaire(identity=ANGELA)
    no_gender = PivotIdentity("Camille", "LAFORGE", "1954-08-07", "unspecified", "75119", "99100")
    with pytest.raises(Unprocessable) as unprocessable:
        client_for(simulator.url, token="qf-only").quotient_familial(identity=no_gender)
    assert (unknown.value.status, unknown.value.code) == (401, "00101")
    assert (scope.value.status, scope.value.code) == (403, "00100")
    assert (unprocessable.value.code, unprocessable.value.parameter) == ("00427", "sexeEtatCivil")
    assert [entry["status"] for entry in simulator.requests()] == [401, 403, 422]  # none retried


@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_transient_failure_is_retried_once_and_the_data_returned(sim, client_for, status):
    simulator = sim()
    simulator.control("POST", "failure", {"status": status, "count": 1})
    fetched = client_for(simulator.url).quotient_familial(identity=ANGELA)
    assert fetched.data.quotient_familial.valeur == 650
    assert [entry["status"] for entry in simulator.requests()] == [status, 200]


def test_retries_stop_within_the_total_budget(sim, client_for):
    simulator = sim({"AP_SIM_FAILURE": "502"})
    client = client_for(simulator.url, total_budget=0.5, backoff=0.2, max_retries=5)
    started = time.monotonic()
    with pytest.raises(ProviderUnavailable) as excinfo:
        client.quotient_familial(identity=ANGELA)
    assert time.monotonic() - started < 0.5 + 0.1  # waits and attempts fit the budget; 0.1 s of overhead
    assert excinfo.value.retryable and excinfo.value.code == "37999"
    assert 2 <= len(simulator.requests()) <= 3


def test_at_most_max_retries(sim, client_for):
    simulator = sim({"AP_SIM_FAILURE": "503"})
    with pytest.raises(ProviderUnavailable):
        client_for(simulator.url, max_retries=2, backoff=0.01).quotient_familial(identity=ANGELA)
    assert len(simulator.requests()) == 3


def test_429_is_honoured_when_retry_after_fits_the_budget(sim, client_for):
    simulator = sim()
    simulator.control("POST", "failure", {"status": 429, "count": 1, "retry_after": 1})
    started = time.monotonic()
    fetched = client_for(simulator.url, total_budget=3).quotient_familial(identity=ANGELA)
    assert fetched.data.quotient_familial.valeur == 650 and time.monotonic() - started >= 1
    assert [entry["status"] for entry in simulator.requests()] == [429, 200]


def test_429_beyond_the_budget_is_raised_at_once(sim, client_for):
    simulator = sim()
    simulator.control("POST", "failure", {"status": 429, "retry_after": 60})
    started = time.monotonic()
    with pytest.raises(RateLimited) as excinfo:
        client_for(simulator.url, total_budget=3).quotient_familial(identity=ANGELA)
    assert time.monotonic() - started < 1
    assert excinfo.value.retry_after == 60 and excinfo.value.code == "00429"
    assert len(simulator.requests()) == 1


def test_a_slow_answer_is_a_timeout_not_retried(sim, client_for):
    simulator = sim({"AP_SIM_LATENCY_MS": 1000})
    started = time.monotonic()
    with pytest.raises(ProviderTimeout) as excinfo:
        client_for(simulator.url, timeout=0.3).quotient_familial(identity=ANGELA)
    assert time.monotonic() - started < 0.9  # one attempt only: a retry would wait 0.3 s more
    assert isinstance(excinfo.value, ProviderUnavailable) and excinfo.value.status is None
    assert "n'a pas répondu à temps" in excinfo.value.user_message


def test_a_504_is_a_provider_timeout(sim, client_for):
    simulator = sim({"AP_SIM_FAILURE": "504"})
    with pytest.raises(ProviderTimeout) as excinfo:
        client_for(simulator.url, max_retries=0).quotient_familial(identity=ANGELA)
    assert (excinfo.value.status, excinfo.value.code) == (504, "00501")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_connection_refused_is_retried_then_raised(client_for, caplog):
    caplog.set_level(logging.INFO, logger="demarche.api_particulier")
    client = client_for(f"http://127.0.0.1:{_closed_port()}", max_retries=2, backoff=0.01)
    with pytest.raises(ProviderUnavailable) as excinfo:
        client.allocation_adulte_handicape(identity=PIERRE)
    assert excinfo.value.retryable and excinfo.value.status is None
    attempts = [r.attempt for r in caplog.records if r.name == "demarche.api_particulier"]
    assert attempts == [1, 2, 3]


def test_calls_run_concurrently(sim, client_for):
    simulator = sim({"AP_SIM_LATENCY_MS": 300})
    client = client_for(simulator.url)
    results = fetch_concurrently(
        {
            "qf": lambda: client.quotient_familial(identity=ANGELA),
            "c2s": lambda: client.complementaire_sante_solidaire(identity=ANGELA),
            "rsa": lambda: client.revenu_solidarite_active(identity=MELISSANDRE),
        }
    )
    assert results["qf"].data.quotient_familial.valeur == 650
    assert results["c2s"].data.est_beneficiaire is True
    assert isinstance(results["rsa"], NotFound)
    spans = [
        (
            datetime.fromisoformat(e["time"]).timestamp(),
            datetime.fromisoformat(e["time"]).timestamp() + e["duration_ms"] / 1000,
        )
        for e in simulator.requests()
    ]
    assert len(spans) == 3
    latest_start, earliest_end = max(start for start, _ in spans), min(end for _, end in spans)
    assert latest_start < earliest_end  # all three were in flight at the same time


def test_logs_hold_the_route_status_and_request_id_but_no_identity_or_token(sim, client_for, caplog):
    caplog.set_level(logging.DEBUG)
    simulator = sim()
    client = client_for(simulator.url)
    fetched = client.quotient_familial(identity=ANGELA)
    with pytest.raises(NotFound):
        client.quotient_familial(identity=MELISSANDRE)
    lines = [r for r in caplog.records if r.name == "demarche.api_particulier"]
    assert [(r.route, r.status, r.attempt) for r in lines] == [
        ("/v3/dss/quotient_familial/identite", 200, 1),
        ("/v3/dss/quotient_familial/identite", 404, 1),
    ]
    assert fetched.request_id in lines[0].getMessage()
    # everything the service logs; the simulator's own access log (werkzeug) is the server's business
    everything = "\n".join(record.getMessage() for record in caplog.records if record.name != "werkzeug")
    for secret in (
        "DUBOIS",
        "Angela",
        "1962",
        "TROIS",
        "nomNaissance",
        "prenoms",
        "?",
        DEMO_API_PARTICULIER_TOKEN,
    ):
        assert secret not in everything


def _wsgi_app(body: bytes, content_type: str = "application/json"):
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body)))])
        return [body]

    return app


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"x" * 1_100_000, "réponse trop volumineuse"),
        (b"<html>maintenance</html>", "JSON attendu"),
        (b'{"data": {"est_beneficiaire": "oui"}}', "data malformé"),
        (b'{"errors": []}', "data malformé"),
    ],
)
def test_oversized_or_malformed_answers_are_refused(client_for, body, detail):
    server = serve(lambda url: _wsgi_app(body))
    try:
        with pytest.raises(InvalidResponse) as excinfo:
            client_for(server.url).allocation_adulte_handicape(identity=PIERRE)
    finally:
        threading.Thread(target=server.stop, daemon=True).start()  # shutdown polls every 0.5 s
    assert excinfo.value.detail == detail
    assert isinstance(excinfo.value, ApiParticulierError)
