"""What a citizen types (demarche/forms.py validators on every démarche's form): no control character, no
invisible character in a name, one real e-mail address, plausible dates, each child and day once, French
messages only, and a receipt only under its own démarche. Every test posts through the real journey."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.security.conftest import VALID, certified_form, manual_form, stored

ENGLISH = ("Not a valid", "This field", "Invalid", "must be", "Field ", "valid choice", "could not")
FREE_TEXT = [("cantine", name) for name in ("manual_children-0-prenoms", "manual_children-0-nom", "address",
                                           "diet_details", "phone", "email")] + [
    ("transport", name) for name in ("etablissement", "email")]


def post(browser, slug: str, **changes):
    """Submit the démarche's manual form with valid answers, some of them changed."""
    return browser.submit(manual_form(browser, slug), "/formulaire", **{**VALID[slug], **changes})


@pytest.mark.parametrize("char", ["\x1b", "\x00", "\x7f", "\x85"], ids=["ESC", "NUL", "DEL", "NEL"])
@pytest.mark.parametrize(("slug", "name"), FREE_TEXT)
def test_a_control_character_is_refused_in_every_free_text_field(citizen, app, slug, name, char):
    value = VALID[slug].get(name) or "Sans porc"
    page = post(citizen, slug, **{name: value[:3] + char + value[3:]})
    assert page.status == 400 and "caractère de contrôle" in page.text
    assert stored(app) == []


def test_line_breaks_stay_allowed_where_a_text_has_lines(citizen, app):
    page = post(citizen, "cantine", address="3 rue des Écoles\r\n45000 Démarche-sur-Loire",
                diet_details="Sans arachide\r\nSans lait")
    assert page.status == 200 and "/recu/" in page.url
    assert stored(app)[0].answers["address"]["value"] == "3 rue des Écoles\r\n45000 Démarche-sur-Loire"


@pytest.mark.parametrize("address", ["a,b@evil.example", "shown(hidden)@evil.example", "a@b@evil.example",
                                     "victime@example.fr\r\nBcc: x@evil.example", '"a@b"@evil.example',
                                     "a@evil", "jérôme@exemple.fr"])
def test_an_e_mail_address_is_one_deliverable_address(citizen, app, address):
    page = post(citizen, "transport", email=address)
    assert page.status == 400 and ("une seule adresse électronique valide" in page.text
                                   or "caractère de contrôle" in page.text)  # the CR LF one
    assert stored(app) == []


def test_a_plain_address_with_an_international_domain_is_accepted(citizen, app):
    page = post(citizen, "cantine", email="  lea.martin+cantine@démarche.example  ")
    assert page.status == 200 and stored(app)[0].answers["email"] == "lea.martin+cantine@démarche.example"


def test_the_same_certified_child_and_day_twice_count_once(citizen, app):
    page = citizen.submit(certified_form(citizen), "/formulaire", children=["0", "0"], school="jules-ferry",
                          days=["lundi", "lundi", "mardi"], diet="standard")
    assert page.status == 200 and "/recu/" in page.url
    [dossier] = stored(app)
    assert len(dossier.answers["children"]) == 1 and dossier.answers["days"] == ["Lundi", "Mardi"]
    assert page.text.count("Enfant inscrit") == 1


def test_the_same_child_declared_twice_is_refused(citizen, app):
    page = post(citizen, "cantine", **{"manual_children-1-prenoms": "léa ", "manual_children-1-nom": "Martin",
                                       "manual_children-1-date_naissance": "2017-03-14"})
    assert page.status == 400 and "deux fois le même enfant" in page.text
    assert stored(app) == []


@pytest.mark.parametrize(("born", "message"), [
    ("0001-01-01", "entre le 01/01/1900 et aujourd’hui"), ("1899-12-31", "entre le 01/01/1900 et aujourd’hui"),
    ((date.today() + timedelta(days=2)).isoformat(), "entre le 01/01/1900 et aujourd’hui"),
    ("2017-02-30", "Indiquez une date valide"), ("99999-01-01", "Indiquez une date valide")])
def test_a_birth_date_must_be_plausible(citizen, app, born, message):
    page = post(citizen, "cantine", **{"manual_children-0-date_naissance": born})
    assert page.status == 400 and message in page.text
    assert stored(app) == []


@pytest.mark.parametrize("char", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u200d", "\u200f", "\ufeff"])
@pytest.mark.parametrize("name", ["manual_children-0-prenoms", "manual_children-0-nom"])
def test_bidi_overrides_and_zero_width_characters_are_refused_in_names(citizen, app, name, char):
    page = post(citizen, "cantine", **{name: f"Lé{char}a"})
    assert page.status == 400 and "caractère invisible" in page.text
    assert stored(app) == []


def test_a_bad_submission_says_everything_in_french(citizen):
    cantine = post(citizen, "cantine", quotient_familial="beaucoup", regime="autre", school="nope", days=["dimanche"],
                   diet="rien", **{"manual_children-0-date_naissance": "pas une date"})
    transport = post(citizen, "transport", pass_type="hebdo", zone="lune", echelon="99", c2s="peut-être",
                     etablissement="x" * 201)
    for page in (cantine, transport):
        assert page.status == 400 and "Le formulaire contient des erreurs" in page.text
        assert not [word for word in ENGLISH if word in page.text], page.text
        assert "{}" not in page.text and "{'" not in page.text  # no Python repr of a sub-form's errors
    assert "Indiquez un nombre" in cantine.text and "Choisissez" in transport.text


def test_a_receipt_is_only_found_under_its_own_demarche(citizen, app):
    post(citizen, "cantine")
    [dossier] = stored(app)
    own = citizen.get(f"http://localhost/demarches/cantine/recu/{dossier.reference}")
    assert own.status == 200
    for path in (f"/demarches/transport/recu/{dossier.reference}",
                 f"/demarches/transport/recu/{dossier.reference}/attestation.pdf"):
        assert citizen.service.get(path).status_code == 404, path


@pytest.mark.parametrize("address", ["a,b@evil.example", "shown(hidden)@evil.example", "agent@localhost",
                                     "agent\x1b@example.fr"])
def test_the_allow_list_takes_one_real_address(app, address):
    """`flask agents add` is typed too: the address ProConnect will send back must be a real one."""
    result = app.test_cli_runner().invoke(args=["agents", "add", address, "21750001600019"])
    # The free-text rule answers first for a control character (ESC), the address rule for the rest.
    assert result.exit_code != 0 and ("adresse électronique" in result.output or "caractère" in result.output)
    assert "agent" not in app.test_cli_runner().invoke(args=["agents", "list"]).output
