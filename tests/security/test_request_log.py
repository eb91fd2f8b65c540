"""The request log (issue 19, l): a line never pairs the person's pseudonymous key with a dossier reference, and a
path no route matches is not logged as typed (a mistyped verification URL still carries its code)."""

from __future__ import annotations

import logging

import pytest

from demarche import app as factory
from demarche import create_app
from tests.browser import Browser
from tests.conftest import service_env
from tests.dossier_life import citizen_with_dossier


def request_lines(caplog) -> list[dict]:
    return [r.context for r in caplog.records if r.name == "demarche.http"]


def test_a_citizens_request_line_names_the_route_not_the_reference(app, caplog):
    browser = Browser(app.test_client())
    reference = citizen_with_dossier(app, browser)
    caplog.set_level(logging.INFO)
    caplog.clear()
    browser.get(f"http://localhost/mes-demarches/{reference}/messages")
    browser.get(f"http://localhost/demarches/cantine/recu/{reference}")
    lines = request_lines(caplog)
    assert {line["path"] for line in lines} >= {"/mes-demarches/<reference>/messages",
                                                "/demarches/<slug>/recu/<reference>"}
    assert all(line.get("user_key") for line in lines)
    assert not [line for line in lines if reference in str(line)]


@pytest.mark.parametrize("path", ["/verifier/CAN-2026-ABCDEF-GHJK-MNPQ/x", "/demarches/cantine/recu/CAN-2026-ABCDEF/"])
def test_a_path_that_misses_every_route_keeps_its_first_segment_only(app, caplog, path):
    caplog.set_level(logging.INFO)
    assert app.test_client().get(path).status_code == 404
    (line,) = request_lines(caplog)
    assert line["path"] == f"/{path.split('/')[1]}/…" and "ABCDEF" not in str(line)


def test_the_factory_leaves_the_checkout_alone_when_everything_is_given(tmp_path, monkeypatch):
    monkeypatch.setattr(factory, "ROOT", tmp_path)
    env = {**service_env(f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}"), "SECRET_KEY": "k" * 32}
    create_app(env)
    assert not (tmp_path / "instance").exists()
    create_app({**env, "DATABASE_URL": ""})  # the default database lives in instance/: then it is made
    assert (tmp_path / "instance").is_dir()
