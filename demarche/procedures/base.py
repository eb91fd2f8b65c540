"""What a démarche declares: the data it needs and from whom, what it asks, how it summarises.

The journey (demarche/journey/) drives every démarche the same way: consent, fetch, review, submit.
A démarche reads its certified data through typed models (certified.Certified), never raw snapshots.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass

from flask_wtf import FlaskForm

from demarche.identity import PivotIdentity
from demarche.procedures.certified import Certified
from demarche.providers.datasource import DataSource

__all__ = ["ConsentText", "DataSource", "Procedure", "SummaryLine", "scopes_of"]


@dataclass(frozen=True)
class SummaryLine:
    """A line of a summary: label, value, and where the value comes from."""

    label: str
    value: str
    origin: str  # "franceconnect" | "certified" | "declared" | "computed"


@dataclass(frozen=True)
class ConsentText:
    """The « Ce qui va se passer » text. Bump `version` whenever the wording changes (the sources' wording
    included: their labels and categories are part of it)."""

    version: str
    purpose: str
    retention: str
    legal_basis: str


class Procedure(ABC):
    """Base of a démarche: subclasses fill the class attributes and the four abstract methods."""

    slug: str
    title: str
    # What a stranger holding the attestation reads on /verifier (docs/securite.md): the service, never the
    # social condition it is granted on (« tarif social », « boursier »).
    public_title: str
    description: str = ""  # one or two sentences on the home page: what the citizen gets, and without what
    reference_prefix: str
    consent: ConsentText
    sources: tuple[DataSource, ...]
    # The answers' computed price: {"label": what the price is, "provisional": True when it rests on a declaration,
    # "basis" (may be absent): what it was computed from, read « d’après <basis> » in the summary}.
    price_key: str = "price"
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

    def categories(self, chosen: Iterable[DataSource]) -> list[str]:
        """The consent record's data categories: every chosen source's (none chosen: every source's), once each."""
        return list(dict.fromkeys(c for source in (tuple(chosen) or self.sources) for c in source.consent_categories))

    def verification(self, sources: Iterable[DataSource]) -> str:
        """The consent page's « Vérification »: what the sources' checks require; "" when none checks anything."""
        checks = list(dict.fromkeys(source.check.says for source in sources if source.check))
        if not checks:
            return ""
        return (f"Les données ne sont utilisées que si elles vous concernent : {' ; '.join(checks)}. Sinon, rien "
                "n’est conservé et vous remplissez vous-même.")

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
            SummaryLine("Demandeur", f"{identity['given_name']} {identity['family_name']}",
                        "declared" if identity.get("source") == "declaration" else "franceconnect"),
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
