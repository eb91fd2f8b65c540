"""Renewing an accepted canteen dossier: a new consent and a new fetch, then the form with last year's declared
answers and the children ticked again; the new dossier names its school year and the dossier it renews."""

from __future__ import annotations

import re

import httpx

from demarche.dossiers import renewal as services
from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.models import ConsentRecord
from tests.browser import Browser
from tests.corrections.conftest import consent, file_dossier


def accept(app, reference: str) -> Dossier:
    with app.app_context():
        db.session.execute(db.update(Dossier).filter_by(reference=reference).values(status="accepte"))
        db.session.commit()
        item = db.session.scalar(db.select(Dossier).filter_by(reference=reference))
        db.session.expunge(item)
        return item


def test_an_accepted_dossier_is_renewed_with_its_answers_and_a_new_consent(app, browsers, ap_sim):
    citizen: Browser = browsers(app)
    reference = file_dossier(citizen, school="marie-curie", days=["jeudi", "vendredi"], diet="sans_porc",
                             phone="06 12 34 56 78", renewal_reminder="y")
    receipt = citizen.get(f"http://localhost/demarches/cantine/recu/{reference}")
    assert "Renouveler pour" not in receipt.text  # not accepted yet
    with app.app_context():
        next_year = services.next_year_label(accept(app, reference))
    assert "Réinscription" in citizen.get("http://localhost/mes-demarches").text
    receipt = citizen.get(f"http://localhost/demarches/cantine/recu/{reference}")
    assert f"Renouveler pour l’année scolaire {next_year}" in receipt.text
    assert "Ne plus me prévenir pour la réinscription" in receipt.text  # the opt-in ticked on the form
    httpx.delete(f"{ap_sim.url}/_sim/requests")

    consent_page = citizen.submit(receipt, "/renouveler")
    assert f"Renouvellement de votre dossier {reference}" in consent_page.text
    form = consent(citizen, consent_page)
    assert [e["path"] for e in httpx.get(f"{ap_sim.url}/_sim/requests").json()] == [
        "/v3/dss/quotient_familial/france_connect"]  # certified data fetched again
    assert 'selected value="marie-curie"' in form.text and 'value="06 12 34 56 78"' in form.text
    for ticked in ('value="jeudi" checked', 'value="vendredi" checked', 'value="sans_porc" checked',
                   'name="children" value="0" checked'):
        assert ticked in form.text
    assert 'value="lundi" checked' not in form.text

    renewed = citizen.submit(form, "/formulaire", school="marie-curie", days=["jeudi", "vendredi"],
                             diet="sans_porc", children=["0"])
    assert "Votre demande a bien été envoyée" in renewed.text
    assert re.search(f"<td[^>]*>Année scolaire</td><td[^>]*>{next_year}</td>", renewed.text)
    with app.app_context():
        old, new = db.session.scalars(db.select(Dossier).order_by(Dossier.id)).all()
        assert new.renewal_of == reference and new.consent_id != old.consent_id
        assert new.answers["school_year"] == old.answers.get("school_year", services.school_year(old)) + 1
        assert new.answers["children"] == old.answers["children"] and new.answers["diet"] == "Sans porc"
        assert db.session.get(ConsentRecord, new.consent_id).outcome == "success"
        assert not new.renewal_reminder  # the new form's box was not ticked this time
    again = citizen.get(f"http://localhost/demarches/cantine/recu/{reference}")
    assert "Renouveler pour" not in again.text  # renewed once


def test_only_an_accepted_dossier_is_renewed_and_the_reminder_is_withdrawable(app, browsers):
    citizen = browsers(app)
    reference = file_dossier(citizen)
    receipt = citizen.get(f"http://localhost/demarches/cantine/recu/{reference}")
    page = citizen.service.post(f"/mes-demarches/{reference}/renouveler",
                                data={"csrf_token": receipt.form("/rappel").fields["csrf_token"]})
    assert page.status_code == 303 and "/recu/" in page.headers["Location"]
    assert "ne peut pas être renouvelé" in citizen.get(f"http://localhost/demarches/cantine/recu/{reference}").text
    asked = citizen.submit(receipt, "/rappel-reinscription", button="Me prévenir pour la réinscription l’an prochain")
    assert "vous recevrez un courriel" in asked.text
    withdrawn = citizen.submit(asked, "/rappel-reinscription", button="Ne plus me prévenir")
    assert "vous ne recevrez pas de courriel" in withdrawn.text
    with app.app_context():
        assert db.session.scalar(db.select(Dossier.renewal_reminder).filter_by(reference=reference)) is False
