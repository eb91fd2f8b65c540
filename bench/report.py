"""Percentiles and the Markdown tables the README shows."""

from __future__ import annotations

import math

from bench.citizen import STEPS

CPU_LABELS = {"service": "service", "fc": "simulateur FranceConnect", "ap": "simulateur API Particulier",
              "postgresql": "PostgreSQL", "client": "générateur de charge"}


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def latency_rows(samples: dict[str, list[float]], order: tuple[str, ...] | None = None) -> list[str]:
    """One Markdown row per key: count, p50, p95, p99 in milliseconds."""
    rows = []
    for key in order or sorted(samples):
        values = samples.get(key)
        if values:
            rows.append(f"| {key} | {len(values)} | {ms(percentile(values, 50))} | {ms(percentile(values, 95))} "
                        f"| {ms(percentile(values, 99))} |")
    return rows


def render(result: dict) -> str:
    """The whole report: settings, throughput, latency per step, prefill, memory, bare yardstick."""
    s, t = result["settings"], result["timings"]
    # The prefill request: FranceConnect's data callback, or the consent's POST in the identite modality.
    prefill = t.requests.get("GET /franceconnect/data-callback") or t.requests.get(
        "POST /demarches/cantine/consentement")
    bare = result["bare"]
    service_rps = sum(len(v) for v in t.requests.values()) / result["seconds"]
    lines = [
        f"Mesuré le {result['date']} sur {result['machine']}.",
        f"{s['citizens']} usagers simultanés, {t.completed} démarches terminées en {result['seconds']:.1f} s ; "
        f"service : gunicorn {s['workers']} processus × {s['threads']} fils ({s['worker_class']}), PostgreSQL, "
        f"modalité {s['modality']} ; simulateurs : gunicorn 1 processus chacun ; "
        f"latence injectée d’API Particulier : {s['latency_ms']} ms.",
        "",
        "| Mesure | Valeur |",
        "|---|---|",
        f"| Démarches terminées par seconde | **{t.completed / result['seconds']:.2f}** |",
        f"| Erreurs | {sum(t.errors.values())} sur {t.completed + sum(t.errors.values())} parcours"
        + (f" ({', '.join(f'{k} : {v}' for k, v in t.errors.items())})" if t.errors else "") + " |",
        f"| Requêtes servies par le service | {service_rps:.0f} par seconde |",
        f"| Point d’entrée Flask nu, même gunicorn, même client | {bare['rps']:.0f} requêtes par seconde "
        f"(p50 {ms(bare['p50'])} ms) |",
        f"| Rapport service / Flask nu (requêtes par seconde) | {service_rps / bare['rps']:.2f} |",
        f"| Préremplissage (retour de FranceConnect + appel API Particulier), p50 / p95 | "
        f"{ms(percentile(prefill, 50))} / {ms(percentile(prefill, 95))} ms pour {s['latency_ms']} ms injectés "
        f"(surcoût p50 : {ms(percentile(prefill, 50) - s['latency_ms'] / 1000)} ms) |"
        if prefill else "| Préremplissage | — |",
        "| Cœurs occupés pendant la mesure | " + ", ".join(
            f"{CPU_LABELS.get(k, k)} {v:.2f}" for k, v in result["cpu"].items()) + " |",
        f"| Connexions ouvertes à PostgreSQL pendant la mesure | {result['connections']} |",
        f"| Mémoire par processus du service (RSS) | {', '.join(f'{m:.0f}' for m in result['memory'])} Mio |",
        "",
        "| Étape de l’usager | n | p50 (ms) | p95 (ms) | p99 (ms) |",
        "|---|---|---|---|---|",
        *latency_rows(t.steps, STEPS),
        "",
        "| Requête au service | n | p50 (ms) | p95 (ms) | p99 (ms) |",
        "|---|---|---|---|---|",
        *latency_rows(t.requests),
    ]
    return "\n".join(lines)
