"""Gunicorn settings of the service (gunicorn reads ./gunicorn.conf.py by itself; the Dockerfile and
the benchmark pass it with -c). Every value can be changed on the command line or in GUNICORN_CMD_ARGS.

A request mostly waits (FranceConnect, API Particulier, PostgreSQL) rather than computes: each worker
process serves several requests at once in threads, so a slow provider does not hold a whole process.
"""

import ctypes
import os
import shutil
import tempfile
from pathlib import Path

from gunicorn.http import wsgi as _wsgi

# One process per core; WEB_CONCURRENCY is the usual way for a platform to say how many.
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 1))
worker_class = "gthread"
# 32 threads: a thread waiting on a provider costs little memory, and each provider may hold only a share of
# them (demarche/resilience: PROVIDER_CONCURRENCY, 12), so the others keep serving pages and health checks.
threads = int(os.environ.get("GUNICORN_THREADS", "32"))
# API Particulier's calls are bounded at 2.5 × API_PARTICULIER_TIMEOUT (12.5 s by default): a worker
# silent for longer than this is stuck and gets replaced.
timeout = 30
graceful_timeout = 20
keepalive = 5
# The service logs every request itself as JSON, without query strings (demarche/observability.py).
accesslog = None
# HEALTH_PORT: /healthz also served by the master process on this port (demarche/health_listener.py), out of
# the workers' queue: what a load balancer or an orchestrator's liveness probe should call.
health_port = os.environ.get("HEALTH_PORT", "")
# gunicorn's control socket sits at one path per user ($HOME/.gunicorn): several instances on one
# machine (the scale-out test, the benchmark) would share it, and the image's user cannot write there.
control_socket_disable = True


def on_starting(server):
    """Tell the application how many workers and threads really serve it (-w and --threads on the command line
    win over this file): its start-up check sizes PostgreSQL connections from them (demarche/config/connections.py)."""
    os.environ["GUNICORN_WORKERS"] = str(server.cfg.workers)
    os.environ["GUNICORN_THREADS"] = str(server.cfg.threads)
    _metrics_directory(server)


def _metrics_directory(server) -> None:
    """prometheus_client's multiprocess mode: each worker writes its metrics to files in PROMETHEUS_MULTIPROC_DIR,
    which the master's HEALTH_PORT listener sums at /metrics. The directory must start empty (a former run's
    files would add up): an operator's directory is emptied, else a private one is made and removed at exit.
    Set here, before any worker imports prometheus_client. https://prometheus.github.io/client_python/multiprocess/"""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        for stale in Path(directory).glob("*.db"):
            stale.unlink()
    else:
        directory = tempfile.mkdtemp(prefix="demarche-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = server.metrics_directory = directory


def child_exit(server, worker):
    """A worker is gone: its live gauges (connections in use, circuit state) no longer count."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """Remove the metrics directory this master made (never an operator's)."""
    directory = getattr(server, "metrics_directory", None)
    if directory:
        shutil.rmtree(directory, ignore_errors=True)


def when_ready(server):
    """The master is ready: start the health listener on the host of the first bind address."""
    if health_port:
        from demarche import health_listener

        address = server.cfg.address[0]
        host = address[0] if isinstance(address, tuple) else "127.0.0.1"  # a unix socket: loopback
        server.health_listener = health_listener.start(server, host, int(health_port))


def post_fork(server, worker):
    """A worker does not keep the master's health socket open (it would outlive the master)."""
    listener = getattr(server, "health_listener", None)
    if listener is not None:
        listener.socket.close()


def _without_server_header(default_headers):
    """gunicorn has no setting to drop its `Server: gunicorn` header (it tells what to attack): this
    config file runs in the master before the workers fork, so patching the class here covers them all."""

    def headers(self):
        return [line for line in default_headers(self) if not line.lower().startswith("server:")]

    return headers


_wsgi.Response.default_headers = _without_server_header(_wsgi.Response.default_headers)


def _few_malloc_arenas(count: int = 2) -> None:
    """glibc gives threads that allocate at the same time their own malloc arenas (up to 8 per core) and
    seldom returns their free memory: with 32 threads, a worker kept 5 to 7 MB more (`make bench`, RSS).
    M_ARENA_MAX = 2 is what MALLOC_ARENA_MAX=2 does, the usual setting for threaded Python servers; set here,
    in the master before it forks, it holds for every worker. An operator's MALLOC_ARENA_MAX wins."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return  # not glibc (Alpine's musl, macOS): their allocators work otherwise
    libc.mallopt(-8, count)  # M_ARENA_MAX, from glibc's malloc.h


_few_malloc_arenas()
