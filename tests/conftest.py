"""Fixtures: a fresh app and database per test (SQLite file, or a PostgreSQL schema when
TEST_DATABASE_URL is set), and the simulators served over real HTTP on loopback ports."""

from __future__ import annotations

import importlib.util
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from demarche import create_app, schema
from demarche.config import DEMO_FC_CLIENT_ID, DEMO_FC_CLIENT_SECRET, DEMO_RECIPIENT_SIRET
from demarche.devserver import serve
from demarche.tasks import stop_embedded_worker
from tests import servers

SERVICE_URL = "http://localhost"  # the Flask test client's host
SERVERS = pytest.StashKey[servers.Servers]()


def pytest_configure(config: pytest.Config) -> None:
    """The main process picks the PostgreSQL and Redis servers (tests/servers.py); xdist workers inherit them."""
    if importlib.util.find_spec("demarche_sandbox") is None:  # a venv set up before the simulators moved
        raise pytest.UsageError("Les simulateurs ne sont pas installés : lancez make setup (pip install -e ./sandbox).")
    if not hasattr(config, "workerinput"):
        config.stash[SERVERS] = servers.choose()


def pytest_unconfigure(config: pytest.Config) -> None:
    if SERVERS in config.stash:
        config.stash[SERVERS].stop()


def pytest_report_header(config: pytest.Config) -> str | None:
    return config.stash[SERVERS].line() if SERVERS in config.stash else None


@pytest.fixture
def database_url(tmp_path: Path):
    """SQLite in a temporary file, or a throw-away schema of the PostgreSQL database under test."""
    postgres_url = servers.postgres_url()
    if not postgres_url:
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in postgres_url else "?"
    yield f"{postgres_url}{separator}options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture
def fc_sim():
    """The FranceConnect simulator on a loopback port, knowing the test service as its client and offering its
    démarches on the personas page, as the demo starts it."""
    from demarche.demo import simulator_demarches
    from demarche_sandbox import franceconnect

    settings = {"FC_SIM_PUBLIC_URL": "", "FC_SIM_SERVICE_URL": SERVICE_URL, "FC_SIM_DEMARCHES": simulator_demarches()}
    server = serve(lambda url: franceconnect.create_app({**settings, "FC_SIM_PUBLIC_URL": url}))
    yield server
    server.stop()


@pytest.fixture
def ap_sim(fc_sim):
    """The API Particulier simulator, validating FranceConnect tokens against fc_sim."""
    from demarche_sandbox import api_particulier

    server = serve(lambda url: api_particulier.create_app({"AP_SIM_FC_ISSUER": f"{fc_sim.url}/api/v2"}))
    yield server
    server.stop()


@pytest.fixture
def dgfip_sim(fc_sim):
    """The DGFiP's API Impôt particulier simulator, validating FranceConnect tokens against fc_sim."""
    from demarche_sandbox import impot_particulier

    servers = []

    def start(**overrides):
        config = {"IP_SIM_FC_ISSUER": f"{fc_sim.url}/api/v2", "IP_SIM_SLOW_SECONDS": "0.2",
                  "IP_SIM_HANG_SECONDS": "3", **overrides}
        servers.append(serve(lambda url: impot_particulier.create_app(config),
                             request_handler=impot_particulier.RequestHandler))
        return servers[-1]

    start.default = start()
    yield start
    for server in servers:
        server.stop()


def service_env(database_url: str, fc_url: str = "http://127.0.0.1:9/unused", ap_url: str = "") -> dict:
    """Environment of the service under test."""
    return {
        "DEMARCHE_ENV": "test",
        "DATABASE_URL": database_url,
        "PUBLIC_URL": SERVICE_URL,
        "FRANCECONNECT_ISSUER": f"{fc_url}/api/v2" if not fc_url.endswith("/api/v2") else fc_url,
        "FRANCECONNECT_CLIENT_ID": DEMO_FC_CLIENT_ID,
        "FRANCECONNECT_CLIENT_SECRET": DEMO_FC_CLIENT_SECRET,
        "API_PARTICULIER_URL": ap_url or "http://127.0.0.1:9",
        "API_PARTICULIER_RECIPIENT": DEMO_RECIPIENT_SIRET,
        "IMPOT_PARTICULIER_URL": "",  # the DGFiP is offered only by the tests that start its simulator
    }


def build_app(env: dict):
    """create_app() with this environment, schema built by running the migrations."""
    from demarche.extensions import db

    app = create_app(env)
    schema.upgrade(app)
    with app.app_context():
        # The migration's connection goes back to the pool: close it now, so that an app the test drops (built
        # only for its schema, or its config) leaves no open connection for the garbage collector to find,
        # which psycopg reports as a ResourceWarning in whatever test runs then.
        db.engine.dispose()
    return app


@pytest.fixture
def make_app(database_url):
    """Build service apps on this test's database; their connection pools are closed afterwards."""
    from demarche.extensions import db

    apps = []

    def factory(**overrides):
        application = build_app({**service_env(database_url), **overrides})
        apps.append(application)
        return application

    yield factory
    for application in apps:
        stop_embedded_worker(application)  # its jobs and metrics sampler would use the pool disposed below
        with application.app_context():
            db.engine.dispose()


@pytest.fixture
def make_journey_app(make_app, fc_sim, ap_sim):
    """Build service apps wired to both simulators, in the given API Particulier modality."""

    def factory(modality: str = "france_connect", **extra):
        return make_app(FRANCECONNECT_ISSUER=f"{fc_sim.url}/api/v2", API_PARTICULIER_URL=ap_sim.url,
                        API_PARTICULIER_MODALITY=modality, **extra)

    return factory


@pytest.fixture
def make_dgfip_app(make_journey_app, dgfip_sim):
    """Service apps wired to the three simulators (FranceConnect, API Particulier, the DGFiP): the canteen
    offers the DGFiP source. `sim`: another DGFiP simulator (dgfip_sim(...)) than the default one."""

    def factory(sim=None, **extra):
        return make_journey_app("france_connect", IMPOT_PARTICULIER_URL=(sim or dgfip_sim.default).url, **extra)

    return factory


@pytest.fixture
def app(make_app):
    """The service alone (no simulator): pages, headers, sessions, errors."""
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def browser(app):
    """A browser on the test's `app` (this one, or the one its module or folder defines instead)."""
    from tests.browser import Browser

    b = Browser(app.test_client())
    yield b
    b.close()
