"""The canteen with the DGFiP, over real HTTP between the service and the three simulators: a family unknown
to the CAF is priced from a municipal quotient computed from its certified revenu fiscal de référence, one
FranceConnect transmission covers every chosen source, an answer about someone else is never kept, and
every DGFiP failure ends on a French message and a way forward."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import httpx
import pytest

from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.models import ConsentRecord, Prefill
from demarche_sandbox.impot_particulier.foyers import DEFAULT_FILE as FOYERS
from tests.browser import Browser
from tests.journeys import login

CHOICES = {"school": "jules-ferry", "days": ["lundi", "mardi"], "diet": "vegetarien"}
CHILD = {"manual_children-0-prenoms": "Léa", "manual_children-0-nom": "TROIS-DUPRE",
         "manual_children-0-date_naissance": "2018-05-04"}
BOTH = {"source_quotient_familial": "yes", "source_revenu_fiscal": "yes"}


@pytest.fixture
def browser(request):
    made: list[Browser] = []

    def open_on(app) -> Browser:
        made.append(Browser(app.test_client()))
        return made[-1]

    yield open_on
    for b in made:
        b.close()


def fetch(browser: Browser, page, **sources: str):
    """« Récupérer mes données » with these sources ticked; confirm FranceConnect's transmission screen."""
    page = browser.submit(page, "/consentement", button="Récupérer mes données", accept="yes", **sources)
    assert "/api/v2/interaction/" in page.url, page.text[:500]
    return browser.submit(page, "", button="Continuer"), page


def only(app, model):
    with app.app_context():
        return db.session.scalars(db.select(model)).all()


def test_a_family_unknown_to_the_caf_is_priced_from_its_certified_rfr(browser, make_dgfip_app, dgfip_sim):
    app = make_dgfip_app()
    b = browser(app)
    page = login(b, "nom_composé")
    assert "Direction générale des Finances publiques (DGFiP)" in page.text and "quotient municipal" in page.text
    assert 'name="source_revenu_fiscal" value="yes" aria' in page.text  # offered, not ticked for the family
    assert ("doit être celle d’un allocataire de votre dossier CAF ou MSA ; votre date de naissance transmise par "
            "FranceConnect doit être celle d’un déclarant de votre avis d’impôt. Sinon") in page.text
    page, transmission = fetch(b, page, **BOTH)
    # ONE FranceConnect authorization for both sources, grouped by provider on its screen
    [authorize] = [u for u in b.requested if "/authorize" in u and "cnaf_quotient_familial" in u]
    assert "dgfip_rfr" in authorize and "dgfip_annee_n_moins_2_si_indispo_n_moins_1" in authorize
    assert "(API Particulier)" in transmission.text
    assert "(Direction générale des Finances publiques)" in transmission.text
    year = re.search(r"Quotient municipal \(revenus (\d{4})\) : 3\u202f201", page.text).group(1)
    assert "Revenu fiscal de référence :</strong> 38\u202f420 €" in page.text and "fr-icon-lock-line" in page.text
    assert f"DGFiP, revenus {year}" in page.text and "Tarif E : 4,90 € par repas" in page.text
    assert "38\u202f420 € ÷ 12 mois ÷ 1 part = 3\u202f201" in page.text
    assert "CAF ou MSA" in page.text and "Aucune donnée n’a pu être récupérée" not in page.text
    assert 'name="quotient_familial"' not in page.text and 'name="address"' not in page.text  # nothing to type
    receipt = b.submit(page, "/formulaire", **CHOICES, **CHILD)
    assert "Votre demande a bien été envoyée" in receipt.text
    assert "d’après votre quotient municipal (revenu fiscal de référence" in receipt.text
    [dossier] = only(app, Dossier)
    snapshot = dossier.certified["revenu_fiscal"]
    assert set(snapshot["data"]) == {"annee_revenus", "revenu_fiscal_reference", "nombre_parts",
                                     "situation_famille", "personnes_a_charge", "adresse"}  # no declarant kept
    provenance = snapshot["provenance"]
    assert (provenance["platform"], provenance["year"]) == ("API Impôt particulier", year)
    assert provenance["provider"] == "Direction générale des Finances publiques (DGFiP)"
    assert provenance["route"] == f"/impotparticulier/1.0/situations/ir/assiettes/annrev/{year}"
    uuid.UUID(provenance["request_id"])  # the X-Correlation-ID the service sent
    assert dossier.answers["quotient_familial"]["kind"] == "municipal"
    assert dossier.answers["price"]["code"] == "E" and not dossier.answers["price"]["provisional"]
    assert dossier.data_correct is True and "quotient_familial" not in dossier.certified
    calls = [e["path"] for e in httpx.get(f"{dgfip_sim.default.url}/_sim/requests").json()]
    assert calls == ["/token", f"/impotparticulier/1.0/situations/ir/assiettes/annrev/{year}"]
    [consent] = only(app, ConsentRecord)
    assert consent.sources == ["quotient_familial", "revenu_fiscal"] and consent.outcome == "partial"
    assert "revenu fiscal de référence" in consent.categories


def test_the_caf_quotient_comes_first_when_both_are_certified(browser, make_dgfip_app):
    app = make_dgfip_app()
    b = browser(app)
    page, _ = fetch(b, login(b, "test"), **BOTH)
    assert "Tarif B : 2,10 € par repas" in page.text and "d’après votre quotient familial CAF" in page.text
    assert "Revenu fiscal de référence" in page.text  # shown, certified, but not what the price comes from


def test_a_caf_answer_about_someone_else_is_not_kept(browser, make_dgfip_app):
    """HOCHON's CAF answer lists a namesake born in 1988: no certified quotient, the manual path."""
    app = make_dgfip_app()
    b = browser(app)
    page, _ = fetch(b, login(b, "plusieurs_prénoms_2"))
    assert "ne semblent pas vous concerner" in page.text and "540" not in page.text
    assert 'name="quotient_familial"' in page.text and 'name="address"' in page.text
    [draft] = only(app, Prefill)
    assert draft.certified == {} and draft.failures == {"quotient_familial": "mismatch"}
    receipt = b.submit(page, "/formulaire", quotient_familial="800", address="1 rue X 69001 Lyon", **CHOICES,
                       **CHILD)
    assert "Votre demande a bien été envoyée" in receipt.text
    [dossier] = only(app, Dossier)
    assert dossier.certified == {} and dossier.answers["quotient_familial"]["origin"] == "declared"
    assert dossier.data_correct is None


def _foyers_without_last_year(tmp_path: Path) -> str:
    raw = json.loads(FOYERS.read_text(encoding="utf-8"))
    for foyer in raw["foyers"]:
        foyer["avis"].pop("N-1", None)  # nobody has an assessment of last year's incomes yet
    path = tmp_path / "foyers.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("case", ["down", "slow", "year", "scope", "teleservice", "rate"])
def test_every_dgfip_failure_is_said_in_french_with_a_way_forward(browser, make_dgfip_app, dgfip_sim, tmp_path,
                                                                  case):
    overrides, env = {}, {}
    if case == "down":
        overrides["IP_SIM_FAILURE"] = "500"
    elif case == "slow":
        overrides["IP_SIM_FAILURE"], env["API_PARTICULIER_TIMEOUT"] = "hang", "0.6"
    elif case == "year":
        overrides["IP_SIM_FOYERS"] = _foyers_without_last_year(tmp_path)
    elif case == "scope":
        overrides["IP_SIM_CLIENT_SCOPES"] = "RessourceIRDerniere"  # the service's account lacks RessourceIR
    elif case == "teleservice":
        env["IMPOT_PARTICULIER_ID_TELESERVICE"] = "UN-AUTRE-USAGE"  # 403, codeapp 4031
    elif case == "rate":
        overrides["IP_SIM_FAILURE"] = "429"
    app = make_dgfip_app(dgfip_sim(**overrides), **env)
    b = browser(app)
    page, _ = fetch(b, login(b, "nom_composé"), source_quotient_familial="no", source_revenu_fiscal="yes")
    assert page.status == 200
    expected = {"down": "ne répond pas pour le moment", "slow": "ne répond pas pour le moment",
                "year": "Votre dernier avis d’impôt n’est pas encore disponible",
                "scope": "Ce service n’est pas autorisé", "teleservice": "Ce service n’est pas autorisé",
                "rate": "Le service est très sollicité"}[case]
    assert expected in page.text and "(DGFiP)" in page.text
    assert 'name="quotient_familial"' in page.text  # the manual path
    if case in ("down", "slow", "rate"):
        assert "Réessayer la récupération" in page.text
    receipt = b.submit(page, "/formulaire", quotient_familial="900", address="8 rue X 13001 Marseille",
                       **CHOICES, **CHILD)
    assert "Votre demande a bien été envoyée" in receipt.text and "(provisoire)" in receipt.text


def test_refresh_once_a_day_with_a_new_consent_and_transmission(browser, make_dgfip_app, dgfip_sim):
    app = make_dgfip_app()
    b = browser(app)
    page, _ = fetch(b, login(b, "nom_composé"), **BOTH)
    assert "Mettre à jour mes données certifiées" in page.text
    page = b.submit(page, "/actualiser")
    assert "/api/v2/interaction/" in page.url  # a new FranceConnect data authorization
    page = b.submit(page, "", button="Continuer")
    assert "Vos données certifiées ont été mises à jour" in page.text and "Quotient municipal" in page.text
    assert "nouvelle mise à jour possible à partir du" in page.text
    consents = only(app, ConsentRecord)
    assert [c.kind for c in consents] == ["prefill", "refresh"] and consents[1].sources == consents[0].sources
    [draft] = only(app, Prefill)
    assert draft.refreshed_at is not None and draft.consent_id == consents[1].id
    assert "Mettre à jour mes données certifiées" not in page.text
    token = page.form("/formulaire").fields["csrf_token"]  # a second refresh, forged, is refused kindly
    answer = b.service.post("/demarches/cantine/actualiser", data={"csrf_token": token})
    assert answer.status_code == 303 and len(only(app, ConsentRecord)) == 2
    assert "Vos données ont déjà été mises à jour aujourd’hui" in b.get("http://localhost/demarches/cantine/formulaire").text


@pytest.mark.parametrize(("control", "body", "kind", "said"), [
    ("failure", {"status": 503, "count": 5}, "unavailable", "ne répond pas pour le moment"),
    ("failure", {"status": "hang", "count": 5}, "unavailable", "ne répond pas pour le moment"),
    ("failure", {"status": 429, "count": 5, "retry_after": 30}, "rate_limited", "Le service est très sollicité"),
    # the DGFiP's calendar says the year asked is not open to this consent: 403, codeapp 4031
    ("today", {"date": "2026-03-01"}, "scope", "Ce service n’est pas autorisé"),
])
def test_a_failed_refresh_keeps_the_data_and_says_so(browser, make_dgfip_app, dgfip_sim, control, body, kind, said):
    app = make_dgfip_app(API_PARTICULIER_TIMEOUT="0.6")
    b = browser(app)
    page, _ = fetch(b, login(b, "nom_composé"), source_quotient_familial="no", source_revenu_fiscal="yes")
    httpx.post(f"{dgfip_sim.default.url}/_sim/{control}", json=body)
    page = b.submit(b.submit(page, "/actualiser"), "", button="Continuer")
    assert page.status == 200
    assert "La mise à jour n’a pas abouti auprès de : DGFiP ; vos données précédentes" in page.text
    assert said in page.text
    assert "Quotient municipal" in page.text and "3\u202f201" in page.text  # the certified data of before stays
    [draft] = only(app, Prefill)
    assert "revenu_fiscal" in draft.certified and draft.failures == {"revenu_fiscal": kind}


def test_the_citizen_says_the_data_is_wrong_and_the_agent_sees_it(browser, make_dgfip_app):
    app = make_dgfip_app()
    b = browser(app)
    page, _ = fetch(b, login(b, "nom_composé"), **BOTH)
    refused = b.submit(page, "/formulaire", data_incorrect="y", **CHOICES, **CHILD)
    assert refused.status == 400 and "Précisez ce qui n’est pas exact" in refused.text
    receipt = b.submit(refused, "/formulaire", data_incorrect="y", data_comment="Mon revenu a baissé en 2026.",
                       **CHOICES, **CHILD)
    assert "Votre demande a bien été envoyée" in receipt.text
    [dossier] = only(app, Dossier)
    assert (dossier.data_correct, dossier.data_comment) == (False, "Mon revenu a baissé en 2026.")
    assert dossier.answers["certified_check"] == {"correct": False, "comment": "Mon revenu a baissé en 2026."}
    assert "Données certifiées exactes selon l’usager" in receipt.text and "Mon revenu a baissé" in receipt.text
    mine = json.loads(b.service.get("/mes-donnees.json").get_data(as_text=True))
    [kept] = mine["dossiers"]
    assert kept["donnees_certifiees_exactes_selon_vous"] is False and kept["votre_remarque"].startswith("Mon revenu")
    provenance = kept["donnees_certifiees"]["revenu_fiscal"]["provenance"]
    assert provenance["platform"] == "API Impôt particulier" and provenance["request_id"]
    assert mine["accords"][0]["sources"] == ["quotient_familial", "revenu_fiscal"]
    page = b.get("http://localhost/mes-donnees").text
    assert "Direction générale des Finances publiques (DGFiP) via API Impôt particulier, revenus" in page


def test_the_identite_modality_does_not_offer_the_dgfip(browser, make_journey_app, dgfip_sim):
    app = make_journey_app("identite", IMPOT_PARTICULIER_URL=dgfip_sim.default.url)
    b = browser(app)
    page = login(b, "nom_composé")
    assert 'name="source_quotient_familial"' in page.text and 'name="source_revenu_fiscal"' not in page.text
    assert "Les données fiscales de la DGFiP ne sont proposées qu’avec l’accord donné sur l’écran de FranceConnect" \
        in page.text
    forged = b.submit(page, "/consentement", button="Récupérer mes données", accept="yes", source_revenu_fiscal="yes")
    assert forged.status == 200 and "Aucune donnée n’a pu être récupérée (CAF ou MSA)" in forged.text
    assert httpx.get(f"{dgfip_sim.default.url}/_sim/requests").json() == []  # the DGFiP never called
