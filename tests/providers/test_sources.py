"""One concurrent fetch whatever the provider: API Particulier and the DGFiP side by side, with the same
FranceConnect access token, each answered as a typed SourceResult."""

from __future__ import annotations

import time
from datetime import date

from demarche.providers import FailureKind
from demarche.providers.api_particulier import Route
from demarche.providers.api_particulier.models import QuotientFamilialResult
from demarche.providers.impot_particulier import Resource, SituationIR
from demarche.providers.results import SourceRequest
from demarche.providers.sources import fetch
from tests.providers.api_particulier.people import ANGELA
from tests.providers.impot_particulier.conftest import FALLBACK, IR

QF = SourceRequest("qf", Route.QUOTIENT_FAMILIAL)
RFR = SourceRequest("rfr", Resource.SITUATION_IR, IR + FALLBACK)
AFTER = date(2026, 9, 15)


def test_both_providers_at_once_with_one_franceconnect_token(fc, sim, dgfip, client_for, ip_client):
    ap = sim({"AP_SIM_FC_ISSUER": fc.issuer, "AP_SIM_LATENCY_MS": 600})
    ip = dgfip(IP_SIM_TODAY=AFTER.isoformat(), IP_SIM_LATENCY_MS="600")
    token = fc.access_token("test", ("cnaf_quotient_familial", "cnaf_allocataires", *IR, *FALLBACK))
    started = time.monotonic()
    results = fetch([QF, RFR], api_particulier_client=client_for(ap.url),
                    impot_particulier_client=ip_client(ip.url, today=lambda: AFTER), fc_access_token=token)
    elapsed = time.monotonic() - started
    assert isinstance(results["qf"].value, QuotientFamilialResult) and results["qf"].value.quotient_familial
    assert isinstance(results["rfr"].value, SituationIR) and results["rfr"].value.revenu_fiscal_reference == 29840
    # the DGFiP's /token (600 ms) then its resource (600 ms) run while API Particulier's call runs
    assert elapsed < 1.2 + 0.6


def test_the_dgfip_needs_the_franceconnect_modality(sim, client_for, ip_client):
    results = fetch([RFR], api_particulier_client=client_for(sim().url),
                    impot_particulier_client=ip_client("http://127.0.0.1:9"), identity=ANGELA)
    assert results["rfr"].failure is FailureKind.SCOPE and results["rfr"].value is None
