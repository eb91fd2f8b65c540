"""The démarche end to end over real HTTP against both simulators, in both modalities, with every
fallback: consent refused, no CAF/MSA file, provider down or slow, cancelled transmission, expired token."""

import re
import threading
from datetime import date

import httpx
import pytest

from demarche.dates import of_month_year
from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.models import ConsentRecord, Prefill
from tests.browser import Browser
from tests.journeys import SimControl, accept, login

CHOICES = {"school": "jules-ferry", "days": ["lundi", "mardi", "jeudi"], "diet": "vegetarien"}


@pytest.fixture
def app(make_journey_app):
    return make_journey_app()


def ap_requests(ap_sim) -> list[str]:
    return SimControl(ap_sim.url).requests()


def this_month() -> str:
    return of_month_year(date.today().month, date.today().year)


def dossiers(app) -> list[Dossier]:
    with app.app_context():
        return db.session.scalars(db.select(Dossier)).all()


def test_the_whole_journey_with_the_franceconnect_modality(browser, app, ap_sim):
    page = login(browser)
    assert "Ce qui va se passer" in page.text
    for fact in ("CAF ou MSA", "Ville de Démarche-sur-Loire", "L114-8", "Conservées"):
        assert fact in page.text
    # the « Vérification » row says the check the CAF/MSA source declares, and no other (no DGFiP offered here)
    assert ("Vérification</th><td class=\"fr-cell--multiline\">Les données ne sont utilisées que si elles vous "
            "concernent : votre date de naissance transmise par FranceConnect doit être celle d’un allocataire de "
            "votre dossier CAF ou MSA. Sinon") in page.text
    page = accept(browser, page)
    assert any("cnaf_quotient_familial" in u for u in browser.requested if "/authorize" in u)
    assert f"Quotient familial CAF {this_month()} : 650" in page.text
    assert "Tarif B : 2,10 € par repas" in page.text
    assert ap_requests(ap_sim) == ["/v3/dss/quotient_familial/france_connect"]
    receipt = browser.submit(page, "/formulaire", children=["0", "2"], **CHOICES)
    assert "Votre demande a bien été envoyée" in receipt.text
    reference = re.search(r"CAN-\d{4}-[A-Z0-9]{6}", receipt.text).group(0)
    [dossier] = dossiers(app)
    assert dossier.reference == reference
    provenance = dossier.certified["quotient_familial"]["provenance"]
    assert provenance["route"] == "/v3/dss/quotient_familial/france_connect" and provenance["request_id"]
    assert dossier.answers["quotient_familial"] == {"value": 650, "origin": "certified"}
    assert [c["origin"] for c in dossier.answers["children"]] == ["certified", "certified"]
    assert dossier.authentication["acr"] == "eidas1" and dossier.authentication["sub"].endswith("v1")
    with app.app_context():
        consent = db.session.get(ConsentRecord, dossier.consent_id)
        assert (consent.decision, consent.modality, consent.outcome) == ("accepted", "france_connect", "success")
        assert consent.recipient == "21750001600019" and consent.text_version == "cantine-2026-12b"
        assert db.session.scalar(db.select(db.func.count()).select_from(Prefill)) == 0
    mine = browser.get("http://localhost/mes-demarches")
    assert reference in mine.text and "Déposé" in mine.text
    pdf = browser.service.get(f"/demarches/cantine/recu/{reference}/attestation.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_the_identite_modality_uses_the_pivot_identity_and_the_service_token(make_journey_app, ap_sim):
    browser = Browser(make_journey_app("identite").test_client())
    page = accept(browser, login(browser))
    assert sum("/authorize" in u for u in browser.requested) == 1  # no second FranceConnect authorization
    assert ap_requests(ap_sim) == ["/v3/dss/quotient_familial/identite"]
    assert f"Quotient familial CAF {this_month()} : 650" in page.text
    receipt = browser.submit(page, "/formulaire", children=["1"], **CHOICES)
    assert "Votre demande a bien été envoyée" in receipt.text
    browser.close()


def test_the_msa_family(browser):
    page = accept(browser, login(browser, "avec_nom_dusage"))
    assert f"Quotient familial MSA {this_month()} : 980" in page.text


MANUAL = {"manual_children-0-prenoms": "Léa", "manual_children-0-nom": "MARTIN",
          "manual_children-0-date_naissance": "2017-03-14", "quotient_familial": "520", "regime": "CNAF",
          "address": "3 rue des Écoles, 45000 Démarche-sur-Loire", **CHOICES}


def test_consent_refused_gives_an_empty_form_and_no_call(browser, app, ap_sim):
    page = browser.submit(login(browser), "/consentement", button="Je préfère remplir moi-même")
    assert "Vous remplissez vous-même" in page.text
    receipt = browser.submit(page, "/formulaire", **MANUAL)
    assert "Votre demande a bien été envoyée" in receipt.text and "Déclaré par l’usager" in receipt.text
    assert ap_requests(ap_sim) == []
    [dossier] = dossiers(app)
    assert dossier.answers["quotient_familial"]["origin"] == "declared"
    assert dossier.answers["price"]["provisional"] is True and dossier.certified == {}
    with app.app_context():
        consent = db.session.get(ConsentRecord, dossier.consent_id)
        assert (consent.decision, consent.outcome) == ("refused", "not_called")


def test_acceptance_needs_the_checkbox(browser):
    page = browser.submit(login(browser), "/consentement", button="Récupérer mes données")
    assert page.status == 400 and "Cochez la case" in page.text


def test_no_caf_file_is_said_neutrally_with_the_manual_path(browser, app):
    page = accept(browser, login(browser, "nom_composé"))
    assert "Aucun dossier n’a été trouvé" in page.text
    receipt = browser.submit(page, "/formulaire", **MANUAL)
    assert "Votre demande a bien été envoyée" in receipt.text
    with app.app_context():
        assert db.session.scalars(db.select(ConsentRecord)).one().outcome == "not_found"


def test_provider_down_offers_retry_and_manual_path(browser, app):
    page = accept(browser, login(browser, "plusieurs_prénoms_3"))
    assert page.status == 200
    assert "ne répond pas pour le moment" in page.text and "Réessayer la récupération" in page.text
    page = browser.submit(page, "/consentement", button="Réessayer la récupération")  # still down
    page = browser.submit(page, "", button="Continuer")
    assert "ne répond pas pour le moment" in page.text
    assert "Votre demande a bien été envoyée" in browser.submit(page, "/formulaire", **MANUAL).text
    with app.app_context():
        assert [c.outcome for c in db.session.scalars(db.select(ConsentRecord))] == ["unavailable", "unavailable"]


def test_slow_provider_times_out_into_the_manual_path(make_journey_app, ap_sim):
    httpx.post(f"{ap_sim.url}/_sim/latency", json={"ms": 1500})
    browser = Browser(make_journey_app(API_PARTICULIER_TIMEOUT="0.4").test_client())
    page = accept(browser, login(browser))
    assert "ne répond pas pour le moment" in page.text
    browser.close()


def test_provider_rate_limit_is_explained(browser, ap_sim):
    httpx.post(f"{ap_sim.url}/_sim/failure", json={"status": 429})
    page = accept(browser, login(browser))
    assert "Le service est très sollicité" in page.text


def test_cancelled_transmission_at_franceconnect(browser, app):
    page = browser.submit(login(browser), "/consentement", button="Récupérer mes données", accept="yes")
    page = browser.submit(page, "/abort")
    assert "Vous avez annulé la transmission" in page.text
    with app.app_context():
        assert db.session.scalars(db.select(ConsentRecord)).one().outcome == "cancelled"


def test_an_expired_franceconnect_token_is_refused_by_api_particulier(browser, fc_sim, ap_sim):
    """The access token lives 60 s: here FranceConnect's clock jumps 61 s while API Particulier works."""
    page = browser.submit(login(browser), "/consentement", button="Récupérer mes données", accept="yes")
    httpx.post(f"{ap_sim.url}/_sim/latency", json={"ms": 1500})
    timer = threading.Timer(0.7, lambda: SimControl(fc_sim.url).post("clock", {"advance": 61}))
    timer.start()
    page = browser.submit(page, "", button="Continuer")
    timer.join()
    assert "Votre autorisation a expiré" in page.text


def test_a_tampered_post_cannot_change_certified_values(browser, app):
    page = accept(browser, login(browser))
    forged = {**CHOICES, "quotient_familial": "100", "address": "ailleurs", "regime": "MSA"}
    browser.submit(page, "/formulaire", children=["0"], **forged)
    [dossier] = dossiers(app)
    assert dossier.answers["quotient_familial"] == {"value": 650, "origin": "certified"}
    assert dossier.answers["price"]["code"] == "B" and dossier.answers["address"] is None


def test_a_child_outside_the_certified_list_is_refused(browser, app):
    page = accept(browser, login(browser))
    result = browser.submit(page, "/formulaire", children=["7"], **CHOICES)
    assert result.status == 400 and dossiers(app) == []


def test_invalid_answers_keep_what_was_typed(browser, app):
    page = accept(browser, login(browser))
    result = browser.submit(page, "/formulaire", children=["0"], school="", days=[], email="pas-une-adresse")
    assert result.status == 400
    assert "Choisissez l’école." in result.text and "Choisissez au moins un jour." in result.text
    assert 'value="pas-une-adresse"' in result.text
    assert dossiers(app) == []


def test_a_replayed_submission_makes_one_dossier(browser, app):
    page = accept(browser, login(browser))
    first = browser.submit(page, "/formulaire", children=["0"], **CHOICES)
    second = browser.submit(page, "/formulaire", children=["0"], **CHOICES)
    assert len(dossiers(app)) == 1
    reference = dossiers(app)[0].reference
    assert reference in first.text and reference in second.text


def test_concurrent_submissions_make_one_dossier(browser, app):
    page = accept(browser, login(browser))
    form = page.form("/formulaire")
    data = {**form.fields, "children": ["0"], **CHOICES}
    cookie = browser.service.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    barrier, statuses = threading.Barrier(4), []

    def submit():
        client = app.test_client()
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
        barrier.wait()
        statuses.append(client.post("/demarches/cantine/formulaire", data=data).status_code)

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [303] * 4
    assert len(dossiers(app)) == 1


def test_another_citizen_cannot_see_a_receipt(make_journey_app):
    app = make_journey_app()
    alice, bob = Browser(app.test_client()), Browser(app.test_client())
    page = accept(alice, login(alice))
    alice.submit(page, "/formulaire", children=["0"], **CHOICES)
    reference = dossiers(app)[0].reference
    login(bob, "avec_nom_dusage")
    assert bob.get(f"http://localhost/demarches/cantine/recu/{reference}").status == 404
    assert bob.service.get(f"/demarches/cantine/recu/{reference}/attestation.pdf").status_code == 404
    alice.close()
    bob.close()
