"""Run the benchmark: PostgreSQL schema, simulators, gunicorn, N concurrent citizens, the bare yardstick."""

from __future__ import annotations

import os
import platform
import secrets
import threading
import time
import uuid
from datetime import date
from pathlib import Path

import httpx
import sqlalchemy as sa

from bench.citizen import PERSONAS, Citizen, JourneyError, Timings
from bench.hang import run_hang
from bench.probes import ConnectionSampler, hammer
from bench.serverlog import offset, prefill_split
from bench.stack import ROOT, Gunicorn, cpu_seconds, free_port, processes_named, rss_mib

DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
LOGS = ROOT / "test-artifacts" / "bench"


def idle_share(seconds: float = 1.0) -> float:
    """Share of the machine's CPU time left idle over `seconds` (/proc/stat)."""
    def sample() -> tuple[int, int]:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return values[3] + values[4], sum(values)  # idle + iowait, total
    idle0, total0 = sample()
    time.sleep(seconds)
    idle1, total1 = sample()
    return (idle1 - idle0) / max(total1 - total0, 1)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return f"{os.cpu_count()} cœurs ({cpu}), Python {platform.python_version()}"


class Schema:
    """A throw-away PostgreSQL schema with the service's tables, dropped at the end."""

    def __init__(self, database_url: str):
        self.name = f"bench_{uuid.uuid4().hex[:10]}"
        self.engine = sa.create_engine(database_url)
        with self.engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{self.name}"'))
        separator = "&" if "?" in database_url else "?"
        self.url = f"{database_url}{separator}options=-csearch_path%3D{self.name}"
        self.service_url = f"{self.url}&application_name={self.name}"  # its connections, in pg_stat_activity

    def migrate(self) -> None:
        from demarche import create_app, schema
        from demarche.extensions import db

        app = create_app({"DEMARCHE_ENV": "test", "DATABASE_URL": self.url})
        schema.upgrade(app)
        with app.app_context():
            db.engine.dispose()

    def dossiers(self) -> int:
        with self.engine.connect() as conn:
            # The schema's name is made above from a UUID: nothing outside reaches this string.
            return conn.execute(sa.text(f'SELECT count(*) FROM "{self.name}".dossier')).scalar_one()  # noqa: S608

    def drop(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{self.name}" CASCADE'))
        self.engine.dispose()


def redis_env(args) -> dict[str, str]:
    """As in production: circuits, quotas and the task queue in Redis, under keys of this run only (the
    queue is not consumed here: e-mails and webhooks are the task worker's, another process)."""
    if not args.redis_url:
        return {}
    return {"REDIS_URL": args.redis_url, "REDIS_KEY_PREFIX": args.run_id, "TASKS_QUEUE": args.run_id}


def forget_redis_keys(args) -> None:
    """Remove this run's keys: those under its prefix, and Huey's queue, whose key contains the run's id."""
    if args.redis_url:
        import redis

        client = redis.Redis.from_url(args.redis_url)
        keys = list(client.scan_iter(match=f"*{args.run_id}*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()


def start_stack(args, schema: Schema) -> dict[str, Gunicorn]:
    """Both simulators (one process each: their state is in memory) and the service."""
    from demarche.config import DEMO_API_PARTICULIER_TOKEN, DEMO_FC_CLIENT_ID, DEMO_FC_CLIENT_SECRET

    LOGS.mkdir(parents=True, exist_ok=True)
    fc_port, service_port, health_port = free_port(), free_port(), free_port()
    fc_url, service_url = f"http://127.0.0.1:{fc_port}", f"http://127.0.0.1:{service_port}"
    fc = Gunicorn("demarche_sandbox.franceconnect:create_app()", {
        "FC_SIM_PUBLIC_URL": fc_url, "FC_SIM_SERVICE_URL": service_url}, workers=1, threads=32, port=fc_port,
        log=LOGS / "franceconnect.log")  # the dev venv's gunicorn: the simulators are not in a production install
    ap = Gunicorn("demarche_sandbox.api_particulier:create_app()", {
        "AP_SIM_FC_ISSUER": f"{fc_url}/api/v2", "AP_SIM_LATENCY_MS": str(args.latency_ms),
        "AP_SIM_RATE_LIMIT": "1000000", "AP_SIM_TEST_CONTROLS": "1"}, workers=1, threads=128,  # scenario 2 hangs many
        log=LOGS / "api_particulier.log")
    service = Gunicorn("demarche:create_app()", {
        "DEMARCHE_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": schema.service_url,
        "PUBLIC_URL": service_url, "FRANCECONNECT_ISSUER": f"{fc_url}/api/v2",
        "FRANCECONNECT_CLIENT_ID": DEMO_FC_CLIENT_ID, "FRANCECONNECT_CLIENT_SECRET": DEMO_FC_CLIENT_SECRET,
        "API_PARTICULIER_URL": ap.url, "API_PARTICULIER_TOKEN": DEMO_API_PARTICULIER_TOKEN,
        "API_PARTICULIER_RECIPIENT": "21750001600019", "API_PARTICULIER_MODALITY": args.modality,
        "HEALTH_PORT": str(health_port),  # gunicorn.conf.py: /healthz from the master too
        "CITIZEN_RATE_LIMIT": "1000000/hour",  # a few test identities run hundreds of journeys each
        **redis_env(args),
    }, workers=args.workers, threads=args.threads, worker_class=args.worker_class, port=service_port,
        log=LOGS / "service.log", gunicorn=args.gunicorn)
    service.health_url = f"http://127.0.0.1:{health_port}/healthz"
    stack = {"fc": fc, "ap": ap, "service": service}
    fc.wait("/api/v2/.well-known/openid-configuration")
    ap.wait("/_sim/requests")
    service.wait("/readyz")
    return stack


def load(service_url: str, citizens: int, journeys: int, seconds: float) -> tuple[Timings, float]:
    """`citizens` threads run journeys until `journeys` are started or `seconds` have passed."""
    timings, lock, started = Timings(), threading.Lock(), [0]
    deadline = time.monotonic() + seconds

    def citizen(index: int) -> None:
        mine = Timings()
        while time.monotonic() < deadline:
            with lock:
                if started[0] >= journeys:
                    break
                started[0] += 1
            person = Citizen(service_url, mine)
            try:
                person.journey(PERSONAS[index % len(PERSONAS)])
                mine.completed += 1
            except (JourneyError, httpx.HTTPError) as error:
                kind = type(error).__name__ if isinstance(error, httpx.HTTPError) else str(error).split(" on ")[0]
                mine.errors[kind] = mine.errors.get(kind, 0) + 1
            finally:
                person.close()
        with lock:
            merge(timings, mine)

    began = time.perf_counter()
    threads = [threading.Thread(target=citizen, args=(i,)) for i in range(citizens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, time.perf_counter() - began


def merge(into: Timings, other: Timings) -> None:
    for bucket in ("steps", "requests"):
        for key, values in getattr(other, bucket).items():
            getattr(into, bucket).setdefault(key, []).extend(values)
    for key, count in other.errors.items():
        into.errors[key] = into.errors.get(key, 0) + count
    into.completed += other.completed


def bare_yardstick(args) -> dict:
    """The same client and concurrency against a bare Flask endpoint under the same gunicorn settings."""
    bare = Gunicorn("bench.bare:create_app()", {}, workers=args.workers, threads=args.threads,
                    worker_class=args.worker_class, gunicorn=args.gunicorn)
    try:
        bare.wait("/")
        return hammer(bare.url + "/", args.citizens, args.bare_seconds, [bare.process.pid, *bare.workers()])
    finally:
        bare.stop()


def cpu_groups(stack: dict[str, Gunicorn]) -> dict[str, list[int]]:
    """Who uses the machine's cores during the run: each app, PostgreSQL, and this load generator."""
    groups = {name: [process.process.pid, *process.workers()] for name, process in stack.items()}
    return {**groups, "postgresql": processes_named("postgres"), "client": [os.getpid()]}


def load_average() -> str:
    """The machine's 1, 5 and 15 minute load averages (/proc/loadavg), to print with the figures."""
    return " / ".join(Path("/proc/loadavg").read_text().split()[:3])


def calm_prefills(url: str, log: Path, journeys: int) -> dict:
    """One citizen alone, `journeys` times: the prefill's cost without queueing behind other citizens."""
    start, timings = offset(log), Timings()
    for index in range(journeys):
        person = Citizen(url, timings)
        try:
            person.journey(PERSONAS[index % len(PERSONAS)])
        finally:
            person.close()
    time.sleep(0.5)  # the last log lines reach the file
    return {"timings": timings, "split": prefill_split(log, start)}


def run(args) -> dict:
    """Everything, in order; processes and schema are cleaned up whatever happens."""
    idle_before, load_before = idle_share(), load_average()  # other work on the machine skews every figure
    args.run_id = f"bench-{uuid.uuid4().hex[:12]}"
    schema = Schema(args.database_url or os.environ.get("TEST_DATABASE_URL") or DEFAULT_DATABASE)
    stack: dict[str, Gunicorn] = {}
    try:
        schema.migrate()
        stack = start_stack(args, schema)
        url = stack["service"].url
        load(url, args.citizens, args.citizens, 60)  # warm-up: every worker has connected and compiled templates
        dossiers_before = schema.dossiers()
        before = {name: cpu_seconds(pids) for name, pids in cpu_groups(stack).items()}
        sampler = ConnectionSampler(schema.url, schema.name)
        log_start = offset(LOGS / "service.log")
        sampler.start()
        timings, seconds = load(url, args.citizens, args.journeys, args.max_seconds)
        connections = sampler.stop()
        split = prefill_split(LOGS / "service.log", log_start)
        # Per process: PostgreSQL's backends come and go; one that ended during the run is not counted.
        cpu = {name: sum(used - before[name].get(pid, 0.0) for pid, used in cpu_seconds(pids).items()) / seconds
               for name, pids in cpu_groups(stack).items()}
        memory = [rss_mib(pid) for pid in stack["service"].workers()]
        if schema.dossiers() - dossiers_before != timings.completed:
            timings.errors["dossiers manquants ou en double"] = 1
        service_pids = [stack["service"].process.pid, *stack["service"].workers()]
        bare = bare_yardstick(args)  # just before the service's pages: the ratios compare like moments
        pages = {path: hammer(url + path, args.citizens, args.bare_seconds, service_pids)
                 for path in ("/", "/mentions-legales")}
        calm = calm_prefills(url, LOGS / "service.log", args.calm_journeys) if args.calm_journeys else None
        hang = (run_hang(url, stack["ap"].url, args.hang_citizens, health_url=stack["service"].health_url)
                if args.hang_citizens else None)
    finally:
        for process in stack.values():
            process.stop()
        schema.drop()
        forget_redis_keys(args)
    return {"settings": vars(args), "timings": timings, "seconds": seconds, "memory": memory, "cpu": cpu,
            "connections": connections, "idle": idle_before, "load": load_before, "pages": pages, "hang": hang,
            "split": split, "calm": calm, "bare": bare, "date": date.today().isoformat(),
            "machine": machine()}
