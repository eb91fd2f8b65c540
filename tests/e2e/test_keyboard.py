"""The citizen's journey with the keyboard alone (RGAA criterion 7.3, WCAG 2.1.1): Tab to move,
Enter to press a button or follow a link, Space to tick, arrows inside a radio group or a select."""

import re

FOCUSED = "el => el === document.activeElement"
MAX_TABS = 80


def tab_to(page, target) -> None:
    """Press Tab until `target` has the focus; fail, naming what got it, if it never does."""
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate(FOCUSED):
            return
        seen.append(page.evaluate("() => document.activeElement.outerHTML.slice(0, 80)"))
    raise AssertionError(f"{target} never got the focus with Tab; focused in turn: {seen}")


def press(page, target, key: str = "Enter") -> None:
    tab_to(page, target)
    page.keyboard.press(key)


def test_the_citizen_journey_with_the_keyboard_alone(make_stack, page, steps):
    stack = make_stack()
    page.goto(f"{stack.url}/")
    procedure = page.get_by_role("link", name=re.compile("restauration scolaire"))
    if procedure.count():  # the home page lists the démarches: the citizen picks one first
        press(page, procedure.first)
        page.get_by_text("Démarche choisie").first.wait_for()
    press(page, page.get_by_role("button", name="S’identifier avec FranceConnect"))
    page.get_by_role("heading", name=re.compile("Je choisis un compte")).wait_for()
    press(page, page.get_by_role("button", name="impots.gouv.fr"))
    login = page.get_by_label("Identifiant")
    login.wait_for()
    if not login.evaluate(FOCUSED):  # the login field has autofocus; Tab to it otherwise
        tab_to(page, login)
    page.keyboard.type("test")
    tab_to(page, page.get_by_label("Mot de passe"))
    page.keyboard.type("123")
    page.keyboard.press("Enter")
    press(page, page.get_by_role("button", name=re.compile("^Continuer sur")))
    page.wait_for_url(f"{stack.url}/**")
    if "/demarches/cantine/" not in page.url:  # landed on the citizen's space: pick the démarche there
        press(page, page.get_by_role("link", name=re.compile("restauration scolaire")).first)

    page.get_by_role("heading", name="Ce qui va se passer").wait_for()
    press(page, page.get_by_label(re.compile("^J’accepte que")), "Space")
    assert page.get_by_label(re.compile("^J’accepte que")).is_checked()
    steps("accord-coche-au-clavier", audit=False)
    press(page, page.get_by_role("button", name="Récupérer mes données"))
    press(page, page.get_by_role("button", name=re.compile("^Continuer sur")))

    page.get_by_role("heading", name="Vérifiez et complétez votre demande").wait_for()
    press(page, page.get_by_label(re.compile("HUGO")), "Space")
    school = page.get_by_label("École", exact=True)
    press(page, school, "ArrowDown")
    assert school.input_value() != ""
    press(page, page.get_by_label("Lundi", exact=True), "Space")
    tab_to(page, page.get_by_label("Jeudi", exact=True))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Menu standard"))  # a radio group is one Tab stop; arrows choose
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("Végétarien", exact=True).is_checked()
    steps("formulaire-rempli-au-clavier", audit=False)
    press(page, page.get_by_role("button", name="Envoyer ma demande"))

    page.get_by_role("heading", name="Votre demande a bien été envoyée").wait_for()
    steps("accuse-de-reception", audit=False)
    press(page, page.get_by_role("link", name="Mes démarches"))
    page.get_by_role("heading", name="Mes démarches", exact=True).wait_for()
    assert "Déposé" in page.locator("main").inner_text()
    steps("mes-demarches", audit=False)


def test_the_messagerie_and_the_verification_page_with_the_keyboard_alone(make_stack, page, steps):
    """Issue 12: write to the agents from the receipt, then check an attestation's code, Tab and Enter only."""
    from demarche.verification.codes import code_for
    from tests.e2e import journey

    stack = make_stack()
    journey.login(page, steps, stack.url)
    journey.accept(page, steps, stack.url)
    journey.choose(page, ("HUGO",))
    reference = journey.submit(page, steps)
    press(page, page.get_by_role("link", name="messagerie du dossier"))
    page.get_by_role("heading", name=f"Messages du dossier {reference}").wait_for()
    tab_to(page, page.get_by_label(re.compile("^Votre message")))
    page.keyboard.type("Bonjour, une question au clavier.")
    press(page, page.get_by_role("button", name="Envoyer le message"))
    page.get_by_text("Votre message a été envoyé").wait_for()
    assert "une question au clavier" in page.locator("main").inner_text()
    steps("messagerie-au-clavier", audit=False)

    with stack.app.app_context():
        code = code_for(reference)
    page.goto(f"{stack.url}/verifier")
    tab_to(page, page.get_by_label(re.compile("^Code de vérification")))
    page.keyboard.type(code.lower())
    page.keyboard.press("Enter")
    page.get_by_text("Attestation authentique").wait_for()
    steps("verification-au-clavier", audit=False)


def test_the_correction_with_the_keyboard_alone(make_stack, page, steps):
    """Issue 12: from « Mes démarches », open the correction, change the diet with the arrows, tick the
    confirmation with Space, send with Enter."""
    from tests.e2e import journey
    from tests.e2e.test_correction_journey import ask_correction

    stack = make_stack()
    journey.login(page, steps, stack.url)
    journey.accept(page, steps, stack.url)
    journey.choose(page, ("HUGO",), diet="Menu standard")
    reference = journey.submit(page, steps)
    ask_correction(stack, reference)
    page.goto(f"{stack.url}/mes-demarches")
    press(page, page.get_by_role("link", name=re.compile("^Corriger mon dossier")))
    page.get_by_role("heading", name=f"Corriger votre dossier {reference}").wait_for()
    tab_to(page, page.get_by_label("Menu standard"))  # a radio group is one Tab stop; arrows choose
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("Végétarien", exact=True).is_checked()
    press(page, page.get_by_label(re.compile("^J’ai effectué les corrections demandées")), "Space")
    assert page.get_by_label(re.compile("^J’ai effectué les corrections demandées")).is_checked()
    steps("correction-au-clavier", audit=False)
    press(page, page.get_by_role("button", name="Envoyer mes corrections"))
    page.get_by_text("Vos corrections ont été envoyées").wait_for()
    assert "« Menu standard » → « Végétarien »" in page.locator("main").inner_text()
    steps("corrections-envoyees-au-clavier", audit=False)
