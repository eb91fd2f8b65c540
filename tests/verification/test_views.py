"""The public page /verifier: only that the code is genuine, the démarche's neutral title, the reference and the
deposit day;
its own answer for a tampered, unknown or purged code; rate-limited; nothing personal in the logs."""

import logging
import uuid
from datetime import timedelta

import pytest

from demarche.dossiers.states import label
from demarche.models import utcnow
from demarche.verification.codes import code_for
from tests import servers
from tests.backoffice.factories import make_dossier
from tests.backoffice.test_retention import purge


def code(app, reference: str) -> str:
    with app.app_context():
        return code_for(reference)


def test_a_genuine_code_shows_the_few_facts_and_nothing_certified(app, caplog):
    reference = make_dossier(app, submitted_at=utcnow().replace(month=1, day=15, hour=23, minute=30))
    caplog.set_level(logging.INFO)
    response = app.test_client().get(f"/verifier/{code(app, reference)}")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "Attestation authentique" in text
    assert "Inscription à la restauration scolaire" in text and reference in text and "Déposé" in text
    assert f"16/01/{utcnow().year}" in text  # 23:30 UTC in January is the 16th in Paris
    # Issue 19 i: no time, no live state, no social condition, no initials or birth month (docs/securite.md).
    for secret in ("DUBOIS", "Angela", "24/08/1962", "650", "Léo", "Lilas", "angela.dubois", "Jules-Ferry",
                   "00:30", "tarif social", "Déposé", "A. D.", "1962", "août", "né(e)", "État"):
        assert secret not in text.replace("Déposé le", ""), secret
    logged = "\n".join(f"{r.getMessage()} {getattr(r, 'context', '')}" for r in caplog.records)
    assert reference not in logged and code(app, reference)[-4:] not in logged
    assert "/verifier/<code>" in logged and "'outcome': 'found'" in logged


@pytest.mark.parametrize("status", ["accepte", "refuse", "en_instruction"])
def test_the_page_says_the_same_whatever_the_dossier_became(app, status):
    """A stranger learns that a deposit happened, not whether it was accepted."""
    reference = make_dossier(app, status=status, submitted_at=utcnow().replace(month=3, day=2, hour=9))
    text = app.test_client().get(f"/verifier/{code(app, reference)}").get_data(as_text=True)
    assert f"02/03/{utcnow().year}" in text
    assert label(status) not in text and "État actuel" not in text


def test_every_demarche_has_a_neutral_public_title():
    from demarche.procedures import PROCEDURES

    for procedure in PROCEDURES.values():
        assert procedure.public_title and procedure.public_title != procedure.title
        for revealing in ("social", "boursier", "solidaire", "réduit", "quotient", "C2S"):
            assert revealing not in procedure.public_title, procedure.slug


def test_the_form_checks_a_typed_code(app):
    reference = make_dossier(app)
    typed = code(app, reference).lower().replace("-", " ", 1)
    response = app.test_client().get("/verifier", query_string={"code": f" {typed} "})
    assert response.status_code == 200 and "Attestation authentique" in response.get_data(as_text=True)
    form = app.test_client().get("/verifier").get_data(as_text=True)
    assert "Code de vérification" in form and "Attestation authentique" not in form


def test_tampered_unknown_and_purged_codes_each_have_their_answer(app):
    reference = make_dossier(app, status="sans_suite", submitted_at=utcnow() - timedelta(days=200))
    genuine, client = code(app, reference), app.test_client()
    tampered = genuine[:-1] + ("A" if genuine[-1] != "A" else "B")
    response = client.get(f"/verifier/{tampered}")
    assert response.status_code == 400 and "Code invalide" in response.get_data(as_text=True)
    response = client.get(f"/verifier/{code(app, 'CAN-2026-ZZZZZZ')}")  # signed, but never issued here
    assert response.status_code == 404 and "Dossier inconnu" in response.get_data(as_text=True)
    purge(app, utcnow())  # « classé sans suite » is kept 90 days
    response = client.get(f"/verifier/{genuine}")
    text = response.get_data(as_text=True)
    assert response.status_code == 410 and "Ce dossier n’existe plus" in text and "Angela" not in text


def test_the_page_is_rate_limited_per_address(app):
    client = app.test_client()
    statuses = [client.get("/verifier/CAN-2026-AAAAAA-BBBB-CCCC").status_code for _ in range(21)]
    assert statuses == [400] * 20 + [429]
    assert "Trop de demandes" in client.get("/verifier").get_data(as_text=True)
    other = client.get("/verifier", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200  # another address has its own count


def test_with_redis_every_worker_shares_the_counts(make_app):
    import redis

    redis_url = servers.redis_url()

    try:
        redis.Redis.from_url(redis_url).ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {redis_url} (TEST_REDIS_URL; tests/servers.py starts one when redis-server exists)")
    address = f"198.51.100.{uuid.uuid4().int % 250 + 1}"  # a fresh key for this run on the shared server
    first, second = make_app(REDIS_URL=redis_url), make_app(REDIS_URL=redis_url)
    environ = {"REMOTE_ADDR": address}
    client = first.test_client()
    codes = [client.get("/verifier", environ_base=environ).status_code for _ in range(20)]
    assert codes == [200] * 20
    assert second.test_client().get("/verifier", environ_base=environ).status_code == 429
    redis.Redis.from_url(redis_url).delete(*redis.Redis.from_url(redis_url).keys(f"*{address}*") or ["none"])
