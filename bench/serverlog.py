"""Where the prefill's time goes, from the service's own JSON log lines (one per request and per outbound call,
joined by correlation id): the data callback's duration inside Flask, minus the time spent waiting on
FranceConnect (code exchange) and API Particulier, is the service's own share."""

from __future__ import annotations

import json
import re
from pathlib import Path

CALL = re.compile(r" in (\d+) ms")
PROVIDERS = {"demarche.api_particulier": "api_particulier", "demarche.oidc": "franceconnect"}


def offset(path: Path) -> int:
    """Where the log ends now: lines written later belong to the next measure."""
    return path.stat().st_size if path.exists() else 0


def prefill_split(path: Path, start: int, route: str = "/franceconnect/data-callback") -> dict[str, list[float]]:
    """Per data callback (ms): "flask" (before_request → after_request), each provider's wait, and "own"."""
    requests: dict[str, float] = {}
    waits: dict[str, dict[str, float]] = {}
    with path.open("rb") as log:
        log.seek(start)
        for raw in log:
            if not raw.startswith(b"{"):
                continue  # gunicorn's own lines
            entry = json.loads(raw)
            cid = entry.get("correlation_id")
            if not cid:
                continue
            if entry["logger"] == "demarche.http" and entry.get("path") == route:
                requests[cid] = entry["duration_ms"]
            elif entry["logger"] in PROVIDERS and (match := CALL.search(entry["message"])):
                mine = waits.setdefault(cid, {})
                name = PROVIDERS[entry["logger"]]
                mine[name] = mine.get(name, 0.0) + float(match.group(1))
    split: dict[str, list[float]] = {"flask": [], "api_particulier": [], "franceconnect": [], "own": []}
    for cid, duration in requests.items():
        mine = waits.get(cid, {})
        split["flask"].append(duration)
        for name in ("api_particulier", "franceconnect"):
            split[name].append(mine.get(name, 0.0))
        split["own"].append(duration - sum(mine.values()))
    return split
