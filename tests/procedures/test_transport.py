"""« Tarif réduit transports — étudiant boursier » end to end over real HTTP against both simulators: the
Crous échelon and the C2S right fetched at the same time, in both modalities, and every manual path."""

from datetime import datetime, timedelta

import httpx
import pytest

from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.models import ConsentRecord, Prefill
from demarche.procedures.transport import fare, reduction
from tests.backoffice.factories import agent_login, export, open_dossier
from tests.backoffice.test_export import read_csv
from tests.browser import Browser
from tests.journeys import accept, login, sim_log

CNOUS, C2S = "/v3/cnous/etudiant_boursier", "/v3/dss/complementaire_sante_solidaire"
C2S_KEY = "complementaire_sante_solidaire"
DECLARED = {"echelon": "2", "etablissement": "Université d’Orléans", "c2s": "non"}


@pytest.fixture
def app(make_journey_app):
    return make_journey_app()


def start(browser: Browser, who: str = "moins_25_ans"):
    return login(browser, who, demarche="transport")


def the_dossier(app) -> Dossier:
    with app.app_context():
        return db.session.scalars(db.select(Dossier)).one()


def consent_of(app, dossier: Dossier) -> ConsentRecord:
    with app.app_context():
        return db.session.get(ConsentRecord, dossier.consent_id)


@pytest.mark.parametrize("modality", ["france_connect", "identite"])
def test_the_student_journey_in_both_modalities(make_journey_app, ap_sim, modality):
    app = make_journey_app(modality)
    browser = Browser(app.test_client())
    page = start(browser)
    for fact in ("Tarif réduit transports", "Cnous (Crous)", "Assurance maladie (CPAM)", "L114-8"):
        assert fact in page.text
    assert "Vérification" not in page.text  # neither source declares a check: no row about the tax notice
    page = accept(browser, page)
    authorizations = [u for u in browser.requested if "/authorize" in u]
    if modality == "france_connect":  # the second authorization carries both sources' data scopes
        assert "cnous_echelon_bourse" in authorizations[1] and "complementaire_sante_solidaire" in authorizations[1]
    else:
        assert len(authorizations) == 1
    assert sorted(entry["path"] for entry in sim_log(ap_sim.url)) == [f"{CNOUS}/{modality}", f"{C2S}/{modality}"]
    assert "Vos données ont été récupérées" in page.text  # no C2S file is not a failure worth an alert
    assert "Boursier du Crous, échelon 5" in page.text and "Université Jean Monnet" in page.text
    assert "-75 % (étudiant boursier, échelon 5)" in page.text
    assert 'name="echelon"' not in page.text and 'name="c2s"' not in page.text  # certified, or useless
    receipt = browser.submit(page, "/formulaire", pass_type="annuel", zone="agglomeration")
    assert "Votre demande a bien été envoyée" in receipt.text and "TRA-" in receipt.text
    assert "120,00 € au lieu de 480,00 €" in receipt.text
    dossier = the_dossier(app)
    assert dossier.answers["student"] == {"est_boursier": True, "echelon": "5", "origin": "certified",
                                          "etablissement": "Université Jean Monnet (Saint-Étienne)"}
    assert dossier.answers["fare"]["price_cents"] == 12000 and dossier.answers["fare"]["provisional"] is False
    assert dossier.certified["etudiant_boursier"]["provenance"]["route"] == f"{CNOUS}/{modality}"
    # the CPAM's 404 is its answer: no C2S file, kept as certified « not a beneficiary » with its request id
    c2s = dossier.certified["complementaire_sante_solidaire"]
    assert c2s["data"] == {"est_beneficiaire": False} and c2s["provenance"]["answer"] == "not_found"
    assert c2s["provenance"]["request_id"] and dossier.answers["c2s"] == {"value": False, "origin": "certified"}
    consent = consent_of(app, dossier)
    assert (consent.text_version, consent.modality, consent.outcome) == ("transport-2026-12", modality, "success")
    assert consent.categories == ["statut d’étudiant boursier", "échelon de bourse", "établissement d’études",
                                  "complémentaire santé solidaire"]
    pdf = browser.service.get(f"/demarches/transport/recu/{dossier.reference}/attestation.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    browser.close()


def test_both_sources_are_fetched_at_the_same_time(browser, ap_sim):
    """Each API Particulier answer takes 600 ms here: the two requests overlap instead of queueing."""
    httpx.post(f"{ap_sim.url}/_sim/latency", json={"ms": 600})
    accept(browser, start(browser))
    spans = []
    for entry in sim_log(ap_sim.url):
        arrived = datetime.fromisoformat(entry["time"])
        spans.append((arrived, arrived + timedelta(milliseconds=entry["duration_ms"])))
    (first_start, first_end), (second_start, second_end) = sorted(spans)
    assert len(spans) == 2 and second_start < first_end  # the second arrived while the first was running
    assert first_end - first_start >= timedelta(milliseconds=600)


def test_a_c2s_beneficiary_without_a_crous_file_gets_the_certified_solidarity_fare(browser, app):
    page = accept(browser, start(browser, "test"))  # Angela DUBOIS: C2S, unknown to the Crous
    assert "Certaines données n’ont pas pu être récupérées" in page.text and "(Crous)" in page.text
    assert "Complémentaire santé solidaire :</strong> bénéficiaire" in page.text
    receipt = browser.submit(page, "/formulaire", pass_type="mensuel", zone="urbain", **DECLARED)
    assert "8,00 € au lieu de 32,00 € (-75 %, tarif solidaire (C2S))" in receipt.text
    answers = the_dossier(app).answers
    assert answers["c2s"] == {"value": True, "origin": "certified"} and answers["student"]["origin"] == "declared"
    assert answers["fare"]["provisional"] is False  # the reduction rests on a certified right


def test_unknown_to_the_crous_and_the_cpam_declares_the_echelon_but_not_the_c2s(browser, app):
    """The CPAM's 404 certifies « no C2S »: not asked (a declared « oui » would give the solidarity fare
    provisionally to someone the CPAM does not know), and the fare follows that answer."""
    page = accept(browser, start(browser, "nom_composé"))  # no Crous file, no C2S file
    assert "Aucun dossier n’a été trouvé" in page.text and "(Crous)" in page.text
    assert "Avez-vous la complémentaire" not in page.text and "Bénéficiez-vous de la complémentaire" not in page.text
    assert "c2s" not in page.form("/formulaire").fields and "echelon" in page.text
    assert "Complémentaire santé solidaire :</strong> non bénéficiaire" in page.text
    receipt = browser.submit(page, "/formulaire", pass_type="mensuel", zone="urbain", **{**DECLARED, "c2s": "oui"})
    assert "16,00 € au lieu de 32,00 €" in receipt.text and "(provisoire)" in receipt.text
    assert "Déclaré par l’usager" in receipt.text and "tarif solidaire" not in receipt.text
    dossier = the_dossier(app)
    assert dossier.answers["student"]["origin"] == "declared" and set(dossier.certified) == {C2S_KEY}
    assert dossier.answers["c2s"] == {"value": False, "origin": "certified"}
    assert dossier.answers["fare"]["reduction"]["code"] == "boursier"  # the declared échelon, not the C2S
    assert consent_of(app, dossier).outcome == "partial"


def test_provider_down_offers_retry_and_the_declared_path(browser, app):
    page = accept(browser, start(browser, "plusieurs_prénoms_3"))
    assert "L’organisme interrogé (Crous) ne répond pas pour le moment" in page.text
    assert "Réessayer la récupération" in page.text
    receipt = browser.submit(page, "/formulaire", pass_type="annuel", zone="urbain", **{**DECLARED, "c2s": "oui"})
    assert "80,00 € au lieu de 320,00 €" in receipt.text and "(provisoire)" in receipt.text
    assert consent_of(app, the_dossier(app)).outcome == "unavailable"


def test_consent_refused_gives_the_declared_path_and_no_call(browser, app, ap_sim):
    page = browser.submit(start(browser), "/consentement", button="Je préfère remplir moi-même")
    assert "Vous remplissez vous-même" in page.text
    receipt = browser.submit(page, "/formulaire", pass_type="mensuel", zone="departement",
                             **{**DECLARED, "echelon": "6"})
    assert "0,00 € au lieu de 72,00 €" in receipt.text and "Déclaré par l’usager" in receipt.text
    assert sim_log(ap_sim.url) == []
    dossier = the_dossier(app)
    assert dossier.answers["student"] == {"est_boursier": True, "echelon": "6", "origin": "declared",
                                          "etablissement": "Université d’Orléans"}
    assert dossier.answers["fare"]["provisional"] is True
    assert (consent_of(app, dossier).decision, consent_of(app, dossier).outcome) == ("refused", "not_called")


def test_a_tampered_post_cannot_change_the_certified_echelon(browser, app):
    page = accept(browser, start(browser))
    browser.submit(page, "/formulaire", pass_type="mensuel", zone="urbain", echelon="7", c2s="oui")
    fare = the_dossier(app).answers["fare"]
    assert fare["reduction"]["percent"] == 75 and fare["price_cents"] == 800


def test_missing_choices_are_said_in_french(browser, app):
    page = accept(browser, start(browser))
    result = browser.submit(page, "/formulaire")
    assert result.status == 400
    assert "Choisissez un abonnement." in result.text and "Choisissez une zone." in result.text


def test_only_the_fields_the_demarche_uses_are_stored(make_journey_app):
    """Minimisation: the identite route answers everything; the dossier keeps what the rules read."""
    app = make_journey_app("identite")
    browser = Browser(app.test_client())
    page = accept(browser, login(browser, "moins_25_ans", demarche="transport"))
    with app.app_context():
        draft = db.session.scalars(db.select(Prefill)).one()
        assert set(draft.certified["etudiant_boursier"]["data"]) == {
            "est_boursier", "echelon", "nom_etablissement", "nom_commune_etudes"}
    assert page.status == 200
    browser.close()


def test_the_most_favourable_reduction_applies():
    assert reduction("0bis", False).reason == "étudiant boursier, échelon 0 bis"
    assert (reduction("2", True).code, reduction("2", True).percent) == ("solidaire", 75)
    assert reduction("5", True).code == "boursier"  # a tie: the first one, the Crous échelon
    assert reduction("7", False).percent == 100 and reduction(None, None).code == "plein"
    assert fare("annuel", "agglomeration", reduction("5", False))["label"] == (
        "Abonnement annuel, zones 1 et 2 (agglomération) : 120,00 € au lieu de 480,00 € "
        "(-75 %, étudiant boursier, échelon 5)")
    assert fare("mensuel", "urbain", reduction(None, False))["label"] == (
        "Abonnement mensuel, zone 1 (réseau urbain) : 32,00 € (plein tarif)")


def test_the_agent_reads_the_dossier_and_exports_it(make_full_app, browsers):
    """The back-office and the export of a transport dossier: each value with its origin, each source's provider."""
    app = make_full_app()
    citizen = browsers(app)
    page = accept(citizen, start(citizen))  # Paul CUILLERE: échelon 5, unknown to the CPAM
    assert "TRA-" in citizen.submit(page, "/formulaire", pass_type="annuel", zone="urbain").text
    reference = the_dossier(app).reference
    agent = browsers(app)
    agent_login(agent)
    page = open_dossier(agent, reference)
    assert "Tarif réduit transports" in page.text and "Boursier du Crous, échelon 5" in page.text
    assert "Fournisseur : <strong>Cnous (Crous)</strong>" in page.text
    assert "Fournisseur : <strong>Assurance maladie (CPAM)</strong>" in page.text  # its « no C2S file » answer
    [row] = read_csv(export(agent, "csv", statut="depose").data)
    assert row["Numéro de dossier"] == reference and row["Démarche"].startswith("Tarif réduit transports")
    assert (row["Statut d’étudiant"], row["Statut d’étudiant (origine)"]) == (
        "Boursier du Crous, échelon 5", "certifié")
    assert (row["Complémentaire santé solidaire"], row["Complémentaire santé solidaire (origine)"]) == (
        "Non bénéficiaire", "certifié")
    assert row["Abonnement (origine)"] == "déclaré par l’usager" and row["Tarif (origine)"] == "calculé"
    assert row["Tarif"].startswith("Abonnement annuel, zone 1 (réseau urbain) : 80,00 € au lieu de 320,00 €")
    assert "Cnous (Crous) via API Particulier" in row["Source des données certifiées"]
