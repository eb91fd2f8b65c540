"""What the receiver keeps in memory: each event once (deduplicated on webhook-id), in arrival order."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass
class Received:
    """An event as the logiciel métier saw it, then the dossier it read through the service's API."""

    message_id: str
    type: str
    reference: str
    status: str
    received_at: datetime
    dossier: dict | None = None  # the API's answer
    read_error: str | None = None  # why the dossier could not be read
    deliveries: int = 1  # how many times it arrived (duplicates are acknowledged, not processed again)


@dataclass
class Store:
    """Thread-safe: the WSGI server answers in threads, the API reads happen in the background."""

    events: list[Received] = field(default_factory=list)
    refused: int = 0  # requests whose signature did not verify
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, message_id: str, payload: dict) -> Received | None:
        """Keep the event; None if this webhook-id was already received (a retry or a replay)."""
        data = payload.get("data") or {}
        with self.lock:
            for event in self.events:
                if event.message_id == message_id:
                    event.deliveries += 1
                    return None
            event = Received(message_id, str(payload.get("type", "")), str(data.get("reference", "")),
                             str(data.get("status", "")), datetime.now(UTC))
            self.events.append(event)
            return event

    def snapshot(self) -> list[Received]:
        with self.lock:
            return list(self.events)
