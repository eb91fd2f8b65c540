"""Server-side sessions stored in the database (ASVS V3.3.1 / V7.4.1: logout really ends a session).

The cookie carries only an opaque 256-bit token; the table keys rows by its SHA-256, so a database
dump yields no usable cookie. Any app process can serve any request: nothing lives in memory.
A visitor who is not signed in gets no row: the little an anonymous page keeps (the CSRF token of the
FranceConnect button, the démarche picked) travels in a signed cookie until something needs a row, so
anonymous traffic writes nothing and cannot fill the table.
"""

from __future__ import annotations

import copy
import hashlib
import secrets
from datetime import datetime, timedelta

from flask import Flask, Request, Response, current_app, request
from flask.sessions import SessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.datastructures import CallbackDict

from demarche import tasks
from demarche.auth.session import citizen_id_of
from demarche.extensions import db
from demarche.models import WebSession, utcnow

# last_seen_at is written at most this often, so reading pages does not write on every request.
TOUCH_INTERVAL = timedelta(seconds=60)
# What an anonymous visitor's session may hold without a row: nothing personal, a few bytes.
ANONYMOUS_KEYS = frozenset({"csrf_token", "chosen_procedure", "_flashes"})
MAX_COOKIE_BYTES = 2048


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ServerSession(CallbackDict, SessionMixin):
    """A dict whose changes are saved to the web_session table at the end of the request."""

    def __init__(self, initial: dict | None = None, token: str | None = None, row_id: str | None = None):
        def on_update(_self: ServerSession) -> None:
            _self.modified = True

        super().__init__(initial or {}, on_update)
        self.token = token
        self.row_id = row_id
        self.loaded = copy.deepcopy(dict(initial or {}))  # saved only if the content really changed
        self.modified = False
        self.rotate_requested = False
        self.destroy_requested = False
        self.unavailable = False  # the database could not be read: errors.py answers 503, nothing is saved
        self.busy = False  # ... because no pooled connection came free in time (errors.py: « très sollicité »)

    def rotate(self) -> None:
        """Give the session a new id, keeping its content (call at login: session fixation)."""
        self.rotate_requested = True
        self.modified = True

    def destroy(self) -> None:
        """Delete the session server-side and clear the cookie."""
        self.clear()
        self.destroy_requested = True


class DatabaseSessionInterface(SessionInterface):
    """Flask session interface over the WebSession model, with idle and absolute timeouts."""

    def __init__(self, idle: timedelta, absolute: timedelta):
        self.idle = idle
        self.absolute = absolute

    def _signer(self, app: Flask) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(app.secret_key, salt="demarche.anonymous-session")

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        token = request.cookies.get(self.get_cookie_name(app))
        if token and "." in token and len(token) <= 2 * MAX_COOKIE_BYTES:  # signed: an anonymous visitor
            try:
                data = self._signer(app).loads(token, max_age=self.absolute.total_seconds())
            except BadSignature:
                return ServerSession()
            return ServerSession(data) if isinstance(data, dict) and data.keys() <= ANONYMOUS_KEYS else ServerSession()
        if not token or len(token) > 128:
            return ServerSession()
        row_id = _digest(token)
        try:
            row = _read_row(row_id)
        except SQLAlchemyError as error:
            # Database down, or every pooled connection busy: an empty session lets the error page render; it
            # is never saved, so the citizen's cookie survives and the next request carries on.
            session = ServerSession()
            session.unavailable = True
            session.busy = isinstance(error, PoolTimeout)
            return session
        now = utcnow()
        expired = row is None or row.expires_at <= now or row.last_seen_at + self.idle <= now
        session = ServerSession() if expired else ServerSession(dict(row.data), token=token, row_id=row_id)
        if not expired:
            session.last_seen_at = row.last_seen_at
        return session

    def save_session(self, app: Flask, session: ServerSession, response: Response) -> None:  # type: ignore[override]
        if session.unavailable:
            return
        cookie = self.get_cookie_name(app)
        kwargs = dict(
            domain=self.get_cookie_domain(app),
            path=self.get_cookie_path(app),
            secure=self.get_cookie_secure(app),
            httponly=True,
            samesite=self.get_cookie_samesite(app),
        )
        try:
            if session.destroy_requested or (not session and session.row_id):
                self._delete(session.row_id)
                response.delete_cookie(cookie, **kwargs)
                return
            if not session:
                if session.loaded and cookie in request.cookies:  # an anonymous session emptied
                    response.delete_cookie(cookie, **kwargs)
                return
            if session.row_id is None and self._save_anonymous(app, session, response, cookie, kwargs):
                return
            if session.rotate_requested and session.row_id:
                self._delete(session.row_id)
                session.row_id = None
            if session.row_id is None:
                session.token = secrets.token_urlsafe(32)
                session.row_id = _digest(session.token)
                db.session.add(
                    WebSession(
                        id=session.row_id,
                        data=dict(session),
                        citizen_id=citizen_id_of(session),
                        expires_at=utcnow() + self.absolute,
                    )
                )
                db.session.commit()
                max_age = int(self.absolute.total_seconds())
                response.set_cookie(cookie, session.token, max_age=max_age, **kwargs)
                response.vary.add("Cookie")
                return
            self._update(session)
        except SQLAlchemyError:
            db.session.rollback()
            raise

    def _save_anonymous(self, app: Flask, session: ServerSession, response: Response, cookie: str,
                        kwargs: dict) -> bool:
        """Keep an anonymous session in its signed cookie; False when it needs a row (or is too big)."""
        if not session.keys() <= ANONYMOUS_KEYS or session.rotate_requested:
            return False
        if dict(session) == session.loaded:
            return True  # unchanged: not even a new cookie
        value = self._signer(app).dumps(dict(session))
        if len(value) > MAX_COOKIE_BYTES:
            return False
        response.set_cookie(cookie, value, max_age=int(self.absolute.total_seconds()), **kwargs)
        response.vary.add("Cookie")
        return True

    def _update(self, session: ServerSession) -> None:
        now = utcnow()
        changed = dict(session) != session.loaded
        if not changed and now - session.last_seen_at < TOUCH_INTERVAL:
            return
        values: dict = {"last_seen_at": now}
        if changed:
            values.update(data=dict(session), citizen_id=citizen_id_of(session))
        # A row destroyed meanwhile by another process (logout elsewhere) matches nothing: nothing is revived.
        _write(update(WebSession).where(WebSession.id == session.row_id).values(**values))

    @staticmethod
    def _delete(row_id: str | None) -> None:
        if row_id:
            _write(delete(WebSession).where(WebSession.id == row_id))


def _autocommit(statement):
    """One statement alone on a pooled connection in autocommit: no BEGIN and COMMIT/ROLLBACK round trips,
    no ORM object, and no transaction left open while the view then waits on a provider. Once more on a
    fresh connection if the pooled one was dropped (PostgreSQL restarted): without pool_pre_ping, this is
    where a dead connection shows, on the first query."""
    for attempt in (1, 2):
        try:
            with db.engine.connect() as connection:
                result = connection.execution_options(isolation_level="AUTOCOMMIT").execute(statement)
                return result.first() if result.returns_rows else None
        except DBAPIError as error:
            if attempt == 2 or not error.connection_invalidated:
                raise
    return None


def _read_row(row_id: str):
    """The session's data and dates (a Core row, not an ORM object: nothing to track or expire)."""
    columns = (WebSession.data, WebSession.last_seen_at, WebSession.expires_at)
    return _autocommit(select(*columns).where(WebSession.id == row_id))


def _write(statement) -> None:
    """Within the request's open transaction when there is one (committed together, as the view expects),
    else alone in autocommit (one round trip instead of three)."""
    if db.session().in_transaction():
        db.session.execute(statement, execution_options={"synchronize_session": False})
        db.session.commit()
    else:
        _autocommit(statement)


@tasks.purge(order=99)
def purge(now: datetime) -> dict[str, int]:
    """The retention rule for sessions: those expired at `now` (their purge commits, hence last)."""
    settings = current_app.config["SETTINGS"]
    return {"sessions": purge_expired_sessions(timedelta(minutes=settings.session_idle_minutes), now)}


def purge_expired_sessions(idle: timedelta, now: datetime | None = None) -> int:
    """Delete sessions past their absolute or idle timeout at `now` (default: the present); return how many."""
    now = now or utcnow()
    count = (
        db.session.query(WebSession)
        .filter((WebSession.expires_at <= now) | (WebSession.last_seen_at <= now - idle))
        .delete(synchronize_session=False)
    )
    db.session.commit()
    return count
