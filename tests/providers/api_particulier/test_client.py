"""The API Particulier client against the simulator over real HTTP: typed results and named exceptions."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from demarche.config import DEMO_API_PARTICULIER_TOKEN
from demarche.identity import PivotIdentity
from demarche.providers.api_particulier import (
    ApiParticulierClient,
    AuthenticationFailed,
    Fetched,
    InvalidRecipient,
    MissingScope,
    NotFound,
    ProviderUnavailable,
    Unprocessable,
)
from demarche.providers.api_particulier.models import Adresse, QuotientFamilial
from demarche.providers.results import FailureKind
from tests.providers.api_particulier.people import ANGELA, JEAN, JOELLE, MELISSANDRE, PAUL, PIERRE


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
    assert excinfo.value.kind is FailureKind.EXPIRED


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


def test_not_found_is_a_business_answer_naming_the_provider(sim, client_for):
    with pytest.raises(NotFound) as excinfo:
        client_for(sim().url).quotient_familial(identity=MELISSANDRE)
    assert excinfo.value.status == 404 and excinfo.value.provider == "CNAF & MSA"
    assert excinfo.value.kind is FailureKind.NOT_FOUND


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
