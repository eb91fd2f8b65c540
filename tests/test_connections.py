"""PostgreSQL connections sized at start-up (refused when the worst case exceeds max_connections, unless PgBouncer is
declared), and the « service très sollicité » page when a real pool is exhausted (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from demarche import create_app
from demarche.config import ConfigurationError, flask_config, load_settings
from demarche.config.connections import Budget, budget_of, server_allows
from demarche.extensions import db
from tests import servers
from tests.conftest import service_env

needs_postgres = pytest.mark.skipif(not servers.postgres_url(), reason="needs PostgreSQL: set TEST_DATABASE_URL")


def test_the_worst_case_of_the_issue_is_128_connections_plus_the_reserve():
    """Two instances × two workers × min(32 threads, 16 + 16): what broke opening day on a default server."""
    budget = budget_of({"SERVICE_INSTANCES": "2", "WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "32"}, redis_url="")
    assert (budget.per_worker, budget.total) == (32, 2 * 2 * 32 + 5)
    with_tasks = budget_of({"GUNICORN_WORKERS": "3", "GUNICORN_THREADS": "8", "DB_POOL_SIZE": "4",
                            "DB_MAX_OVERFLOW": "2", "TASKS_WORKERS": "4", "DB_CONNECTIONS_RESERVE": "3"},
                           redis_url="redis://127.0.0.1:6379/0")
    assert with_tasks.total == 3 * min(8, 6) + min(4 + 1, 6) + 3
    assert Budget(threads=4, pool_size=16, max_overflow=16).per_worker == 4  # a thread holds one at most


@needs_postgres
def test_start_up_refuses_a_deployment_the_server_cannot_hold(database_url):
    allowed = server_allows(database_url)
    instances = allowed // 32 + 1  # one worker of 32 connections more than the server takes
    env = {**service_env(database_url), "DB_CHECK_CONNECTIONS": "1", "SERVICE_INSTANCES": str(instances),
           "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "32"}
    with pytest.raises(ConfigurationError) as excinfo:
        create_app(env)
    message = str(excinfo.value)
    assert f"PostgreSQL n’en accepte que {allowed}" in message and f"PostgreSQL accepts only {allowed}" in message
    for setting in ("SERVICE_INSTANCES", "WEB_CONCURRENCY", "DB_POOL_SIZE", "DB_MAX_OVERFLOW", "DB_POOLER"):
        assert setting in message
    create_app({**env, "DB_POOLER": "pgbouncer"})  # the pooler holds the server's side: the operator says so
    create_app({**env, "SERVICE_INSTANCES": "1", "DB_POOL_SIZE": "2", "DB_MAX_OVERFLOW": "0"})  # it fits


def test_behind_pgbouncer_psycopg_prepares_nothing_and_the_pool_waits_briefly(database_url):
    env = {**service_env("postgresql+psycopg://u@127.0.0.1/db"), "DB_POOLER": "pgbouncer"}
    options = flask_config(load_settings(env))["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["connect_args"] == {"prepare_threshold": None}
    assert options["pool_timeout"] == 5.0  # far below gunicorn's 30 s worker timeout
    with pytest.raises(ConfigurationError, match="DB_POOL_TIMEOUT"):
        load_settings({**env, "DB_POOL_TIMEOUT": "30"})


@pytest.fixture
def one_connection_app(make_app):
    """A real pool of one connection, held by someone else: every checkout waits 0.3 s and gives up."""
    app = make_app(DB_POOL_SIZE="1", DB_MAX_OVERFLOW="0", DB_POOL_TIMEOUT="0.3")
    with app.app_context():
        held = db.engine.connect()
        yield app
        held.close()


def test_a_signed_in_page_without_a_free_connection_offers_to_retry(one_connection_app):
    client = one_connection_app.test_client()
    client.set_cookie(one_connection_app.config["SESSION_COOKIE_NAME"], "x" * 43)  # a server-side session's id
    response = client.get("/mon-espace?onglet=dossiers")
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "Le service est très sollicité" in page and "Rien n’est perdu" in page
    assert 'href="/mon-espace?onglet=dossiers">Réessayer</a>' in page
    assert "Remplir moi-même" not in page  # no démarche here


def test_within_a_demarche_the_page_also_offers_the_manual_path(one_connection_app):
    client = one_connection_app.test_client()
    client.set_cookie(one_connection_app.config["SESSION_COOKIE_NAME"], "x" * 43)
    page = client.get("/demarches/cantine/").get_data(as_text=True)
    assert 'href="/demarches/cantine/">Réessayer</a>' in page
    assert 'href="/demarches/cantine/">Remplir moi-même</a>' in page


def test_a_view_that_waits_for_the_pool_in_vain_gets_the_same_page(one_connection_app):
    """No session to read (anonymous): the pool runs dry in the view itself (the attestation check)."""
    from demarche.verification.codes import code_for

    code = code_for("CANT-2026-ABCD")  # well formed and signed: the check reads the database
    response = one_connection_app.test_client().get(f"/verifier/{code}")
    assert response.status_code == 503
    assert "Le service est très sollicité" in response.get_data(as_text=True)
