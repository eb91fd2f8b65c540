"""The agent's journey in Chromium: ProConnect login, the list, a dossier filed by a citizen in the same
browser run, instruction then acceptance with a motive, logout — a screenshot and an axe-core audit each."""

import re

from tests.backoffice.factories import COMMUNE, MARIE, allow
from tests.e2e import journey


def file_a_dossier(chromium, stack) -> str:
    """A citizen files a dossier in a browser of their own (their pages are audited by the citizen tests)."""
    context = chromium.new_context()
    try:
        page = context.new_page()
        journey.login(page, lambda *_, **__: None, stack.url)
        journey.accept(page, lambda *_, **__: None, stack.url)
        journey.choose(page, ("HUGO",))
        return journey.submit(page, lambda *_, **__: None)
    finally:
        context.close()


def agent_login(page, url: str, steps=lambda *_, **__: None, email: str = MARIE) -> None:
    """Espace agents → ProConnect button → e-mail → password → the list of dossiers."""
    page.goto(f"{url}/agents/")
    steps("espace-agents")
    page.get_by_role("button", name="S’identifier avec ProConnect").click()
    page.get_by_label(re.compile("^Adresse électronique professionnelle")).wait_for()
    steps("proconnect-adresse")
    page.get_by_label(re.compile("^Adresse électronique professionnelle")).fill(email)
    page.get_by_role("button", name="Continuer").click()
    steps("proconnect-mot-de-passe")
    page.get_by_label("Mot de passe").fill("123")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{url}/agents/**")
    steps("liste-des-dossiers")


def test_an_agent_instructs_and_accepts_a_dossier(make_stack, chromium, page, steps):
    stack = make_stack(agents=True)
    allow(stack.app, MARIE, COMMUNE)
    reference = file_a_dossier(chromium, stack)

    agent_login(page, stack.url, steps)

    page.get_by_role("button", name=reference).click()  # opening is a POST (journaled)
    page.get_by_role("heading", name="Instruction").wait_for()
    steps("dossier")
    journey.tick(page, "Passer en instruction")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("est maintenant « En instruction »").wait_for()
    steps("dossier-en-instruction")
    journey.tick(page, re.compile("^Accept"))
    page.get_by_label(re.compile("^Motif")).fill("Inscription validée pour l’année scolaire 2026-2027.")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("est maintenant « Accepté »").wait_for()
    steps("dossier-accepte")

    page.get_by_role("link", name="Journal des accès").click()
    steps("journal-des-acces")
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{stack.url}/agents/**")
    steps("agent-deconnecte")
    steps.assert_accessible()
