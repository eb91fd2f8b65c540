"""Server-side sessions: opaque cookie, rotation, real invalidation, idle and absolute timeouts; anonymous
visitors get no row; a session that did not change is not written."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import session

from demarche.extensions import db
from demarche.models import WebSession


@pytest.fixture
def routes(app):
    """Two tiny views to write and read the session, standing in for login and a private page."""

    @app.get("/_t/set/<value>")
    def set_value(value):
        session["value"] = value
        if value == "rotate":
            session.rotate()
        return "ok"

    @app.get("/_t/get")
    def get_value():
        return session.get("value", "none")

    @app.post("/_t/post")
    def post_value():  # CSRF-protected like every POST of the service
        session["value"] = "posted"
        return session.get("chosen_procedure", "none")

    @app.get("/_t/same")
    def same_again():  # writes the value it holds (as keep_draft does for a draft already kept)
        session["value"] = session.get("value")
        return "same"

    @app.get("/_t/destroy")
    def destroy():
        session.destroy()
        return "bye"

    return app


def cookie_of(client, app):
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return cookie.value if cookie else None


def test_cookie_is_opaque_httponly_lax_and_the_row_is_keyed_by_its_hash(routes):
    client = routes.test_client()
    response = client.get("/_t/set/secret-data")
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header and "SameSite=Lax" in header
    token = cookie_of(client, routes)
    assert "secret-data" not in header and len(token) >= 40
    with routes.app_context():
        rows = db.session.scalars(db.select(WebSession)).all()
        assert len(rows) == 1 and rows[0].id != token and rows[0].data == {"value": "secret-data"}


def test_rotation_changes_the_id_and_kills_the_old_one(routes):
    client = routes.test_client()
    client.get("/_t/set/before")
    old = cookie_of(client, routes)
    client.get("/_t/set/rotate")
    new = cookie_of(client, routes)
    assert new != old
    assert client.get("/_t/get").text == "rotate"
    replay = routes.test_client()
    replay.set_cookie(routes.config["SESSION_COOKIE_NAME"], old)
    assert replay.get("/_t/get").text == "none"


def test_destroyed_session_cannot_be_replayed(routes):
    client = routes.test_client()
    client.get("/_t/set/private")
    token = cookie_of(client, routes)
    client.get("/_t/destroy")
    replay = routes.test_client()
    replay.set_cookie(routes.config["SESSION_COOKIE_NAME"], token)
    assert replay.get("/_t/get").text == "none"
    with routes.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(WebSession)) == 0


@pytest.mark.parametrize(("column", "shift"), [("last_seen_at", timedelta(minutes=31)),
                                               ("created_at", None)])
def test_idle_and_absolute_timeouts(routes, column, shift):
    client = routes.test_client()
    client.get("/_t/set/kept")
    with routes.app_context():
        row = db.session.scalars(db.select(WebSession)).one()
        if shift:
            row.last_seen_at -= shift
        else:
            row.expires_at = row.created_at  # absolute lifetime over
        db.session.commit()
    assert client.get("/_t/get").text == "none"


def test_sessions_are_shared_by_two_app_instances(routes, make_app):
    """Two processes (here two app objects) on one database serve the same citizen."""
    client = routes.test_client()
    client.get("/_t/set/shared")
    other = make_app(SECRET_KEY=routes.config["SECRET_KEY"])

    @other.get("/_t/get")
    def get_value():
        return session.get("value", "none")

    other_client = other.test_client()
    other_client.set_cookie(other.config["SESSION_COOKIE_NAME"], cookie_of(client, routes))
    assert other_client.get("/_t/get").text == "shared"


def test_purge_command_deletes_expired_sessions(routes):
    client = routes.test_client()
    client.get("/_t/set/old")
    with routes.app_context():
        row = db.session.scalars(db.select(WebSession)).one()
        row.last_seen_at -= timedelta(hours=1)
        db.session.commit()
    result = routes.test_cli_runner().invoke(args=["purge-sessions"])
    assert "1 session(s) expirée(s) supprimée(s)." in result.output


def rows(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(WebSession))


def test_anonymous_visitors_write_no_row_and_their_csrf_token_still_works(routes):
    """Hostile input (e): every anonymous GET / used to write a row, without bound."""
    visitors = [routes.test_client() for _ in range(5)]
    for visitor in visitors:
        assert visitor.get("/").status_code == 200
    assert rows(routes) == 0
    client = visitors[0]
    client.get("/commencer?demarche=cantine")  # the démarche picked before login: still no row
    assert rows(routes) == 0
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)
    assert client.post("/_t/post", data={"csrf_token": token}).text == "cantine"  # kept through the promotion
    assert rows(routes) == 1 and client.get("/_t/get").text == "posted"
    assert routes.test_client().post("/_t/post", data={"csrf_token": token}).status_code == 400  # not theirs


def test_a_forged_anonymous_cookie_is_ignored(routes):
    client = routes.test_client()
    client.get("/commencer?demarche=cantine")
    forged = cookie_of(client, routes).replace("a", "b", 1) + "x"
    other = routes.test_client()
    other.set_cookie(routes.config["SESSION_COOKIE_NAME"], forged)
    assert other.get("/_t/get").text == "none"


def test_a_session_that_did_not_change_is_not_written(routes):
    client = routes.test_client()
    client.get("/_t/set/kept")
    updates = []
    with routes.app_context():
        engine = db.engine

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE WEB_SESSION"):
            updates.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        for _ in range(3):
            assert client.get("/_t/same").text == "same"
            assert client.get("/_t/get").text == "kept"
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert updates == []
