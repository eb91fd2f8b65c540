"""The FranceConnect pivot identity (identite_pivot), as verified from the userinfo JWT.

Claim names are FranceConnect's own (https://docs.partenaires.franceconnect.gouv.fr/fs/fs-technique/fs-technique-scope-fc/).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class PivotIdentity:
    """Identity certified by FranceConnect (RNIPP-corrected). Never an identifier: `sub` is."""

    given_name: str
    family_name: str
    birthdate: str  # YYYY-MM-DD; presumed dates already mapped to -01 by FranceConnect
    gender: str  # male | female | unspecified
    birthplace: str  # INSEE COG commune code, "" when born abroad
    birthcountry: str  # INSEE COG country code, 99100 = France
    preferred_username: str = ""  # nom d'usage, may be empty
    email: str = ""  # contact data only

    @classmethod
    def from_claims(cls, claims: dict) -> PivotIdentity:
        """Build from verified userinfo claims; missing optional claims become ""."""
        return cls(**{name: str(claims.get(name) or "") for name in cls.__dataclass_fields__})

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @property
    def given_names(self) -> list[str]:
        return self.given_name.split()

    @property
    def full_name(self) -> str:
        """« Angela Claire Louise DUBOIS »: first names then birth name, as FranceConnect shows it."""
        return f"{self.given_name} {self.family_name}".strip()
