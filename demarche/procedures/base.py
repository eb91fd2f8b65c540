"""What a démarche declares: the data it needs and from whom, what it asks, how it summarises.

The journey (demarche/journey/) drives every démarche the same way: consent, fetch, review, submit.
A démarche reads its certified data through typed models (certified.Certified), never raw snapshots.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask_wtf import FlaskForm

from demarche.identity import PivotIdentity
from demarche.procedures.certified import Certified
from demarche.providers.api_particulier import Route
from demarche.providers.impot_particulier import Resource
from demarche.providers.results import SourceRequest


@dataclass(frozen=True)
class DataSource:
    """One provider route the démarche prefills from (API Particulier, or the DGFiP's API Impôt particulier)."""

    key: str  # stable name in snapshots, e.g. "quotient_familial"
    label: str  # what the citizen is told is fetched
    scopes: tuple[str, ...]  # FranceConnect data scopes (modality france_connect): only those the démarche uses
    route: Route | Resource  # which route; its provider package calls it
    # The fields the démarche keeps (None: all). Scopes only mask data in the france_connect
    # modality; with the service's own token (identite) the answer is complete, and minimisation
    # (RGPD art. 5.1.c) means storing no more than the démarche uses.
    fields: tuple[str, ...] | None = None
    optional: bool = False  # "not found" only means "no such right": no alert on the form
    purpose: str = ""  # why, in « Ce qui va se passer » (« pour … »)
    categories: tuple[str, ...] = ()  # the consent record's categories when this source is chosen
    default: bool = True  # ticked on « Ce qui va se passer »
    # The service's own check before using an answer (same person as the FranceConnect login): the data of a
    # source whose check fails is not kept.
    check: Callable[[Any, PivotIdentity], bool] | None = None

    @property
    def platform(self) -> str:
        """« API Particulier » or « API Impôt particulier »."""
        return self.route.platform

    @property
    def dgfip(self) -> bool:
        """Reached in the FranceConnect modality only (demarche.config.Settings.impot_particulier)."""
        return isinstance(self.route, Resource)

    @property
    def provider(self) -> str:
        """Who holds the data, e.g. « Cnous (Crous) »."""
        return self.route.holder

    @property
    def name(self) -> str:
        """The same in a sentence, e.g. « L’organisme interrogé (Crous) »."""
        return self.route.holder_short

    @property
    def request(self) -> SourceRequest:
        return SourceRequest(self.key, self.route, self.scopes)


@dataclass(frozen=True)
class SummaryLine:
    """A line of a summary: label, value, and where the value comes from."""

    label: str
    value: str
    origin: str  # "franceconnect" | "certified" | "declared" | "computed"


@dataclass(frozen=True)
class ConsentText:
    """The « Ce qui va se passer » text. Bump `version` whenever the wording changes."""

    version: str
    categories: tuple[str, ...]
    purpose: str
    retention: str
    legal_basis: str


class Procedure(ABC):
    """Base of a démarche: subclasses fill the class attributes and the four abstract methods."""

    slug: str
    title: str
    description: str = ""  # one or two sentences on the home page: what the citizen gets, and without what
    reference_prefix: str
    consent: ConsentText
    sources: tuple[DataSource, ...]
    price_key: str = "price"  # the answers' computed price: {"label", "provisional", …}
    renewable: bool = False  # an accepted dossier offers « Renouveler » for the next school year (demarche/renewal)

    @abstractmethod
    def build_form(self, certified: Certified, identity: PivotIdentity, formdata=None) -> FlaskForm:
        """The review-and-complete form, without the fields the certified data answers."""

    @abstractmethod
    def collect(self, form: FlaskForm, certified: Certified) -> dict:
        """What the citizen chose or declared, each value flagged with its origin (stored as JSON)."""

    @abstractmethod
    def review_context(self, certified: Certified) -> dict:
        """The template's `review` variables: the certified values as the citizen reads them."""

    @abstractmethod
    def lines(self, answers: dict, certified: Certified) -> list[SummaryLine]:
        """The démarche's own summary lines (between the applicant and the e-mail and price)."""

    @property
    def form_template(self) -> str:
        return f"procedures/{self.slug}/form.html"  # demarche/procedures/<slug>/templates/form.html

    @property
    def scopes(self) -> tuple[str, ...]:
        """Every FranceConnect data scope the démarche's sources need."""
        return scopes_of(self.sources)

    def offered(self, dgfip: bool) -> tuple[DataSource, ...]:
        """The sources the citizen may choose: the DGFiP's only when the service reaches it (dgfip)."""
        return tuple(source for source in self.sources if dgfip or not source.dgfip)

    def chosen(self, keys: Iterable[str] | None) -> tuple[DataSource, ...]:
        """The sources of a consent (None: an older consent, every source)."""
        wanted = set(keys) if keys is not None else {source.key for source in self.sources}
        return tuple(source for source in self.sources if source.key in wanted)

    def certified(self, snapshots: dict | None) -> Certified:
        return Certified(self.sources, snapshots)

    def answers(self, form: FlaskForm, certified: Certified) -> dict:
        """The answers stored in the dossier: collect() plus the contact e-mail every form asks, and whether
        the citizen says the certified data is correct (with their comment when it is not)."""
        answers = {**self.collect(form, certified), "email": form.email.data.strip()}
        if certified:
            incorrect = bool(form.data_incorrect.data)
            answers["certified_check"] = {"correct": not incorrect,
                                          "comment": (form.data_comment.data or "").strip() if incorrect else ""}
        return answers

    def renewal_data(self, form_data: dict | None, answers: dict, certified: Certified) -> dict[str, list[str]]:
        """The declared fields a renewal's form starts with: last time's, as sent (formdata.declared). A démarche
        remaps those that point into certified data (which certified children), now certified again."""
        return dict(form_data or {})

    def review(self, certified: Certified, failures: dict) -> dict:
        """review_context plus what every form shows: each failed source (name, kind), and the provenances."""
        failed = [(s.name, failures[s.key]) for s in self.sources if s.key in failures
                  and not (s.optional and failures[s.key] == "not_found")]
        return {"failures": failed, "failure": failed[0][1] if failed else None,
                "provider": failed[0][0] if failed else ", ".join(s.name for s in self.sources),
                "provenances": certified.provenances(), **self.review_context(certified)}

    def summary(self, identity: dict, answers: dict, snapshots: dict) -> list[SummaryLine]:
        """The dossier as lines, for the receipt, the attestation, the back-office and the exports."""
        price = answers[self.price_key]
        return [
            SummaryLine("Demandeur", f"{identity['given_name']} {identity['family_name']}", "franceconnect"),
            *self.lines(answers, self.certified(snapshots)),
            *check_line(answers),
            email_line(identity, answers["email"]),
            SummaryLine("Tarif", price["label"] + (f", d’après {price['basis']}" if price.get("basis") else "")
                        + (" (provisoire)" if price["provisional"] else ""), "computed"),
        ]


def scopes_of(sources: Iterable[DataSource]) -> tuple[str, ...]:
    """The FranceConnect data scopes of these sources, once each, in order."""
    return tuple(dict.fromkeys(scope for source in sources for scope in source.scopes))


def check_line(answers: dict) -> list[SummaryLine]:
    """The citizen's word on the certified data, when there was some to judge."""
    check = answers.get("certified_check")
    if not check:
        return []
    value = "oui" if check.get("correct") else f"non : « {check.get('comment', '')} »"
    return [SummaryLine("Données certifiées exactes selon l’usager", value, "declared")]


def email_line(identity: dict, email: str) -> SummaryLine:
    """The contact e-mail: from FranceConnect when kept as it came, declared when the citizen changed it."""
    kept = email.lower() == (identity.get("email") or "").lower()
    return SummaryLine("Adresse électronique", email, "franceconnect" if kept else "declared")
