"""The run modes, the demo's public values and the defaults every deployment starts from."""

from __future__ import annotations

MODES = ("production", "demo", "test")

# The demo's FranceConnect client, registered in the FranceConnect simulator too
# (sandbox/demarche_sandbox/defaults.py). 64 hex characters, like real FranceConnect client ids.
DEMO_FC_CLIENT_ID = "d3m0" + "0" * 28 + "fc00" + "0" * 27 + "1"
DEMO_FC_CLIENT_SECRET = "demo-franceconnect-secret-not-for-production"  # noqa: S105 - public demo value
DEMO_API_PARTICULIER_TOKEN = "demo-api-particulier-token-not-for-production"  # noqa: S105
DEMO_RECIPIENT_SIRET = "21750001600019"  # SIRET de la Ville de Paris, used as the demo commune's SIRET
# The demo's ProConnect client (agents' back-office), registered in the ProConnect simulator too.
DEMO_PC_CLIENT_ID = "d3m0" + "0" * 28 + "9c00" + "0" * 27 + "1"
DEMO_PC_CLIENT_SECRET = "demo-proconnect-secret-not-for-production"  # noqa: S105 - public demo value
# The demo's account on the DGFiP's API gateway and its ID_Teleservice, known to the DGFiP simulator too.
DEMO_IMPOT_PARTICULIER_CLIENT_ID = "demarche-demo-dgfip"
DEMO_IMPOT_PARTICULIER_CLIENT_SECRET = "demarche-demo-dgfip-secret"  # noqa: S105 - public demo value
DEMO_IMPOT_PARTICULIER_ID_TELESERVICE = "DEMARCHE-DEMO-0001"

DEMO_DEFAULTS = {
    "PUBLIC_URL": "http://localhost:5000",
    "FRANCECONNECT_ISSUER": "http://localhost:5001/api/v2",
    "FRANCECONNECT_CLIENT_ID": DEMO_FC_CLIENT_ID,
    "FRANCECONNECT_CLIENT_SECRET": DEMO_FC_CLIENT_SECRET,
    "API_PARTICULIER_URL": "http://localhost:5002",
    "API_PARTICULIER_TOKEN": DEMO_API_PARTICULIER_TOKEN,
    "API_PARTICULIER_RECIPIENT": DEMO_RECIPIENT_SIRET,
    "API_PARTICULIER_MODALITY": "france_connect",
    "PROCONNECT_ISSUER": "http://localhost:5003/api/v2",
    "PROCONNECT_CLIENT_ID": DEMO_PC_CLIENT_ID,
    "PROCONNECT_CLIENT_SECRET": DEMO_PC_CLIENT_SECRET,
    "IMPOT_PARTICULIER_URL": "http://localhost:5005",
    "IMPOT_PARTICULIER_CLIENT_ID": DEMO_IMPOT_PARTICULIER_CLIENT_ID,
    "IMPOT_PARTICULIER_CLIENT_SECRET": DEMO_IMPOT_PARTICULIER_CLIENT_SECRET,
    "IMPOT_PARTICULIER_ID_TELESERVICE": DEMO_IMPOT_PARTICULIER_ID_TELESERVICE,
}
# The demo only (the tests start their own mail sink): the sandbox's mailbox, sandbox/demarche_sandbox/mailbox/.
DEMO_ONLY_DEFAULTS = {"SMTP_HOST": "localhost", "SMTP_PORT": "1025"}
PROCONNECT_VARIABLES = ("PROCONNECT_ISSUER", "PROCONNECT_CLIENT_ID", "PROCONNECT_CLIENT_SECRET")
IMPOT_PARTICULIER_VARIABLES = ("IMPOT_PARTICULIER_CLIENT_ID", "IMPOT_PARTICULIER_CLIENT_SECRET",
                               "IMPOT_PARTICULIER_ID_TELESERVICE")
# Days a dossier is kept after its last event, per status; None: never purged (a dossier being
# processed is never deleted, as in demarches-simplifiees). Each is overridden by RETENTION_DAYS_<STATUS>.
RETENTION_DEFAULTS: dict[str, int | None] = {
    "depose": 365, "en_instruction": None, "en_attente_de_correction": None,  # waiting on the citizen: kept
    "accepte": 365, "refuse": 365, "sans_suite": 90,
    "access_log": 365,  # the agents' access journal (CNIL: 6 months to 1 year for such traces)
    "inactive_account": 365,  # a citizen with no dossier left, counted from their last login
}

REQUIRED_IN_PRODUCTION = (
    "SECRET_KEY",
    "PUBLIC_URL",
    "FRANCECONNECT_ISSUER",
    "FRANCECONNECT_CLIENT_ID",
    "FRANCECONNECT_CLIENT_SECRET",
    "API_PARTICULIER_URL",
    "API_PARTICULIER_RECIPIENT",
)
