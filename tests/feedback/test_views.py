"""The measured time on the démarche page and the receipt; « Je donne mon avis » stored without anything
that leads to the citizen or the dossier; the counts per démarche in the back-office."""

import re

import pytest

from demarche.extensions import db
from demarche.feedback.models import Feedback
from demarche.models import utcnow
from tests.backoffice.factories import agent_login, csrf_token, make_dossier
from tests.dossier_life import citizen_with_dossier
from tests.feedback.test_delays import decided

SENTENCE = re.compile(r"Ces derniers mois, 90 % des dossiers ont été traités en moins de (\d+) jours?")


@pytest.fixture
def life_app(make_bo_app, fc_sim):
    return make_bo_app(FRANCECONNECT_ISSUER=f"{fc_sim.url}/api/v2", EXPECTATIONS_MIN_DOSSIERS="3")


def give(browser, reference: str, **values):
    page = browser.get(f"http://localhost/demarches/cantine/recu/{reference}")
    data = {"csrf_token": csrf_token(page), "reference": reference, **values}
    return browser._follow("post", "http://localhost/demarches/cantine/avis", data)


def test_the_time_shows_once_enough_dossiers_were_decided(life_app, browsers):
    citizen = browsers(life_app)
    reference = citizen_with_dossier(life_app, citizen)
    for days in (1, 2):
        decided(life_app, days)
    assert not SENTENCE.search(citizen.get("http://localhost/demarches/cantine/").text)
    decided(life_app, 6.5)
    assert SENTENCE.search(citizen.get("http://localhost/demarches/cantine/").text).group(1) == "7"
    assert SENTENCE.search(citizen.get(f"http://localhost/demarches/cantine/recu/{reference}").text)


def test_an_opinion_is_anonymous_and_counted_per_demarche(life_app, browsers):
    citizen, agent = browsers(life_app), browsers(life_app)
    reference = citizen_with_dossier(life_app, citizen)
    assert "Je donne mon avis" in citizen.get(f"http://localhost/demarches/cantine/recu/{reference}").text
    page = give(citizen, reference, rating="moyen", comment="Trop   long\x00 <b>à</b> remplir")
    assert "caractère de contrôle" in page.text  # the free-text rule: refused, not silently changed
    page = give(citizen, reference, rating="moyen", comment="Trop   long\r\n <b>à</b> remplir")
    assert "Merci pour votre avis" in page.text
    give(citizen, reference, rating="bien")
    with life_app.app_context():
        rows = db.session.scalars(db.select(Feedback)).all()
        assert [(f.procedure, f.rating, f.comment, f.month) for f in rows] == [
            ("cantine", "moyen", "Trop long <b>à</b> remplir", f"{utcnow():%Y-%m}"),
            ("cantine", "bien", None, f"{utcnow():%Y-%m}")]
        assert set(Feedback.__table__.columns.keys()) == {"id", "procedure", "organisation_siret", "rating",
                                                          "comment", "month"}  # nothing to find a person by
    agent_login(agent)
    summary = agent.get("http://localhost/agents/avis").text
    assert re.search(r"restauration scolaire[^<]*</td>\s*<td>1</td><td>1</td><td>0</td>\s*<td>2</td>", summary)
    assert "Trop long &lt;b&gt;à&lt;/b&gt; remplir" in summary


def test_a_wrong_opinion_is_refused_clearly(life_app, browsers):
    citizen = browsers(life_app)
    reference = citizen_with_dossier(life_app, citizen)
    assert "Choisissez l’un des trois visages" in give(citizen, reference, rating="excellent").text
    assert "dépasse 1000 caractères" in give(citizen, reference, rating="bien", comment="x" * 1001).text
    assert give(citizen, make_dossier(life_app), rating="bien").status == 404  # not the citizen's dossier
    with life_app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Feedback)) == 0


def test_a_refused_opinion_comes_back_as_typed_with_the_reason(life_app, browsers):
    citizen = browsers(life_app)
    reference = citizen_with_dossier(life_app, citizen)
    page = give(citizen, reference, rating="moyen", comment="x" * 1001)
    assert page.status == 400 and "dépasse 1000 caractères" in page.text
    assert "<title>Avis non enregistré" in page.text and 'href="#avis"' in page.text
    assert 'value="moyen" required checked' in page.text and "x" * 1001 + "</textarea>" in page.text
    form = page.form("/avis")  # the same form, ready to be sent again once corrected
    assert form.fields["comment"] == "x" * 1001 and form.fields["rating"] == "moyen"


def test_past_the_limit_the_opinion_waits_in_its_form(make_bo_app, fc_sim, browsers, monkeypatch):
    from demarche.feedback import views

    monkeypatch.setattr(views, "RATE", "2 per hour")
    app = make_bo_app(FRANCECONNECT_ISSUER=f"{fc_sim.url}/api/v2")
    citizen = browsers(app)
    reference = citizen_with_dossier(app, citizen)
    assert "Merci pour votre avis" in give(citizen, reference, rating="bien").text
    assert "Merci pour votre avis" in give(citizen, reference, rating="moyen").text
    page = give(citizen, reference, rating="mal", comment="Le site m’a déconnecté deux fois")
    assert page.status == 429
    assert "beaucoup d’avis en peu de temps" in page.text and "Vous pourrez envoyer celui-ci à partir du" in page.text
    assert "Le site m’a déconnecté deux fois</textarea>" in page.text and 'value="mal" required checked' in page.text
    with app.app_context():
        assert sorted(db.session.scalars(db.select(Feedback.rating))) == ["bien", "moyen"]
