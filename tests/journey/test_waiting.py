"""The provider calls leave the request (issue 18): the consent enqueues one prefill job and answers at once with
« Nous récupérons vos données… », which follows the job to the prefilled form or to the manual path. Real
queue: the embedded worker (in memory) or a Huey consumer on the real Redis; the simulators over real HTTP."""

from __future__ import annotations

import json
import pickle
import threading
import time
from datetime import datetime, timedelta
from urllib.parse import urljoin

import httpx
import pytest
import redis

from demarche.extensions import db
from demarche.journey.credentials import unseal
from demarche.models import ConsentRecord, Prefill
from tests.browser import Browser
from tests.journeys import login
from tests.tasks.fixtures import REDIS_URL, wait_for

WAITING = "Nous récupérons vos données"
PREFILLED = "Vos données ont été récupérées"


@pytest.fixture
def embedded_app(make_journey_app):
    """A service whose queue is the demo's: an in-process worker thread, not the tests' immediate mode."""
    apps = []

    def factory(modality: str = "france_connect", **extra):
        apps.append(make_journey_app(modality, TASKS_IMMEDIATE="0", **extra))
        return apps[-1]

    yield factory
    for app in apps:
        consumer = app.extensions["tasks"].consumer
        if consumer is not None:
            consumer.stop(graceful=True)


def consent(browser: Browser):
    """Accept the prefill (confirming at FranceConnect in that modality); the page the service answers."""
    page = browser.submit(login(browser), "/consentement", button="Récupérer mes données", accept="yes")
    if "/api/v2/interaction/" in page.url:
        page = browser.submit(page, "", button="Continuer")
    return page


def status(browser: Browser, page, wait: bool = False) -> dict:
    url = page.url + "/etat" + ("?attendre=1" if wait else "")
    return json.loads(browser.get(url).text)


def consents(app) -> list[ConsentRecord]:
    with app.app_context():
        return db.session.scalars(db.select(ConsentRecord)).all()


def test_the_waiting_page_follows_the_job_to_the_prefilled_form(embedded_app, ap_sim):
    app = embedded_app()
    httpx.post(f"{ap_sim.url}/_sim/latency", json={"ms": 3000})
    browser = Browser(app.test_client())
    page = consent(browser)
    answered = httpx.get(f"{ap_sim.url}/_sim/requests").json()  # the provider logs a call once it has answered
    assert page.status == 200 and WAITING in page.text and "/patientez/" in page.url
    assert not [e for e in answered if e["path"].startswith("/v3/")]  # the consent did not wait for the provider
    assert 'aria-live="polite"' in page.text and 'http-equiv="refresh"' in page.text
    assert "quelques secondes" in page.text and "Remplir moi-même sans attendre" in page.text
    deadline, state = time.monotonic() + 30, status(browser, page, wait=True)  # a bounded long poll, repeated
    while not state["done"] and time.monotonic() < deadline:
        state = status(browser, page, wait=True)
    assert state["done"] and state["next"].endswith("/formulaire")  # the draft is kept: straight to the form
    form = browser.get("http://localhost" + state["next"])
    assert PREFILLED in form.text
    assert [c.outcome for c in consents(app)] == ["success"]


def test_without_javascript_the_page_reloads_until_the_form(embedded_app, ap_sim):
    app = embedded_app("identite")
    httpx.post(f"{ap_sim.url}/_sim/latency", json={"ms": 600})
    browser = Browser(app.test_client())
    page = consent(browser)
    assert WAITING in page.text
    page = wait_for(lambda: (p := browser.get(page.url)).url.endswith("/formulaire") and p, timeout=60, what="the form")
    assert PREFILLED in page.text


def test_the_access_token_and_identity_never_travel_in_clear(make_journey_app, redis_env, start_worker):
    app = make_journey_app(**redis_env)
    browser = Browser(app.test_client())
    page = consent(browser)
    assert WAITING in page.text
    client = redis.Redis.from_url(REDIS_URL)
    [raw] = client.lrange(app.extensions["tasks"].huey.storage.queue_key, 0, -1)
    client.close()
    message = pickle.loads(raw)  # noqa: S301 - what Huey stores: the task's arguments as they are
    consent_id, sealed, _deadline, draft_id = message.args
    with app.app_context():
        credentials = unseal(sealed, max_age=60)
    assert credentials.fc_token and credentials.fc_token.encode() not in raw
    assert credentials.identity.family_name.encode() not in raw and credentials.identity.birthdate.encode() not in raw
    assert (consent_id, draft_id) == (consents(app)[0].id, None)
    start_worker(app)
    page = wait_for(lambda: (p := browser.get(page.url)).url.endswith("/formulaire") and p, timeout=60, what="the form")
    assert PREFILLED in page.text


def test_a_job_refused_by_the_quota_is_retried_later_and_the_page_says_how_long(embedded_app, ap_sim):
    # 5 calls a minute (4 paced, one process calling): one call every 15 s, longer than a worker may wait for
    # its turn (10 s)
    app = embedded_app("identite", API_PARTICULIER_IP_RATE_LIMIT="5/minute", PROVIDER_CALLERS="1")
    first, second = Browser(app.test_client()), Browser(app.test_client())
    first_page = consent(first)
    wait_for(lambda: status(first, first_page, wait=True)["done"], what="the first citizen's data")
    page = consent(second)
    state = wait_for(lambda: (s := status(second, page)) and s["wait"] and s, what="a wait estimate")
    assert 10 <= state["wait"] <= 16 and not state["done"] and "attente estimée" in state["message"]
    wait_for(lambda: status(second, page, wait=True)["done"], timeout=30, what="the retried job")
    assert PREFILLED in second.get(page.url).text
    assert len([r for r in httpx.get(f"{ap_sim.url}/_sim/requests").json() if r["path"].startswith("/v3/")]) == 2


def test_a_citizen_who_does_not_wait_gets_the_manual_path_and_the_late_job_changes_nothing(
        make_journey_app, redis_env, start_worker, ap_sim):
    app = make_journey_app("identite", **redis_env)
    browser = Browser(app.test_client())
    page = consent(browser)
    form = browser.submit(page, "/patientez/", button="Remplir moi-même sans attendre")
    assert form.url.endswith("/formulaire") and "ne répond pas pour le moment" in form.text
    start_worker(app)
    wait_for(lambda: not app.extensions["tasks"].huey.pending_count(), what="the job taken")
    time.sleep(0.5)
    [record] = consents(app)
    assert record.outcome == "unavailable"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Prefill)) == 1
    assert [r for r in httpx.get(f"{ap_sim.url}/_sim/requests").json() if r["path"].startswith("/v3/")] == []


def test_with_the_broker_down_the_consent_calls_the_provider_itself_without_holding_a_connection(
        make_journey_app, ap_sim):
    """Redis stopped: the job cannot be queued, so the consent request makes the calls (paced at this process's
    share) and shows the prefilled form; meanwhile it holds no pooled database connection (a crowd of them
    would exhaust the pool: the busy page for everyone)."""
    from tests.tasks.fixtures import closed_port

    app = make_journey_app("identite", REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0")
    with app.app_context():
        pool = db.engine.pool
    httpx.post(f"{ap_sim.url}/_sim/latency", json={"ms": 1500})
    browser = Browser(app.test_client())
    held, done = [], []

    def sample() -> None:
        while not done:
            held.append((time.time(), pool.checkedout()))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    try:
        page = login(browser)
        httpx.delete(f"{ap_sim.url}/_sim/requests")
        sampler.start()
        page = browser.submit(page, "/consentement", button="Récupérer mes données", accept="yes")
    finally:
        done.append(True)
        if sampler.is_alive():
            sampler.join()
        httpx.post(f"{ap_sim.url}/_sim/latency", json={"ms": 0})
        browser.close()
    assert WAITING not in page.text and PREFILLED in page.text
    [call] = [e for e in httpx.get(f"{ap_sim.url}/_sim/requests").json() if e["path"].startswith("/v3/")]
    began = datetime.fromisoformat(call["time"]).timestamp()
    during = [count for at, count in held if began + 0.2 < at < began + call["duration_ms"] / 1000 - 0.2]
    assert len(during) > 5 and max(during) == 0  # while the provider took its 1.5 s, no connection was held


def test_a_job_that_never_runs_is_concluded_by_the_status_the_script_asks(make_journey_app, redis_env):
    """The queue lost the job (a broker that crashed without persistence; here: no worker at all). Past the
    citizen's patience, the status the page's script asks concludes with the manual path itself: a browser with
    JavaScript, which only ever asks the status, does not wait for ever."""
    app = make_journey_app("identite", **redis_env)  # jobs go to Redis, and no worker takes them
    browser = Browser(app.test_client())
    try:
        page = consent(browser)
        assert WAITING in page.text and status(browser, page)["done"] is False
        with app.app_context():  # the citizen's patience (and its grace) has passed since the consent
            [record] = db.session.scalars(db.select(ConsentRecord)).all()
            record.created_at -= timedelta(minutes=10)
            db.session.commit()
        state = status(browser, page)
        form = browser.get(urljoin(page.url, state["next"]))
    finally:
        browser.close()
    assert state["done"] is True and "/formulaire" in form.url
    assert "ne répond pas pour le moment" in form.text  # the reason, and the form to fill in
    assert consents(app)[0].outcome not in ("pending", "concluding")


def test_a_job_lost_with_the_queue_is_concluded_at_once_not_after_the_patience(make_journey_app, redis_env):
    """Redis restarted without persistence: the queued job is gone, and the marker the consent left beside it
    in the same Redis too. The status concludes a few seconds after the consent, not after the family's whole
    patience (two minutes); while the marker is there, the job is only late, and the page waits."""
    app = make_journey_app("identite", **redis_env)  # jobs go to Redis, and no worker takes them
    browser = Browser(app.test_client())
    client = redis.Redis.from_url(REDIS_URL)
    try:
        page = consent(browser)
        with app.app_context():  # 30 s since the consent: far within the patience (120 s)
            [record] = db.session.scalars(db.select(ConsentRecord)).all()
            record.created_at -= timedelta(seconds=30)
            db.session.commit()
        queued = status(browser, page)
        name = redis_env["TASKS_QUEUE"]  # Huey's keys spell it without its hyphen
        lost = [*client.scan_iter(f"*{name}*"), *client.scan_iter(f"huey.*{name.replace('-', '')}*")]
        assert any(b"huey.redis." in key for key in lost) and any(b":prefill:" in key for key in lost)
        client.delete(*lost)
        state = status(browser, page)
        form = browser.get(urljoin(page.url, state["next"]))
    finally:
        browser.close()
        client.close()
    assert queued["done"] is False  # the job is only late: its marker is in Redis
    assert state["done"] is True and "/formulaire" in form.url
    assert "ne répond pas pour le moment" in form.text  # the reason, and the form to fill in
