"""The integration round trip the demo shows a partner administration, end to end over real HTTP: a citizen's
deposit reaches the commune's software (the sandbox's sample receiver) signed, through a real worker on Redis;
the receiver reads the dossier through the API with its own token; the software's decision, sent through the
API, shows in the back-office and reaches the citizen by e-mail."""

from __future__ import annotations

import re

import httpx

from demarche.devserver import serve
from demarche.webhooks.cli import add_endpoint
from tests.api.conftest import bearer, new_token
from tests.backoffice.conftest import pc_sim, smtp_sink  # noqa: F401 - fixtures, requested by name
from tests.backoffice.factories import COMMUNE, MARIE, agent_login, allow, open_dossier
from tests.browser import Browser
from tests.journeys import login as citizen_login
from tests.tasks.fixtures import receivers, redis_env, start_worker, wait_for  # noqa: F401
from tests.test_journey import CHOICES, accept


def test_a_deposit_reaches_the_software_which_reads_it_and_its_decision_comes_back(
        make_journey_app, pc_sim, smtp_sink, redis_env, start_worker, receivers):  # noqa: F811
    app = make_journey_app(PROCONNECT_ISSUER=f"{pc_sim.url}/api/v2", SMTP_HOST="127.0.0.1",
                           SMTP_PORT=str(smtp_sink.port), **redis_env)
    allow(app, MARIE, COMMUNE)
    service = serve(lambda _url: app)  # the receiver reads the API over HTTP, as a real software would
    try:
        read_token = new_token(app, scope="read", name="Logiciel cantine")
        receiver = receivers(service_url=service.url, token=read_token)
        with app.app_context():
            secret = add_endpoint(COMMUNE, receiver.url).secret
        receiver.start(secret)
        start_worker(app)

        citizen = Browser(app.test_client())
        receipt = citizen.submit(accept(citizen, citizen_login(citizen)), "/formulaire", children=["0"], **CHOICES)
        reference = re.search(r"CAN-\d{4}-[A-Z0-9]{6}", receipt.text).group(0)

        [event] = wait_for(lambda: [e for e in receiver.events() if e["dossier"]], what="the dossier read")
        assert (event["type"], event["reference"]) == ("dossier.depose", reference)
        assert event["dossier"]["reference"] == reference and event["dossier"]["status"] == "depose"

        instruct = new_token(app, scope="instruct", name="Logiciel cantine")
        path = f"{service.url}/api/v1/dossiers/{reference}/instruction"
        for status, motive in (("en_instruction", None), ("accepte", "Inscription validée pour la rentrée.")):
            answer = httpx.post(path, json={"status": status, **({"motive": motive} if motive else {})},
                                headers=bearer(instruct, **{"Idempotency-Key": f"{reference}-{status}"}))
            assert answer.status_code == 200, answer.text

        agent = Browser(app.test_client())
        agent_login(agent)
        page = open_dossier(agent, reference)
        assert "Accepté" in page.text and "Inscription validée pour la rentrée." in page.text
        decided = wait_for(lambda: [m for m in smtp_sink.mailbox.messages() if "Inscription validée" in str(m)],
                           what="the decision e-mail")
        assert decided
        statuses = wait_for(lambda: [e["status"] for e in receiver.events()][1:] or None, what="state events")
        assert statuses[-1] == "accepte"
        citizen.close()
        agent.close()
    finally:
        service.stop()
