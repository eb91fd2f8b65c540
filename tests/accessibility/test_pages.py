"""The issue-20 fixes on the citizen's pages, over real HTTP against the simulators: the children declared
by hand, the date format of the hint, French numbers, « Mes données » in French and Paris time, and the
attestation's accessible HTML version."""

from __future__ import annotations

import re

import pytest

from demarche.numbers import french
from tests.browser import Browser
from tests.journeys import accept, login

CHOICES = {"school": "jules-ferry", "days": ["lundi", "mardi"], "diet": "vegetarien"}


@pytest.fixture
def app(make_journey_app):
    return make_journey_app()


def test_one_french_number_formatter():
    assert [french(3201), french(38420.0), french(2.5), french("3201"), french(1250, decimals=2)] == [
        "3\u202f201", "38\u202f420", "2,5", "3\u202f201", "1\u202f250,00"]
    assert (french(None), french("non communiqué"), french(650)) == ("", "non communiqué", "650")


def test_each_child_declared_by_hand_is_a_group_with_its_legend_and_labels_of_its_own(browser):
    page = browser.submit(login(browser), "/consentement", button="Je préfère remplir moi-même")
    for n in (1, 2, 3):
        legend = re.search(rf'<legend[^>]*id="manual-child-{n}-legend">([^<]*)</legend>', page.text)
        assert legend and legend.group(1).startswith(f"Enfant {n}")
    labels = re.findall(r'<label class="fr-label" for="manual_children-\d-\w+">([^<]*)<', page.text)
    assert len(labels) == 9 and len(set(labels)) == 9  # no two alike
    assert "Date de naissance de l’enfant 2" in labels
    date_input = re.search(r'<input[^>]*id="manual_children-0-date_naissance"[^>]*>', page.text).group(0)
    assert 'type="text"' in date_input  # not a date picker, whose format the browser's locale decides


def test_the_birth_date_is_read_in_the_format_the_hint_gives(browser, app):
    page = browser.submit(login(browser), "/consentement", button="Je préfère remplir moi-même")
    assert "Format attendu : JJ/MM/AAAA" in page.text
    receipt = browser.submit(page, "/formulaire", **{
        "manual_children-0-prenoms": "Léa", "manual_children-0-nom": "MARTIN",
        "manual_children-0-date_naissance": "14/03/2017", "quotient_familial": "3201", "regime": "CNAF",
        "address": "3 rue des Écoles, 45000 Démarche-sur-Loire", **CHOICES})
    assert "Votre demande a bien été envoyée" in receipt.text
    assert "Léa MARTIN, né(e) le 14/03/2017" in receipt.text
    assert "3\u202f201" in receipt.text and ">3201<" not in receipt.text  # the declared quotient, in French


def test_mes_donnees_says_dates_in_french_and_paris_time_and_outcomes_in_words(browser: Browser):
    page = accept(browser, login(browser))
    browser.submit(page, "/formulaire", children=["1"], **CHOICES)
    text = browser.get("http://localhost/mes-donnees").text
    readable = text.split("<pre")[0] + text.split("</pre>")[-1]  # the dossier's JSON block is data, as downloaded
    assert not re.search(r"\d{4}-\d\d-\d\dT", readable) and "UTC" not in readable
    assert "résultat : données reçues" in readable and "success" not in readable
    assert re.search(r"Première connexion : le \d\d/\d\d/\d{4} à \d\d:\d\d", readable)
    assert re.search(r"Ouverte le \d\d/\d\d/\d{4} à \d\d:\d\d, dernière activité le \d\d/\d\d/\d{4}", readable)


def test_the_attestation_has_an_accessible_html_version_with_the_pdfs_content(browser: Browser, app):
    from demarche.dossiers.models import Dossier
    from demarche.journey.attestation import notice
    from demarche.procedures import PROCEDURES
    from demarche.verification.codes import code_for

    page = accept(browser, login(browser))
    receipt = browser.submit(page, "/formulaire", children=["1"], **CHOICES)
    reference = re.search(r"[A-Z]{3}-\d{4}-[A-Z0-9]{6}", receipt.text).group(0)
    link = f"/demarches/cantine/recu/{reference}/attestation"
    assert f'href="{link}">lire l’attestation de dépôt en version accessible' in receipt.text
    html = browser.get(f"http://localhost{link}")
    assert html.status == 200 and "<h1>Attestation de dépôt</h1>" in html.text
    with app.app_context():
        from demarche.extensions import db

        dossier = db.session.scalar(db.select(Dossier).filter_by(reference=reference))
        procedure = PROCEDURES["cantine"]
        lines = procedure.summary(dossier.identity, dossier.answers, dossier.certified)
        assert code_for(reference) in html.text
        assert notice(procedure, dossier)[:80] in html.text
    for line in lines:
        assert f"<td class=\"fr-cell--multiline\">{line.label}</td>" in html.text
    other = Browser(app.test_client())
    assert other.get(f"http://localhost{link}").status in (200, 303) and reference not in other.get(
        f"http://localhost{link}").text  # not logged in: sent to the home page, nothing shown
    other.close()
