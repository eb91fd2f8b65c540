"""The Dockerfile and docker-compose.yml against the README's operational contract (no Docker engine runs
here: the files are read, and the service's own configuration check judges the compose variables)."""

from __future__ import annotations

import importlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from demarche.config import (
    DEMO_API_PARTICULIER_TOKEN,
    DEMO_FC_CLIENT_ID,
    DEMO_FC_CLIENT_SECRET,
    DEMO_IMPOT_PARTICULIER_CLIENT_ID,
    DEMO_IMPOT_PARTICULIER_CLIENT_SECRET,
    DEMO_IMPOT_PARTICULIER_ID_TELESERVICE,
    load_settings,
)

ROOT = Path(__file__).resolve().parent.parent
# The README's contract: the entry points and the demo's ports.
ENTRY_POINTS = {"service": "demarche:create_app()", "franceconnect": "demarche_sandbox.franceconnect:create_app()",
                "api-particulier": "demarche_sandbox.api_particulier:create_app()",
                "impot-particulier": "demarche_sandbox.impot_particulier:create_app()",
                "receiver": "demarche_sandbox.receiver:create_app()"}
PORTS = {"service": 5000, "franceconnect": 5001, "api-particulier": 5002, "impot-particulier": 5005, "receiver": 5006}
SIMULATORS = ("franceconnect", "api-particulier", "proconnect", "mailbox", "impot-particulier", "receiver")
# The README's contract: the variables a deployment sets (PROCONNECT_* too, for the agents' back-office).
CONTRACT_VARIABLES = {"SECRET_KEY", "DATABASE_URL", "PUBLIC_URL", "FRANCECONNECT_ISSUER", "FRANCECONNECT_CLIENT_ID",
                      "FRANCECONNECT_CLIENT_SECRET", "API_PARTICULIER_URL", "API_PARTICULIER_TOKEN",
                      "API_PARTICULIER_RECIPIENT", "API_PARTICULIER_MODALITY"}
SECRETS = {"SECRET_KEY": "k" * 64, "POSTGRES_PASSWORD": "p" * 32}


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?error}, as `docker compose config` does them."""
    def one(match: re.Match) -> str:
        name, op, rest = match.group(1), match.group(2) or "", match.group(3) or ""
        if name in env:
            return env[name]
        if op == ":?":
            raise AssertionError(f"{name} must be set: {rest}")
        return rest if op == ":-" else ""
    return re.sub(r"\$\{(\w+)(:[-?])?([^}]*)\}", one, value)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def environment(service: dict) -> dict[str, str]:
    return {name: interpolate(str(value), SECRETS) for name, value in (service.get("environment") or {}).items()}


def bind_port(service: dict) -> int:
    command = service["command"]
    return int(command[command.index("-b") + 1].rsplit(":", 1)[1])


def port_of(url: str) -> int:
    return urlsplit(url).port


def test_the_services_and_their_entry_points(services):
    assert set(services) >= {"db", "migrate", "service", "franceconnect", "api-particulier"}
    for name, entry in ENTRY_POINTS.items():
        command = services[name]["command"]
        assert command[0] == "gunicorn" and command[-1] == entry
        module, factory = entry.removesuffix("()").split(":")
        assert callable(getattr(importlib.import_module(module), factory))
    for simulator in SIMULATORS:
        assert services[simulator]["command"][services[simulator]["command"].index("-w") + 1] == "1"  # state in memory
    # ID_Teleservice has an underscore: gunicorn drops such headers by default.
    command = services["impot-particulier"]["command"]
    assert command[command.index("--header-map") + 1] == "dangerous"


def test_ports_match_the_contract_and_each_other(services):
    published = {int(p.split(":")[0]): int(p.split(":")[1]) for p in services["service"]["ports"]}
    for name, port in PORTS.items():
        assert published.get(port) == port and bind_port(services[name]) == port
    env, fc, ap = (environment(services[n]) for n in ("service", "franceconnect", "api-particulier"))
    assert port_of(env["PUBLIC_URL"]) == PORTS["service"] == port_of(fc["FC_SIM_SERVICE_URL"])
    assert env["FRANCECONNECT_ISSUER"] == fc["FC_SIM_PUBLIC_URL"] + "/api/v2" == ap["AP_SIM_FC_ISSUER"]
    assert port_of(env["API_PARTICULIER_URL"]) == PORTS["api-particulier"]
    box = environment(services["mailbox"])
    assert (env["SMTP_HOST"], env["SMTP_PORT"]) == (box["MAILBOX_SMTP_HOST"], box["MAILBOX_SMTP_PORT"])
    assert bind_port(services["mailbox"]) == 5004 and published.get(5004) == 5004
    assert port_of(env["IMPOT_PARTICULIER_URL"]) == PORTS["impot-particulier"]
    assert environment(services["impot-particulier"])["IP_SIM_FC_ISSUER"] == env["FRANCECONNECT_ISSUER"]
    assert port_of(environment(services["receiver"])["RECEIVER_SERVICE_URL"]) == PORTS["service"]
    for simulator in SIMULATORS:
        # Same network namespace: the loopback URLs the browser uses reach the simulators from the service too.
        assert services[simulator]["network_mode"] == "service:service"
        # ... so a simulator's gunicorn must not read the service's gunicorn.conf.py (its HEALTH_PORT listener).
        assert "-c" not in services[simulator]["command"] and "HEALTH_PORT" not in environment(services[simulator])
    for job_runner in ("worker", "scheduler"):  # their e-mails go to the mailbox on the service's loopback
        assert services[job_runner]["network_mode"] == "service:service" and env["SMTP_HOST"] == "127.0.0.1"


def test_the_variables_are_the_contract_s_and_the_service_accepts_them(services):
    env = environment(services["service"])
    assert set(env) >= CONTRACT_VARIABLES
    documented = set(re.findall(r"`([A-Z][A-Z_]+)`", (ROOT / "README.md").read_text()))
    assert set(env) <= documented, f"not in the README's configuration table: {set(env) - documented}"
    settings = load_settings(env)  # production mode: raises ConfigurationError naming a faulty variable
    assert settings.mode == "production" and settings.database_url.startswith("postgresql+psycopg://")
    assert (settings.fc_client_id, settings.fc_client_secret) == (DEMO_FC_CLIENT_ID, DEMO_FC_CLIENT_SECRET)
    assert settings.api_particulier_token == DEMO_API_PARTICULIER_TOKEN
    assert urlsplit(settings.database_url).hostname == "db"
    assert settings.impot_particulier  # the DGFiP is offered, with the simulator's demo account
    assert (settings.impot_particulier_client_id, settings.impot_particulier_client_secret,
            settings.impot_particulier_id_teleservice) == (DEMO_IMPOT_PARTICULIER_CLIENT_ID,
                                                           DEMO_IMPOT_PARTICULIER_CLIENT_SECRET,
                                                           DEMO_IMPOT_PARTICULIER_ID_TELESERVICE)


def test_no_secret_is_written_in_the_file(services):
    raw = (ROOT / "docker-compose.yml").read_text()
    assert "SECRET_KEY: ${SECRET_KEY:?" in raw and "POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?" in raw
    with pytest.raises(AssertionError, match="SECRET_KEY must be set"):
        interpolate(services["service"]["environment"]["SECRET_KEY"], {})


def test_migrations_run_at_start_before_the_service(services):
    migrate = services["migrate"]
    assert migrate["command"][-2:] == ["db", "upgrade"] and "demarche:create_app()" in migrate["command"]
    assert environment(migrate) == environment(services["service"])
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["service"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_every_long_running_service_has_a_healthcheck(services):
    for name, service in services.items():
        if name != "migrate":
            assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    # Liveness from gunicorn's master on HEALTH_PORT, as the image's HEALTHCHECK (a database outage is no reason
    # to replace the service; /readyz stays for a load balancer).
    probe = " ".join(services["service"]["healthcheck"]["test"])
    assert "/healthz" in probe and "os.environ['HEALTH_PORT']" in probe and "/readyz" not in probe


def test_the_dockerfile(services):
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r'^CMD \["gunicorn", .*"demarche:create_app\(\)"\]$', dockerfile, re.M)
    assert re.search(r"^ENV HEALTH_PORT=\d+$", dockerfile, re.M)  # gunicorn.conf.py: the master's health listener
    probe = json.loads(re.search(r"^HEALTHCHECK .*\n.*CMD (\[.*\])$", dockerfile, re.M).group(1))
    assert probe == services["service"]["healthcheck"]["test"][1:]  # the same liveness probe on HEALTH_PORT
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M)  # never root
    for folder in ("demarche", "templates", "static", "migrations"):  # what create_app() reads
        assert re.search(rf"^COPY {folder} \./{folder}$", dockerfile, re.M)
    assert "npm ci --omit=dev" in dockerfile  # the DSFR from the npm registry, not axe-core (tests only)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "node_modules", "instance", "test-artifacts"} <= set(ignored)
    assert all(services[name]["image"] == "demarche" for name in ("migrate", "service", "worker", "scheduler"))
    assert all(services[name]["image"] == "demarche-sandbox" for name in SIMULATORS)
    assert {services[name]["build"]["target"] for name in services if "build" in services[name]} == {
        "service", "sandbox"}


def stages(dockerfile: str) -> dict[str, str]:
    """The Dockerfile's stages by name, each with its instructions."""
    parts = re.split(r"^FROM \S+ AS (\w+)$", dockerfile, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_the_service_s_image_carries_no_simulator():
    """The simulators have their own image (target sandbox), built from sandbox/ alone; the service's, the
    Dockerfile's last stage (what `docker build .` gives), never copies or installs them."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    built = stages(dockerfile)
    assert list(built)[-1] == "service" and "sandbox" not in built["service"]
    assert re.search(r"^COPY sandbox \./$", built["sandbox"], re.M) and "pip install . " in built["sandbox"]
    assert not re.search(r"^COPY (demarche|templates|static|migrations) ", built["sandbox"], re.M)


def wheel_of(source: Path, folder: Path) -> tuple[list[str], str]:
    """Build `source`'s wheel offline (what `pip install` would install); its file names and entry points."""
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",  # noqa: S603
                            "--wheel-dir", str(folder), str(source)],
                           capture_output=True, text=True, timeout=300, check=False)
    assert built.returncode == 0, built.stderr
    (wheel,) = folder.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        entry_points = next((archive.read(n).decode() for n in names if n.endswith("entry_points.txt")), "")
    return names, entry_points


def copy_of(folders: tuple[str, ...], files: tuple[str, ...], into: Path) -> Path:
    """A clean copy of part of the repository (no build folders or caches left in the working tree)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
    into.mkdir()
    for name in files:
        shutil.copy(ROOT / name, into / name)
    for folder in folders:
        shutil.copytree(ROOT / folder, into / folder, ignore=ignore)
    return into


def test_pip_install_of_the_service_installs_no_simulator(tmp_path):
    """The service's wheel, built from a copy of the repository with sandbox/ beside demarche/: no simulator
    module, data file or console command inside."""
    source = copy_of(("demarche", "sandbox"), ("pyproject.toml", "README.md"), tmp_path / "source")
    names, entry_points = wheel_of(source, tmp_path / "wheel")
    assert "demarche/__init__.py" in names and "demarche/procedures/__init__.py" in names
    assert [name for name in names if "sandbox" in name] == []
    assert "demarche-sandbox" not in entry_points


def test_the_simulators_wheel_holds_them_all_and_nothing_of_the_service(tmp_path):
    """sandbox/ alone builds the demarche-sandbox wheel: every simulator with its templates and data files,
    and the `demarche-sandbox` command."""
    source = copy_of(("sandbox",), (), tmp_path / "repository") / "sandbox"
    names, entry_points = wheel_of(source, tmp_path / "wheel")
    for simulator in ("franceconnect", "api_particulier", "impot_particulier", "proconnect", "mailbox", "receiver"):
        assert f"demarche_sandbox/{simulator}/__init__.py" in names
    assert "demarche_sandbox/templates/franceconnect/personas.html" in names
    assert "demarche_sandbox/api_particulier/data/personas.json" in names
    assert "demarche_sandbox/receiver/templates/receiver/index.html" in names
    assert [name for name in names if name.startswith("demarche/")] == []
    assert "demarche-sandbox = demarche_sandbox.cli:main" in entry_points
