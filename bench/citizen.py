"""One simulated citizen: the whole journey over HTTP, like a browser without JavaScript, each step timed.

A step is one action of the citizen (a link followed or a form sent) with all the redirects it
causes, across the service and the simulators, until the next page is shown.
"""

from __future__ import annotations

import re
import ssl
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx

STEPS = ("accueil", "connexion", "fc_compte", "fc_identifiants", "fc_retour", "accord", "preremplissage",
         "envoi", "mes_demarches")
PERSONAS = ("test", "avec_nom_dusage", "caractères_spéciaux")  # CAF or MSA families with children
REFERENCE = re.compile(r"CAN-\d{4}-[A-Z0-9]{6}")


class JourneyError(Exception):
    """The journey could not go on: an unexpected status or page."""


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # (name, value, label)
    checkboxes: dict[str, list[str]] = field(default_factory=dict)


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._button: list | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", "")))
        elif not self.forms:
            return
        elif tag == "input" and a.get("type") in ("hidden", "text", "email", None) and a.get("name"):
            self.forms[-1].fields.setdefault(a["name"], a.get("value", ""))
        elif tag == "input" and a.get("type") == "checkbox" and a.get("name"):
            self.forms[-1].checkboxes.setdefault(a["name"], []).append(a.get("value", "on"))
        elif tag == "button":
            self._button = [a.get("name", ""), a.get("value", ""), ""]

    def handle_data(self, data):
        if self._button is not None:
            self._button[2] += data

    def handle_endtag(self, tag):
        if tag == "button" and self._button is not None and self.forms:
            self.forms[-1].buttons.append((self._button[0], self._button[1], " ".join(self._button[2].split())))
            self._button = None


def form(html: str, action: str = "", button: str | None = None) -> tuple[Form, dict]:
    """The first form whose action contains `action`, and its data with `button` pressed."""
    parser = _Forms()
    parser.feed(html)
    found = next((f for f in parser.forms if action in f.action), None)
    if found is None:
        raise JourneyError(f"no form {action!r} on the page")
    data = dict(found.fields)
    if button is not None:
        name, value, _ = next((b for b in found.buttons if button in b[2] or button == b[1]), ("", "", ""))
        if name:
            data[name] = value
    return found, data


@dataclass
class Timings:
    """What one citizen measured: step durations, service request durations, errors."""

    steps: dict[str, list[float]] = field(default_factory=dict)
    requests: dict[str, list[float]] = field(default_factory=dict)  # "service GET /path" → seconds
    errors: dict[str, int] = field(default_factory=dict)
    completed: int = 0

    def add(self, bucket: dict, key: str, value: float) -> None:
        bucket.setdefault(key, []).append(value)


# Shared by every citizen: building an SSL context costs ~30 ms of CPU, and the load generator shares the
# machine's two cores with what it measures.
_TLS = ssl.create_default_context()
KEEPALIVE_EXPIRY = 4.0


class Citizen:
    """A browser-like client: one cookie jar, redirects followed by hand so each request is timed."""

    def __init__(self, service_url: str, timings: Timings):
        self.service_url = service_url
        # Idle connections are dropped after 4 s, before gunicorn closes them (keepalive = 5 s): reusing one that
        # the server is closing at that very moment ends in "connection reset", where a browser would retry.
        self.http = httpx.Client(follow_redirects=False, timeout=30, verify=_TLS,
                                 limits=httpx.Limits(keepalive_expiry=KEEPALIVE_EXPIRY))
        self.t = timings

    def close(self) -> None:
        self.http.close()

    def _go(self, method: str, url: str, data: dict | None = None) -> tuple[str, str]:
        """Send, follow redirects; return (final URL, HTML)."""
        for _ in range(10):
            started = time.perf_counter()
            response = self._send(method, url, data)
            if url.startswith(self.service_url):
                path = re.sub(r"CAN-\d{4}-\w+", "<ref>", urlsplit(url).path)
                self.t.add(self.t.requests, f"{method} {path}", time.perf_counter() - started)
            if response.status_code in (302, 303) and "location" in response.headers:
                url, method, data = urljoin(url, response.headers["location"]), "GET", None
                continue
            if response.status_code >= 400:
                raise JourneyError(f"{response.status_code} on {method} {urlsplit(url).path}")
            return url, response.text
        raise JourneyError("too many redirects")

    def _send(self, method: str, url: str, data: dict | None) -> httpx.Response:
        """One request; sent again once on a fresh connection when a kept-alive one turns out closed by the
        server before any answer (gunicorn's keepalive is 5 s), as browsers do
        (https://www.rfc-editor.org/rfc/rfc9112#section-9.3.1)."""
        try:
            return self.http.request(method, url, data=data)
        except httpx.RemoteProtocolError:
            return self.http.request(method, url, data=data)

    def _step(self, name: str, method: str, url: str, data: dict | None = None) -> tuple[str, str]:
        started = time.perf_counter()
        result = self._go(method, url, data)
        self.t.add(self.t.steps, name, time.perf_counter() - started)
        return result

    def journey(self, login: str) -> str:
        """The whole démarche; returns the dossier number."""
        url, html = self.sign_in(login)
        url, html = self.fetch_data(url, html)
        if "Vos données ont été récupérées" not in html:
            raise JourneyError("the form is not prefilled")
        return self.submit(url, html)

    def sign_in(self, login: str) -> tuple[str, str]:
        """From the home page to « Ce qui va se passer », through FranceConnect's screens."""
        url, html = self._step("accueil", "GET", f"{self.service_url}/commencer?demarche=cantine")
        f, data = form(html, "/franceconnect/login")
        url, html = self._step("connexion", "POST", urljoin(url, f.action), data)
        f, data = form(html, "/idp", button="impots.gouv.fr")
        url, html = self._step("fc_compte", "POST", urljoin(url, f.action), data)
        f, data = form(html, "/login")
        url, html = self._step("fc_identifiants", "POST", urljoin(url, f.action), {**data, "login": login,
                                                                                       "password": "123"})
        f, data = form(html, "/consent")
        started = time.perf_counter()
        url, html = self._go("POST", urljoin(url, f.action), data)
        if "/consentement" not in html:  # landed on the citizen's space: the démarche is one click away
            url, html = self._go("GET", f"{self.service_url}/commencer?demarche=cantine")
        self.t.add(self.t.steps, "fc_retour", time.perf_counter() - started)
        return url, html

    def fetch_data(self, url: str, html: str) -> tuple[str, str]:
        """« Récupérer mes données », FranceConnect's transmission screen: the form, prefilled or not."""
        f, data = form(html, "/consentement", button="Récupérer mes données")
        # The sources ticked by default (the CAF/MSA quotient), as a browser sends them.
        ticked = dict.fromkeys(re.findall(r'name="(source_[a-z_]+)" value="yes" checked', html), "yes")
        url, html = self._step("accord", "POST", urljoin(url, f.action), {**data, **ticked, "accept": "yes"})
        if "/interaction/" in url:  # modality france_connect: FranceConnect's transmission screen
            f, data = form(html, "/consent")
            url, html = self._step("preremplissage", "POST", urljoin(url, f.action), data)
        return self.through_waiting(url, html)

    def through_waiting(self, url: str, html: str, patience: float = 300) -> tuple[str, str]:
        """« Nous récupérons vos données… » as its script goes: the status (a long poll that answers as soon as
        the prefill job ends), then the form it names; the step « attente » is the time spent there."""
        started, deadline = time.perf_counter(), time.monotonic() + patience
        while "/patientez/" in url and time.monotonic() < deadline:
            response = self._send("GET", f"{url}/etat?attendre=1", None)
            if response.status_code >= 400:
                raise JourneyError(f"{response.status_code} on GET /patientez/<id>/etat")
            state = response.json()
            if state.get("done"):
                url, html = self._go("GET", urljoin(url, state["next"]))
            else:
                time.sleep(0.25)  # the long poll's slots were all taken: it answered at once
        if "/patientez/" in url:
            raise JourneyError("still waiting for the data")
        self.t.add(self.t.steps, "attente", time.perf_counter() - started)
        return url, html

    def submit(self, url: str, html: str) -> str:
        """Send the form, check the receipt and « Mes démarches »; returns the dossier number."""
        f, data = form(html, "/formulaire")
        answers = {**data, "children": f.checkboxes["children"][:1], "school": "jules-ferry",
                   "days": ["lundi", "jeudi"], "diet": "standard"}
        url, html = self._step("envoi", "POST", urljoin(url, f.action), answers)
        reference = REFERENCE.search(html)
        if "/recu/" not in url or reference is None:
            raise JourneyError("no receipt")
        url, html = self._step("mes_demarches", "GET", f"{self.service_url}/mes-demarches")
        if reference.group(0) not in html:
            raise JourneyError("the dossier is missing from « Mes démarches »")
        return reference.group(0)
