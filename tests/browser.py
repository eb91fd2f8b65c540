"""A minimal browser for journey tests: follows redirects across the service (Flask test client)
and the simulators (real HTTP), keeps each side's cookies, reads and submits HTML forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx

from tests.conftest import SERVICE_URL


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # (name, value, label)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._button: list | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
        elif not self.forms:
            return
        elif tag == "input" and a.get("type") in ("hidden", None, "text", "email", "password") and a.get("name"):
            self.forms[-1].fields.setdefault(a["name"], a.get("value", ""))
        elif tag == "input" and a.get("type") in ("checkbox", "radio") and "checked" in a:
            self.forms[-1].fields.setdefault(a["name"], a.get("value", "on"))
        elif tag == "button":
            self._button = [a.get("name", ""), a.get("value", ""), ""]

    def handle_data(self, data):
        if self._button is not None:
            self._button[2] += data

    def handle_endtag(self, tag):
        if tag == "button" and self._button is not None and self.forms:
            self.forms[-1].buttons.append((self._button[0], self._button[1], " ".join(self._button[2].split())))
            self._button = None


@dataclass
class Page:
    url: str
    status: int
    text: str
    history: list[str]

    def forms(self) -> list[Form]:
        parser = _FormParser()
        parser.feed(self.text)
        return parser.forms

    def form(self, action_contains: str = "") -> Form:
        matches = [f for f in self.forms() if action_contains in f.action]
        assert matches, f"no form with action containing {action_contains!r} on {self.url}"
        return matches[0]


class Browser:
    """Drives the service (Flask test client at SERVICE_URL) and the simulators (httpx)."""

    def __init__(self, service_client, max_redirects: int = 15):
        self.service = service_client
        self.http = httpx.Client(follow_redirects=False, timeout=30)
        self.max_redirects = max_redirects
        self.requested: list[str] = []

    def close(self) -> None:
        self.http.close()

    def get(self, url: str) -> Page:
        return self._follow("get", url, None)

    def submit(self, page: Page, action_contains: str = "", button: str | None = None, **values) -> Page:
        """Submit a form of the page; `button` picks a submit button by its label or value."""
        form = page.form(action_contains)
        data = {**form.fields, **{k: v for k, v in values.items() if v is not None}}
        if button is not None:
            name, value, _ = next(b for b in form.buttons if button in (b[1], b[2]) or button in b[2])
            if name:
                data[name] = value
        return self._follow(form.method, urljoin(page.url, form.action), data)

    def _follow(self, method: str, url: str, data) -> Page:
        history = []
        for _ in range(self.max_redirects):
            self.requested.append(url)
            status, headers, text = self._send(method, url, data)
            if status in (301, 302, 303, 307) and "location" in headers:
                history.append(url)
                url, method, data = urljoin(url, headers["location"]), "get", None
                continue
            return Page(url, status, text, history)
        raise AssertionError(f"too many redirects: {history}")

    def _send(self, method, url, data):
        if url.startswith(SERVICE_URL + "/") or url == SERVICE_URL:
            parts = urlsplit(url)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            response = self.service.open(path, method=method.upper(), data=data)
            headers = {k.lower(): v for k, v in response.headers.items()}
            return response.status_code, headers, response.get_data(as_text=True)
        response = self.http.request(method.upper(), url, data=data)
        return response.status_code, {k.lower(): v for k, v in response.headers.items()}, response.text
