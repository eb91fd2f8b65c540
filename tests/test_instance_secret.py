"""Without SECRET_KEY (demo, tests), every worker signs with the same key: forms served by one gunicorn
worker are accepted by the others. gunicorn sends no Server header."""

from __future__ import annotations

import os
import re
import stat
from concurrent.futures import ThreadPoolExecutor

import httpx

from bench.stack import Gunicorn
from demarche.instance_secret import shared_secret
from tests.conftest import service_env


def test_concurrent_first_draws_agree_and_the_file_is_private(tmp_path):
    folder = tmp_path / "instance"
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: shared_secret(folder), range(16)))
    assert len(keys) == 1 and len(keys.pop()) == 64
    assert stat.S_IMODE(os.stat(folder / "secret_key").st_mode) == 0o600


def test_several_gunicorn_workers_without_secret_key_accept_each_others_forms(make_app, database_url, tmp_path):
    """Each try opens a new connection, so the page and the form's POST land on any of the 3 workers."""
    make_app()  # the schema
    env = {key: value for key, value in service_env(database_url).items() if key != "SECRET_KEY"}
    service = Gunicorn("demarche:create_app()", env, workers=3, threads=2, log=tmp_path / "service.log")
    try:
        service.wait("/healthz")
        outcomes, servers = [], set()
        for _ in range(16):
            with httpx.Client(base_url=service.url, headers={"Connection": "close"}) as browser:
                home = browser.get("/")
                token = re.search(r'name="csrf_token" value="([^"]+)"', home.text).group(1)
                # FranceConnect is unreachable here: a form accepted ends on « FranceConnect est momentanément
                # indisponible » (200: someone else's outage is not our 5xx); a form refused on « Votre session
                # a expiré » (400).
                login = browser.post("/franceconnect/login", data={"csrf_token": token})
                outcomes.append((login.status_code, "momentanément indisponible" in login.text))
                servers.update(r.headers.get("Server") for r in (home, login))
    finally:
        service.stop()
    assert "Votre session a expiré" not in login.text
    assert outcomes == [(200, True)] * 16
    assert servers == {None}  # no `Server: gunicorn`
