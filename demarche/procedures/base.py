"""What a démarche declares: the data it needs and from whom, what it asks, how it summarises.

The journey (demarche/journey/) drives every démarche the same way: consent, fetch, review, submit.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import asdict, dataclass, is_dataclass
from typing import Any

from flask_wtf import FlaskForm

from demarche.api_particulier import ApiParticulierClient, Fetched
from demarche.identity import PivotIdentity

Fetcher = Callable[[ApiParticulierClient, str | None, PivotIdentity], Fetched]


@dataclass(frozen=True)
class DataSource:
    """One API Particulier route the démarche prefills from."""

    key: str  # stable name in snapshots, e.g. "quotient_familial"
    label: str  # what the citizen is told is fetched
    provider: str  # who holds it, e.g. "CAF ou MSA"
    scopes: tuple[str, ...]  # FranceConnect data scopes (modality france_connect)
    fetch: Fetcher  # (client, FranceConnect access token or None, identity) -> Fetched
    # The fields the démarche keeps (None: all). Scopes only mask data in the france_connect
    # modality; with the service's own token (identite) the answer is complete, and minimisation
    # (RGPD art. 5.1.c) means storing no more than the démarche uses.
    fields: tuple[str, ...] | None = None

    def snapshot(self, fetched: Fetched, modality: str) -> dict[str, Any]:
        """The certified data (only `fields`) with its provenance, as stored in the draft and the dossier."""
        data = asdict(fetched.data) if is_dataclass(fetched.data) else fetched.data
        if self.fields is not None:
            data = {name: value for name, value in data.items() if name in self.fields}
        return {
            "data": data,
            "provenance": {
                "platform": "API Particulier",
                "provider": self.provider,
                "route": fetched.route,
                "request_id": fetched.request_id,
                "retrieved_at": fetched.retrieved_at.replace(tzinfo=None).isoformat(timespec="seconds"),
                "modality": modality,
            },
        }


@dataclass(frozen=True)
class SummaryLine:
    """A line of a summary: label, value, and where the value comes from."""

    label: str
    value: str
    origin: str  # "franceconnect" | "certified" | "declared"


def email_line(identity: dict, email: str) -> SummaryLine:
    """The contact e-mail: from FranceConnect when kept as it came, declared when the citizen changed it."""
    kept = email.lower() == (identity.get("email") or "").lower()
    return SummaryLine("Adresse électronique", email, "franceconnect" if kept else "declared")


@dataclass(frozen=True)
class ConsentText:
    """The « Ce qui va se passer » text. Bump `version` whenever the wording changes."""

    version: str
    categories: tuple[str, ...]
    purpose: str
    retention: str
    legal_basis: str


class Procedure(ABC):
    """Base of a démarche definition; subclasses fill the class attributes and the four methods."""

    slug: str
    title: str
    description: str = ""  # one or two sentences on the home page: what the citizen gets, and without what
    reference_prefix: str
    consent: ConsentText
    sources: tuple[DataSource, ...]
    form_template: str

    @abstractmethod
    def build_form(self, certified: dict, identity: PivotIdentity, formdata=None) -> FlaskForm:
        """The review-and-complete form; its choices come from the certified data when present."""

    @abstractmethod
    def answers(self, form: FlaskForm, certified: dict) -> dict:
        """What the citizen chose or declared, each declared value flagged as such."""

    @abstractmethod
    def review_context(self, certified: dict, failures: dict) -> dict:
        """Template variables showing the certified values with their source and period."""

    @abstractmethod
    def summary(self, identity: dict, answers: dict, certified: dict) -> list[SummaryLine]:
        """The dossier as a list of lines, for the receipt, the attestation and the back-office."""

    @property
    def scopes(self) -> tuple[str, ...]:
        """Every FranceConnect data scope the démarche's sources need."""
        return tuple(dict.fromkeys(scope for source in self.sources for scope in source.scopes))
