"""flask webhooks add | list | rotate-secret | remove | enable: the secret alone on the last line (public
contract), clear French refusals, a rotation signing with both secrets."""

import re
from dataclasses import replace

from demarche.extensions import db
from demarche.webhooks.delivery import signing_secrets
from demarche.webhooks.models import WebhookEndpoint

SIRET = "21750001600019"
SECRET_LINE = re.compile(r"^whsec_[A-Za-z0-9+/]+={0,2}$")


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=["webhooks", *args])


def test_add_prints_the_secret_alone_on_its_last_line(app):
    result = run(app, "add", SIRET, "http://127.0.0.1:5006/webhooks", "--procedure", "cantine")
    assert result.exit_code == 0, result.output
    lines = result.output.rstrip("\n").split("\n")
    assert SECRET_LINE.match(lines[-1]) and "Webhook n° 1 ajouté" in lines[0] and "cantine" in lines[0]
    with app.app_context():
        endpoint = db.session.get(WebhookEndpoint, 1)
        assert (endpoint.siret, endpoint.procedure, endpoint.secret, endpoint.enabled) == (
            SIRET, "cantine", lines[-1], True)


def test_add_refuses_with_a_clear_message(app):
    for args, message in (((SIRET, "https://10.0.0.1/hook"), "adresse privée"),
                          (("123", "https://8.8.8.8/"), "SIRET de 14 chiffres"),
                          ((SIRET, "https://8.8.8.8/", "--procedure", "piscine"), "démarches connues"),
                          ((SIRET, "http://8.8.8.8/"), "https:// est obligatoire")):
        result = run(app, "add", *args)
        assert result.exit_code == 2 and message in result.output, result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(WebhookEndpoint)) == 0


def test_add_in_production_refuses_loopback(make_app, tmp_path):
    app = make_app()
    # What webhooks.init_app reads from DEMARCHE_ENV=production (demarche/webhooks/settings.py).
    app.extensions["webhooks"] = replace(app.extensions["webhooks"], allow_loopback=False)
    result = run(app, "add", SIRET, "http://127.0.0.1:5006/webhooks")
    assert result.exit_code == 2 and "boucle locale" in result.output


def test_list_rotate_remove(app):
    first = run(app, "add", SIRET, "http://127.0.0.1:5006/a").output.split()[-1]
    run(app, "add", SIRET, "http://127.0.0.1:5006/b")
    listing = run(app, "list").output
    assert f"1  {SIRET}  *  actif  http://127.0.0.1:5006/a" in listing and "2  " in listing
    rotated = run(app, "rotate-secret", "1")
    new = rotated.output.rstrip("\n").split("\n")[-1]
    assert rotated.exit_code == 0 and SECRET_LINE.match(new) and new != first
    with app.app_context():
        assert signing_secrets(db.session.get(WebhookEndpoint, 1)) == [new, first]
    assert "rotation du secret en cours" in run(app, "list").output
    assert "Webhook n° 2 supprimé" in run(app, "remove", "2").output
    missing = run(app, "remove", "2")
    assert missing.exit_code == 1 and "aucun webhook n° 2" in missing.output
    assert "http://127.0.0.1:5006/b" not in run(app, "list").output
