"""Percentiles and the Markdown tables the README shows."""

from __future__ import annotations

import math

from bench.citizen import STEPS

CPU_LABELS = {"service": "service", "fc": "simulateur FranceConnect", "ap": "simulateur API Particulier",
              "postgresql": "PostgreSQL", "client": "générateur de charge"}
STEP_LABELS = {
    "accueil": "Choix de la démarche (accueil)",
    "connexion": "« S’identifier avec FranceConnect »",
    "fc_compte": "FranceConnect : choix du compte",
    "fc_identifiants": "FranceConnect : identifiant et mot de passe",
    "fc_retour": "Retour de FranceConnect (jetons, userinfo, session)",
    "accord": "Accord « Récupérer mes données »",
    "preremplissage": "Transmission FranceConnect + préremplissage (API Particulier)",
    "envoi": "« Envoyer ma demande » → accusé de réception",
    "mes_demarches": "« Mes démarches »",
}


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def latency_rows(samples: dict[str, list[float]], order: tuple[str, ...], labels: dict[str, str]) -> list[str]:
    """One Markdown row per key: p50, p95, p99 in milliseconds."""
    return [f"| {labels.get(key, key)} | {ms(percentile(samples[key], 50))} | {ms(percentile(samples[key], 95))} "
            f"| {ms(percentile(samples[key], 99))} |" for key in order if samples.get(key)]


def prefill_samples(requests: dict[str, list[float]]) -> list[float]:
    """The request that fetches the data: FranceConnect's data callback, or the consent's POST (identite)."""
    return requests.get("GET /franceconnect/data-callback") or requests.get("POST /demarches/cantine/consentement", [])


def summary_rows(result: dict) -> list[str]:
    s, t, bare = result["settings"], result["timings"], result["bare"]
    failed = sum(t.errors.values())
    service_rps = sum(len(v) for v in t.requests.values()) / result["seconds"]
    prefill = prefill_samples(t.requests)
    injected = s["latency_ms"] / 1000
    cpu = ", ".join(f"{CPU_LABELS.get(k, k)} {v:.2f}" for k, v in result["cpu"].items())
    return [
        f"| Démarches complètes par seconde | **{t.completed / result['seconds']:.1f}** |",
        f"| Erreurs | {failed} sur {t.completed + failed} parcours"
        + (f" ({', '.join(f'{k} : {v}' for k, v in t.errors.items())})" if t.errors else "") + " |",
        f"| Préremplissage, p50 / p95, pour {s['latency_ms']} ms de latence injectée | {ms(percentile(prefill, 50))} / "
        f"{ms(percentile(prefill, 95))} ms (surcoût p50 : {ms(percentile(prefill, 50) - injected)} ms) |",
        f"| Requêtes servies par le service pendant les démarches | {service_rps:.0f} /s (Flask nu servi pareil : "
        f"{bare['rps']:.0f} /s, p50 {ms(bare['p50'])} ms) ; rapport {service_rps / bare['rps']:.2f} (borné par "
        "les latences des parcours, pas par le processeur) |",
        *page_rows(result, service_rps),
        f"| Mémoire par processus du service (RSS) | {', '.join(f'{m:.0f}' for m in result['memory'])} Mio |",
        f"| Cœurs occupés pendant la mesure | {cpu} |",
        f"| Connexions PostgreSQL du service : au plus ouvertes à la fois / ouvertes pendant la mesure | "
        f"{result['connections']['peak']} / {result['connections']['opened']} |",
    ]


def page_rows(result: dict, service_rps: float) -> list[str]:
    """CPU per request and per démarche against the bare yardstick; service pages hammered like it."""
    t, bare = result["timings"], result["bare"]
    requests = sum(len(v) for v in t.requests.values())
    service_cpu = result["cpu"]["service"] * result["seconds"] * 1000  # ms
    per_request = service_cpu / max(requests, 1)
    rows = [f"| Processeur du service par requête (démarches) / par démarche complète | {per_request:.1f} ms "
            f"({per_request / bare['cpu_ms']:.1f} × Flask nu, {bare['cpu_ms']:.1f} ms) / "
            f"{service_cpu / max(t.completed, 1):.0f} ms |"]
    for path, page in result["pages"].items():
        rows.append(f"| `GET {path}` servi en boucle comme l’étalon | {page['rps']:.0f} /s, p50 {ms(page['p50'])} ms, "
                    f"{page['cpu_ms']:.1f} ms de processeur par requête ; rapport au Flask nu "
                    f"{page['rps'] / bare['rps']:.2f} (req/s), {page['cpu_ms'] / bare['cpu_ms']:.1f} × (processeur) |")
    return rows


def render(result: dict) -> str:
    """The whole report: conditions, summary, latency per step, latency per service request, scenario 2."""
    from bench.hang import hang_rows
    from bench.targets import split_rows, target_rows
    s, t = result["settings"], result["timings"]
    request_order = tuple(sorted(t.requests, key=lambda k: -percentile(t.requests[k], 50)))
    return "\n".join([
        f"Mesuré le {result['date']} sur {result['machine']} ; processeur libre juste avant : {result['idle']:.0%}, "
        f"charge moyenne (1 / 5 / 15 min) : {result.get('load', '?')}.",
        f"{s['citizens']} usagers simultanés, {t.completed} démarches en {result['seconds']:.1f} s ; service : "
        f"gunicorn {s['workers']} processus × {s['threads']} fils ({s['worker_class']}) + PostgreSQL"
        f"{' + Redis (disjoncteurs, quotas, file des tâches)' if s.get('redis_url') else ''} ; modalité "
        f"{s['modality']} ; simulateurs : gunicorn, un processus chacun ; tout sur la même machine, en boucle locale.",
        "",
        "| Objectif (issue 13) | Mesuré | Cible | Atteint |",
        "|---|---|---|---|",
        *target_rows(result),
        "",
        "| Rappel de données FranceConnect (`/franceconnect/data-callback`, p50 en ms, journal du service) | "
        "dans Flask | attente API Particulier | attente FranceConnect (jetons) | part du service |",
        "|---|---|---|---|---|",
        *split_rows(result),
        "",
        "| Mesure | Valeur |",
        "|---|---|",
        *summary_rows(result),
        "",
        "| Étape de l’usager (avec ses redirections) | p50 (ms) | p95 (ms) | p99 (ms) |",
        "|---|---|---|---|",
        *latency_rows(t.steps, STEPS, STEP_LABELS),
        "",
        "| Requête au service | p50 (ms) | p95 (ms) | p99 (ms) |",
        "|---|---|---|---|",
        *latency_rows(t.requests, request_order, {}),
        *(["", "Scénario 2 : API Particulier ne répond plus.", "", "| Mesure | Valeur |", "|---|---|",
           *hang_rows(result["hang"])] if result.get("hang") else []),
    ])
