"""Fuzzing the service's own routes (Hypothesis): every form a citizen or an agent posts and every query
parameter, with arbitrary text, control and invisible characters, huge values and repeated keys. Whatever
comes in: never a 5xx, and no control character stored anywhere. Bounded to well under a minute in CI."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from demarche.extensions import db
from tests.backoffice.factories import agent_login, csrf_token, make_dossier, open_dossier
from tests.browser import Browser
from tests.security.conftest import VALID, certified_form, manual_form

FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
NASTY = ["\x00", "\x1b[2J", "\x7f", "\x85", "\u202e", "\u200b", "\ufeff", "\ud7ff", "\U0010ffff", "=cmd|' /C calc'!A0",
         "@SUM(1)", "0", "-1", "9223372036854775807", "-9223372036854775809", "1e999", "NaN", "0001-01-01",
         "9999-12-31", "10000-01-01", "2026-02-30", "../../etc/passwd", "<script>", "' OR 1=1 --", "%s%n", "é",
         "a,b@evil.example", "shown(hidden)@evil.example", "CAN-2026-T00001", "TRA-2026-AAAAAA", ""]
# Letters, digits, punctuation, control and format characters, anything but surrogates (not UTF-8 encodable).
ANY_CHAR = st.characters(codec="utf-8")
VALUE = st.one_of(st.sampled_from(NASTY), st.text(ANY_CHAR, max_size=40),
                  st.builds(lambda piece, times: piece * times, st.sampled_from(NASTY[:8] + ["x", "é"]),
                            st.integers(1, 5000)))
STORED_CONTROL = {chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))}


@pytest.fixture
def app(make_journey_app):
    """The fuzzer opens a fresh draft per example: the per-citizen limit (tests/security/test_citizen_limits.py)
    is raised so that every example reaches the form."""
    return make_journey_app(CITIZEN_RATE_LIMIT="100000/hour")


def form_data(names: list[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Some of the form's own names (and a stranger), each with one to three values: repeated keys included."""
    name = st.one_of(st.sampled_from(names), st.text(ANY_CHAR, min_size=1, max_size=10))
    return st.lists(st.tuples(name, st.lists(VALUE, min_size=1, max_size=3)), max_size=6).map(
        lambda pairs: [(key, value) for key, values in pairs for value in values])


def query(names: list[str]) -> st.SearchStrategy[str]:
    """A query string of these parameters (repeated ones too), or raw bytes that are not even UTF-8."""
    return st.one_of(form_data(names).map(urlencode),
                     st.sampled_from(["page=%ff", "%ff=%fe", "page=%00&page=%C0%80", "q=%", "=&&=", "a" * 9000]))


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in strings(k) + strings(v)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in strings(item)]
    return []


def assert_nothing_stored_with_control_characters(app) -> None:
    """Every text and JSON value of every table, the sessions' included."""
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(sa.select(table)).all():
                bad = [s for s in strings(list(row)) if STORED_CONTROL & set(s)]
                assert not bad, f"{table.name}: {bad[:3]!r}"


def merge(valid: dict, fuzzed: list[tuple[str, str]], fixed: dict) -> MultiDict:
    """The valid answers, the fuzzed pairs replacing those they name, then the form's CSRF token and draft."""
    named = {key for key, _ in fuzzed}
    pairs = [(k, v) for k, values in valid.items() if k not in named for v in (values if isinstance(values, list)
                                                                               else [values])]
    return MultiDict(pairs + fuzzed + list(fixed.items()))


def fresh_form(browser: Browser, slug: str, certified: bool) -> dict:
    """The token and draft of the démarche's form, starting a new draft when the last example filed it."""
    page = browser.get(f"http://localhost/demarches/{slug}/formulaire")
    if "/formulaire" not in page.url:
        page = certified_form(browser) if certified else manual_form(browser, slug)
    form = page.form("/formulaire")
    return {"csrf_token": form.fields["csrf_token"], "draft": form.fields["draft"]}


@pytest.mark.parametrize(("slug", "certified"), [("cantine", False), ("cantine", True), ("transport", False)])
def test_the_citizens_forms_take_anything(citizen, app, slug, certified):
    valid = {**VALID[slug], "children": ["0"]} if certified else VALID[slug]
    names = [*valid, "draft", "csrf_token", "manual_children-7-nom", "children"]

    @FUZZ
    @given(fuzzed=form_data(names))
    def submit(fuzzed):
        data = merge(valid, fuzzed, {k: v for k, v in fresh_form(citizen, slug, certified).items()
                                     if k not in dict(fuzzed)})
        response = citizen.service.post(f"/demarches/{slug}/formulaire", data=data)
        assert response.status_code < 500, response.get_data(as_text=True)[-600:]

    submit()
    assert_nothing_stored_with_control_characters(app)


def test_the_consent_form_takes_anything(citizen, app):
    token = csrf_token(citizen.get("http://localhost/demarches/cantine/"))

    @FUZZ
    @given(fuzzed=form_data(["choice", "accept", "csrf_token"]), slug=st.sampled_from(["cantine", "transport", "x"]))
    def consent(fuzzed, slug):
        data = MultiDict([("csrf_token", token), *fuzzed]) if "csrf_token" not in dict(fuzzed) else MultiDict(fuzzed)
        assert citizen.service.post(f"/demarches/{slug}/consentement", data=data).status_code < 500

    consent()
    assert_nothing_stored_with_control_characters(app)


CITIZEN_GETS = {"/commencer": ["demarche"], "/franceconnect/callback": ["state", "code", "error", "iss",
                                                                       "error_description"],
                "/franceconnect/data-callback": ["state", "code", "error"], "/franceconnect/logout-callback":
                ["state"], "/mes-donnees.json": ["format"], "/": ["page"]}


def test_the_citizens_query_strings_and_paths_take_anything(citizen, app):
    @FUZZ
    @given(path=st.sampled_from(sorted(CITIZEN_GETS)), qs=st.data(), piece=VALUE)
    def visit(path, qs, piece):
        response = citizen.service.get(f"{path}?{qs.draw(query(CITIZEN_GETS[path]))}")
        assert response.status_code < 500, path
        for template in ("/demarches/{}/", "/demarches/cantine/recu/{}", "/demarches/{}/recu/CAN-2026-AAAAAA"):
            assert citizen.service.get(template.format(piece.replace("/", "%2F"))).status_code < 500

    visit()
    assert_nothing_stored_with_control_characters(app)


@pytest.fixture
def agent(bo_app, browsers):
    browser = browsers(bo_app)
    agent_login(browser)
    return browser


FILTERS = ["statut", "q", "procedure", "du", "au", "tri", "page"]
AGENT_GETS = {"/agents/dossiers": [*FILTERS, "_method", "_external", "_scheme", "_anchor"],
              "/agents/journal": ["page"], "/agents/callback": ["state", "code", "error", "error_description"],
              "/agents/deconnexion/retour": ["state"]}


@pytest.mark.parametrize("path", sorted(AGENT_GETS))
def test_the_agents_query_strings_take_anything(agent, bo_app, path):
    open_dossier(agent, make_dossier(bo_app))  # a line in the journal, a dossier in the list

    @FUZZ
    @given(qs=query(AGENT_GETS[path]))
    @example(qs="page=9223372036854775807&du=0001-01-01&au=9999-12-31&q=%00&statut=%ff")  # the review's findings
    def visit(qs):
        assert agent.service.get(f"{path}?{qs}").status_code < 500

    visit()
    assert_nothing_stored_with_control_characters(bo_app)


def test_the_agents_forms_take_anything(agent, bo_app):
    reference = make_dossier(bo_app)
    token = csrf_token(open_dossier(agent, reference))

    @FUZZ
    @given(fuzzed=form_data([*FILTERS, "decision", "motive"]), fmt=st.sampled_from(["csv", "xlsx", "pdf"]),
           piece=VALUE)
    def post(fuzzed, fmt, piece):
        data = MultiDict([("csrf_token", token), *fuzzed])
        assert agent.service.post(f"/agents/export.{fmt}", data=data).status_code < 500
        assert agent.service.post(f"/agents/dossiers/{reference}/instruction", data=data).status_code < 500
        odd = piece.replace("/", "%2F") or "x"
        assert agent.service.get(f"/agents/dossiers/{odd}").status_code < 500
        assert agent.service.post(f"/agents/dossiers/{odd}/ouvrir", data=data).status_code < 500

    post()
    assert_nothing_stored_with_control_characters(bo_app)
