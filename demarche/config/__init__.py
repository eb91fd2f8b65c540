"""Configuration read once from the environment (the public names are listed in the README).

defaults.py: the modes and the demo's public values; checks.py: how a variable is checked; sections.py: the
settings of each part of the service; settings.py: the Settings object, load_settings() and flask_config().
"""

from demarche.config.checks import ConfigurationError
from demarche.config.defaults import (
    DEMO_API_PARTICULIER_TOKEN,
    DEMO_DEFAULTS,
    DEMO_FC_CLIENT_ID,
    DEMO_FC_CLIENT_SECRET,
    DEMO_IMPOT_PARTICULIER_CLIENT_ID,
    DEMO_IMPOT_PARTICULIER_CLIENT_SECRET,
    DEMO_IMPOT_PARTICULIER_ID_TELESERVICE,
    DEMO_ONLY_DEFAULTS,
    DEMO_PC_CLIENT_ID,
    DEMO_PC_CLIENT_SECRET,
    DEMO_RECIPIENT_SIRET,
    MODES,
    RETENTION_DEFAULTS,
)
from demarche.config.settings import Settings, flask_config, load_settings

__all__ = [
    "DEMO_API_PARTICULIER_TOKEN", "DEMO_DEFAULTS", "DEMO_FC_CLIENT_ID", "DEMO_FC_CLIENT_SECRET",
    "DEMO_IMPOT_PARTICULIER_CLIENT_ID", "DEMO_IMPOT_PARTICULIER_CLIENT_SECRET",
    "DEMO_IMPOT_PARTICULIER_ID_TELESERVICE", "DEMO_ONLY_DEFAULTS", "DEMO_PC_CLIENT_ID", "DEMO_PC_CLIENT_SECRET",
    "DEMO_RECIPIENT_SIRET", "MODES", "RETENTION_DEFAULTS", "ConfigurationError", "Settings", "flask_config",
    "load_settings",
]
