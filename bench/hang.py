"""Scenario 2 of the benchmark: many citizens ask for their data while API Particulier hangs.

Every citizen is signed in first; then the simulator stops answering (/_sim/latency), and each citizen
presses « Récupérer mes données » at a random moment of a few seconds, while other signed-in citizens
browse pages that need no provider and a load balancer probes /healthz (both from another process:
observers.py). Measured: 5xx, the manual path offered to every affected citizen, /healthz p99 (through a
worker, and from gunicorn's master on HEALTH_PORT), the other pages' p95.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from bench.citizen import PERSONAS, Citizen, JourneyError, Timings
from bench.observers import Observers
from bench.report import percentile

MANUAL = ("ne répond pas pour le moment", "Le service est très sollicité")


def signed_in(new_citizen: Callable[[int], Citizen], count: int) -> list[tuple[Citizen, str, str]]:
    """`count` citizens on « Ce qui va se passer » (16 sign in at a time)."""
    def one(index: int):
        citizen = new_citizen(index)
        return (citizen, *citizen.sign_in(PERSONAS[index % len(PERSONAS)]))

    with ThreadPoolExecutor(16) as pool:
        return list(pool.map(one, range(count)))


def run_hang(service_url: str, ap_url: str, citizens: int, spread: float = 5.0, health_url: str = "",
             new_citizen: Callable[[int], Citizen] | None = None, browsing: int = 8, think: float = 0.0) -> dict:
    """`new_citizen(index)` spreads the citizens over instances (opening day); by default all on service_url.
    `browsing` other citizens view pages on service_url, one every `think` s on average (0: back to back), and
    the probes ask service_url's /healthz."""
    people = signed_in(new_citizen or (lambda _: Citizen(service_url, Timings())), citizens)
    browsers = signed_in(lambda _: Citizen(service_url, Timings()), browsing)
    httpx.delete(f"{ap_url}/_sim/requests")
    httpx.post(f"{ap_url}/_sim/latency", json={"ms": 30_000})  # hangs: longer than the 12.5 s budget
    outcomes, lock = [], threading.Lock()

    def ask(citizen: Citizen, url: str, html: str) -> None:
        time.sleep(random.uniform(0, spread))  # noqa: S311 - arrival times, not crypto
        started = time.perf_counter()
        try:
            _, page = citizen.fetch_data(url, html)
            outcome = "manual" if "/formulaire" in page and any(m in page for m in MANUAL) else "other"
        except (JourneyError, httpx.HTTPError) as error:
            outcome = f"error: {str(error).split(' on ')[0]}"
        with lock:
            outcomes.append((outcome, time.perf_counter() - started))

    health_urls = [f"{service_url}/healthz"] + ([health_url] if health_url else [])
    observers = Observers(service_url, health_urls, [dict(b[0].http.cookies) for b in browsers], think=think)
    askers = [threading.Thread(target=ask, args=person) for person in people]
    observers.start()
    time.sleep(1)  # the observers' process is up and probing before the first citizen asks
    try:
        for thread in askers:
            thread.start()
        for thread in askers:
            thread.join()
    finally:
        observed = observers.stop()
        httpx.post(f"{ap_url}/_sim/latency", json={"ms": 0}, timeout=60)
        for citizen, *_ in people + browsers:
            citizen.close()
    health, *listener = observed["health"]
    instances = len({getattr(citizen, "backend", service_url) for citizen, *_ in people})
    return {"citizens": citizens, "spread": spread, "instances": instances, "browsing": browsing, "think": think,
            "outcomes": outcomes, "health": health,
            "listener": listener[0] if listener else [], "pages": observed["pages"]}


def _ms(samples: list[tuple], p: float) -> float:
    return percentile([seconds for _, seconds in samples], p) * 1000 if samples else float("nan")


def hang_numbers(result: dict) -> dict:
    """The scenario's figures, for its own table and for the targets table (report.py)."""
    outcomes, health, listener, pages = (result[k] for k in ("outcomes", "health", "listener", "pages"))
    errors = [kind for kind, _ in outcomes if kind.startswith("error")]
    fivexx = sum(1 for status, _ in health + listener + pages if status >= 500) + sum(e[7:8] == "5" for e in errors)
    return {"manual": sum(1 for kind, _ in outcomes if kind == "manual"), "asked": len(outcomes),
            "errors": sorted(set(errors)), "fivexx": fivexx, "wait": (_ms(outcomes, 50), _ms(outcomes, 95)),
            "health": (_ms(health, 50), _ms(health, 99), len(health)),
            "listener": (_ms(listener, 50), _ms(listener, 99), len(listener)) if listener else None,
            "pages": (_ms(pages, 50), _ms(pages, 95), len(pages))}


def hang_rows(result: dict) -> list[str]:
    n = hang_numbers(result)
    rows = [
        f"| Usagers demandant leurs données pendant la panne | {result['citizens']} (arrivées réparties sur "
        f"{result['spread']:.0f} s ; {result.get('instances', 1)} instance(s)) |",
        f"| Parcours manuel proposé | {n['manual']} sur {n['asked']}"
        + (f" ; autres issues : {', '.join(n['errors'])}" if n["errors"] else "") + " |",
        f"| Attente avant le parcours manuel, p50 / p95 | {n['wait'][0]:.0f} / {n['wait'][1]:.0f} ms |",
        f"| Réponses 5xx (toutes requêtes mesurées) | {n['fivexx']} |",
        "| `/healthz` sur le port du service (servi par un processus de travail), p50 / p99 ({2} sondes) | "
        "{0:.0f} / {1:.0f} ms |".format(*n["health"]),
    ]
    if n["listener"]:
        rows.append("| `/healthz` sur `HEALTH_PORT` (processus maître de gunicorn), p50 / p99 ({2} sondes) | "
                    "{0:.0f} / {1:.0f} ms |".format(*n["listener"]))
    pace = (f"{result.get('browsing', 8)} usagers, une page toutes les {result['think']:.0f} s environ"
            if result.get("think") else f"{result.get('browsing', 8)} usagers, pages à la suite")
    rows.append(f"| Pages sans fournisseur (Mon espace, Mes démarches, mentions légales ; {pace}), p50 / p95 "
                "({2} requêtes) | "
                "{0:.0f} / {1:.0f} ms |".format(*n["pages"]))
    return rows
