"""axe-core on the pages outside the journey (home, footer pages, errors) and the accessibility
statement, which must state what these suites measure."""

import json

from tests.e2e.conftest import ROOT

PAGES = ["/", "/accessibilite", "/mentions-legales", "/donnees-personnelles", "/gestion-des-cookies",
         "/page-qui-n-existe-pas"]


def test_public_pages_have_no_serious_violation(make_stack, page, steps):
    stack = make_stack()
    for path in PAGES:
        page.goto(f"{stack.url}{path}")
        steps(path.strip("/") or "accueil")
    assert steps.serious() == [], "\n".join(steps.serious())
    assert steps.failed == [f"404 {stack.url}/page-qui-n-existe-pas"]


def test_the_statement_states_the_measured_result(make_stack, page):
    """The declaration names the tool and version these tests use, and what they found."""
    axe_version = json.loads((ROOT / "package.json").read_text())["devDependencies"]["axe-core"]
    stack = make_stack()
    page.goto(f"{stack.url}/accessibilite")
    text = page.locator("main").inner_text()
    assert f"axe-core {axe_version}" in text
    assert "aucune violation grave ou critique" in text
    assert "clavier" in text
    assert "non conforme" in text  # automated checks are not a RGAA audit


def test_the_pages_after_the_deposit_have_no_serious_violation(make_stack, chromium, page, steps):
    """Issue 12: receipt with « Je donne mon avis », the citizen's messagerie, « Mes données », the public
    verification page (genuine and invalid code), and the agent's side of the messagerie and opinions."""
    import re

    from demarche.verification.codes import code_for
    from tests.backoffice.factories import COMMUNE, MARIE, allow
    from tests.e2e import journey
    from tests.e2e.test_agent_journey import agent_login

    stack = make_stack(agents=True)
    allow(stack.app, MARIE, COMMUNE)
    journey.login(page, steps, stack.url)
    journey.accept(page, steps, stack.url)
    journey.choose(page, ("HUGO",))
    reference = journey.submit(page, steps)
    journey.tick(page, re.compile("Moyen"))
    page.get_by_role("button", name="Envoyer mon avis").click()
    page.get_by_text("Merci pour votre avis").wait_for()
    steps("avis-donne")
    page.get_by_role("link", name="messagerie du dossier").click()
    page.get_by_role("heading", name=f"Messages du dossier {reference}").wait_for()
    steps("messagerie-vide")
    page.get_by_label(re.compile("^Votre message")).fill("Bonjour,\nla cantine commence-t-elle lundi ?")
    page.get_by_role("button", name="Envoyer le message").click()
    page.get_by_text("Votre message a été envoyé").wait_for()
    steps("messagerie-message-envoye")
    page.goto(f"{stack.url}/mes-donnees")
    steps("mes-donnees")

    with stack.app.app_context():
        code = code_for(reference)
    page.goto(f"{stack.url}/verifier")
    steps("verifier-formulaire")
    page.get_by_label(re.compile("^Code de vérification")).fill(code)
    page.get_by_role("button", name="Vérifier").click()
    page.get_by_text("Attestation authentique").wait_for()
    steps("verifier-authentique")
    page.goto(f"{stack.url}/verifier/{code[:-1]}Z")
    steps("verifier-code-invalide")

    agent = chromium.new_context().new_page()
    agent_steps = type(steps)(agent, steps.folder / "agent")
    agent.context.add_init_script(path=str(ROOT / "node_modules" / "axe-core" / "axe.min.js"))
    agent_login(agent, stack.url)
    agent.goto(f"{stack.url}/agents/dossiers/{reference}")
    agent.get_by_role("button", name="Ouvrir le dossier").click()  # opening is a POST (journaled)
    agent.get_by_role("heading", name="Messagerie avec l’usager").wait_for()
    agent_steps("dossier-messagerie")
    agent.get_by_label(re.compile("^Écrire à l’usager")).fill("Oui, dès lundi.")
    agent.get_by_role("button", name="Envoyer le message").click()
    agent.get_by_text("Message envoyé").wait_for()
    agent_steps("dossier-message-envoye")
    agent.get_by_role("link", name="Avis des usagers").click()
    agent_steps("avis-des-usagers")
    agent.context.close()
    steps.assert_accessible(expected_errors=(f"/verifier/{code[:-1]}Z",))
    agent_steps.assert_accessible()


def test_the_correction_pages_have_no_serious_violation(make_stack, page, steps):
    """Issue 12: « Mes démarches » with a correction asked, the correction page (and its errors), the receipt."""
    import re

    from tests.e2e import journey
    from tests.e2e.test_correction_journey import MOTIVE, ask_correction

    stack = make_stack()
    journey.login(page, steps, stack.url)
    journey.accept(page, steps, stack.url)
    journey.choose(page, ("HUGO",))
    reference = journey.submit(page, steps)
    ask_correction(stack, reference)
    journey.my_dossiers(page, steps)
    page.get_by_role("link", name=re.compile("^Corriger mon dossier")).click()
    page.get_by_text(MOTIVE).first.wait_for()
    steps("correction")
    page.get_by_role("button", name="Envoyer mes corrections").click()  # not confirmed: the error is shown
    page.get_by_text("Cochez la case pour confirmer").wait_for()
    steps("correction-non-confirmee")
    journey.tick(page, re.compile("^J’ai effectué les corrections demandées"))
    page.get_by_role("button", name="Envoyer mes corrections").click()
    page.get_by_text("Vos corrections ont été envoyées").wait_for()
    steps("corrections-envoyees")
    steps.assert_accessible(expected_errors=(f"/mes-demarches/{reference}/correction",))  # the unconfirmed 400
