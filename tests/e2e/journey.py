"""The citizen's journey as a person does it in a browser: buttons and labels, never URLs or selectors."""

from __future__ import annotations

import re

CHOICES = {"school": "École élémentaire Jules-Ferry", "days": ("Lundi", "Mardi", "Jeudi"), "diet": "Végétarien"}


def tick(page, label, exact: bool = False) -> None:
    """Tick a DSFR checkbox or radio by clicking its label, as a person does (the input is drawn by the label)."""
    box = page.get_by_label(label, exact=exact)
    page.locator(f'label[for="{box.get_attribute("id")}"]').click()
    assert box.is_checked()


def login(page, steps, service_url: str, identity: str = "test") -> None:
    """Home → FranceConnect button → impots.gouv.fr → test identity → « Continuer » → the démarche."""
    page.goto(f"{service_url}/")
    steps("accueil")
    procedure = page.get_by_role("link", name=re.compile("restauration scolaire"))
    if procedure.count():  # the home page lists the démarches: the citizen picks one first
        procedure.first.click()
        page.get_by_text("Démarche choisie").first.wait_for()
        steps("accueil-demarche-choisie")
    page.get_by_role("button", name="S’identifier avec FranceConnect").click()
    page.get_by_role("heading", name=re.compile("Je choisis un compte")).wait_for()
    steps("franceconnect-choix-du-compte")
    page.get_by_role("button", name="impots.gouv.fr").click()
    steps("franceconnect-connexion")
    page.get_by_label("Identifiant").fill(identity)
    page.get_by_label("Mot de passe").fill("123")
    page.get_by_role("button", name="Se connecter").click()
    steps("franceconnect-transmission-identite")
    page.get_by_role("button", name=re.compile("^Continuer sur")).click()
    page.wait_for_url(f"{service_url}/**")
    if "/demarches/cantine/" not in page.url:  # landed on the citizen's space: pick the démarche there
        steps("mon-espace")
        page.get_by_role("link", name=re.compile("restauration scolaire")).first.click()
    page.get_by_role("heading", name="Ce qui va se passer").wait_for()
    steps("ce-qui-va-se-passer")


def accept(page, steps, service_url: str) -> None:
    """Tick the agreement, « Récupérer mes données », confirm at FranceConnect when it asks."""
    tick(page, re.compile("^J’accepte que"))
    page.get_by_role("button", name="Récupérer mes données").click()
    page.wait_for_url(re.compile(r"/interaction/|/formulaire"))
    if "/interaction/" in page.url:  # modality france_connect: FranceConnect's data transmission screen
        steps("franceconnect-transmission-donnees")
        page.get_by_role("button", name=re.compile("^Continuer sur")).click()
        page.wait_for_url(f"{service_url}/**/formulaire")
    steps("formulaire")


def choose(page, children: tuple[str, ...] = (), **choices) -> None:
    """Tick children by name, then school, days and diet."""
    choices = {**CHOICES, **choices}
    for child in children:
        tick(page, re.compile(child))
    page.get_by_label("École", exact=True).select_option(label=choices["school"])
    for day in choices["days"]:
        tick(page, day, exact=True)
    tick(page, choices["diet"], exact=True)


def submit(page, steps) -> str:
    """« Envoyer ma demande » → the receipt; returns the dossier number shown."""
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_role("heading", name="Votre demande a bien été envoyée").wait_for()
    steps("accuse-de-reception")
    return re.search(r"[A-Z]{3}-\d{4}-[A-Z0-9]{6}", page.get_by_text("Numéro de dossier").inner_text()).group(0)


def my_dossiers(page, steps) -> str:
    """The « Mes démarches » link of the receipt; returns the table's text."""
    page.get_by_role("link", name="Mes démarches").click()
    page.get_by_role("heading", name="Mes démarches", exact=True).wait_for()
    steps("mes-demarches")
    return page.locator("main").inner_text()


def logout(page, steps, service_url: str) -> None:
    """« Se déconnecter »: the local session ends, then FranceConnect's, back to the service."""
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{service_url}/franceconnect/logout-callback**")
    steps("deconnecte")
