"""Start-up configuration: safe defaults in demo/test, refusal with a named variable in production."""

import pytest

from demarche.config import ConfigurationError, load_settings

PRODUCTION = {
    "SECRET_KEY": "x" * 40,
    "PUBLIC_URL": "https://demarche.example.fr",
    "FRANCECONNECT_ISSUER": "https://fcp-low.sbx.dev-franceconnect.fr/api/v2",
    "FRANCECONNECT_CLIENT_ID": "a" * 64,
    "FRANCECONNECT_CLIENT_SECRET": "b" * 64,
    "API_PARTICULIER_URL": "https://staging.particulier.api.gouv.fr",
    "API_PARTICULIER_RECIPIENT": "21750001600019",
}


def test_production_accepts_the_real_sandbox_variables():
    settings = load_settings(PRODUCTION)
    assert settings.mode == "production"
    assert settings.https
    assert settings.fc_issuer == "https://fcp-low.sbx.dev-franceconnect.fr/api/v2"


@pytest.mark.parametrize("name", ["SECRET_KEY", "PUBLIC_URL", "FRANCECONNECT_ISSUER", "FRANCECONNECT_CLIENT_ID",
                                  "FRANCECONNECT_CLIENT_SECRET", "API_PARTICULIER_URL", "API_PARTICULIER_RECIPIENT"])
def test_production_refuses_a_missing_variable_and_names_it(name):
    env = {k: v for k, v in PRODUCTION.items() if k != name}
    with pytest.raises(ConfigurationError) as excinfo:
        load_settings(env)
    assert excinfo.value.name == name
    assert "obligatoire" in str(excinfo.value) and "required" in str(excinfo.value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SECRET_KEY", "short"),
        ("FRANCECONNECT_ISSUER", "http://fc.example.fr/api/v2"),
        ("API_PARTICULIER_URL", "http://particulier.example.fr"),
        ("PUBLIC_URL", "ftp://demarche.example.fr"),
        ("API_PARTICULIER_RECIPIENT", "1234"),
        ("API_PARTICULIER_MODALITY", "carrier-pigeon"),
        ("DEMARCHE_ENV", "staging"),
    ],
)
def test_unsafe_values_are_refused(name, value):
    with pytest.raises(ConfigurationError) as excinfo:
        load_settings({**PRODUCTION, name: value})
    assert excinfo.value.name == name


def test_identite_modality_needs_the_service_token():
    with pytest.raises(ConfigurationError) as excinfo:
        load_settings({**PRODUCTION, "API_PARTICULIER_MODALITY": "identite"})
    assert excinfo.value.name == "API_PARTICULIER_TOKEN"
    assert load_settings({**PRODUCTION, "API_PARTICULIER_MODALITY": "identite", "API_PARTICULIER_TOKEN": "t"})


def test_plain_http_is_accepted_on_loopback():
    settings = load_settings({**PRODUCTION, "FRANCECONNECT_ISSUER": "http://127.0.0.1:5001/api/v2",
                              "API_PARTICULIER_URL": "http://localhost:5002"})
    assert settings.api_particulier_url == "http://localhost:5002"


def test_demo_needs_no_variable_at_all():
    settings = load_settings({"DEMARCHE_ENV": "demo"})
    assert settings.public_url == "http://localhost:5000"
    assert settings.fc_issuer == "http://localhost:5001/api/v2"
    assert settings.api_particulier_url == "http://localhost:5002"
    assert settings.database_url.startswith("sqlite:///") and "instance" in settings.database_url


DGFIP = {"IMPOT_PARTICULIER_URL": "https://gateway.dgfip.example", "IMPOT_PARTICULIER_CLIENT_ID": "id",
         "IMPOT_PARTICULIER_CLIENT_SECRET": "secret", "IMPOT_PARTICULIER_ID_TELESERVICE": "TS-1"}


def test_the_dgfip_is_optional_and_offered_in_the_franceconnect_modality_only():
    assert not load_settings(PRODUCTION).impot_particulier  # no IMPOT_PARTICULIER_URL: not offered
    settings = load_settings({**PRODUCTION, **DGFIP})
    assert settings.impot_particulier and settings.impot_particulier_id_teleservice == "TS-1"
    identite = load_settings({**PRODUCTION, **DGFIP, "API_PARTICULIER_MODALITY": "identite",
                              "API_PARTICULIER_TOKEN": "t"})
    assert not identite.impot_particulier


@pytest.mark.parametrize("name", ["IMPOT_PARTICULIER_CLIENT_ID", "IMPOT_PARTICULIER_CLIENT_SECRET",
                                  "IMPOT_PARTICULIER_ID_TELESERVICE"])
def test_the_dgfip_account_is_required_with_its_url(name):
    with pytest.raises(ConfigurationError) as excinfo:
        load_settings({**PRODUCTION, **{k: v for k, v in DGFIP.items() if k != name}})
    assert excinfo.value.name == name


def test_the_dgfip_gateway_needs_https_except_on_loopback():
    with pytest.raises(ConfigurationError) as excinfo:
        load_settings({**PRODUCTION, **DGFIP, "IMPOT_PARTICULIER_URL": "http://gateway.dgfip.example"})
    assert excinfo.value.name == "IMPOT_PARTICULIER_URL"
    assert load_settings({**PRODUCTION, **DGFIP, "IMPOT_PARTICULIER_URL": "http://127.0.0.1:5005"}).impot_particulier


def test_the_demo_reaches_the_dgfip_simulator():
    settings = load_settings({"DEMARCHE_ENV": "demo"})
    assert settings.impot_particulier_url == "http://localhost:5005" and settings.impot_particulier
