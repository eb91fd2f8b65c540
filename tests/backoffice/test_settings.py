"""The back-office's settings: ProConnect all or nothing, SMTP, retention per status."""

import pytest

from demarche.config import ConfigurationError, load_settings
from tests.test_config import PRODUCTION

PROCONNECT = {"PROCONNECT_ISSUER": "https://auth.proconnect.gouv.fr/api/v2", "PROCONNECT_CLIENT_ID": "id",
              "PROCONNECT_CLIENT_SECRET": "secret"}


def test_production_starts_without_proconnect_and_the_back_office_is_off():
    settings = load_settings(PRODUCTION)
    assert not settings.backoffice and settings.smtp_host == ""
    assert load_settings({**PRODUCTION, **PROCONNECT}).backoffice


@pytest.mark.parametrize("missing", list(PROCONNECT))
def test_proconnect_variables_come_together(missing):
    env = {**PRODUCTION, **{k: v for k, v in PROCONNECT.items() if k != missing}}
    with pytest.raises(ConfigurationError) as excinfo:
        load_settings(env)
    assert excinfo.value.name == missing


def test_proconnect_over_plain_http_is_refused_outside_loopback():
    with pytest.raises(ConfigurationError) as excinfo:
        load_settings({**PRODUCTION, **PROCONNECT, "PROCONNECT_ISSUER": "http://proconnect.example/api/v2"})
    assert excinfo.value.name == "PROCONNECT_ISSUER"


def test_smtp_settings():
    with pytest.raises(ConfigurationError) as excinfo:
        load_settings({**PRODUCTION, "SMTP_HOST": "smtp.example.fr"})
    assert excinfo.value.name == "MAIL_FROM"
    settings = load_settings({**PRODUCTION, "SMTP_HOST": "smtp.example.fr", "MAIL_FROM": "Mairie <m@example.fr>"})
    assert (settings.smtp_port, settings.smtp_starttls) == (587, True)
    local = load_settings({"DEMARCHE_ENV": "demo"})
    assert (local.smtp_host, local.smtp_port, local.smtp_starttls) == ("localhost", 1025, False)
    assert load_settings({"DEMARCHE_ENV": "test"}).smtp_host == ""  # the tests start their own sink
    with pytest.raises(ConfigurationError):
        load_settings({**PRODUCTION, "SMTP_PORT": "vingt-cinq"})


def test_retention_per_status():
    settings = load_settings({**PRODUCTION, "RETENTION_DAYS_ACCEPTE": "30", "RETENTION_DAYS_EN_INSTRUCTION": "700"})
    assert settings.retention_days["accepte"] == 30 and settings.retention_days["en_instruction"] == 700
    defaults = load_settings(PRODUCTION).retention_days
    assert defaults == {"depose": 365, "en_instruction": None, "en_attente_de_correction": None, "accepte": 365,
                        "refuse": 365, "sans_suite": 90,
                        "access_log": 365, "inactive_account": 365}
    with pytest.raises(ConfigurationError) as excinfo:
        load_settings({**PRODUCTION, "RETENTION_DAYS_REFUSE": "-1"})
    assert excinfo.value.name == "RETENTION_DAYS_REFUSE"
