"""The per-token rate limit: 429 problem+json with Retry-After; counters shared through Redis when set."""

from __future__ import annotations

import redis

from tests import servers
from tests.api.conftest import bearer, new_token


def test_a_token_over_its_limit_gets_429_and_others_do_not(make_api_app):
    app = make_api_app(API_RATE_LIMIT="3/minute")
    client, busy, calm = app.test_client(), new_token(app), new_token(app, name="Autre logiciel")
    for _ in range(3):
        assert client.get("/api/v1/dossiers", headers=bearer(busy)).status_code == 200
    refused = client.get("/api/v1/dossiers", headers=bearer(busy))
    assert refused.status_code == 429 and refused.mimetype == "application/problem+json"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json["title"] == "Trop de requêtes" and "3 requêtes par minute" in refused.json["detail"]
    assert client.get("/api/v1/dossiers", headers=bearer(calm)).status_code == 200


def test_processes_share_the_counters_through_redis(make_api_app):
    url = servers.redis_url()
    redis.Redis.from_url(url).ping()
    first = make_api_app(API_RATE_LIMIT="3/minute", REDIS_URL=url)
    second = make_api_app(API_RATE_LIMIT="3/minute", REDIS_URL=url)  # another process, same database
    token = new_token(first)  # its keys embed part of its random hash: unique on the shared server
    assert first.test_client().get("/api/v1/dossiers", headers=bearer(token)).status_code == 200
    assert second.test_client().get("/api/v1/dossiers", headers=bearer(token)).status_code == 200
    assert first.test_client().get("/api/v1/dossiers", headers=bearer(token)).status_code == 200
    assert second.test_client().get("/api/v1/dossiers", headers=bearer(token)).status_code == 429
