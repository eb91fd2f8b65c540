"""Redirects never follow a Host header the client made up; no server software is announced."""

import httpx

from demarche.devserver import serve
from tests.conftest import SERVICE_URL


def test_a_trailing_slash_redirect_stays_on_the_public_url_whatever_the_host_header(client):
    """Hostile input (b): Werkzeug built `http://evil.example/demarches/cantine/` from `Host: evil.example`."""
    response = client.get("/demarches/cantine", headers={"Host": "evil.example"})
    assert response.status_code in (301, 308)
    assert "evil.example" not in response.headers["Location"]
    assert response.headers["Location"] == f"{SERVICE_URL}/demarches/cantine/"


def test_redirects_to_the_providers_and_relative_ones_are_left_alone(client):
    assert client.get("/mon-espace").headers["Location"] == "/"  # relative, as Flask writes it


def test_the_development_server_sends_no_server_header(app):
    """Hostile input (i): `Server: Werkzeug/3.1 Python/3.11` told an attacker what to try."""
    server = serve(lambda _url: app)
    try:
        response = httpx.get(server.url + "/healthz")
    finally:
        server.stop()
    assert response.status_code == 200 and "server" not in response.headers
