"""The sample « logiciel métier » receiver: signatures verified with its secret(s), duplicates acknowledged
but processed once, the dossier read through the service's API with its Bearer token, a DSFR page, and no
import of the service.

The service's API (GET /api/v1/dossiers/{reference}) is built on another branch (wt-api): the read path is
tested here against a tiny stand-in served over real HTTP, with the same URL and Bearer authentication."""

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from flask import Flask, jsonify, request

from demarche.devserver import serve
from demarche.webhooks import signing
from tests.tasks.fixtures import Receiver, wait_for

TOKEN = "jeton-du-logiciel-metier"


@pytest.fixture
def api():
    """A stand-in for the service's dossier API: Bearer token checked, a dossier's JSON."""
    stand_in = Flask("api-stand-in")

    @stand_in.get("/api/v1/dossiers/<reference>")
    def dossier(reference: str):
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return jsonify(erreur="jeton invalide"), 401
        return jsonify(reference=reference, status="depose", procedure="cantine")

    server = serve(lambda _url: stand_in)
    yield server
    server.stop()


@pytest.fixture
def make_receiver():
    made = []

    def factory(secret: str, **kwargs) -> Receiver:
        made.append(Receiver(**kwargs).start(secret))
        return made[-1]

    yield factory
    for receiver in made:
        receiver.stop()


def post(receiver: Receiver, secrets: list[str], message_id: str = "msg_1", reference: str = "CAN-2026-AAAAAA",
         event_type: str = "dossier.depose", now: datetime | None = None) -> httpx.Response:
    body = json.dumps({"id": message_id, "type": event_type, "timestamp": "2026-11-21T09:00:00Z",
                       "data": {"reference": reference, "procedure": "cantine", "status": "depose"}})
    return httpx.post(receiver.url, content=body, headers=signing.headers(secrets, message_id, body, now))


def test_a_signed_event_is_kept_and_the_dossier_read_through_the_api(make_receiver, api):
    secret = signing.new_secret()
    receiver = make_receiver(secret, service_url=api.url, token=TOKEN)
    response = post(receiver, [secret])
    assert response.status_code == 200 and response.json() == {"statut": "reçu"}
    [event] = wait_for(lambda: [e for e in receiver.events() if e["dossier"]], what="the dossier read")
    assert event["dossier"] == {"reference": "CAN-2026-AAAAAA", "status": "depose", "procedure": "cantine"}
    assert (event["type"], event["id"], event["deliveries"]) == ("dossier.depose", "msg_1", 1)


def test_a_wrong_token_is_shown_as_a_read_error(make_receiver, api):
    secret = signing.new_secret()
    receiver = make_receiver(secret, service_url=api.url, token="autre")
    post(receiver, [secret])
    [event] = wait_for(lambda: [e for e in receiver.events() if e["read_error"]], what="the read error")
    assert event["read_error"] == "l’API a répondu 401" and event["dossier"] is None


def test_bad_or_stale_signatures_are_refused(make_receiver):
    secret = signing.new_secret()
    receiver = make_receiver(secret)
    assert post(receiver, [signing.new_secret()]).status_code == 401
    stale = post(receiver, [secret], now=datetime.now(UTC) - timedelta(minutes=6))
    assert stale.status_code == 401 and stale.json() == {"erreur": "signature invalide ou périmée"}
    tampered = httpx.post(receiver.url, content=b'{"type":"dossier.supprime"}',
                          headers=signing.headers([secret], "msg_x", '{"type":"dossier.depose"}'))
    assert tampered.status_code == 401
    assert receiver.events() == []
    assert httpx.get(f"http://127.0.0.1:{receiver.port}/_sim/events").json()["refused"] == 3


def test_duplicates_are_acknowledged_and_processed_once(make_receiver):
    secret = signing.new_secret()
    receiver = make_receiver(secret)
    first = post(receiver, [secret], event_type="dossier.supprime")
    again = post(receiver, [secret], event_type="dossier.supprime")
    assert first.status_code == again.status_code == 200 and again.json() == {"statut": "doublon, déjà traité"}
    [event] = receiver.events()
    assert event["deliveries"] == 2 and event["read_error"] is None  # a deleted dossier is not read


def test_during_a_rotation_the_receiver_may_know_either_secret(make_receiver):
    old, new = signing.new_secret(), signing.new_secret()
    receiver = make_receiver(f"{old} {new}")
    assert post(receiver, [new, old], message_id="msg_a").status_code == 200
    assert post(receiver, [new], message_id="msg_b").status_code == 200
    assert post(receiver, [old], message_id="msg_c").status_code == 200


def test_a_simulated_outage_answers_503(make_receiver):
    secret = signing.new_secret()
    receiver = make_receiver(secret)
    base = f"http://127.0.0.1:{receiver.port}"
    assert httpx.post(f"{base}/_sim/panne", json={"active": True}).json() == {"panne": True}
    assert post(receiver, [secret]).status_code == 503
    assert "Panne simulée" in httpx.get(base).text
    httpx.post(f"{base}/_sim/panne", json={"active": False})
    assert post(receiver, [secret]).status_code == 200


def test_the_page_lists_the_events_in_the_dsfr(make_receiver):
    secret = signing.new_secret()
    receiver = make_receiver(secret)
    base = f"http://127.0.0.1:{receiver.port}"
    assert "Aucun événement pour l’instant" in httpx.get(base).text
    post(receiver, [secret], event_type="dossier.supprime", reference="CAN-2026-BBBBBB")
    page = httpx.get(base).text
    assert 'lang="fr"' in page and "fr-header" in page and "/static/dsfr/dsfr.min.css" in page
    assert "CAN-2026-BBBBBB" in page and "dossier.supprime" in page and "rien à lire" in page
    assert httpx.get(f"{base}/static/dsfr/dsfr.min.css").status_code == 200


def test_it_imports_nothing_of_the_service():
    code = ("import sys, demarche_sandbox.receiver; "
            "print(sorted(m for m in sys.modules if m.startswith('demarche') "
            "and m != 'demarche' and not m.startswith('demarche_sandbox')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert result.stdout.strip() == "[]"
