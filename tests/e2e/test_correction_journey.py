"""Issue 12, the correction loop in Chromium: the agent asks for a correction, the citizen gets the e-mail, opens
its link, changes the diet, confirms « J’ai effectué les corrections » and sees the history; the agent then
accepts. A screenshot and an axe-core audit at every step, on both sides."""

import re

from demarche_sandbox.mailbox import Mailbox, SmtpServer
from tests.backoffice.factories import COMMUNE, MARIE, allow
from tests.e2e import journey
from tests.e2e.conftest import AXE
from tests.e2e.test_agent_journey import agent_login

MOTIVE = "Merci de préciser le régime alimentaire de votre enfant."


def ask_correction(stack, reference: str, motive: str = MOTIVE) -> None:
    """An agent's two moves (en instruction, then the request), made the back-office's way (workflow)."""
    from demarche.dossiers import transitions
    from demarche.dossiers.models import Dossier
    from demarche.extensions import db

    with stack.app.test_request_context():  # the e-mail's link is built from the request's URL map
        dossier = db.session.scalar(db.select(Dossier).filter_by(reference=reference))
        transitions.change_status(dossier, "en_instruction", MARIE)
        transitions.change_status(dossier, "en_attente_de_correction", MARIE, motive)


def test_an_agent_asks_for_a_correction_the_citizen_corrects_the_agent_accepts(make_stack, chromium, page, steps):
    sink = SmtpServer(Mailbox(), port=0)
    try:
        stack = make_stack(agents=True, SMTP_HOST="127.0.0.1", SMTP_PORT=str(sink.port))
        allow(stack.app, MARIE, COMMUNE)
        journey.login(page, steps, stack.url)
        journey.accept(page, steps, stack.url)
        journey.choose(page, ("HUGO",), diet="Menu standard")
        reference = journey.submit(page, steps)

        agent = chromium.new_context(locale="fr-FR").new_page()
        agent.context.add_init_script(path=str(AXE))
        agent_steps = type(steps)(agent, steps.folder / "agent")
        agent_login(agent, stack.url)
        agent.goto(f"{stack.url}/agents/dossiers/{reference}")
        agent.get_by_role("button", name="Ouvrir le dossier").click()  # opening is a POST (journaled)
        journey.tick(agent, "Passer en instruction")
        agent.get_by_role("button", name="Enregistrer").click()
        agent.get_by_text("est maintenant « En instruction »").wait_for()
        journey.tick(agent, "Demander une correction à l’usager")
        agent.get_by_label(re.compile("^Motif")).fill(MOTIVE)
        agent.get_by_role("button", name="Enregistrer").click()
        agent.get_by_text("est maintenant « En attente de correction »").wait_for()
        assert agent.get_by_label(re.compile("^Accepter")).count() == 0  # no decision while waiting
        agent_steps("dossier-en-attente-de-correction")

        mail = next(m for m in sink.mailbox.messages() if "correction" in m.subject)
        link = re.search(r"http://\S+/correction", mail.body).group(0)
        assert MOTIVE in mail.body
        page.goto(link)
        page.get_by_role("heading", name=f"Corriger votre dossier {reference}").wait_for()
        assert MOTIVE in page.locator("main").inner_text()
        steps("correction")
        journey.tick(page, "Végétarien", exact=True)
        journey.tick(page, re.compile("^J’ai effectué les corrections demandées"))
        page.get_by_role("button", name="Envoyer mes corrections").click()
        page.get_by_text("Vos corrections ont été envoyées").wait_for()
        history = page.locator("main").inner_text()
        assert "Régime alimentaire : « Menu standard » → « Végétarien »" in history and MOTIVE in history
        steps("corrections-envoyees-historique")
        assert "en instruction" in journey.my_dossiers(page, steps).lower()

        agent.reload()
        assert "Régime alimentaire : « Menu standard » → « Végétarien »" in agent.locator("main").inner_text()
        agent_steps("dossier-corrige")
        journey.tick(agent, re.compile("^Accepter"))
        agent.get_by_label(re.compile("^Motif")).fill("Inscription validée, menu végétarien noté.")
        agent.get_by_role("button", name="Enregistrer").click()
        agent.get_by_text("est maintenant « Accepté »").wait_for()
        agent_steps("dossier-accepte")
        agent.context.close()

        page.goto(f"{stack.url}/demarches/cantine/recu/{reference}")
        assert "accepté" in page.locator("main").inner_text().lower()
        steps("recu-accepte")
        steps.assert_accessible()
        agent_steps.assert_accessible()
    finally:
        sink.stop()
