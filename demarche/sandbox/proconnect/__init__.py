"""ProConnect simulator (agents of public administrations): a WSGI app whose issuer is
"<PROCONNECT_SIM_PUBLIC_URL>/api/v2".

The same OIDC core as the FranceConnect simulator, playing ProConnect's rules (fc_federation.PROCONNECT):
discovery at /api/v2/.well-known/openid-configuration, /api/v2/authorize with acr_values=eidas1, /token,
/userinfo answered as a signed JWT (application/jwt), /session/end with id_token_hint, state and
post_logout_redirect_uri (numerique-gouv/proconnect-documentation doc_fs/implementation_technique.md).
Scopes openid, given_name, usual_name, email, uid, siret, idp_id, and phone, organizational_unit,
belonging_population, siren (doc_fs/scope-claims.md, doc_fs/donnees_fournies.md); sub is pairwise per
service. The agents are in data/proconnect-agents.csv, password 123. No FranceConnect-only rule applies:
no identite_pivot, no RNIPP correction, no transmission screen, no /checktoken client.

Variables: PROCONNECT_SIM_PUBLIC_URL (default http://localhost:5003), PROCONNECT_SIM_SERVICE_URL
(default http://localhost:5000), and the other FC_SIM_* settings under the PROCONNECT_SIM_ prefix.
"""

from __future__ import annotations

from flask import Flask

from demarche.sandbox.fc_federation import PROCONNECT
from demarche.sandbox.franceconnect import build_app


def create_app(overrides: dict | None = None) -> Flask:
    """Build the ProConnect simulator from PROCONNECT_SIM_* variables, overridden by `overrides`
    (same keys, plus CLIENTS: a list of dicts, see fc_config)."""
    return build_app(PROCONNECT, overrides)
