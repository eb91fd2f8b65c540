"""Journey steps shared by the tests: log in through the FranceConnect simulator's screens, accept the
prefill, read a simulator's request log."""

from __future__ import annotations

import json
import time

import httpx

from tests.browser import Browser, Page

WAITING_PATH = "/patientez/"


def start_login(browser: Browser, demarche: str = "cantine") -> Page:
    """Pick a démarche on the home page → FranceConnect button → the simulator's identity-provider choice."""
    home = browser.get(f"http://localhost/commencer?demarche={demarche}")
    return browser.submit(home, "/franceconnect/login")


def login_at_franceconnect(browser: Browser, page: Page, login: str = "test", password: str = "123",
                           idp: str = "impots.gouv.fr") -> Page:
    """Pick the provider, log in, accept the transmission screen; returns the page back at the service."""
    page = browser.submit(page, "", button=idp)
    page = browser.submit(page, "", login=login, password=password)
    return browser.submit(page, "", button="Continuer")


def login(browser: Browser, login: str = "test", demarche: str = "cantine") -> Page:
    """Log in as a test identity; lands on the démarche's « Ce qui va se passer »."""
    return login_at_franceconnect(browser, start_login(browser, demarche), login=login)


def accept(browser: Browser, page: Page, transmit: bool = True) -> Page:
    """Accept on « Ce qui va se passer »; in the france_connect modality, confirm at FranceConnect (unless
    `transmit` is False: the test then acts on its transmission screen itself)."""
    page = browser.submit(page, "/consentement", button="Récupérer mes données", accept="yes")
    if transmit and "/api/v2/interaction/" in page.url:
        assert "Se connecter" not in page.text  # already logged in at FranceConnect: no new login
        page = browser.submit(page, "", button="Continuer")
    return through_waiting(browser, page)


def through_waiting(browser: Browser, page: Page, timeout: float = 60) -> Page:
    """Past « Nous récupérons vos données… » as its script goes: ask the status (which waits a little for the
    prefill job), then the page again, which leads to the form once the job has ended."""
    deadline = time.monotonic() + timeout
    while WAITING_PATH in page.url and page.status == 200 and time.monotonic() < deadline:
        state = browser.get(page.url + "/etat?attendre=1")
        if state.status == 200 and '"done":false' in state.text.replace(" ", ""):
            time.sleep(json.loads(state.text)["poll_ms"] / 1000)
        page = browser.get(page.url)
    return page


def sim_log(url: str) -> list[dict]:
    """A simulator's request log (GET /_sim/requests), oldest first."""
    return httpx.get(f"{url}/_sim/requests").json()


class SimControl:
    """The FranceConnect simulator's /_sim controls."""

    def __init__(self, url: str):
        self.url = url

    def post(self, path: str, body: dict | None = None) -> dict:
        response = httpx.post(f"{self.url}/_sim/{path}", json=body or {})
        response.raise_for_status()
        return response.json()

    def requests(self) -> list[str]:
        return [entry["path"] for entry in sim_log(self.url)]

    def clear_requests(self) -> None:
        httpx.delete(f"{self.url}/_sim/requests")
