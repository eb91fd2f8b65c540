"""Idempotency-Key: a change retried with the same key gets the first answer again, and no second effect.

After the IETF draft « The Idempotency-Key HTTP Header Field »
(https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/): the key is the client's,
scoped to its token; the same key with another request is refused (422); while the first request runs,
a retry gets 409. Keys are forgotten after 24 hours (the nightly purge deletes them), and a token keeps at
most KEYS_PER_TOKEN: its oldest are forgotten first, so a client sending endless new keys fills no table.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

from flask import Response, current_app, request
from sqlalchemy.exc import IntegrityError

from demarche import tasks
from demarche.api import problems
from demarche.extensions import db
from demarche.models import ApiIdempotencyKey, ApiToken, utcnow

KEPT_FOR = timedelta(hours=24)
KEYS_PER_TOKEN = 100  # a retry comes within minutes; 100 changes in flight is more than any client needs


@tasks.purge()
def purge(now: datetime) -> dict[str, int]:
    """An answer kept for retries may quote a motive: gone once its key expires."""
    count = db.session.execute(db.delete(ApiIdempotencyKey).where(ApiIdempotencyKey.created_at < now - KEPT_FOR)
                               .execution_options(synchronize_session=False)).rowcount
    return {"clés d’idempotence de l’API": count}


def fingerprint(body: dict) -> str:
    """The request's method, path and body, canonical: what « the same request » means."""
    canonical = json.dumps({"method": request.method, "path": request.path, "body": body}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def claim(token: ApiToken, key: str, request_hash: str) -> ApiIdempotencyKey | Response:
    """Reserve the key for this request (committed), or the answer to give instead."""
    purge(utcnow())
    _make_room(token)
    row = ApiIdempotencyKey(token_id=token.id, key=key, request_hash=request_hash)
    db.session.add(row)
    try:
        db.session.commit()
        return row
    except IntegrityError:
        db.session.rollback()
    first = db.session.scalar(db.select(ApiIdempotencyKey).filter_by(token_id=token.id, key=key))
    if first is not None and first.request_hash != request_hash:
        return problems.problem(422, "Cette clé Idempotency-Key a déjà servi pour une autre requête : "
                                "utilisez une nouvelle clé pour une nouvelle requête.", code="cle_deja_utilisee")
    if first is None or first.status_code is None:
        return problems.problem(409, "Une requête avec cette clé Idempotency-Key est en cours de traitement : "
                                "réessayez dans un instant.", code="requete_en_cours")
    return _replay(first)


def settle(row: ApiIdempotencyKey, response: Response) -> Response:
    """Keep the answer for the retries; after a server error the key is released so a retry runs again."""
    if response.status_code >= 500:
        db.session.execute(db.delete(ApiIdempotencyKey).filter_by(id=row.id))
    else:
        db.session.execute(db.update(ApiIdempotencyKey).filter_by(id=row.id)
                           .values(status_code=response.status_code, body=response.get_json()))
    db.session.commit()
    return response


def _make_room(token: ApiToken) -> None:
    """Forget this token's oldest keys so that, with the one being claimed, it keeps KEYS_PER_TOKEN."""
    kept = (db.select(ApiIdempotencyKey.id).filter_by(token_id=token.id)
            .order_by(ApiIdempotencyKey.created_at.desc(), ApiIdempotencyKey.id.desc()).limit(KEYS_PER_TOKEN - 1))
    db.session.execute(db.delete(ApiIdempotencyKey).where(ApiIdempotencyKey.token_id == token.id,
                                                          ApiIdempotencyKey.id.not_in(kept.scalar_subquery())))


def _replay(row: ApiIdempotencyKey) -> Response:
    mimetype = problems.MEDIA_TYPE if row.status_code >= 400 else "application/json"
    response = current_app.response_class(current_app.json.dumps(row.body), status=row.status_code, mimetype=mimetype)
    response.headers["Idempotent-Replayed"] = "true"
    return response
