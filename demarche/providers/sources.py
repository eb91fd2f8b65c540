"""ONE concurrent fetch of a démarche's sources, whatever their provider: API Particulier's routes and the
DGFiP's resources run side by side, so a prefill costs its slowest provider, not the sum of them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from demarche.identity import PivotIdentity
from demarche.providers import api_particulier, impot_particulier
from demarche.providers.results import SourceRequest, SourceResult, run_concurrently


def fetch(requests: Sequence[SourceRequest], *, api_particulier_client: api_particulier.ApiParticulierClient | None,
          impot_particulier_client: impot_particulier.ImpotParticulierClient | None = None,
          fc_access_token: str | None = None, identity: PivotIdentity | None = None) -> dict[str, SourceResult]:
    """Every request at once; a failure is a result, never raised. API Particulier gets the access token
    (modality france_connect) or the identity (identite); the DGFiP only ever the access token."""
    if (fc_access_token is None) == (identity is None):
        raise ValueError("give exactly one of fc_access_token or identity")
    credential = {"fc_access_token": fc_access_token} if fc_access_token else {"identity": identity}
    calls: dict[str, Callable[[], SourceResult]] = {}
    for request in requests:
        if isinstance(request.route, impot_particulier.Resource):
            if impot_particulier_client is None:
                raise ValueError(f"{request.key}: no API Impôt particulier client configured")
            calls[request.key] = (lambda r=request: impot_particulier.sources.fetch_one(
                impot_particulier_client, r, fc_access_token))
        else:
            if api_particulier_client is None:
                raise ValueError(f"{request.key}: no API Particulier client configured")
            calls[request.key] = (lambda r=request: api_particulier.sources.fetch_one(
                api_particulier_client, r, credential))
    return run_concurrently(calls, prefix="provider")
