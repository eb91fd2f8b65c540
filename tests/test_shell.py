"""The DSFR shell, mandatory pages, security headers and French error pages."""

import re

import pytest

from demarche.accessibility import audit


def test_home_shows_the_official_franceconnect_button_in_a_login_form(client):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    form = re.search(r'<form method="post" action="/franceconnect/login">(.*?)</form>', html, re.S)
    assert form, "the FranceConnect button must sit in a form that starts the login"
    assert 'class="fr-connect"' in form.group(1)
    assert "S’identifier avec" in form.group(1) and "FranceConnect" in form.group(1)
    assert 'name="csrf_token"' in form.group(1)
    assert "Qu’est-ce que FranceConnect ?" in html
    assert "Ce qui va se passer" in html


def test_layout_has_bloc_marque_skip_links_and_mandatory_footer_links(client):
    html = client.get("/").get_data(as_text=True)
    assert '<p class="fr-logo">République<br>Française</p>' in html
    assert 'class="fr-skiplinks"' in html and 'href="#contenu"' in html
    status = accessibility_status()
    for href, label in [("/accessibilite", f"Accessibilité : {status}"), ("/mentions-legales", "Mentions légales"),
                        ("/donnees-personnelles", "Données personnelles"),
                        ("/gestion-des-cookies", "Gestion des cookies")]:
        assert f'href="{href}">{label}</a>' in html
    assert "/static/dsfr/dsfr.min.css" in html


@pytest.mark.parametrize(("path", "heading"), [
    ("/accessibilite", "Déclaration d’accessibilité"),
    ("/mentions-legales", "Mentions légales"),
    ("/donnees-personnelles", "Données personnelles"),
    ("/gestion-des-cookies", "Gestion des cookies"),
])
def test_footer_pages_exist(client, path, heading):
    response = client.get(path)
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.get_data(as_text=True)


def test_accessibility_statement_gives_the_conformity_status(client):
    assert accessibility_status() in client.get("/accessibilite").get_data(as_text=True)


def accessibility_status() -> str:
    """The status the self-audit grid gives (« partiellement conforme »…): the footer and the statement say it."""
    return f"{audit.load().status} conforme"


def test_security_headers_on_every_response(client):
    for response in (client.get("/"), client.get("/does-not-exist"), client.post("/franceconnect/login")):
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cache-Control"] == "no-store"
        assert "Strict-Transport-Security" not in headers  # served over http in this test


def test_hsts_when_public_url_is_https(make_app):
    app = make_app(PUBLIC_URL="https://demarche.example.fr", SECRET_KEY="s" * 40)
    response = app.test_client().get("/", base_url="https://demarche.example.fr")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-demarche=") and "Secure" in cookie


def test_no_inline_script_in_pages(client):
    html = client.get("/").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "style=" not in html


@pytest.mark.parametrize(("method", "path", "status", "title"), [
    ("get", "/nulle-part", 404, "Page non trouvée"),
    ("put", "/", 405, "Action non autorisée"),
    ("post", "/franceconnect/login", 400, "Votre session a expiré"),  # no CSRF token
    ("get", "/mon-espace", 303, None),
])
def test_french_error_pages_with_correlation_id(client, method, path, status, title):
    response = getattr(client, method)(path, headers={"X-Request-ID": "abcdef12-3456"})
    assert response.status_code == status
    if title:
        html = response.get_data(as_text=True)
        assert title in html
        assert "abcdef12-3456" in html
        assert "Traceback" not in html


def test_unexpected_exception_gives_a_french_500_without_trace(app):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Erreur inattendue" in html
    assert "secret internals" not in html and "Traceback" not in html


def test_health_and_readiness(client):
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/readyz").json == {"status": "ok"}


def test_dsfr_assets_are_served_from_the_npm_package(client):
    with client.get("/static/dsfr/dsfr.min.css") as response:
        assert response.status_code == 200
        assert b".fr-connect" in response.data
