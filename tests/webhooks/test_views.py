"""The agents' delivery log (/agents/webhooks): their organisation's endpoints and deliveries, nobody else's."""

from tests.backoffice.factories import OTHER_ORG, SOPHIE, agent_login, make_dossier
from tests.webhooks.helpers import add_webhook, record


def test_agents_see_their_organisation_s_deliveries(bo_app, browsers):
    add_webhook(bo_app, "http://127.0.0.1:9/hook")  # nothing listens: the attempt fails
    add_webhook(bo_app, "http://127.0.0.1:9/other", siret=OTHER_ORG)
    reference = make_dossier(bo_app)
    record(bo_app, reference, "dossier.depose")
    browser = browsers(bo_app)
    page = agent_login(browser)
    assert 'href="/agents/webhooks"' in page.text
    page = browser.get("http://localhost/agents/webhooks")
    assert "Journal des envois" in page.text and "http://127.0.0.1:9/hook" in page.text
    assert reference in page.text and "Dossier déposé" in page.text and "En attente" in page.text
    assert "connexion impossible" in page.text and "prochaine tentative" in page.text
    assert "http://127.0.0.1:9/other" not in page.text
    other = browsers(bo_app)
    agent_login(other, SOPHIE)
    page = other.get("http://localhost/agents/webhooks")
    assert "http://127.0.0.1:9/other" in page.text and reference not in page.text


def test_the_log_needs_an_agent(bo_app):
    response = bo_app.test_client().get("/agents/webhooks")
    assert response.status_code == 303 and "/agents/" in response.headers["Location"]
