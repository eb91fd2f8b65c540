"""The list: tabs by status with counts, search by reference or name, filters, sort and pagination;
the dossier page: identity, origin of every value, provenance, consent, history; the access journal."""

from datetime import timedelta

from demarche.extensions import db
from demarche.models import AccessLog, utcnow
from tests.backoffice.factories import MARIE, OTHER_ORG, THOMAS, agent_login, make_dossier, open_dossier


def references(text: str) -> list[str]:
    import re

    return re.findall(r">(CAN-2026-T\d{5})<", text)


def test_tabs_count_each_status_of_the_organisation_only(bo_app, browsers):
    for status in ("depose", "depose", "en_instruction", "accepte", "refuse", "sans_suite"):
        make_dossier(bo_app, status=status)
    make_dossier(bo_app, siret=OTHER_ORG)
    browser = browsers(bo_app)
    page = agent_login(browser)
    for label in ("À traiter (2)", "En instruction (1)", "Acceptés (1)", "Refusés (1)", "Classés sans suite (1)",
                  "Tous (6)"):
        assert label in page.text
    assert len(references(page.text)) == 2 and "2 dossier(s)" in page.text
    accepted = browser.get("http://localhost/agents/dossiers?statut=accepte")
    assert len(references(accepted.text)) == 1 and 'aria-current="page">Acceptés (1)' in accepted.text


def test_search_by_reference_or_name_and_filters(bo_app, browsers):
    angela = make_dossier(bo_app)
    pierre = make_dossier(bo_app, given_name="Pierre", family_name="MERCIER",
                          submitted_at=utcnow() - timedelta(days=40))
    browser = browsers(bo_app)
    agent_login(browser)
    assert references(browser.get("http://localhost/agents/dossiers?q=mercier").text) == [pierre]
    assert references(browser.get(f"http://localhost/agents/dossiers?q={angela[-6:]}").text) == [angela]
    assert references(browser.get("http://localhost/agents/dossiers?q=pierre+merc").text) == [pierre]
    recent = (utcnow() - timedelta(days=7)).date().isoformat()
    assert references(browser.get(f"http://localhost/agents/dossiers?du={recent}").text) == [angela]
    assert references(browser.get(f"http://localhost/agents/dossiers?au={recent}").text) == [pierre]
    assert references(browser.get("http://localhost/agents/dossiers?procedure=transport").text) == []
    wrong = browser.get("http://localhost/agents/dossiers?du=pas-une-date&tri=nimporte")
    assert wrong.status == 200 and len(references(wrong.text)) == 2


def test_sort_and_pagination(bo_app, browsers):
    made = [make_dossier(bo_app, family_name=f"NOM{i:02d}", submitted_at=utcnow() - timedelta(hours=i))
            for i in range(23)]
    browser = browsers(bo_app)
    agent_login(browser)
    first = browser.get("http://localhost/agents/dossiers")
    assert references(first.text) == made[:20] and "Page suivante" in first.text
    second = browser.get("http://localhost/agents/dossiers?page=2")
    assert references(second.text) == made[20:]
    oldest = browser.get("http://localhost/agents/dossiers?tri=ancien")
    assert references(oldest.text)[0] == made[-1]
    by_name = browser.get("http://localhost/agents/dossiers?tri=nom&page=99")  # too far: the last page
    assert references(by_name.text) == sorted(made)[20:]  # NOM00… in the order the references were made


def test_the_dossier_page_says_what_is_certified_and_by_whom(bo_app, browsers):
    reference = make_dossier(bo_app)
    browser = browsers(bo_app)
    agent_login(browser)
    page = open_dossier(browser, reference)
    assert page.status == 200
    assert "Authentifié par FranceConnect le 20/11/2026 à 10:15 (niveau eidas1)" in page.text
    assert "Quotient familial CAF d’octobre 2026" in page.text and "Certifié" in page.text
    assert "CAF via API Particulier, octobre 2026, récupéré le 21/11/2026 à 10:15" in page.text
    assert "req-0123456789" in page.text and "/v3/dss/quotient_familial/france_connect" in page.text
    assert "Déclaré par l’usager" in page.text  # the school and the days are declared
    assert "a accepté la récupération de ses données" in page.text and "cantine-2026-11" in page.text
    assert "Dépôt → Déposé" in page.text and "l’usager" in page.text
    assert "Passer en instruction" in page.text


def test_a_declared_dossier_says_so(bo_app, browsers):
    reference = make_dossier(bo_app, certified=False)
    browser = browsers(bo_app)
    agent_login(browser)
    page = open_dossier(browser, reference)
    assert "Aucune donnée certifiée" in page.text and "a préféré remplir lui-même" in page.text
    assert "CAF via API Particulier" not in page.text


def test_every_opening_is_in_the_access_journal(bo_app, browsers):
    reference = make_dossier(bo_app)
    marie, thomas = browsers(bo_app), browsers(bo_app)
    agent_login(marie)
    agent_login(thomas, THOMAS)
    open_dossier(marie, reference)
    open_dossier(thomas, reference)
    with bo_app.app_context():
        rows = db.session.scalars(db.select(AccessLog).order_by(AccessLog.id)).all()
        assert [(r.agent_email, r.action, r.siret) for r in rows] == [(MARIE, "view", "21750001600019"),
                                                                     (THOMAS, "view", "21750001600019")]
    journal = marie.get("http://localhost/agents/journal")
    assert journal.text.count(f">{reference}<") == 2 and THOMAS in journal.text and "Consultation" in journal.text
