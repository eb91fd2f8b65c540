"""« Nous récupérons vos données… » in Chromium (issue 18): the page the consent answers while the prefill job
runs in the demo's embedded worker, against a slow API Particulier. axe-core on it, its status announced,
the form opened by its script, by its reload without JavaScript, and « Remplir moi-même sans attendre » with
the keyboard alone."""

from __future__ import annotations

import re

import httpx

from tests.e2e import journey
from tests.e2e.test_keyboard import press

WAITING = "Nous récupérons vos données…"


def slow_stack(make_stack, latency_ms: int):
    """The demo's queue (an in-process worker, not the tests' immediate mode) and a provider this slow."""
    stack = make_stack(TASKS_IMMEDIATE="0")
    httpx.post(f"{stack.ap.url}/_sim/latency", json={"ms": latency_ms})
    return stack


def consent_to_waiting(page, steps, stack) -> None:
    """Log in, tick the agreement, « Récupérer mes données », confirm at FranceConnect: the waiting page."""
    journey.login(page, steps, stack.url)
    journey.tick(page, re.compile("^J’accepte que"))
    page.get_by_role("button", name="Récupérer mes données").click()
    page.get_by_role("button", name=re.compile("^Continuer sur")).click()
    page.get_by_role("heading", name=WAITING).wait_for()


def test_the_waiting_page_follows_the_job_to_the_form(make_stack, page, steps):
    stack = slow_stack(make_stack, 2500)
    consent_to_waiting(page, steps, stack)
    assert "quelques secondes" in page.get_by_role("status").inner_text()  # aria-live="polite"
    steps("patientez")
    page.wait_for_url(re.compile(r"/formulaire$"), timeout=15_000)  # opened by the script, no click
    page.get_by_text("Vos données ont été récupérées").wait_for()
    steps("formulaire-apres-attente")
    steps.assert_accessible()


def test_without_javascript_the_page_reloads_itself_to_the_form(make_stack, chromium):
    stack = slow_stack(make_stack, 1500)
    context = chromium.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(f"{stack.url}/commencer?demarche=cantine")
        page.get_by_role("button", name="S’identifier avec FranceConnect").click()
        page.get_by_role("button", name="impots.gouv.fr").click()
        page.get_by_label("Identifiant").fill("test")
        page.get_by_label("Mot de passe").fill("123")
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_role("button", name=re.compile("^Continuer sur")).click()
        page.get_by_role("heading", name="Ce qui va se passer").wait_for()
        page.locator('label[for="accept"]').click()
        page.get_by_role("button", name="Récupérer mes données").click()
        page.get_by_role("button", name=re.compile("^Continuer sur")).click()
        page.get_by_role("heading", name=WAITING).wait_for()
        page.wait_for_url(re.compile(r"/formulaire$"), timeout=15_000)  # the <noscript> meta refresh
        page.get_by_text("Vos données ont été récupérées").wait_for()
    finally:
        context.close()


def test_not_waiting_with_the_keyboard_alone(make_stack, page, steps):
    stack = slow_stack(make_stack, 8000)
    consent_to_waiting(page, steps, stack)
    steps("patientez", audit=False)
    press(page, page.get_by_role("button", name="Remplir moi-même sans attendre"))
    page.wait_for_url(re.compile(r"/formulaire$"))
    page.get_by_text("ne répond pas pour le moment").first.wait_for()
    steps("formulaire-sans-attendre")
    steps.assert_accessible()
