"""Filing at the counter in Chromium: an authorised agent records the identity document seen, types the person's
identity and the mandate, the certified data prefills the form, the person leaves with the printed receipt
(PDF with its verification code) saying « déposé par … pour le compte de … »; then the same person logs in
with FranceConnect and finds the dossier in « Mes démarches » and the mandate in « Mes données »."""

import re

from tests.backoffice.factories import COMMUNE, MARIE, allow
from tests.counter.test_counter_filing import FILED
from tests.e2e import journey
from tests.e2e.test_agent_journey import agent_login
from tests.e2e.test_citizen_journey import CHILDREN
from tests.identity_checks.test_email_path import pdf_text


def type_the_person_and_the_mandate(page, steps) -> None:
    """The FranceConnect simulator's « test » person, from her identity card, with a one-month paper mandate."""
    page.get_by_label("Démarche", exact=True).select_option("cantine")
    journey.tick(page, "Carte nationale d’identité")
    page.get_by_label(re.compile("^Nom de naissance")).fill("Dubois")
    page.get_by_label(re.compile("^Premier prénom")).fill("Angela")
    page.get_by_label(re.compile("^Deuxième prénom")).fill("Claire")
    page.get_by_label(re.compile("^Troisième prénom")).fill("Louise")
    journey.tick(page, "Féminin", exact=True)
    page.get_by_label(re.compile("^Date de naissance")).fill("24/08/1962")
    journey.tick(page, re.compile("^En France"))
    page.get_by_label(re.compile("^Commune de naissance")).fill("Paris 7e")
    page.get_by_role("button", name="Rechercher la commune").click()
    journey.tick(page, "Paris 7e Arrondissement (75)", exact=True)
    journey.tick(page, "1 mois", exact=True)
    journey.tick(page, "Mandat papier signé par la personne")
    journey.tick(page, re.compile("^La personne accepte que je dépose"))
    page.get_by_label(re.compile("^Adresse électronique de la personne")).fill("angela@exemple.fr")
    steps("guichet-mandat")


def test_the_counter_filing_to_a_printed_receipt_then_franceconnect(make_stack, chromium, page, steps):
    stack = make_stack(agents=True)
    allow(stack.app, MARIE, COMMUNE)
    stack.app.test_cli_runner().invoke(args=["agents", "guichet", MARIE, COMMUNE])
    agent_login(page, stack.url, steps)
    page.get_by_role("link", name="Déposer pour un usager présent").click()
    page.get_by_role("heading", name="Déposer pour un usager présent").wait_for()
    steps("guichet")
    type_the_person_and_the_mandate(page, steps)
    page.get_by_role("button", name="Continuer vers la démarche").click()
    page.get_by_role("heading", name="Ce qui va se passer").wait_for()
    steps("guichet-ce-qui-va-se-passer")
    journey.accept(page, steps, stack.url)
    assert page.get_by_text(re.compile("Quotient familial CAF .* : 650")).first.is_visible()
    journey.choose(page, CHILDREN)
    reference = journey.submit(page, steps)
    assert page.get_by_text(FILED).is_visible()

    with page.expect_download() as download:  # the printed receipt, with its verification QR code
        page.get_by_role("link", name=re.compile("^Télécharger l’attestation de dépôt")).click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF") and FILED in " ".join(pdf_text(pdf).split())
    page.get_by_role("main").get_by_role("button", name="Terminer le dépôt au guichet").click()
    page.wait_for_url(f"{stack.url}/agents/dossiers**")
    steps("guichet-termine")

    context = chromium.new_context(locale="fr-FR")
    person = context.new_page()
    try:
        journey.login(person, lambda *_, **__: None, stack.url)
        person.goto(f"{stack.url}/mes-demarches")
        assert reference in person.locator("main").inner_text()
        person.goto(f"{stack.url}/mes-donnees")
        text = person.locator("main").inner_text()
        accesses = person.locator("main").text_content()  # the dossier's accordion, folded: who accessed it
        assert "Marie LAMBERT a déposé le dossier pour vous au guichet" in " ".join(accesses.split())
        assert "Vos mandats donnés au guichet (1)" in text and "Marie LAMBERT" in text and reference in text
    finally:
        context.close()
    steps.assert_accessible()
