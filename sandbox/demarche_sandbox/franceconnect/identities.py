"""The citizens of the simulated identity providers (the official test identities, data/, provenance in
docs/specs/SOURCES.md) and the checks and corrections FranceConnect's core applies to them.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

CSV_PATH = Path(__file__).resolve().parent / "data" / "franceconnect-test-identities.csv"
FRANCE = "99100"
GENDERS = ("male", "female", "unspecified")  # back/libs/rnipp/src/enums/genders.enum.ts
PIVOT_FIELDS = ("given_name", "family_name", "birthdate", "gender", "birthplace", "birthcountry")
COMMUNE_COG = re.compile(r"^(\d{5}|2[AB]\d{3})$")
COUNTRY_COG = re.compile(r"^99\d{3}$")
IDP_BIRTHDATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class Identity:
    """A citizen as an identity provider describes them (before FranceConnect's corrections)."""

    login: str
    password: str
    family_name: str
    preferred_username: str
    given_name: str
    gender: str
    email: str
    birthdate: str  # as sent by the identity provider: "00" stands for an unknown day or month
    birthplace: str
    birthcountry: str
    failure: str = ""  # simulator only: "server_error", "temporarily_unavailable" or "slow"


# Simulator-only citizens that trigger a failure after login; kept out of the verbatim CSV.
FAILURE_IDENTITIES = (
    Identity("panne_franceconnect", "123", "PANNE", "", "Gaston", "male", "gaston-panne@yopmail.com",
             "1980-05-12", "75107", FRANCE, failure="server_error"),
    Identity("indisponible", "123", "ABSENT", "", "Inès", "female", "ines-absent@yopmail.com",
             "1985-02-28", "69381", FRANCE, failure="temporarily_unavailable"),
    Identity("lent", "123", "LENTEUR", "", "Léon", "male", "leon-lenteur@yopmail.com",
             "1975-10-03", "13055", FRANCE, failure="slow"),
)

# Shown on the simulated identity provider's login page.
LOGIN_HINTS = ("test", "avec_nom_dusage", "sans_mail", "naissance_Algérie", "étranger_présumé_né_jour",
               "mois_00", "panne_franceconnect", "indisponible", "lent")


@cache
def identities() -> dict[str, Identity]:
    """Every known citizen by login: the official CSV rows, then the simulator's failure identities."""
    fields = [name for name in Identity.__dataclass_fields__ if name != "failure"]
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row.get("login")]
    known = {row["login"]: Identity(**{name: row[name] or "" for name in fields}) for row in rows}
    known.update({identity.login: identity for identity in FAILURE_IDENTITIES})
    return known


def authenticate(login: str, password: str) -> Identity | None:
    """The citizen with this login and password, or None."""
    identity = identities().get(unicodedata.normalize("NFC", login.strip()))
    if identity is None or not hmac.compare_digest(identity.password.encode(), password.encode()):
        return None
    return identity


def presumed_birthdate(raw: str) -> str | None:
    """The birthdate FranceConnect sends, or None if it refuses the identity provider's value.

    Unknown day → YYYY-MM-01, unknown day and month → YYYY-01-01. Like the core's
    is-idp-birthdate validator, only YYYY-MM-DD, YYYY-MM-00 and YYYY-00-00 are accepted: an unknown
    month with a known day (the mock identity `mois_00`, 1977-00-03) is refused.
    """
    match = IDP_BIRTHDATE.match(raw)
    if not match:
        return None
    year, month, day = match.groups()
    if month == "00":
        return f"{year}-01-01" if day == "00" else None
    presumed = f"{year}-{month}-{'01' if day == '00' else day}"
    try:
        date.fromisoformat(presumed)
    except ValueError:
        return None
    return presumed


def invalid_reason(identity: Identity) -> str | None:
    """Why FranceConnect would refuse this identity (the checks of oidc-identity.dto.ts), or None."""
    checks = (
        (1 <= len(identity.given_name) <= 256, "given_name must be 1 to 256 characters"),
        (1 <= len(identity.family_name) <= 256, "family_name must be 1 to 256 characters"),
        (presumed_birthdate(identity.birthdate) is not None, f"birthdate {identity.birthdate!r} is invalid"),
        (identity.gender in GENDERS, f"gender {identity.gender!r} is invalid"),
        (bool(COUNTRY_COG.match(identity.birthcountry)), "birthcountry must be a COG country code"),
        (identity.birthcountry != FRANCE or bool(COMMUNE_COG.match(identity.birthplace)),
         "birthplace must be a COG commune code when born in France"),
    )
    return next((f"identity rejected: {reason}" for ok, reason in checks if not ok), None)


def rnipp_identity(identity: Identity) -> dict[str, str | list[str]]:
    """The corrected identity FranceConnect returns: presumed dates, no birthplace abroad."""
    born_in_france = identity.birthcountry == FRANCE
    return {
        "given_name": identity.given_name,
        "given_name_array": identity.given_name.split(),
        "family_name": identity.family_name,
        "birthdate": presumed_birthdate(identity.birthdate) or "",
        "gender": identity.gender,
        "birthplace": identity.birthplace if born_in_france else "",
        "birthcountry": identity.birthcountry,
        "preferred_username": identity.preferred_username,
        "email": identity.email,
        "idp_birthdate": identity.birthdate,
    }


def pairwise_sub(client_id: str, identity: Identity, secret: str) -> str:
    """sha256(client_id + identity hash + secret) in hex, then "v1" (the shape of the core's computeSubV1)."""
    pivot = rnipp_identity(identity)
    concatenated = "".join(str(pivot[name]) for name in PIVOT_FIELDS)
    identity_hash = base64.b64encode(hashlib.sha256(concatenated.encode()).digest()).decode()
    return hashlib.sha256(f"{client_id}{identity_hash}{secret}".encode()).hexdigest() + "v1"
