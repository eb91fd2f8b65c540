"""`flask tasks worker` in its own process (as docker-compose runs it) consumes the Redis queue; without
REDIS_URL the command explains that no separate process is needed."""

import os
import signal
import subprocess
import sys

from tests.backoffice.factories import make_dossier
from tests.conftest import service_env
from tests.tasks.fixtures import wait_for
from tests.webhooks.helpers import add_webhook, record


def test_the_worker_process_delivers(make_app, database_url, redis_env, receivers):
    app = make_app(**redis_env)
    receiver = receivers()
    _, secret = add_webhook(app, receiver.url)
    receiver.start(secret)
    env = {**os.environ, **service_env(database_url), **redis_env}
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "demarche:create_app()", "tasks", "worker",
                               "-w", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        record(app, make_dossier(app), "dossier.depose")
        wait_for(receiver.events, timeout=30, what="the event, delivered by the worker process")
    finally:
        worker.send_signal(signal.SIGTERM)  # graceful: finishes the job in hand
        _, errors = worker.communicate(timeout=20)
    assert worker.returncode == 0, errors.decode()[-2000:]


def test_without_redis_there_is_no_separate_worker(app):
    result = app.test_cli_runner().invoke(args=["tasks", "worker"])
    assert result.exit_code == 1 and "REDIS_URL n'est pas défini" in result.output
    result = app.test_cli_runner().invoke(args=["tasks", "relay"])
    assert result.exit_code == 0 and "0 tâche(s) confiée(s)" in result.output
