"""The back-office's pages (demarche/backoffice/views.py) against another site and absurd query strings:
opening a dossier and exporting write the access journal only on a POST carrying the CSRF token (a GET from
a link, an image or a redirect elsewhere writes nothing), and any page number or date answers, never a 500."""

from __future__ import annotations

import pytest

from demarche.extensions import db
from demarche.models import AccessLog
from tests.backoffice.factories import agent_login, csrf_token, export, make_dossier, open_dossier

HUGE = "9223372036854775807"


def journal(app) -> list[tuple[str, int | None]]:
    with app.app_context():
        return [(row.action, row.dossier_id) for row in
                db.session.scalars(db.select(AccessLog).order_by(AccessLog.id))]


def test_a_get_sent_by_another_site_writes_nothing_in_the_journal(bo_app, browsers):
    """SameSite=Lax sends the agent's cookie with a top-level GET from another site: such GETs must not write."""
    reference = make_dossier(bo_app)
    browser = browsers(bo_app)
    agent_login(browser)
    page = browser.get(f"http://localhost/agents/dossiers/{reference}")
    assert page.status == 200 and "Ouvrir le dossier" in page.text and "Quotient familial" not in page.text
    exported = browser.service.get("/agents/export.csv?statut=tous")
    assert exported.status_code == 303 and exported.mimetype != "text/csv"
    assert journal(bo_app) == []


def test_opening_and_exporting_need_the_csrf_token(bo_app, browsers):
    reference = make_dossier(bo_app)
    browser = browsers(bo_app)
    agent_login(browser)
    assert browser.service.post(f"/agents/dossiers/{reference}/ouvrir").status_code == 400
    assert browser.service.post("/agents/export.csv", data={"statut": "tous"}).status_code == 400
    assert journal(bo_app) == []
    page = open_dossier(browser, reference)
    assert page.status == 200 and "Quotient familial" in page.text
    assert [action for action, _ in journal(bo_app)] == ["view"]
    again = browser.get(f"http://localhost/agents/dossiers/{reference}")  # reload, back from a decision…
    assert "Quotient familial" in again.text and len(journal(bo_app)) == 1
    response = export(browser, "csv", statut="tous")
    assert response.status_code == 200 and reference in response.get_data(as_text=True)
    assert [action for action, _ in journal(bo_app)] == ["view", "export"]


def test_the_list_opens_dossiers_and_exports_with_forms(bo_app, browsers):
    reference = make_dossier(bo_app)
    browser = browsers(bo_app)
    page = agent_login(browser)
    assert page.url.endswith("/agents/dossiers")
    dossier = browser.submit(page, f"/agents/dossiers/{reference}/ouvrir")
    assert dossier.status == 200 and f"Dossier {reference}" in dossier.text
    listing = browser.get("http://localhost/agents/dossiers?statut=tous&tri=ancien")
    form = listing.form("/agents/export.xlsx")
    assert form.method == "post" and form.fields["statut"] == "tous" and form.fields["tri"] == "ancien"
    assert form.fields["csrf_token"] == csrf_token(listing)


@pytest.mark.parametrize("query", [f"page={HUGE}", "page=-3", "page=0", "page=abc", "page=1e999", f"page=-{HUGE}",
                                   "page=%00", "page=١٢"])
@pytest.mark.parametrize("path", ["/agents/journal", "/agents/dossiers"])
def test_an_absurd_page_number_shows_a_page(bo_app, browsers, path, query):
    reference = make_dossier(bo_app)
    browser = browsers(bo_app)
    agent_login(browser)
    open_dossier(browser, reference)
    page = browser.get(f"http://localhost{path}?{query}")
    assert page.status == 200 and reference in page.text


@pytest.mark.parametrize("query", ["du=0001-01-01&au=0001-01-01", "au=9999-12-31", "du=9999-12-31",
                                   "du=2026-13-45", "au=%00", "q=%00", "q=" + "é" * 5000, "statut=%ff",
                                   "tri=nom&tri=ancien", "procedure=../../etc", "_method=POST",
                                   "_external=1&_scheme=javascript"])
def test_any_filter_shows_the_list_and_exports(bo_app, browsers, query):
    make_dossier(bo_app)
    browser = browsers(bo_app)
    agent_login(browser)
    page = browser.get(f"http://localhost/agents/dossiers?{query}")
    assert page.status == 200 and "javascript:" not in page.text
    filters = dict(part.split("=", 1) for part in query.split("&"))
    assert export(browser, "xlsx", **{k: v.replace("%00", "\x00") for k, v in filters.items()}).status_code == 200


def test_a_wrong_filter_or_decision_is_said_in_french(bo_app, browsers):
    reference = make_dossier(bo_app)
    browser = browsers(bo_app)
    agent_login(browser)
    listing = browser.get("http://localhost/agents/dossiers?du=hier&au=0001-01-01&page=deux&procedure=x&q=a%1bb")
    assert listing.status == 200 and "Indiquez une date valide" in listing.text
    assert "Indiquez une date entre le 01/01/2000 et le 31/12/2099" in listing.text
    assert "caractère de contrôle" in listing.text
    page = open_dossier(browser, reference)
    decided = browser.submit(page, "/instruction", decision="en_instruction", motive="Vu\x1b")
    assert "caractère de contrôle" in decided.text
    for text in (listing.text, decided.text):
        assert not [word for word in ("Not a valid", "This field", "Invalid", "must be") if word in text]
