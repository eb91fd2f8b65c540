"""fetch(): a démarche's sources in one concurrent call, each answered as a typed SourceResult."""

from __future__ import annotations

from datetime import datetime

import pytest

from demarche.providers import FailureKind
from demarche.providers.api_particulier import NotFound, ProviderUnavailable, Route, SourceRequest, fetch
from demarche.providers.api_particulier.models import ComplementaireSanteSolidaire, QuotientFamilialResult
from tests.providers.api_particulier.people import ANGELA, JEAN, MELISSANDRE

REQUESTS = [SourceRequest("qf", Route.QUOTIENT_FAMILIAL), SourceRequest("c2s", Route.COMPLEMENTAIRE_SANTE_SOLIDAIRE),
            SourceRequest("rsa", Route.REVENU_SOLIDARITE_ACTIVE)]


def test_every_route_is_a_client_method_with_a_model(client_for, sim):
    client = client_for(sim().url)
    for route in Route:
        assert callable(getattr(client, route.value)) and route.model.__dataclass_fields__ and route.holder


def test_sources_are_fetched_at_the_same_time_and_typed(sim, client_for):
    simulator = sim({"AP_SIM_LATENCY_MS": 1000})  # wide enough that a busy machine cannot serialise them by chance
    client = client_for(simulator.url)
    fetch(client, REQUESTS[:1], identity=ANGELA)  # the simulator's first request loads its data: not measured
    results = fetch(client, REQUESTS, identity=ANGELA)
    qf, c2s, rsa = results["qf"], results["c2s"], results["rsa"]
    assert isinstance(qf.value, QuotientFamilialResult) and qf.value.quotient_familial.valeur == 650
    assert qf.ok and qf.route == "/v3/dss/quotient_familial/identite" and qf.status == 200
    assert len(qf.request_id) == 36 and qf.elapsed_ms >= 1000 and qf.retrieved_at is not None
    assert isinstance(c2s.value, ComplementaireSanteSolidaire) and c2s.value.est_beneficiaire is True
    assert rsa.ok  # Angela has an RSA file too
    spans = [(datetime.fromisoformat(e["time"]).timestamp(), e["duration_ms"] / 1000) for e in simulator.requests()[1:]]
    latest_start = max(start for start, _ in spans)
    assert len(spans) == 3 and latest_start < min(start + duration for start, duration in spans)  # all in flight


def test_a_failure_is_a_result_with_its_kind_never_an_exception(sim, client_for):
    client = client_for(sim().url)
    missing = fetch(client, REQUESTS[:1], identity=MELISSANDRE)["qf"]
    assert missing.failure is FailureKind.NOT_FOUND and isinstance(missing.error, NotFound)
    assert missing.value is None and missing.status == 404 and missing.request_id
    down = fetch(client, REQUESTS[:1], identity=JEAN)["qf"]
    assert down.failure is FailureKind.UNAVAILABLE and isinstance(down.error, ProviderUnavailable)


def test_exactly_one_credential(sim, client_for):
    client = client_for(sim().url)
    with pytest.raises(ValueError):
        fetch(client, REQUESTS, identity=ANGELA, fc_access_token="token")
    with pytest.raises(ValueError):
        fetch(client, REQUESTS)
    assert fetch(client, [], identity=ANGELA) == {}
