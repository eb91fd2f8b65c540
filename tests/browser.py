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
    fields: dict[str, str | list[str]] = field(default_factory=dict)  # what submitting it as is would send
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # (name, value, label)
    controls: dict[str, str] = field(default_factory=dict)  # every named control → its type, sent or not


# Input types whose value is sent as typed (https://html.spec.whatwg.org/multipage/input.html#attr-input-type);
# checkbox and radio are sent when checked; the buttons, file and image are not read.
_VALUE_TYPES = {"hidden", "text", "search", "email", "tel", "url", "password", "number", "range", "date", "month",
                "week", "time", "datetime-local", "color"}


class _FormParser(HTMLParser):
    """Reads each form's controls as a browser submits them: every input type, select (its selected options,
    else the first), textarea; disabled controls are not sent."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._button: list | None = None
        self._select: dict | None = None  # {name, multiple, options: [[value or None, text, selected]]}
        self._textarea: list | None = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
        elif not self.forms:
            return
        elif tag == "input":
            self._input(a)
        elif tag == "select" and a.get("name"):
            self.forms[-1].controls[a["name"]] = "select"
            self._select = None if "disabled" in a else {"name": a["name"], "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self._select is not None:
            self._select["options"].append([a.get("value"), "", "selected" in a and "disabled" not in a])
        elif tag == "textarea" and a.get("name"):
            self.forms[-1].controls[a["name"]] = "textarea"
            self._textarea = None if "disabled" in a else [a["name"], ""]
        elif tag == "button":
            self._button = [a.get("name", ""), a.get("value", ""), ""]

    def _input(self, a: dict) -> None:
        kind, name, form = a.get("type", "text").lower() or "text", a.get("name"), self.forms[-1]
        if kind == "submit":
            form.buttons.append((name or "", a.get("value", ""), a.get("value", "")))
        if not name or kind in ("submit", "button", "reset", "image", "file"):
            return
        form.controls.setdefault(name, kind)
        if "disabled" in a:
            return
        if kind in _VALUE_TYPES:
            form.fields.setdefault(name, a.get("value", ""))
        elif kind in ("checkbox", "radio") and "checked" in a:
            self._add(name, a.get("value", "on"), several=kind == "checkbox")
        elif kind not in ("checkbox", "radio"):  # an unknown type is a text field (HTML's default)
            form.fields.setdefault(name, a.get("value", ""))

    def _add(self, name: str, value: str, several: bool) -> None:
        """A checked box of a group with one name adds to a list; the first radio checked wins."""
        fields = self.forms[-1].fields
        if name not in fields:
            fields[name] = value
        elif several:
            fields[name] = [*(fields[name] if isinstance(fields[name], list) else [fields[name]]), value]

    def handle_data(self, data):
        if self._button is not None:
            self._button[2] += data
        if self._select is not None and self._select["options"]:
            self._select["options"][-1][1] += data
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "button" and self._button is not None and self.forms:
            self.forms[-1].buttons.append((self._button[0], self._button[1], " ".join(self._button[2].split())))
            self._button = None
        elif tag == "select" and self._select is not None:
            self._end_select(self._select)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # one newline right after <textarea> is not content (WTForms writes "\r\n" there), as in HTML
            text = text[2:] if text.startswith("\r\n") else text[1:] if text.startswith("\n") else text
            self.forms[-1].fields.setdefault(name, text)
            self._textarea = None

    def _end_select(self, select: dict) -> None:
        """An option's value is its text when it has no value attribute; a single select with nothing selected
        sends its first option."""
        options = [(value if value is not None else " ".join(text.split()), selected)
                   for value, text, selected in select["options"]]
        chosen = [value for value, selected in options if selected]
        if select["multiple"]:
            if chosen:
                self.forms[-1].fields.setdefault(select["name"], chosen)
        elif options:
            self.forms[-1].fields.setdefault(select["name"], chosen[-1] if chosen else options[0][0])


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
            found = [b for b in form.buttons if button in (b[1], b[2]) or button in b[2]]
            if not found:
                raise LookupError(f"no button « {button} » in the form {form.action!r} of {page.url}")
            name, value, _ = found[0]
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

    def _fetch_site(self, url: str) -> str:
        """Sec-Fetch-Site as a browser sends it (https://www.w3.org/TR/fetch-metadata/): « none » for the first
        page, « same-origin » after a page of the same origin, « cross-site » after another site's."""
        previous = self.requested[-2] if len(self.requested) > 1 else None
        if previous is None:
            return "none"
        return "same-origin" if urlsplit(previous)[:2] == urlsplit(url)[:2] else "cross-site"

    def _send(self, method, url, data):
        if url.startswith(SERVICE_URL + "/") or url == SERVICE_URL:
            parts = urlsplit(url)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            response = self.service.open(path, method=method.upper(), data=data,
                                         headers={"Sec-Fetch-Site": self._fetch_site(url)})
            headers = {k.lower(): v for k, v in response.headers.items()}
            return response.status_code, headers, response.get_data(as_text=True)
        response = self.http.request(method.upper(), url, data=data)
        return response.status_code, {k.lower(): v for k, v in response.headers.items()}, response.text
