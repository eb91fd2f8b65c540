"""« Je n’ai pas FranceConnect » in Chromium: the e-mail code, the declared identity (a commune of the birth
date), the manual form and the agreement, the receipt; then the agent records how the identity was verified,
the check runs, the agent sees declared beside certified and concludes; the person sees the conclusion only."""

import re

from demarche.extensions import db
from demarche.models import OutboxMessage
from tests.backoffice.factories import COMMUNE, MARIE, allow
from tests.e2e import journey
from tests.e2e.test_agent_journey import agent_login


def emailed_code(stack, address: str) -> str:
    """The code as the person reads it in the e-mail (no SMTP here: the outbox keeps it)."""
    with stack.app.app_context():
        body = db.session.scalars(db.select(OutboxMessage.body).filter_by(kind="login_code", recipient=address)
                                  .order_by(OutboxMessage.id.desc())).first()
    return re.search(r"\b(\d{6})\b", body).group(1)


def file_without_franceconnect(page, steps, stack) -> str:
    page.goto(f"{stack.url}/")
    page.get_by_role("link", name=re.compile("restauration scolaire")).first.click()
    page.get_by_role("link", name=re.compile("Je n’ai pas FranceConnect")).click()
    steps("connexion-par-courriel")
    page.get_by_label(re.compile("^Adresse électronique")).fill("claire.martin@exemple.fr")
    page.get_by_role("button", name="Recevoir un code").click()
    page.get_by_role("heading", name="Saisir le code reçu par courriel").wait_for()
    steps("code-recu")
    page.get_by_label(re.compile("^Code reçu par courriel")).fill(emailed_code(stack, "claire.martin@exemple.fr"))
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Votre identité").wait_for()
    steps("identite")
    page.get_by_label(re.compile("^Nom de naissance")).fill("MARTIN")
    page.get_by_label(re.compile("^Premier prénom")).fill("Claire")
    page.get_by_label(re.compile("^Deuxième prénom")).fill("Odile")
    journey.tick(page, "Féminin", exact=True)
    page.get_by_label(re.compile("^Date de naissance")).fill("12/05/1984")
    journey.tick(page, re.compile("^En France"))
    page.get_by_label(re.compile("^Commune de naissance")).fill("Tours")
    page.get_by_role("button", name="Rechercher la commune").click()
    journey.tick(page, "Tours (37)", exact=True)
    steps("identite-commune")
    page.get_by_role("button", name="Continuer vers le formulaire").click()
    page.get_by_role("heading", name="Vérifiez et complétez votre demande").wait_for()
    assert page.get_by_text(re.compile("à Tours \\(37\\) — code 37261")).is_visible()
    page.get_by_label("Prénom(s) de l’enfant 1").fill("Léa")
    page.get_by_label("Nom de l’enfant 1").fill("BERNARD")
    page.get_by_label(re.compile("^Date de naissance de l’enfant 1")).fill("08/03/2014")
    page.get_by_label(re.compile("^Votre quotient familial")).fill("720")
    page.get_by_label("Adresse du foyer").fill("12 rue des Tanneurs, 37000 Tours")
    journey.choose(page)
    journey.tick(page, re.compile("^J’accepte que la mairie vérifie ma déclaration"))
    steps("formulaire-accord")
    reference = journey.submit(page, steps)
    assert page.get_by_text(re.compile("Vérification auprès de .* : en attente")).is_visible()
    return reference


def test_the_e_mail_path_to_a_receipt_then_the_agents_check(make_stack, chromium, page, steps):
    stack = make_stack(agents=True)
    allow(stack.app, MARIE, COMMUNE)
    reference = file_without_franceconnect(page, steps, stack)
    receipt = page.url

    context = chromium.new_context(locale="fr-FR")
    agent = context.new_page()
    try:
        agent_login(agent, stack.url)
        agent.get_by_role("button", name=reference).click()
        agent.get_by_role("heading", name="Vérification de l’identité déclarée").wait_for()
        assert agent.get_by_text("Identité déclarée, non certifiée").is_visible()
        journey.tick(agent, "Pièce d’identité vue au guichet")
        agent.get_by_role("button", name="Vérifier auprès des organismes").click()
        agent.get_by_text("Vérification demandée").first.wait_for()
        agent.reload()  # the job answered meanwhile (the tests' queue runs it at once)
        section = agent.locator("section", has=agent.get_by_role("heading", name="Vérification de l’identité déclarée"))
        text = section.inner_text()
        assert "Déclaré par l’usager" in text and "Certifié" in text
        assert "Quotient familial : 720" in text and "MARTIN CLAIRE ODILE" in text and "BERNARD THOMAS" in text
        assert "Pièce d’identité vue au guichet" in text and "modalité identite" in text
        journey.tick(agent, "Conforme", exact=True)
        agent.get_by_role("button", name="Enregistrer la conclusion").click()
        agent.get_by_text("Conclusion enregistrée").wait_for()
    finally:
        context.close()

    page.goto(receipt)
    assert page.get_by_text(re.compile("Vérifié auprès de .* : conforme")).is_visible()
    assert "BERNARD THOMAS" not in page.locator("main").inner_text()
    steps("accuse-de-reception-verifie")
    steps.assert_accessible()
