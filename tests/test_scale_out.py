"""Two app processes (two gunicorn instances, two workers each) share one PostgreSQL: a citizen whose
every request alternates between them completes the démarche (sessions, CSRF and drafts are in the database)."""

import re

import sqlalchemy as sa

from tests.journeys import login, through_waiting
from tests.live import LiveBrowser, needs_postgres, new_secret, start_service

pytestmark = needs_postgres
CHOICES = {"school": "jules-ferry", "days": ["lundi", "jeudi"], "diet": "standard"}


def test_a_journey_alternating_between_two_instances_completes(make_app, database_url, fc_sim, ap_sim):
    make_app()  # the schema, built by the migrations
    secret = new_secret()  # shared by every process: it signs the CSRF tokens
    instances = [start_service(database_url, fc_sim.url, ap_sim.url, secret) for _ in range(2)]
    browser = LiveBrowser([instance.url for instance in instances])
    try:
        page = login(browser)
        assert "Ce qui va se passer" in page.text
        page = browser.submit(page, "/consentement", button="Récupérer mes données", accept="yes")
        page = browser.submit(page, "", button="Continuer")  # FranceConnect's transmission screen
        page = through_waiting(browser, page)  # the prefill job ran in one instance's embedded worker
        assert "Vos données ont été récupérées" in page.text
        receipt = browser.submit(page, "/formulaire", children=["0"], **CHOICES)
        assert "Votre demande a bien été envoyée" in receipt.text
        reference = re.search(r"CAN-\d{4}-[A-Z0-9]{6}", receipt.text).group(0)
        assert reference in browser.get("http://localhost/mes-demarches").text
        assert all(browser.service_http.get(i.url + "/readyz").status_code == 200 for i in instances)
    finally:
        browser.close()
        for instance in instances:
            instance.stop()
    backends = [backend for backend, _ in browser.served_by]
    assert set(backends) == {instance.url for instance in instances}
    assert all(a != b for a, b in zip(backends, backends[1:], strict=False))  # never twice in a row on one
    where = {path: backend for backend, path in browser.served_by}
    # state and nonce written by one instance, checked by the other:
    assert where["/franceconnect/login"] != where["/franceconnect/callback"]
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT reference FROM dossier")).scalars().all() == [reference]
    engine.dispose()
