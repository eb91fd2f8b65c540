"""Opening day (issue 18): N families arrive over a few minutes across TWO instances (gunicorn, each with its task
worker), one PostgreSQL, one Redis, against an API Particulier stand-in that enforces the platform's quotas —
20 calls/s per token and 1,000/min per IP, 429 beyond (https://particulier.api.gouv.fr/developpeurs). Then the
same stack while the provider hangs.

Open loop: each family starts at its scheduled time whatever the state of the others (latency counted from
then), signs in with FranceConnect, consents (modality identite: the service's one token) and follows the
waiting page to the form. The stand-in's request log is the referee for the calls sent.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bench.citizen import PERSONAS, Citizen, JourneyError, Timings
from bench.hang import run_hang
from bench.observers import Observers
from bench.probes import hammer
from bench.redis_outage import PrivateRedis, redis_outage_rows, run_redis_outage
from bench.stack import ROOT, Gunicorn, cpu_seconds, free_port, processes_named

PREFILLED = "Vos données ont été récupérées"
INSTANCES = 2
# During the provider's outage, everyone else: 24 signed-in citizens each reading a page a second or so (not
# back to back: a closed loop of a few clients saturates two cores by itself, whatever the service does).
BROWSING, THINK = 24, 1.0


class TaskWorker:
    """`flask tasks worker` of one instance: the process that runs the prefill jobs."""

    def __init__(self, env: dict, threads: int, log: Path, python: str):
        self.log = open(log, "ab")  # noqa: SIM115 - closed in stop()
        command = [python, "-m", "flask", "--app", "demarche:create_app()", "tasks", "worker", "-w", str(threads)]
        self.process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=self.log,  # noqa: S603
                                        stderr=subprocess.STDOUT)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def start(args, schema_url: str, redis_url: str, logs: Path) -> dict:
    """FranceConnect and API Particulier stand-ins, two instances and their task workers."""
    from demarche.config import DEMO_API_PARTICULIER_TOKEN, DEMO_FC_CLIENT_ID, DEMO_FC_CLIENT_SECRET

    ports = [free_port() for _ in range(INSTANCES)]
    fc_port = free_port()
    fc_url = f"http://127.0.0.1:{fc_port}"
    fc = Gunicorn("demarche_sandbox.franceconnect:create_app()", {
        "FC_SIM_PUBLIC_URL": fc_url, "FC_SIM_SERVICE_URL": f"http://127.0.0.1:{ports[0]}"}, workers=1, threads=64,
        port=fc_port, log=logs / "opening-franceconnect.log")
    ap = Gunicorn("demarche_sandbox.api_particulier:create_app()", {
        "AP_SIM_FC_ISSUER": f"{fc_url}/api/v2", "AP_SIM_LATENCY_MS": str(args.latency_ms),
        "AP_SIM_RATE_LIMIT": "1000000", "AP_SIM_RATE_LIMIT_PER_SECOND": "20", "AP_SIM_IP_RATE_LIMIT": "1000",
        "AP_SIM_TEST_CONTROLS": "1"}, workers=1, threads=128, log=logs / "opening-api_particulier.log")
    base = {
        "DEMARCHE_ENV": "production", "SECRET_KEY": os.urandom(32).hex(), "DATABASE_URL": schema_url,
        "FRANCECONNECT_ISSUER": f"{fc_url}/api/v2", "FRANCECONNECT_CLIENT_ID": DEMO_FC_CLIENT_ID,
        "FRANCECONNECT_CLIENT_SECRET": DEMO_FC_CLIENT_SECRET, "API_PARTICULIER_URL": ap.url,
        "API_PARTICULIER_TOKEN": DEMO_API_PARTICULIER_TOKEN, "API_PARTICULIER_RECIPIENT": "21750001600019",
        "API_PARTICULIER_MODALITY": "identite", "REDIS_URL": redis_url, "REDIS_KEY_PREFIX": args.run_id,
        "TASKS_QUEUE": args.run_id, "SERVICE_INSTANCES": str(INSTANCES), "DB_POOL_SIZE": "8",
        "DB_MAX_OVERFLOW": "4", "TASKS_WORKERS": str(args.job_threads), "PROVIDER_CALLERS": str(INSTANCES),
        "CITIZEN_RATE_LIMIT": "1000000/hour",  # three test identities stand for hundreds of families
    }
    python = str(Path(args.gunicorn).with_name("python"))
    instances, workers = [], []
    for index, port in enumerate(ports):
        health = free_port()
        # The FranceConnect stand-in sends every citizen back to the first instance's URL: both instances share
        # PUBLIC_URL, as behind one load balancer; each family then stays on its instance (sticky sessions).
        env = {**base, "PUBLIC_URL": f"http://127.0.0.1:{ports[0]}", "HEALTH_PORT": str(health)}
        service = Gunicorn("demarche:create_app()", env, workers=args.opening_workers, threads=args.threads,
                           port=port, log=logs / f"opening-service{index}.log", gunicorn=args.gunicorn)
        service.health_url = f"http://127.0.0.1:{health}/healthz"
        instances.append(service)
        workers.append(TaskWorker(env, args.job_threads, logs / f"opening-worker{index}.log", python))
    fc.wait("/api/v2/.well-known/openid-configuration")
    ap.wait("/_sim/requests")
    for service in instances:
        service.wait("/readyz", timeout=60)
    return {"fc": fc, "ap": ap, "instances": instances, "workers": workers}


class ProviderLog:
    """Every request the stand-in received (its log keeps the last 1,000: read every 2 s, kept here)."""

    def __init__(self, url: str):
        self.url, self.seen, self._stop = url, {}, threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self._stop.wait(2.0):
            self.read()

    def read(self) -> None:
        for entry in httpx.get(f"{self.url}/_sim/requests", timeout=10).json():
            if entry["path"].startswith("/v3/"):
                self.seen[(entry["time"], entry["path"], entry["duration_ms"], entry["status"])] = entry

    def start(self) -> None:
        httpx.delete(f"{self.url}/_sim/requests")
        self._thread.start()

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join()
        self.read()
        from datetime import datetime

        times = sorted(datetime.fromisoformat(e["time"]).timestamp() for e in self.seen.values())
        return {"calls": len(times), "429": sum(e["status"] == 429 for e in self.seen.values()),
                "peak_second": peak(times, 1.0), "peak_minute": peak(times, 60.0)}


def peak(times: list[float], window: float) -> int:
    """Most calls in any window of `window` seconds (sliding, not aligned): what the platform counts."""
    best, first = 0, 0
    for last, moment in enumerate(times):
        while moment - times[first] >= window:
            first += 1
        best = max(best, last - first + 1)
    return best


class StickyCitizen(Citizen):
    """Behind one public URL, a sticky load balancer sends every request of a family to the same instance."""

    def __init__(self, public_url: str, backend: str):
        super().__init__(public_url, Timings())
        self.backend = backend

    def _send(self, method: str, url: str, data: dict | None) -> httpx.Response:
        if url.startswith(self.service_url):
            url = self.backend + url[len(self.service_url):]
        return super()._send(method, url, data)


def consent_to_form(citizen: StickyCitizen, reach: Callable[[], tuple[str, str]]) -> dict:
    """`reach()` brings the citizen to the consent page; then « Récupérer mes données », the waiting page, the form
    (prefilled, or the manual path), timed from the consent. An error is an outcome; the citizen is closed."""
    try:
        page_url, html = reach()
        started = time.perf_counter()
        page_url, html = citizen.fetch_data(page_url, html)
        outcome = "prefilled" if PREFILLED in html else "manual" if "/formulaire" in page_url else "other"
        return {"outcome": outcome, "consent_to_form": time.perf_counter() - started}
    except JourneyError as error:
        return {"outcome": f"error {str(error).split(' on ')[0]}"}
    except httpx.HTTPError as error:
        return {"outcome": f"error {type(error).__name__}"}
    finally:
        citizen.close()


def family(public_url: str, backend: str, persona: str) -> dict:
    """One family: sign in, then consent_to_form."""
    citizen = StickyCitizen(public_url, backend)
    return consent_to_form(citizen, lambda: citizen.sign_in(persona))


def arrivals(stack: dict, families: int, seconds: float) -> tuple[list[dict], float]:
    """Families at fixed intervals over `seconds`, alternately on each instance; returns results and lateness."""
    urls = [service.url for service in stack["instances"]]
    results, late = [], []
    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=min(families, 400)) as pool:
        futures = []
        for index in range(families):
            scheduled = began + index * seconds / max(families, 1)
            time.sleep(max(0.0, scheduled - time.monotonic()))
            late.append(time.monotonic() - scheduled)
            futures.append(pool.submit(family, urls[0], urls[index % INSTANCES], PERSONAS[index % len(PERSONAS)]))
        results = [future.result() for future in futures]
    return results, max(late, default=0.0)


def burst(stack: dict, families: int, spread: float = 2.0, meanwhile=None) -> list[dict]:
    """The opening moment (issue 18): `families` already signed in press « Récupérer mes données » within
    `spread` seconds — more than the provider's 20 calls/s: the pacer must hold them, not the provider.
    `meanwhile` runs in a thread as they start (the Redis outage, bench/redis_outage.py)."""
    import random

    urls = [service.url for service in stack["instances"]]

    def signed_in(index: int) -> tuple[StickyCitizen, str, str]:
        citizen = StickyCitizen(urls[0], urls[index % INSTANCES])
        return (citizen, *citizen.sign_in(PERSONAS[index % len(PERSONAS)]))

    def consent(person: tuple[StickyCitizen, str, str]) -> dict:
        citizen, url, html = person

        def arrive() -> tuple[str, str]:
            time.sleep(random.uniform(0, spread))  # noqa: S311 - arrival times, not crypto
            return url, html

        return consent_to_form(citizen, arrive)

    with ThreadPoolExecutor(16) as pool:
        people = list(pool.map(signed_in, range(families)))
    if meanwhile is not None:
        threading.Thread(target=meanwhile, daemon=True).start()
    with ThreadPoolExecutor(max(families, 1)) as pool:
        return list(pool.map(consent, people))


def cpu_pids(stack: dict) -> list[int]:
    pids = [stack["fc"].process.pid, *stack["fc"].workers(), stack["ap"].process.pid, *stack["ap"].workers()]
    for service in stack["instances"]:
        pids += [service.process.pid, *service.workers()]
    pids += [worker.process.pid for worker in stack["workers"]]
    return pids + processes_named("postgres") + processes_named("redis-server")


def run_opening(args, schema_url: str, redis_url: str, logs: Path, redis: PrivateRedis | None = None) -> dict:
    stack = start(args, schema_url, redis_url, logs)
    try:
        first = stack["instances"][0]
        for service in stack["instances"]:  # warm-up: templates compiled, connections open
            family(first.url, service.url, PERSONAS[0])
        # One family at a time, nobody else there: what the queue and the waiting page add to the provider's latency.
        httpx.delete(f"{stack['ap'].url}/_sim/requests")
        alone = [family(first.url, first.url, PERSONAS[index % len(PERSONAS)]) for index in range(args.calm_journeys)]
        provider_ms = [e["duration_ms"] for e in httpx.get(f"{stack['ap'].url}/_sim/requests").json()
                       if e["path"].startswith("/v3/")]  # how long the provider itself took to answer them
        browsers = [Citizen(first.url, Timings()) for _ in range(4)]
        for index, browser in enumerate(browsers):
            browser.sign_in(PERSONAS[index % len(PERSONAS)])
        observers = Observers(first.url, [f"{first.url}/healthz", first.health_url],
                              [dict(b.http.cookies) for b in browsers])
        provider = ProviderLog(stack["ap"].url)
        pids = cpu_pids(stack)
        cpu_before = sum(cpu_seconds(pids).values())
        observers.start()
        provider.start()
        began = time.monotonic()
        results, late = arrivals(stack, args.families, args.arrival_seconds)
        seconds = time.monotonic() - began
        moment = burst(stack, args.burst) if args.burst else []
        cpu = sum(cpu_seconds(pids).values()) - cpu_before
        observed, sent = observers.stop(), provider.stop()
        outage = run_redis_outage(stack, redis, args.redis_outage) if redis is not None else None
        bare = hammer_bare(args)
        pages = {path: hammer(first.url + path, 16, args.bare_seconds, [first.process.pid, *first.workers()])
                 for path in ("/", "/healthz")}
        # The outage: the families consent over both instances, as they arrive behind the load balancer.
        backends = [service.url for service in stack["instances"]]
        hang = (run_hang(first.url, stack["ap"].url, args.outage_citizens, health_url=first.health_url,
                         new_citizen=lambda index: StickyCitizen(first.url, backends[index % INSTANCES]),
                         browsing=BROWSING, think=THINK)
                if args.outage_citizens else None)
    finally:
        for service in [*stack["instances"], stack["fc"], stack["ap"]]:
            service.stop()
        for worker in stack["workers"]:
            worker.stop()
    return {"families": args.families, "arrival_seconds": args.arrival_seconds, "seconds": seconds, "late": late,
            "results": results, "burst": moment, "sent": sent, "observed": observed, "cpu": cpu, "bare": bare,
            "pages": pages, "hang": hang, "alone": alone, "provider_ms": provider_ms, "redis_outage": outage}


def hammer_bare(args) -> dict:
    """The yardstick: a bare Flask app under the same gunicorn settings, same client."""
    bare = Gunicorn("bench.bare:create_app()", {}, workers=args.opening_workers, threads=args.threads,
                    gunicorn=args.gunicorn)
    try:
        bare.wait("/")
        return hammer(bare.url + "/", 16, args.bare_seconds, [bare.process.pid, *bare.workers()])
    finally:
        bare.stop()


def run_opening_day(args) -> dict:
    """Private servers when none answers (inside `unshare -n`), a throw-away schema, the scenario."""
    import uuid

    from bench.run import DEFAULT_DATABASE, LOGS, Schema, forget_redis_keys
    from tests import servers

    os.environ.setdefault("TEST_DATABASE_URL", args.database_url or DEFAULT_DATABASE)
    found = servers.choose()  # PostgreSQL and Redis on 127.0.0.1, or throw-away ones (tests/servers.py)
    args.run_id = getattr(args, "run_id", None) or f"bench-{uuid.uuid4().hex[:12]}"
    # A Redis of the benchmark's own, so that it can stop it in the middle of a burst (bench/redis_outage.py).
    redis = PrivateRedis() if args.redis_outage and PrivateRedis().executable else None
    if redis is not None:
        redis.start()
    args.redis_url = redis.url if redis is not None else servers.redis_url()
    schema = Schema(servers.postgres_url())
    LOGS.mkdir(parents=True, exist_ok=True)
    try:
        schema.migrate()
        result = run_opening(args, schema.url, args.redis_url, LOGS, redis)
    finally:
        schema.drop()
        if redis is not None:
            redis.destroy()
        else:
            forget_redis_keys(args)
        found.stop()
    return {**result, "servers": found.line()}


def burst_rows(moment: list[dict]) -> list[str]:
    from bench.report import percentile

    if not moment:
        return []
    outcomes = [r["outcome"] for r in moment]
    waits = [r["consent_to_form"] for r in moment if "consent_to_form" in r]
    errors = sorted({o for o in outcomes if o.startswith("error")})
    return [
        f"| Puis {len(moment)} familles connectées consentent en 2 s : préremplies / parcours manuel / autres | "
        f"{outcomes.count('prefilled')} / {outcomes.count('manual')} / "
        f"{len(moment) - outcomes.count('prefilled') - outcomes.count('manual')}"
        + (f" ({', '.join(errors)})" if errors else "") + " |",
        "| … leur consentement → formulaire, p50 / p95 | "
        + (f"{percentile(waits, 50) * 1000:.0f} / {percentile(waits, 95) * 1000:.0f} ms |" if waits else "— |"),
    ]


def render_opening(result: dict) -> str:
    """The opening-day table (README « Performances », details in docs/performances.md)."""
    from bench.hang import hang_rows
    from bench.report import percentile

    outcomes = [r["outcome"] for r in result["results"]]
    waits = [r["consent_to_form"] for r in result["results"] if "consent_to_form" in r]
    errors = sorted({o for o in outcomes if o.startswith("error")})
    health, listener = result["observed"]["health"]
    pages = result["observed"]["pages"]
    fivexx = sum(o.startswith("error 5") for o in outcomes + [r["outcome"] for r in result["burst"]])
    fivexx += sum(s >= 500 for s, _ in health + listener + pages)
    sent, n = result["sent"], max(len(result["results"]), 1)

    def p(samples, q):
        return f"{percentile([s for _, s in samples], q) * 1000:.0f}" if samples else "—"

    bare = result["bare"]["rps"]
    alone = [r["consent_to_form"] * 1000 for r in result.get("alone", []) if r["outcome"] == "prefilled"]
    latency = percentile(result.get("provider_ms") or [0], 50)
    rows = [
        "| Journée d’ouverture | Mesure |", "|---|---|",
        f"| Familles, arrivées réparties sur | {result['families']} sur {result['arrival_seconds']:.0f} s "
        f"(2 instances ; retard max. d’une arrivée {result['late'] * 1000:.0f} ms) ; durée totale "
        f"{result['seconds']:.0f} s |",
        f"| Une famille seule ({len(alone)} à la suite, avant l’afflux) : consentement → formulaire p50 ; surcoût "
        f"au-delà du temps de réponse du fournisseur (p50 {latency:.0f} ms, son journal ; cible ≤ 10 %) | "
        + (f"{percentile(alone, 50):.0f} ms ; {percentile(alone, 50) - latency:.0f} ms "
           f"({(percentile(alone, 50) - latency) * 100 / latency:.0f} %) |" if alone and latency else "— |"),
        f"| Réponses 5xx (familles, sondes et pages) | {fivexx} |",
        f"| 429 reçus d’API Particulier | {sent['429']} |",
        f"| Appels envoyés : au plus dans 1 s / dans 60 s (quota : 20 / 1 000) | {sent['peak_second']} / "
        f"{sent['peak_minute']} ({sent['calls']} en tout) |",
        f"| Familles préremplies / parcours manuel / autres | {outcomes.count('prefilled')} / "
        f"{outcomes.count('manual')} / {n - outcomes.count('prefilled') - outcomes.count('manual')}"
        + (f" ({', '.join(errors)})" if errors else "") + " |",
        "| Consentement → formulaire, p50 / p95 | "
        + (f"{percentile(waits, 50) * 1000:.0f} / {percentile(waits, 95) * 1000:.0f} ms |" if waits else "— |"),
        f"| `/healthz` port du service pendant l’afflux, p95 / p99 ({len(health)} sondes) | {p(health, 95)} / "
        f"{p(health, 99)} ms |",
        f"| `/healthz` sur `HEALTH_PORT`, p95 / p99 ({len(listener)} sondes) | {p(listener, 95)} / "
        f"{p(listener, 99)} ms |",
        f"| Pages sans fournisseur pendant l’afflux, p95 / p99 ({len(pages)} requêtes) | {p(pages, 95)} / "
        f"{p(pages, 99)} ms |",
        *burst_rows(result["burst"]),
        f"| Temps CPU par famille (tous processus : service, tâches, simulateurs, PostgreSQL, Redis) | "
        f"{result['cpu'] / n * 1000:.0f} ms |",
        f"| Après l’afflux, req/s rapportées à Flask nu ({bare:.0f} req/s) : accueil / `/healthz` | "
        f"{result['pages']['/']['rps'] / bare:.2f} / {result['pages']['/healthz']['rps'] / bare:.2f} |",
    ]
    if result.get("redis_outage"):
        rows += ["", "| Redis arrêté au milieu de l’afflux | Mesure |", "|---|---|",
                 *redis_outage_rows(result["redis_outage"])]
    if result.get("hang"):
        rows += ["", "| Fournisseur qui ne répond plus | Mesure |", "|---|---|", *hang_rows(result["hang"])]
    return "\n".join(rows) + f"\n\nServeurs : {result.get('servers', '')}\n"
