"""The report's first table: issue 13's targets, each measured against the bare yardstick or the injected
latency of the same run, and where the prefill's time goes inside the service."""

from __future__ import annotations

from bench.hang import hang_numbers
from bench.report import percentile, prefill_samples


def _verdict(ok: bool) -> str:
    return "oui" if ok else "**non**"


def target_rows(result: dict) -> list[str]:
    """Issue 13's targets, each against the bare yardstick or the injected latency of the same run."""
    s, t, bare = result["settings"], result["timings"], result["bare"]
    injected, rows = s["latency_ms"], []
    for label, timings in ((f"{s['citizens']} usagers", t),
                           ("un usager seul", (result.get("calm") or {}).get("timings"))):
        samples = prefill_samples(timings.requests) if timings else []
        if samples:
            extra = percentile(samples, 50) * 1000 - injected
            rows.append(f"| Surcoût du préremplissage p50, {label} | {extra:.0f} ms ({extra / injected:.0%} des "
                        f"{injected} ms injectées) | ≤ 10 % | {_verdict(extra <= injected / 10)} |")
    requests = sum(len(v) for v in t.requests.values())
    service_cpu = result["cpu"]["service"] * result["seconds"] * 1000
    per_request = service_cpu / max(requests, 1)
    rows.append(f"| Processeur du service par requête des démarches | {per_request:.1f} ms = "
                f"{per_request / bare['cpu_ms']:.1f} × l’étalon ({bare['cpu_ms']:.2f} ms) | ≤ 2 × | "
                f"{_verdict(per_request <= 2 * bare['cpu_ms'])} |")
    per_journey = service_cpu / max(t.completed, 1)
    rows.append(f"| Processeur du service par démarche complète | {per_journey:.0f} ms = "
                f"{per_journey / bare['cpu_ms']:.0f} requêtes de l’étalon | — | — |")
    for path, page in result["pages"].items():
        ratio = page["rps"] / bare["rps"]
        cpu = page["cpu_ms"] / bare["cpu_ms"]
        rows.append(f"| `GET {path}` martelé : req/s rapportées à l’étalon | {ratio:.2f} ({cpu:.1f} × en processeur) "
                    f"| ≥ 0,5 | {_verdict(ratio >= 0.5)} |")
    biggest = max(result["memory"], default=0.0)
    rows.append(f"| Mémoire par processus du service (RSS) | {', '.join(f'{m:.0f}' for m in result['memory'])} Mio | "
                f"≤ 120 Mio | {_verdict(biggest <= 120)} |")
    if result.get("hang"):
        n = hang_numbers(result["hang"])
        rows += [f"| Panne : réponses 5xx | {n['fivexx']} | 0 | {_verdict(n['fivexx'] == 0)} |",
                 f"| Panne : parcours manuel proposé | {n['manual']} sur {n['asked']} | tous | "
                 f"{_verdict(n['manual'] == n['asked'])} |",
                 f"| Panne : `/healthz` p99, port du service | {n['health'][1]:.0f} ms | < 100 ms | "
                 f"{_verdict(n['health'][1] < 100)} |"]
        if n["listener"]:
            rows.append(f"| Panne : `/healthz` p99, `HEALTH_PORT` (maître gunicorn) | {n['listener'][1]:.0f} ms | "
                        f"< 100 ms | {_verdict(n['listener'][1] < 100)} |")
        rows.append(f"| Panne : pages sans fournisseur p95 | {n['pages'][1]:.0f} ms | < 300 ms | "
                    f"{_verdict(n['pages'][1] < 300)} |")
    return rows


def split_rows(result: dict) -> list[str]:
    """The data callback's time inside the service, split by the service's own log (serverlog.py)."""
    rows = []
    calm = (result.get("calm") or {}).get("split")
    for label, split in ((f"{result['settings']['citizens']} usagers", result.get("split")), ("un usager seul", calm)):
        if split and split["flask"]:
            p50 = {k: percentile(v, 50) for k, v in split.items()}
            rows.append(f"| {label} | {p50['flask']:.0f} | {p50['api_particulier']:.0f} | {p50['franceconnect']:.0f} "
                        f"| {p50['own']:.0f} |")
    return rows
