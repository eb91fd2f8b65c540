"""The parking-card démarche (demarche/procedures/stationnement/), added by following docs/ajouter-une-demarche.md:
every tariff case with a fast persona, the C2S « not found » as an answer, the agent's page and the export."""

from __future__ import annotations

import pytest

from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.models import ConsentRecord
from tests.backoffice.factories import agent_login, export, open_dossier
from tests.backoffice.test_export import read_csv
from tests.browser import Browser
from tests.journeys import accept, login

FORM = {"plate": "ab-123-cd", "address": "3 rue des Lilas, 45000 Démarche-sur-Loire"}


@pytest.fixture
def app(make_full_app):
    return make_full_app()


def file(browser: Browser, who: str, **form):
    """Log in as `who`, accept, and send the form; the review page and the receipt."""
    page = accept(browser, login(browser, who, demarche="stationnement"))
    return page, browser.submit(page, "/formulaire", **{**FORM, **form})


def the_dossier(app) -> Dossier:
    with app.app_context():
        return db.session.scalars(db.select(Dossier)).one()


@pytest.mark.parametrize("modality", ["france_connect", "identite"])
def test_a_quotient_below_900_gives_the_certified_solidarity_tariff(make_full_app, modality):
    app = make_full_app(modality)
    browser = Browser(app.test_client())
    consent_page = login(browser, "test", demarche="stationnement")  # Angela DUBOIS: CAF QF 650, and the C2S
    assert "Carte de stationnement résident" in consent_page.text and "CAF ou MSA" in consent_page.text
    assert "doit être celle d’un allocataire de votre dossier CAF ou MSA" in consent_page.text  # its check
    page = accept(browser, consent_page)
    assert "Vos données ont été récupérées" in page.text and "Transmises par CAF via API Particulier" in page.text
    assert "Tarif solidaire : 15,00 € par an, d’après vos données certifiées (quotient familial inférieur à 900 €)" \
        in page.text
    fields = page.form("/formulaire").controls
    assert "quotient_familial" not in fields and "c2s" not in fields and "plate" in fields
    receipt = browser.submit(page, "/formulaire", **FORM)
    assert "Votre demande a bien été envoyée" in receipt.text and "STA-" in receipt.text
    answers = the_dossier(app).answers
    assert answers["price"]["basis"] == "quotient familial inférieur à 900 €" and answers["plate"] == "AB-123-CD"
    assert answers["price"]["provisional"] is False and answers["quotient_familial"]["origin"] == "certified"
    with app.app_context():
        consent = db.session.scalars(db.select(ConsentRecord)).one()
    assert consent.categories == ["quotient familial", "allocataires", "complémentaire santé solidaire"]
    browser.close()


@pytest.mark.parametrize(("who", "tariff", "basis"), [
    ("sans_telephone", "Tarif solidaire : 15,00 € par an", "bénéficiaire de la complémentaire santé solidaire"),
    ("avec_nom_dusage", "Tarif résident : 60,00 € par an", ""),  # MSA QF 980, not a C2S beneficiary
])
def test_every_other_certified_case_asks_nothing(browser, app, who, tariff, basis):
    page, receipt = file(browser, who, quotient_familial="100", c2s="oui")  # a forged POST changes nothing
    assert "Bénéficiez-vous de la complémentaire" not in page.text and "Votre quotient familial" not in page.text
    assert f"{tariff}" in receipt.text and "(provisoire)" not in receipt.text
    price = the_dossier(app).answers["price"]
    assert (price["basis"], price["provisional"]) == (basis, False)


def test_unknown_to_the_caf_and_the_cpam_declares_the_quotient_only(browser, app):
    """The CAF's 404 is a failure (the family may have a quotient elsewhere: it declares it, provisionally); the
    CPAM's 404 is its answer « not a C2S beneficiary »: not asked, the tariff follows it."""
    page = accept(browser, login(browser, "nom_composé", demarche="stationnement"))
    assert "Aucun dossier n’a été trouvé" in page.text and "(CAF ou MSA)" in page.text
    assert "Complémentaire santé solidaire :</strong> non bénéficiaire" in page.text
    assert "c2s" not in page.form("/formulaire").controls and "Bénéficiez-vous" not in page.text
    receipt = browser.submit(page, "/formulaire", quotient_familial="850", c2s="oui", **FORM)
    assert "Tarif solidaire : 15,00 € par an, d’après quotient familial inférieur à 900 € (provisoire)" in receipt.text
    answers = the_dossier(app).answers
    assert answers["c2s"] == {"value": False, "origin": "certified"}
    assert answers["quotient_familial"] == {"value": 850, "origin": "declared"} and answers["price"]["provisional"]


def test_the_agent_reads_the_dossier_and_exports_it(browser, app, browsers):
    """The back-office and the export: each value with its origin, « CAF » as on the citizen's page."""
    file(browser, "sans_telephone")  # Hugo MEUNIER: CAF QF 1 150, and the C2S
    reference = the_dossier(app).reference
    agent = browsers(app)
    agent_login(agent)
    page = open_dossier(agent, reference)
    assert "Carte de stationnement résident" in page.text and "Tarif solidaire : 15,00 € par an" in page.text
    assert "Fournisseur : <strong>CAF</strong>" in page.text and "Assurance maladie (CPAM)" in page.text
    for label in ("Immatriculation", "AB-123-CD", "Complémentaire santé solidaire", "Bénéficiaire"):
        assert label in page.text
    [row] = read_csv(export(agent, "csv", statut="depose").data)
    assert row["Numéro de dossier"] == reference and row["Démarche"].startswith("Carte de stationnement")
    assert (row["Complémentaire santé solidaire"], row["Complémentaire santé solidaire (origine)"]) == (
        "Bénéficiaire", "certifié")
    assert row["Immatriculation (origine)"] == "déclaré par l’usager" and row["Tarif (origine)"] == "calculé"
    assert row["Source des données certifiées"].startswith("CAF via API Particulier")
