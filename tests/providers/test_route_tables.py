"""Connectors return data or raise: a declared route is served by the client method the explicit table names
(no method looked up by name), and no connector carries text for the citizen."""

import inspect

import pytest

from demarche.providers.api_particulier import errors as ap_errors
from demarche.providers.api_particulier import sources as ap_sources
from demarche.providers.impot_particulier import errors as ip_errors
from demarche.providers.impot_particulier import sources as ip_sources


@pytest.mark.parametrize(("routes", "table", "client"), [
    (ap_sources.Route, ap_sources.CALLS, "ApiParticulierClient"),
    (ip_sources.Resource, ip_sources.CALLS, "ImpotParticulierClient"),
])
def test_every_route_has_its_client_method(routes, table, client):
    assert set(table) == set(routes)
    for route, method in table.items():
        assert method.__qualname__ == f"{client}.{route.value}"
        assert "fc_access_token" in inspect.signature(method).parameters


@pytest.mark.parametrize("module", [ap_errors, ip_errors])
def test_the_connectors_exceptions_carry_no_wording(module):
    for _, error in inspect.getmembers(module, inspect.isclass):
        if issubclass(error, Exception) and error.__module__ == module.__name__:
            assert not hasattr(error, "user_message") and not hasattr(error, "default_message"), error
