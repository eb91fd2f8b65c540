"""What a démarche declares it prefills from: one provider route, what the citizen is told, what is kept,
and the service's same-person check. The declarations themselves are shared, in each provider's catalogue
(api_particulier/sources.py, impot_particulier/sources.py): a démarche picks them, it never copies one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from demarche.identity import PivotIdentity
from demarche.providers.results import SourceRequest


@dataclass(frozen=True)
class Check:
    """The service's own check before using an answer (same person as the FranceConnect login), and how the
    consent page says it (« Vérification »): `says` is the requirement, as the citizen reads it."""

    says: str
    test: Callable[[Any, PivotIdentity], bool]

    def __call__(self, value: Any, identity: PivotIdentity) -> bool:
        return self.test(value, identity)


@dataclass(frozen=True)
class DataSource:
    """One provider route a démarche prefills from (API Particulier, or the DGFiP's API Impôt particulier)."""

    key: str  # stable name in snapshots, e.g. "quotient_familial"
    label: str  # what the citizen is told is fetched
    scopes: tuple[str, ...]  # FranceConnect data scopes (modality france_connect): only those the démarche uses
    route: Any  # an api_particulier.Route or an impot_particulier.Resource; its provider package calls it
    # The fields the démarche keeps (None: all). Scopes only mask data in the france_connect
    # modality; with the service's own token (identite) the answer is complete, and minimisation
    # (RGPD art. 5.1.c) means storing no more than the démarche uses.
    fields: tuple[str, ...] | None = None
    # What the provider's « not found » certifies (e.g. the CPAM has no C2S file: not a beneficiary), kept
    # like any answer, so the form does not ask it again; None: « not found » is a failure, the citizen declares.
    not_found: Any = None
    purpose: str = ""  # why, in « Ce qui va se passer » (« pour … »)
    categories: tuple[str, ...] = ()  # the consent record's categories when this source is chosen
    default: bool = True  # ticked on « Ce qui va se passer »
    check: Check | None = None  # an answer whose check fails is not kept

    @property
    def optional(self) -> bool:
        """« Not found » is an answer (`not_found`), not a failure to show."""
        return self.not_found is not None

    @property
    def consent_categories(self) -> tuple[str, ...]:
        """What the consent record lists for this source: its categories, or what the citizen was told."""
        return self.categories or (self.label,)

    def to(self, purpose: str, **changes: Any) -> DataSource:
        """The shared declaration for one démarche's purpose (« pour … »), e.g. `default=False`."""
        return replace(self, purpose=purpose, **changes)

    @property
    def platform(self) -> str:
        """« API Particulier » or « API Impôt particulier »."""
        return self.route.platform

    @property
    def dgfip(self) -> bool:
        """Reached in the FranceConnect modality only (demarche.config.Settings.impot_particulier)."""
        return self.route.platform == "API Impôt particulier"

    @property
    def provider(self) -> str:
        """Who holds the data, e.g. « Cnous (Crous) », « CAF ou MSA »."""
        return self.route.holder

    def provider_of(self, value: Any) -> str:
        """Who answered, when the answer says it (« CAF » or « MSA » for a quotient familial)."""
        return self.route.holder_of(value) if value is not None else self.provider

    @property
    def name(self) -> str:
        """The same in a sentence, e.g. « L’organisme interrogé (Crous) »."""
        return self.route.holder_short

    @property
    def request(self) -> SourceRequest:
        return SourceRequest(self.key, self.route, self.scopes)
