"""The task layer is infrastructure only: it binds what the features declare (jobs, periodic tasks,
retention rules) without importing any of them, and follows commits only once an app is built."""

import subprocess
import sys
import threading
from datetime import datetime

from huey import crontab
from sqlalchemy import event
from sqlalchemy.orm import Session

from demarche import create_app, tasks
from demarche.tasks import registry
from tests.conftest import service_env


def _imported_after(statement: str) -> set[str]:
    """The demarche modules a fresh interpreter holds after `statement`."""
    code = f"import sys; {statement}; print(' '.join(m for m in sys.modules if m.startswith('demarche')))"
    return set(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split())  # noqa: S603


def test_the_task_layer_imports_no_feature():
    modules = _imported_after("import demarche.tasks, demarche.tasks.relay, demarche.tasks.retention")
    features = ("api", "auth", "backoffice", "corrections", "dossiers", "feedback", "journey", "mail", "messages",
                "procedures", "providers", "renewal", "sessions", "verification", "webhooks")
    assert {m for m in modules if m.split(".")[1:2] and m.split(".")[1] in features} == set()
    assert "demarche.tasks.registry" in modules


def test_the_commit_listeners_are_installed_by_init_app_not_at_import(database_url):
    code = ("import demarche.tasks.handover as t; from sqlalchemy import event; from sqlalchemy.orm import Session; "
            "print(event.contains(Session, 'after_commit', t._committed))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout  # noqa: S603
    assert out.strip() == "False"
    create_app(service_env(database_url))
    assert event.contains(Session, "after_commit", tasks.handover._committed)


def test_the_features_jobs_and_schedules_are_bound_to_the_queue(app):
    bound = app.extensions["tasks"].tasks
    assert {"send_mail", "deliver_webhook"} <= bound.keys()  # declared by mail and webhooks
    assert {"relay", "purge", "renewal_invitations"} <= bound.keys()  # periodic: tasks, retention, renewal
    huey = app.extensions["tasks"].huey
    assert {task.name for task in huey.read_periodic(datetime(2026, 6, 1, 7, 5))} == {"relay", "renewal_invitations"}
    assert {task.name for task in huey.read_periodic(datetime(2026, 6, 1, 3, 17))} == {"relay", "purge"}


def test_a_periodic_task_declared_by_a_feature_is_scheduled_without_touching_the_task_layer(database_url):
    calls = []

    @registry.periodic(crontab(minute="*/5"), name="feature_sample")
    def sample() -> None:
        calls.append(1)

    try:
        app = create_app(service_env(database_url))
        due = app.extensions["tasks"].huey.read_periodic(datetime(2026, 1, 1, 0, 10))
        assert "feature_sample" in {task.name for task in due}
        app.extensions["tasks"].tasks["feature_sample"].call_local()
        assert calls == [1]
    finally:
        del registry.PERIODIC["feature_sample"]


def test_each_feature_declares_its_retention_rule_and_the_dossiers_go_first(app):
    order = [(step.order, step.function.__module__) for step in sorted(registry.PURGES, key=lambda s: s.order)]
    modules = [module for _, module in order]
    assert modules[0] == "demarche.dossiers.retention"
    assert modules[-1] == "demarche.sessions"
    assert {"demarche.journey.retention", "demarche.webhooks.retention", "demarche.api.idempotency"} <= set(modules)
    with app.app_context():
        counts = app.test_cli_runner().invoke(args=["purge"]).output
    for kind in ("dossiers", "messages", "brouillons", "accords", "comptes inactifs", "envois de webhooks",
                 "clés d’idempotence de l’API", "sessions"):
        assert f"{kind} : 0 supprimé(s)" in counts


def test_what_runs_beside_the_embedded_worker_stops_with_it(make_app):
    app = make_app(TASKS_IMMEDIATE="0")  # the demo's in-process queue
    app.test_client().get("/")  # the first request starts the consumer and the metrics sampler beside it
    sampler = next(t for t in threading.enumerate() if t.name == "metrics-sampler" and t.is_alive())
    tasks.stop_embedded_worker(app)
    sampler.join(timeout=5)
    assert not sampler.is_alive() and app.extensions["tasks"].consumer is None
