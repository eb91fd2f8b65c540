"""Gunicorn settings of the service (gunicorn reads ./gunicorn.conf.py by itself; the Dockerfile and
the benchmark pass it with -c). Every value can be changed on the command line or in GUNICORN_CMD_ARGS.

A request mostly waits (FranceConnect, API Particulier, PostgreSQL) rather than computes: each worker
process serves several requests at once in threads, so a slow provider does not hold a whole process.
"""

import os

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
# gunicorn's control socket sits at one path per user ($HOME/.gunicorn): several instances on one
# machine (the scale-out test, the benchmark) would share it, and the image's user cannot write there.
control_socket_disable = True


def _without_server_header(default_headers):
    """gunicorn has no setting to drop its `Server: gunicorn` header (it tells what to attack): this
    config file runs in the master before the workers fork, so patching the class here covers them all."""

    def headers(self):
        return [line for line in default_headers(self) if not line.lower().startswith("server:")]

    return headers


_wsgi.Response.default_headers = _without_server_header(_wsgi.Response.default_headers)
