"""gunicorn's master answers /healthz on HEALTH_PORT from its workers' heartbeats (demarche/health_listener.py),
with the service's gunicorn.conf.py, whatever the app (here the benchmark's bare one: no database needed)."""

import time

import httpx

from bench.stack import Gunicorn, children, free_port


def test_the_master_answers_on_its_own_port_and_the_workers_do_not_hold_it():
    port = free_port()
    server = Gunicorn("bench.bare:create_app()", {"HEALTH_PORT": str(port)}, workers=2, threads=2)
    try:
        server.wait("/")
        health = _once_both_workers_booted(port)
        elsewhere = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        workers = children(server.process.pid)
        listening = {pid: _listens_on(pid, port) for pid in [server.process.pid, *workers]}
    finally:
        server.stop()
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "workers": 2, "alive": 2}
    assert health.headers["cache-control"] == "no-store" and "server" not in health.headers
    assert elsewhere.status_code == 404
    assert listening[server.process.pid] and not any(listening[pid] for pid in workers)


def _once_both_workers_booted(port: int) -> httpx.Response:
    """/healthz once both workers have sent a heartbeat: one worker answering `/` says nothing of the other,
    which may still be booting on a busy machine."""
    deadline = time.monotonic() + 60
    while True:
        health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
        if health.json().get("workers") == 2 or time.monotonic() > deadline:
            return health
        time.sleep(0.1)


def _listens_on(pid: int, port: int) -> bool:
    """Whether the process holds the listening socket of `port` (its inodes in /proc/net/tcp)."""
    from pathlib import Path

    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "0A" and int(fields[1].split(":")[1], 16) == port:  # 0A: LISTEN
            inodes.add(fields[9])
    held = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().as_posix()
        except OSError:
            continue
        if target.startswith("socket:["):
            held.add(target[8:-1])
    return bool(inodes & held)
