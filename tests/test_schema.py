"""The schema comes from `flask db upgrade` (Alembic through Flask-Migrate), while a process that only serves
requests (a gunicorn worker) never loads Alembic: about 11 MB less in each worker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLASK = str(Path(sys.executable).with_name("flask"))


def env_for(database: Path) -> dict:
    return {**os.environ, "DEMARCHE_ENV": "test", "DATABASE_URL": f"sqlite:///{database}",
            "PUBLIC_URL": "http://localhost"}


def test_the_command_line_migrates_the_database(tmp_path):
    env = env_for(tmp_path / "cli.sqlite3")
    upgrade = subprocess.run([FLASK, "--app", "demarche:create_app()", "db", "upgrade"], cwd=ROOT, env=env,  # noqa: S603
                             capture_output=True, text=True, timeout=120)
    assert upgrade.returncode == 0, upgrade.stderr[-2000:]
    current = subprocess.run([FLASK, "--app", "demarche:create_app()", "db", "current"], cwd=ROOT, env=env,  # noqa: S603
                             capture_output=True, text=True, timeout=120)
    assert "(head)" in current.stdout


def test_an_app_built_to_serve_requests_does_not_load_alembic(tmp_path):
    probe = ("import sys; from demarche import create_app; app = create_app(); "
             "app.test_client().get('/mentions-legales'); "
             "print(sorted(m for m in ('alembic', 'flask_migrate') if m in sys.modules))")
    served = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env_for(tmp_path / "s.sqlite3"),  # noqa: S603
                            capture_output=True, text=True, timeout=120)
    assert served.returncode == 0, served.stderr[-2000:]
    assert served.stdout.strip().splitlines()[-1] == "[]"
