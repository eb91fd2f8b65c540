"""Tokens: `flask api-tokens create` prints the token alone on its last line (a contract outside harnesses
rely on), only its hash is stored, list never shows it, and a missing, unknown, revoked or expired token
gets 401 with WWW-Authenticate: Bearer."""

from __future__ import annotations

import os
import subprocess
import sys

from demarche.api import tokens
from demarche.extensions import db
from demarche.models import ApiToken
from tests.api.conftest import bearer, expire, new_token
from tests.backoffice.factories import COMMUNE, make_dossier
from tests.conftest import service_env


def test_the_cli_command_prints_the_token_alone_on_its_last_line(api_app, database_url):
    env = {**os.environ, **service_env(database_url)}
    command = [sys.executable, "-m", "flask", "--app", "demarche:create_app()", "api-tokens", "create", COMMUNE,
               "--scope", "read", "--name", "Logiciel cantine"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=True)  # noqa: S603
    token = result.stdout.strip().splitlines()[-1]
    assert token.startswith(tokens.PREFIX) and " " not in token and len(token) > 40
    response = api_app.test_client().get("/api/v1/dossiers", headers=bearer(token))
    assert response.status_code == 200
    with api_app.app_context():
        row = db.session.scalar(db.select(ApiToken))
        assert row.token_hash == tokens.digest(token) and row.scope == "read" and row.name == "Logiciel cantine"


def test_list_never_shows_a_token_and_revoke_closes_it(api_app):
    runner, client = api_app.test_cli_runner(), api_app.test_client()
    created = runner.invoke(args=["api-tokens", "create", COMMUNE, "--scope", "instruct", "--expires-days", "30"])
    token = created.output.strip().splitlines()[-1]
    assert client.get("/api/v1/dossiers", headers=bearer(token)).status_code == 200
    listed = runner.invoke(args=["api-tokens", "list", COMMUNE])
    assert "instruct" in listed.output and "actif" in listed.output and token not in listed.output
    assert tokens.digest(token) not in listed.output
    assert "révoqué" in runner.invoke(args=["api-tokens", "revoke", "1"]).output
    refused = client.get("/api/v1/dossiers", headers=bearer(token))
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert refused.mimetype == "application/problem+json" and refused.json["code"] == "jeton_invalide"
    assert runner.invoke(args=["api-tokens", "revoke", "99"]).exit_code != 0


def test_a_bad_siret_is_refused_in_french(api_app):
    result = api_app.test_cli_runner().invoke(args=["api-tokens", "create", "123", "--scope", "read"])
    assert result.exit_code != 0 and "un SIRET de 14 chiffres est attendu" in result.output


def test_missing_unknown_and_expired_tokens_get_401(api_app):
    reference = make_dossier(api_app)
    client, token = api_app.test_client(), new_token(api_app)
    path = f"/api/v1/dossiers/{reference}"
    assert client.get(path, headers=bearer(token)).status_code == 200
    expire(api_app, token)
    for headers in ({}, bearer(token), bearer(tokens.PREFIX + "x" * 43), {"Authorization": f"Basic {token}"}):
        response = client.get(path, headers=headers)
        assert response.status_code == 401 and response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
        assert response.json["title"] == "Authentification requise" and response.json["instance"] == path


def test_a_read_token_cannot_instruct(api_app):
    reference = make_dossier(api_app)
    response = api_app.test_client().post(f"/api/v1/dossiers/{reference}/instruction",
                                          json={"status": "en_instruction"}, headers=bearer(new_token(api_app)))
    assert response.status_code == 403 and response.json["code"] == "portee_insuffisante"
