"""The citizen's journey in Chromium, both API Particulier modalities and a failure path, with a
screenshot and an axe-core audit of every page (FranceConnect's simulated screens included)."""

import re

from tests.e2e import journey

CHILDREN = ("LEA CAMILLE", "HUGO")  # two of the three children the CAF knows for the « test » identity


def finish(page, steps) -> str:
    """Choose, send, and find the dossier in « Mes démarches »."""
    journey.choose(page, CHILDREN)
    steps("formulaire-complete", audit=False)
    reference = journey.submit(page, steps)
    assert reference in journey.my_dossiers(page, steps)
    return reference


def test_france_connect_modality(make_stack, page, steps):
    stack = make_stack(API_PARTICULIER_MODALITY="france_connect")
    journey.login(page, steps, stack.url)
    journey.accept(page, steps, stack.url)
    assert page.get_by_text(re.compile("Quotient familial CAF .* : 650")).is_visible()
    assert page.get_by_role("heading", name="Vos données ont été récupérées").is_visible()
    finish(page, steps)
    journey.logout(page, steps, stack.url)
    steps.assert_accessible()


def test_identite_modality(make_stack, page, steps):
    stack = make_stack(API_PARTICULIER_MODALITY="identite")
    journey.login(page, steps, stack.url, identity="avec_nom_dusage")
    journey.accept(page, steps, stack.url)
    assert page.get_by_text(re.compile("Quotient familial MSA .* : 980")).is_visible()
    journey.choose(page, ("LUCAS",))
    reference = journey.submit(page, steps)
    assert reference.startswith("CAN-")
    steps.assert_accessible()


def test_provider_down_then_manual_form_with_errors(make_stack, page, steps):
    """The CAF does not answer: the citizen fills in by hand, makes mistakes, corrects them, submits."""
    stack = make_stack()
    journey.login(page, steps, stack.url, identity="plusieurs_prénoms_3")
    journey.accept(page, steps, stack.url)
    assert page.get_by_role("heading", name=re.compile("ne répond pas pour le moment")).is_visible()
    page.get_by_role("button", name="Envoyer ma demande").click()  # nothing filled in yet
    page.get_by_role("heading", name="Le formulaire contient des erreurs").wait_for()
    steps("formulaire-erreurs")
    assert page.get_by_text("Choisissez l’école.").is_visible()
    page.get_by_label("Prénom(s) de l’enfant 1").fill("Léa")
    page.get_by_label("Nom de l’enfant 1").fill("MARTIN")
    page.get_by_label(re.compile("^Date de naissance de l’enfant 1")).fill("14/03/2017")  # as the hint says
    page.get_by_label(re.compile("^Votre quotient familial")).fill("520")
    page.get_by_label("Adresse du foyer").fill("3 rue des Écoles, 45000 Démarche-sur-Loire")
    journey.choose(page)
    reference = journey.submit(page, steps)
    assert page.get_by_text("Déclaré par l’usager").first.is_visible()
    assert reference in journey.my_dossiers(page, steps)
    steps.assert_accessible(expected_errors=("/formulaire",))  # the 400 of the form with errors


def test_a_family_unknown_to_the_caf_gets_a_municipal_quotient_from_its_tax_notice(make_stack, page, steps):
    """Melissandre TROIS-DUPRE has no CAF file: she ticks the DGFiP on « Ce qui va se passer », confirms
    once at FranceConnect, and her certified revenu fiscal de référence prices the canteen."""
    stack = make_stack(dgfip=True)
    journey.login(page, steps, stack.url, identity="nom_composé")
    journey.tick(page, re.compile("^Votre revenu fiscal de référence"))
    journey.accept(page, steps, stack.url)
    assert page.get_by_text(re.compile(r"Quotient municipal \(revenus \d{4}\) : 3\u202f201")).is_visible()
    assert page.get_by_text(re.compile("Tarif E : 4,90 € par repas")).first.is_visible()
    assert page.get_by_label(re.compile("^Votre quotient familial")).count() == 0  # nothing to type about money
    page.get_by_label("Prénom(s) de l’enfant 1").fill("Léa")  # the DGFiP counts dependants, it does not name them
    page.get_by_label("Nom de l’enfant 1").fill("TROIS-DUPRE")
    page.get_by_label(re.compile("^Date de naissance de l’enfant 1")).fill("04/05/2018")
    journey.choose(page)
    steps("formulaire-complete", audit=False)
    reference = journey.submit(page, steps)
    assert page.get_by_text(re.compile("d’après votre quotient municipal")).is_visible()
    assert reference in journey.my_dossiers(page, steps)
    steps.assert_accessible()
