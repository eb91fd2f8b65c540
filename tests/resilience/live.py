"""Helpers of the live resilience tests: citizens logged in on gunicorn instances, sending their consent
together, and the API Particulier simulator's request log."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import httpx

from demarche.config import DEMO_API_PARTICULIER_TOKEN
from tests.journeys import login, through_waiting
from tests.live import LiveBrowser, TaskWorker, new_secret, production_env, start_service
from tests.resilience.conftest import REDIS_URL

MANUAL_FORM = "/formulaire"


def start_instances(count, database_url, fc_sim, ap_sim, prefix, tmp_path, **extra):
    """`count` gunicorn instances (2 workers each) in the identite modality, sharing Redis under `prefix`, and
    beside each a task worker process (the prefill jobs run there); stop() stops both."""
    secret = new_secret()
    env = {"API_PARTICULIER_MODALITY": "identite", "API_PARTICULIER_TOKEN": DEMO_API_PARTICULIER_TOKEN,
           "REDIS_URL": REDIS_URL, "REDIS_KEY_PREFIX": prefix, "TASKS_QUEUE": prefix,
           "CITIZEN_RATE_LIMIT": "1000/hour", **extra}  # every family here is the same test identity
    instances = []
    for i in range(count):
        worker = TaskWorker(production_env(database_url, fc_sim.url, ap_sim.url, secret, **env),
                            log=tmp_path / f"worker{i}.log")
        service = start_service(database_url, fc_sim.url, ap_sim.url, secret, log=tmp_path / f"service{i}.log",
                                **env)
        service.stop = _and_then(service.stop, worker.stop)
        instances.append(service)
    return instances


def _and_then(first: Callable, second: Callable) -> Callable:
    def both() -> None:
        first()
        second()
    return both


def logged_in(instances, count: int) -> list[tuple[LiveBrowser, object]]:
    """`count` citizens, each on « Ce qui va se passer », their requests spread over the instances."""
    people = []
    for _ in range(count):
        browser = LiveBrowser([i.url for i in instances])
        people.append((browser, login(browser)))
    return people


def all_at_once(people, action: Callable) -> list:
    """Every citizen does `action(browser, page)` at the same moment; returns (page or error, seconds)."""
    results, barrier = [None] * len(people), threading.Barrier(len(people))

    def run(index, browser, page):
        barrier.wait()
        started = time.monotonic()
        try:
            results[index] = (action(browser, page), time.monotonic() - started)
        except Exception as error:  # noqa: BLE001 - reported by the test's assertions
            results[index] = (error, time.monotonic() - started)

    threads = [threading.Thread(target=run, args=(i, b, p)) for i, (b, p) in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def send_consent(browser, page):
    """« Récupérer mes données »: the waiting page (or already the form, when the job was quicker)."""
    return browser.submit(page, "/consentement", button="Récupérer mes données", accept="yes")


def fetch_data(browser, page):
    """« Récupérer mes données », then the waiting page until the form."""
    return through_waiting(browser, send_consent(browser, page))


def ap_requests(ap_sim) -> list[dict]:
    return [entry for entry in httpx.get(f"{ap_sim.url}/_sim/requests").json() if entry["path"].startswith("/v3/")]
