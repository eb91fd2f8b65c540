"""A PostgreSQL server of the test's own (initdb in a temporary folder, its own port) that the test may
stop, start and restart: the machine's shared server keeps serving everyone else meanwhile."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import sqlalchemy as sa

from bench.stack import free_port


def bindir() -> Path | None:
    """Where initdb and pg_ctl are (pg_config says; Debian keeps them out of PATH)."""
    try:
        found = Path(subprocess.check_output(["pg_config", "--bindir"], text=True).strip())  # noqa: S607
    except (OSError, subprocess.CalledProcessError):
        found = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)
    return found if found and (found / "pg_ctl").exists() else None


class PrivatePostgres:
    """initdb + pg_ctl on 127.0.0.1:<free port>, trust authentication, no fsync (a throw-away server)."""

    def __init__(self) -> None:
        self.bin = bindir()
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="demarche-pg-"))
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root: it runs as "postgres" then
            shutil.chown(self.folder, "postgres", "postgres")
        self.data = self.folder / "data"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")

    def _run(self, tool: str, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run([*prefix, str(self.bin / tool), *args], capture_output=True, text=True, timeout=60)  # noqa: S603
        if done.returncode:
            log = self.folder / "server.log"
            raise RuntimeError(f"{tool} {args[0]} failed: {done.stderr or done.stdout}"
                               + (log.read_text()[-2000:] if log.exists() else ""))

    def _ctl(self, action: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", action, "-D", str(self.data), "-l", str(self.folder / "server.log"), "-o", options,
                  "-m", "fast", "-w", "-t", "30")

    def start(self) -> None:
        self._ctl("start")

    def stop(self) -> None:
        self._ctl("stop")

    def restart(self) -> None:
        """Stop (fast: every connection is cut) and start again."""
        self._ctl("restart")

    def rows(self, sql: str) -> list:
        """The first column of a query's rows."""
        engine = sa.create_engine(self.url)
        try:
            with engine.connect() as conn:
                return conn.execute(sa.text(sql)).scalars().all()
        finally:
            engine.dispose()

    def destroy(self) -> None:
        with contextlib.suppress(RuntimeError):  # already stopped
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
