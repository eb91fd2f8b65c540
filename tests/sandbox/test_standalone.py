"""Each simulator stands alone: it imports nothing of the service, and starts from the console command."""

from __future__ import annotations

import ast
import json
import os
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import httpx
import pytest

from demarche_sandbox import cli

ROOT = Path(__file__).resolve().parents[2]
SANDBOX = ROOT / "sandbox" / "demarche_sandbox"  # a distribution of its own: sandbox/pyproject.toml
ENTRY_POINTS = {  # module: the create_app() overrides that keep the test off the demo's ports
    "demarche_sandbox.franceconnect": {},
    "demarche_sandbox.proconnect": {},
    "demarche_sandbox.api_particulier": {},
    "demarche_sandbox.impot_particulier": {},
    "demarche_sandbox.mailbox": {"MAILBOX_SMTP_HOST": "127.0.0.1", "MAILBOX_SMTP_PORT": "0"},
    "demarche_sandbox.receiver": {},
}
SCRIPT = Path(sys.executable).with_name("demarche-sandbox")


def test_no_sandbox_module_imports_the_service():
    offenders = []
    for path in SANDBOX.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            names += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.name}: {name}" for name in names
                          if name == "demarche" or name.startswith("demarche.")]
    assert offenders == []


def test_every_data_file_and_template_is_packaged():
    """What the simulators read besides their modules is in sandbox/pyproject.toml's package-data, so their
    wheel works alone."""
    package_data = tomllib.loads((SANDBOX.parent / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    packaged = {path for package, patterns in package_data.items() for pattern in patterns
                for path in (SANDBOX.parent / package.replace(".", "/")).glob(pattern) if path.is_file()}
    files = {path for path in SANDBOX.rglob("*") if path.is_file() and path.suffix not in (".py", ".pyc")}
    assert files - packaged == set()


@pytest.mark.parametrize("module", [*ENTRY_POINTS, "demarche_sandbox.cli"])
def test_building_a_simulator_loads_nothing_of_the_service(module: str):
    """In a fresh interpreter, so that no other test has imported the service already."""
    build = f"{module}.create_app({ENTRY_POINTS[module]!r})" if module in ENTRY_POINTS else "None"
    code = (f"import json, sys\nimport {module}\n{build}\n"
            "print(json.dumps(sorted(m for m in sys.modules if m == 'demarche' or m.startswith('demarche.'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,  # noqa: S603
                            check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == []


def test_the_options_become_settings(monkeypatch):
    monkeypatch.delenv("FC_SIM_PUBLIC_URL", raising=False)
    args = cli.parser().parse_args(["franceconnect", "--port", "6101", "--set", "FC_SIM_FAILURE=slow"])
    assert cli.overrides_from(args) == {"FC_SIM_FAILURE": "slow", "FC_SIM_PUBLIC_URL": "http://localhost:6101"}
    args = cli.parser().parse_args(["proconnect", "--public-url", "https://pc.example", "--service-url", "http://s"])
    assert cli.overrides_from(args) == {"PROCONNECT_SIM_PUBLIC_URL": "https://pc.example",
                                        "PROCONNECT_SIM_SERVICE_URL": "http://s"}
    args = cli.parser().parse_args(["api-particulier", "--fc-issuer", "http://fc/api/v2"])
    assert cli.overrides_from(args) == {"AP_SIM_FC_ISSUER": "http://fc/api/v2"}
    args = cli.parser().parse_args(["impot-particulier", "--fc-issuer", "http://fc/api/v2"])
    assert cli.overrides_from(args) == {"IP_SIM_FC_ISSUER": "http://fc/api/v2"}
    args = cli.parser().parse_args(["mailbox", "--smtp-port", "2525"])
    assert cli.overrides_from(args) == {"MAILBOX_SMTP_PORT": "2525"}
    with pytest.raises(SystemExit):
        cli.overrides_from(cli.parser().parse_args(["mailbox", "--set", "NOEQUALS"]))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(simulator: str, url_path: str, env_prefix: str) -> tuple[subprocess.Popen, int]:
    """`demarche-sandbox <simulator>` on a free port, once `url_path` answers."""
    assert SCRIPT.is_file(), "demarche-sandbox n’est pas installé : lancez make setup"
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(env_prefix)}
    process = subprocess.Popen([str(SCRIPT), simulator, "--port", str(port)], env=env,  # noqa: S603
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}{url_path}", trust_env=False, timeout=2)
            return process, port
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(process.communicate(timeout=5)) from None
            time.sleep(0.1)


def test_the_console_command_starts_franceconnect_alone():
    process, port = _start("franceconnect", "/api/v2/.well-known/openid-configuration", "FC_SIM_")
    try:
        url = f"http://127.0.0.1:{port}/api/v2/.well-known/openid-configuration"
        document = httpx.get(url, trust_env=False, timeout=2).json()
        assert document["issuer"] == f"http://localhost:{port}/api/v2"
        assert document["acr_values_supported"] == ["eidas1"]
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_the_console_command_serves_the_dgfip_with_its_underscore_header():
    """ID_Teleservice (an underscore) reaches the simulator: the next check, the FranceConnect token, answers."""
    from demarche_sandbox import defaults

    process, port = _start("impot-particulier", "/_sim/state", "IP_SIM_")
    try:
        http = httpx.Client(base_url=f"http://127.0.0.1:{port}", trust_env=False, timeout=5)
        token = http.post("/token", data={"grant_type": "client_credentials"},
                          auth=(defaults.IMPOT_PARTICULIER_CLIENT_ID, defaults.IMPOT_PARTICULIER_CLIENT_SECRET))
        assert token.status_code == 200, token.text
        headers = {"Authorization": f"Bearer {token.json()['access_token']}",
                   "X-Correlation-ID": "123e4567-e89b-42d3-a456-426614174000",
                   "ID_Teleservice": defaults.IMPOT_PARTICULIER_ID_TELESERVICE}
        answer = http.get("/impotparticulier/1.0/situations/ir/assiettes/annrev/2025", headers=headers)
        assert answer.status_code == 400 and "X-FranceConnect-OAuth" in answer.json()["erreur"]["message"]
        http.close()
    finally:
        process.terminate()
        process.communicate(timeout=10)
