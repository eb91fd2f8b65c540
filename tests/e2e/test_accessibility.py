"""Every page type of the RGAA sample (demarche/accessibility/data/echantillon.csv) in Chromium: axe-core
with no violation of any impact, the keyboard, 200 % zoom, reflow at 320 px and wider text spacing
(tests/e2e/rgaa_checks.py). A citizen, an agent, then a person without FranceConnect walk through the service
once, in one stack and one browser, each page checked where the walk meets it; the statement must say what
these checks measure."""

from __future__ import annotations

import json
import re

import httpx

from demarche.accessibility.audit import load
from demarche.procedures import PROCEDURES
from tests.e2e.conftest import AXE, ROOT
from tests.e2e.rgaa_checks import Findings, check_page

WAITING_MS = 8_000  # how long the provider takes to answer while the waiting page is checked


def citizen_walk(stack, page, steps, check) -> str:
    """Home to the receipt and everything after it; returns the reference of the certified dossier."""
    from tests.e2e import journey
    from tests.e2e.test_correction_journey import ask_correction

    page.goto(f"{stack.url}/")
    check("accueil")
    for path in ("/accessibilite", "/mentions-legales", "/donnees-personnelles", "/gestion-des-cookies"):
        page.goto(f"{stack.url}{path}")
        check("pages-obligatoires", keyboard=path == "/accessibilite")
    page.goto(f"{stack.url}/page-qui-n-existe-pas")
    check("erreur")
    page.goto(f"{stack.url}/verifier/ABCD-EFGH-IJKL")
    check("verification")
    page.goto(f"{stack.url}/commencer?demarche=cantine")
    page.get_by_text("Démarche choisie").first.wait_for()
    check("commencer")
    journey.login(page, steps, stack.url)
    check("consentement")
    page.goto(f"{stack.url}/mon-espace")
    check("mon-espace")
    page.go_back()
    # The prefill job in the demo's queue against a slow API Particulier: the waiting page stays long enough
    # to be checked, then its script opens the form.
    httpx.post(f"{stack.ap.url}/_sim/latency", json={"ms": WAITING_MS})
    journey.tick(page, re.compile("^J’accepte que"))
    page.get_by_role("button", name="Récupérer mes données").click()
    page.get_by_role("button", name=re.compile("^Continuer sur")).click()
    page.get_by_role("heading", name="Nous récupérons vos données…").wait_for()
    check("attente")
    page.wait_for_url(re.compile(r"/formulaire$"), timeout=WAITING_MS + 15_000)
    httpx.post(f"{stack.ap.url}/_sim/latency", json={"ms": 0})
    page.get_by_text("Vos données ont été récupérées").wait_for()
    check("formulaire-prerempli")
    journey.choose(page, ("HUGO",))
    reference = journey.submit(page, steps)
    check("accuse-reception")
    page.get_by_role("link", name=re.compile("version accessible")).click()
    page.get_by_role("heading", name="Attestation de dépôt").wait_for()
    check("attestation")
    page.goto(f"{stack.url}/mes-demarches/{reference}/messages")
    page.get_by_label(re.compile("^Votre message")).fill("Bonjour, la cantine commence-t-elle lundi ?")
    page.get_by_role("button", name="Envoyer le message").click()
    page.get_by_text("Votre message a été envoyé").wait_for()
    check("messagerie")
    page.goto(f"{stack.url}/demarches/cantine/")  # a second dossier, filled by hand, with its errors first
    page.get_by_role("button", name="Je préfère remplir moi-même").click()
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_role("heading", name="Le formulaire contient des erreurs").wait_for()
    check("formulaire-manuel")
    for slug in PROCEDURES.keys() - {"cantine"}:  # every other démarche's own form, its errors shown
        page.goto(f"{stack.url}/demarches/{slug}/")
        check("consentement", keyboard=False)
        page.get_by_role("button", name="Je préfère remplir moi-même").click()
        page.get_by_role("button", name="Envoyer ma demande").click()
        page.get_by_role("heading", name="Le formulaire contient des erreurs").wait_for()
        check("formulaire-manuel")
    ask_correction(stack, reference)
    page.goto(f"{stack.url}/mes-demarches")
    check("mes-demarches")
    page.get_by_role("link", name=re.compile("^Corriger mon dossier")).click()
    page.get_by_role("button", name="Envoyer mes corrections").click()  # unconfirmed: the error shows
    page.get_by_text("Cochez la case pour confirmer").wait_for()
    check("correction")
    page.goto(f"{stack.url}/mes-donnees")
    check("mes-donnees")
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{stack.url}/**")
    check("erreur", keyboard=False)  # « Vous êtes déconnecté »
    return reference


def email_walk(stack, page, check) -> str:
    """« Je n’ai pas FranceConnect »: the e-mail code (and its error), the declared identity (its errors, the
    communes found), the form to the receipt, the logout; returns the dossier's reference."""
    from tests.e2e import journey
    from tests.e2e.test_without_franceconnect import emailed_code

    page.goto(f"{stack.url}/commencer?demarche=cantine")
    page.get_by_role("link", name=re.compile("Je n’ai pas FranceConnect")).click()
    page.get_by_role("button", name="Recevoir un code").click()  # no address: the error shows
    page.locator(".fr-input-group--error").wait_for()
    check("connexion-courriel")
    page.get_by_label(re.compile("^Adresse électronique")).fill("claire.martin@exemple.fr")
    page.get_by_role("button", name="Recevoir un code").click()
    page.get_by_role("heading", name="Saisir le code reçu par courriel").wait_for()
    check("connexion-courriel")
    page.get_by_label(re.compile("^Code reçu par courriel")).fill(emailed_code(stack, "claire.martin@exemple.fr"))
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Votre identité").wait_for()
    page.get_by_role("button", name="Continuer vers le formulaire").click()  # nothing typed: the errors show
    page.get_by_role("heading", name="Le formulaire contient des erreurs").wait_for()
    check("identite")
    page.get_by_label(re.compile("^Nom de naissance")).fill("MARTIN")
    page.get_by_label(re.compile("^Premier prénom")).fill("Claire")
    journey.tick(page, "Féminin", exact=True)
    page.get_by_label(re.compile("^Date de naissance")).fill("12/05/1984")
    journey.tick(page, re.compile("^En France"))
    page.get_by_label(re.compile("^Commune de naissance")).fill("Tours")
    page.get_by_role("button", name="Rechercher la commune").click()
    journey.tick(page, "Tours (37)", exact=True)
    check("identite", keyboard=False)
    page.get_by_role("button", name="Continuer vers le formulaire").click()
    page.get_by_role("heading", name="Vérifiez et complétez votre demande").wait_for()
    page.get_by_label("Prénom(s) de l’enfant 1").fill("Léa")
    page.get_by_label("Nom de l’enfant 1").fill("BERNARD")
    page.get_by_label(re.compile("^Date de naissance de l’enfant 1")).fill("08/03/2014")
    page.get_by_label("Adresse du foyer").fill("12 rue des Tanneurs, 37000 Tours")
    journey.choose(page)
    journey.tick(page, re.compile("^J’accepte que la mairie vérifie ma déclaration"))
    check("formulaire-manuel", keyboard=False)
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_role("heading", name="Votre demande a bien été envoyée").wait_for()
    check("accuse-reception", keyboard=False)
    reference = re.search(r"[A-Z]{3}-\d{4}-[A-Z0-9]{6}", page.get_by_text("Numéro de dossier").inner_text()).group(0)
    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("heading", name="Vous êtes déconnecté").wait_for()
    check("connexion-courriel", keyboard=False)
    return reference


def agent_walk(stack, agent, reference: str, check) -> None:
    from tests.e2e.test_agent_journey import agent_login

    agent.goto(f"{stack.url}/agents/")
    check("agents-connexion")
    agent_login(agent, stack.url)
    check("agents-liste")
    agent.goto(f"{stack.url}/agents/dossiers/{reference}")
    agent.get_by_role("button", name="Ouvrir le dossier").click()  # opening is a POST (journaled)
    agent.get_by_role("heading", name="Messagerie avec l’usager").wait_for()
    check("agents-dossier")
    for path in ("/agents/journal", "/agents/avis", "/agents/webhooks"):
        agent.goto(f"{stack.url}{path}")
        check("agents-liste", keyboard=False)
    # « Déposer pour un usager présent »: the form sent empty (its errors), then the communes found.
    agent.goto(f"{stack.url}/agents/guichet")
    agent.get_by_role("button", name="Continuer vers la démarche").click()
    agent.get_by_role("heading", name="Le formulaire contient des erreurs").wait_for()
    check("agents-guichet")
    agent.get_by_label(re.compile("^Date de naissance")).fill("24/08/1962")
    agent.get_by_label(re.compile("^Commune de naissance")).fill("Paris")
    agent.get_by_role("button", name="Rechercher la commune").click()
    agent.get_by_text(re.compile("^Paris")).first.wait_for()
    check("agents-guichet", keyboard=False)


def test_every_page_type_of_the_sample_passes_the_browser_checks(make_stack, chromium, page, steps):
    from tests.backoffice.factories import COMMUNE, MARIE, allow

    stack = make_stack(agents=True, TASKS_IMMEDIATE="0", API_PARTICULIER_TIMEOUT="20")  # the demo's queue
    allow(stack.app, MARIE, COMMUNE)
    stack.app.test_cli_runner().invoke(args=["agents", "guichet", MARIE, COMMUNE])  # may file at the counter
    findings = Findings()
    reference = citizen_walk(stack, page, steps, lambda kind, keyboard=True: check_page(page, kind, findings, keyboard))
    agent = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR").new_page()
    agent.context.add_init_script(path=str(AXE))
    agent.context.set_default_timeout(15_000)
    agent_walk(stack, agent, reference, lambda kind, keyboard=True: check_page(agent, kind, findings, keyboard))
    without_fc = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR").new_page()
    without_fc.context.add_init_script(path=str(AXE))
    without_fc.context.set_default_timeout(15_000)
    declared = email_walk(stack, without_fc, lambda kind, keyboard=True: check_page(without_fc, kind, findings,
                                                                                      keyboard))
    without_fc.context.close()
    agent.goto(f"{stack.url}/agents/dossiers")  # the identity check panel of a declared identity
    agent.get_by_role("button", name=declared).click()  # opening is a POST (journaled)
    agent.get_by_role("heading", name="Vérification de l’identité déclarée").wait_for()
    check_page(agent, "agents-dossier", findings)
    agent.context.close()
    assert findings.problems == [], "\n".join(findings.problems)
    # Nothing failed to load but the pages that answer an error on purpose (and the simulators' pages,
    # audited on the way by `steps`, have no serious violation).
    steps.assert_accessible(expected_errors=("/page-qui-n-existe-pas", "/verifier/ABCD-EFGH-IJKL", "/formulaire",
                                             f"/mes-demarches/{reference}/correction"))
    # Every page type of the sample that exists in the service was met (the PDF is checked through 13.3).
    assert {p.key for p in load().pages} - set(findings.checked) == set()


def test_the_statement_states_what_these_checks_measure(client):
    """The declaration names the tool and version these tests use, and the checks they make."""
    axe_version = json.loads((ROOT / "package.json").read_text())["devDependencies"]["axe-core"]
    text = client.get("/accessibilite").get_data(as_text=True)
    assert f"axe-core {axe_version}" in text and "<strong>aucune violation</strong>, quel que soit son impact" in text
    assert "<strong>clavier</strong>" in text and "zoom à 200 %" in text and "320 px" in text
