"""The demo's wiring: whom each simulator registers or expects by default, and on which port. Equal to the
service's demo values (demarche/config/defaults.py), as tests/test_sandbox_wiring.py checks.
"""

from __future__ import annotations

# The service's FranceConnect client (64 hex-like characters, like real FranceConnect client ids).
FC_CLIENT_ID = "d3m0" + "0" * 28 + "fc00" + "0" * 27 + "1"
FC_CLIENT_SECRET = "demo-franceconnect-secret-not-for-production"  # noqa: S105 - public demo value
# The service's ProConnect client (the agents' back-office).
PC_CLIENT_ID = "d3m0" + "0" * 28 + "9c00" + "0" * 27 + "1"
PC_CLIENT_SECRET = "demo-proconnect-secret-not-for-production"  # noqa: S105 - public demo value
# The service's API Particulier token, which opens every route.
API_PARTICULIER_TOKEN = "demo-api-particulier-token-not-for-production"  # noqa: S105 - public demo value

# The API Particulier simulator is a FranceConnect "data provider": it validates citizens' access tokens
# at the FranceConnect simulator's /checktoken with these credentials, registered there by default.
DATA_PROVIDER_ID = "api-particulier-simulateur"
DATA_PROVIDER_SECRET = "api-particulier-simulateur-secret-demo"  # noqa: S105 - public demo value

# The DGFiP's API Impôt particulier simulator is FranceConnect's other data provider (dgfip_* scopes).
DGFIP_DATA_PROVIDER_ID = "impot-particulier-simulateur"
DGFIP_DATA_PROVIDER_SECRET = "impot-particulier-simulateur-secret-demo"  # noqa: S105 - public demo value
# The service's account on the DGFiP's API Management gateway (client credentials) and its ID_Teleservice,
# one per use case, as the DGFiP issues them after DataPass.
IMPOT_PARTICULIER_CLIENT_ID = "demarche-demo-dgfip"
IMPOT_PARTICULIER_CLIENT_SECRET = "demarche-demo-dgfip-secret"  # noqa: S105 - public demo value
IMPOT_PARTICULIER_ID_TELESERVICE = "DEMARCHE-DEMO-0001"

SERVICE_URL = "http://localhost:5000"
PORTS = {"franceconnect": 5001, "api-particulier": 5002, "proconnect": 5003, "mailbox": 5004,
         "impot-particulier": 5005, "smtp": 1025, "receiver": 5006}
