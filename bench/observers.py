"""Scenario 2's observers in a process of their own: the load balancer's probes and the citizens browsing
pages that need no provider. In the load generator's process their timings would include waiting for its
interpreter lock behind 200 citizen threads parsing HTML, which is not the service's doing."""

from __future__ import annotations

import multiprocessing
import random
import threading
import time

import httpx

PAGES = ("/mon-espace", "/mes-demarches", "/mentions-legales")


def _observe(service_url: str, health_urls: list[str], cookies: list[dict], stop, results, think: float) -> None:
    samples: dict[str, list] = {url: [] for url in health_urls}
    pages: list = []

    def probe(url: str) -> None:
        with httpx.Client(timeout=30) as client:
            while not stop.is_set():
                started = time.perf_counter()
                status = client.get(url).status_code
                samples[url].append((status, time.perf_counter() - started))
                time.sleep(0.02)

    def browse(jar: dict) -> None:
        with httpx.Client(timeout=30, cookies=jar) as client:
            while not stop.is_set():
                for path in PAGES:
                    started = time.perf_counter()
                    status = client.get(service_url + path).status_code
                    pages.append((status, time.perf_counter() - started))
                    # A citizen reads a page before the next (`think` s on average); 0: as fast as it can.
                    time.sleep(random.uniform(0.5, 1.5) * think if think else 0.0)  # noqa: S311 - not crypto
                time.sleep(0.05)

    threads = ([threading.Thread(target=probe, args=(url,)) for url in health_urls]
               + [threading.Thread(target=browse, args=(jar,)) for jar in cookies])
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put({"health": [samples[url] for url in health_urls], "pages": pages})


class Observers:
    """Start before the citizens ask, stop after: {"health": [samples per URL], "pages": samples}."""

    def __init__(self, service_url: str, health_urls: list[str], cookies: list[dict], think: float = 0.0):
        context = multiprocessing.get_context("spawn")  # no fork of a process running hundreds of threads
        self._stop, self._results = context.Event(), context.Queue()
        self._process = context.Process(target=_observe, args=(service_url, health_urls, cookies, self._stop,
                                                               self._results, think), daemon=True)

    def start(self) -> None:
        self._process.start()

    def stop(self) -> dict:
        self._stop.set()
        found = self._results.get(timeout=60)
        self._process.join(timeout=10)
        return found
