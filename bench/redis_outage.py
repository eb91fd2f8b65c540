"""Opening day, with Redis stopped in the middle of the burst (issue 18): the pacer fails closed (each process at
its local share), the queue's broker is gone (the consent page then calls the provider itself, still paced), and
nothing may exceed the provider's quota or answer 5xx. Redis comes back empty, as after a crash without
persistence: jobs queued before the stop are lost, and their families get the manual path with the reason as
soon as their waiting page sees the job's marker gone from Redis with it (journey/waiting.py).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time

from bench.stack import free_port
from tests.servers import answers


class PrivateRedis:
    """A redis-server of the benchmark's own, on a fixed loopback port, that it may stop and start again."""

    def __init__(self) -> None:
        self.executable = shutil.which("redis-server")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.folder = tempfile.mkdtemp(prefix="demarche-bench-redis-")
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - this machine's redis-server, fixed arguments
            [self.executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.folder, "--loglevel", "warning"], stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not answers("127.0.0.1", self.port):
            if time.monotonic() > deadline:
                raise RuntimeError("the benchmark's redis-server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()  # as a crash: no goodbye to the clients
            self.process.wait()
            self.process = None

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def run_redis_outage(stack: dict, redis: PrivateRedis, families: int, down: float = 10.0) -> dict:
    """`families` signed in consent within 2 s; Redis is killed 0.5 s in and started again `down` s later."""
    from bench.opening import ProviderLog, burst

    provider = ProviderLog(stack["ap"].url)
    provider.start()
    timeline = {}

    def outage() -> None:
        time.sleep(0.5)
        timeline["stopped"] = time.monotonic()
        redis.stop()
        time.sleep(down)
        redis.start()
        timeline["started"] = time.monotonic()

    results = burst(stack, families, meanwhile=outage)
    while "started" not in timeline:  # every family may have finished before Redis is back
        time.sleep(0.1)
    return {"results": results, "sent": provider.stop(), "down": timeline["started"] - timeline["stopped"]}


def redis_outage_rows(result: dict) -> list[str]:
    from bench.report import percentile

    outcomes = [r["outcome"] for r in result["results"]]
    waits = [r["consent_to_form"] for r in result["results"] if "consent_to_form" in r]
    errors = sorted({o for o in outcomes if o.startswith("error")})
    sent = result["sent"]
    other = len(outcomes) - outcomes.count("prefilled") - outcomes.count("manual")
    return [
        f"| Familles qui consentent en 2 s ; Redis arrêté 0,5 s après le début, pendant | {len(outcomes)} ; "
        f"{result['down']:.0f} s |",
        f"| Réponses 5xx | {sum(o.startswith('error 5') for o in outcomes)} |",
        f"| 429 reçus ; appels envoyés au plus dans 1 s / dans 60 s (quota 20 / 1 000) | {sent['429']} ; "
        f"{sent['peak_second']} / {sent['peak_minute']} |",
        f"| Préremplies / parcours manuel / autres | {outcomes.count('prefilled')} / {outcomes.count('manual')} / "
        f"{other}" + (f" ({', '.join(errors)})" if errors else "") + " |",
        "| Consentement → formulaire, p50 / p95 | "
        + (f"{percentile(waits, 50) * 1000:.0f} / {percentile(waits, 95) * 1000:.0f} ms |" if waits else "— |"),
    ]
