"""Typed results of API Particulier v3, parsed from the `data` object of each 200 response.

Field names are the API's own (v3 OpenAPI, https://particulier.api.gouv.fr/developpeurs/openapi).
A key absent from `data` (masked because a scope was not granted) becomes None. Dates stay strings
(AAAA-MM-JJ) as the providers send them. Parsers raise KeyError/TypeError on a malformed body.
`revive` rebuilds a model from its `dataclasses.asdict` form, as a démarche stores it.
"""

from __future__ import annotations

import functools
import types
import typing
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, TypeVar

from demarche.providers.results import Fetched  # noqa: F401 - re-exported, its historical home

T = TypeVar("T")


def revive(cls: type[T], data: dict[str, Any]) -> T:
    """A model from its asdict() form; a field left out (minimisation, older snapshots) becomes None."""
    return cls(**{name: _revive_value(hint, data.get(name)) for name, hint in _field_hints(cls)})


@functools.cache
def _field_hints(cls: type) -> tuple[tuple[str, Any], ...]:
    """Each field's resolved type, once per model: get_type_hints evaluates the string annotations
    (`from __future__ import annotations`) anew on every call, which cost milliseconds per page."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in fields(cls))


def _revive_value(hint: Any, value: Any) -> Any:
    """Nested models (`X | None`, `tuple[X, ...] | None`) rebuilt; plain values kept as stored."""
    if value is None:
        return None
    if isinstance(hint, types.UnionType):
        hint = next((arg for arg in typing.get_args(hint) if arg is not type(None)), hint)
    if is_dataclass(hint) and isinstance(value, dict):
        return revive(hint, value)
    if typing.get_origin(hint) is tuple and isinstance(value, list | tuple):
        item = typing.get_args(hint)[0]
        return tuple(revive(item, v) if is_dataclass(item) and isinstance(v, dict) else v for v in value)
    return value


@dataclass(frozen=True)
class Personne:
    nom_naissance: str
    nom_usage: str | None
    prenoms: str
    date_naissance: str
    sexe: str

    @classmethod
    def from_json(cls, item: dict[str, Any]) -> Personne:
        return cls(
            item["nom_naissance"],
            item.get("nom_usage"),
            item["prenoms"],
            item["date_naissance"],
            item["sexe"],
        )


@dataclass(frozen=True)
class Adresse:
    destinataire: str
    complement_information: str | None
    complement_information_geographique: str | None
    numero_libelle_voie: str | None
    lieu_dit: str | None
    code_postal_ville: str
    pays: str

    @classmethod
    def from_json(cls, item: dict[str, Any]) -> Adresse:
        return cls(**{name: item[name] for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class QuotientFamilial:
    fournisseur: str  # CNAF | MSA
    valeur: int
    annee: int
    mois: int
    annee_calcul: int
    mois_calcul: int

    @classmethod
    def from_json(cls, item: dict[str, Any]) -> QuotientFamilial:
        return cls(**{name: item[name] for name in cls.__dataclass_fields__})


def _optional(data: dict[str, Any], key: str, parse):
    return parse(data[key]) if data.get(key) is not None else None


def _people(items: list[dict[str, Any]]) -> tuple[Personne, ...]:
    return tuple(Personne.from_json(item) for item in items)


@dataclass(frozen=True)
class QuotientFamilialResult:
    allocataires: tuple[Personne, ...] | None
    enfants: tuple[Personne, ...] | None
    adresse: Adresse | None
    quotient_familial: QuotientFamilial | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QuotientFamilialResult:
        return cls(
            allocataires=_optional(data, "allocataires", _people),
            enfants=_optional(data, "enfants", _people),
            adresse=_optional(data, "adresse", Adresse.from_json),
            quotient_familial=_optional(data, "quotient_familial", QuotientFamilial.from_json),
        )


class _Flat:
    """Flat results: every field may be masked (None); booleans are type-checked."""

    @classmethod
    def from_json(cls, data: dict[str, Any]):
        values = {name: data.get(name) for name in cls.__dataclass_fields__}
        for name, value in values.items():
            if name.startswith(("est_", "avec_")) and not isinstance(value, bool | None):
                raise TypeError(f"{name}: boolean expected")
        return cls(**values)


@dataclass(frozen=True)
class ComplementaireSanteSolidaire(_Flat):
    est_beneficiaire: bool | None
    avec_participation: bool | None
    date_debut_droit: str | None


@dataclass(frozen=True)
class RevenuSolidariteActive(_Flat):
    est_beneficiaire: bool | None
    avec_majoration: bool | None
    date_debut_droit: str | None


@dataclass(frozen=True)
class AllocationAdulteHandicape(_Flat):
    est_beneficiaire: bool | None
    date_debut_droit: str | None


@dataclass(frozen=True)
class EtudiantBoursier:
    """CNOUS v3 shape; `identite` (a dict as sent) is absent on the FranceConnect route."""

    est_boursier: bool | None
    echelon: str | None  # "0bis", "1" … "7"
    echelon_bourse_regionale_provisoire: bool | None
    date_rentree: str | None
    duree_versement: int | float | None  # months
    nom_etablissement: str | None
    nom_commune_etudes: str | None
    email: str | None
    identite: dict[str, Any] | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EtudiantBoursier:
        echelon = data.get("echelon_bourse") or {}
        periode = data.get("periode_versement_bourse") or {}
        etablissement = data.get("etablissement_etudes") or {}
        if not isinstance(data.get("est_boursier"), bool | None):
            raise TypeError("est_boursier: boolean expected")
        return cls(
            est_boursier=data.get("est_boursier"),
            echelon=echelon.get("echelon"),
            echelon_bourse_regionale_provisoire=echelon.get("echelon_bourse_regionale_provisoire"),
            date_rentree=periode.get("date_rentree"),
            duree_versement=periode.get("duree"),
            nom_etablissement=etablissement.get("nom_etablissement"),
            nom_commune_etudes=etablissement.get("nom_commune"),
            email=data.get("email"),
            identite=data.get("identite"),
        )


@dataclass(frozen=True)
class Admission:
    date_debut: str
    date_fin: str
    est_inscrit: bool
    regime_formation: str | None  # libellé, e.g. "formation initiale"
    code_cog_insee_commune: str | None
    etablissement_uai: str | None
    etablissement_nom: str | None

    @classmethod
    def from_json(cls, item: dict[str, Any]) -> Admission:
        regime = item.get("regime_formation") or {}
        etablissement = item.get("etablissement_etudes") or {}
        return cls(
            item["date_debut"],
            item["date_fin"],
            bool(item["est_inscrit"]),
            regime.get("libelle"),
            item.get("code_cog_insee_commune"),
            etablissement.get("uai"),
            etablissement.get("nom"),
        )


@dataclass(frozen=True)
class StatutEtudiant:
    """MESRI v3 shape; `identite` is absent on the FranceConnect route."""

    admissions: tuple[Admission, ...] | None
    identite: dict[str, Any] | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StatutEtudiant:
        admissions = _optional(data, "admissions", lambda items: tuple(Admission.from_json(i) for i in items))
        return cls(admissions=admissions, identite=data.get("identite"))
