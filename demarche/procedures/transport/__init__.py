"""« Tarif réduit transports — étudiant boursier »: the second démarche.

On paper the student brings the Crous scholarship notice (avis d’attribution) and, for the solidarity
fare, the C2S certificate; here the échelon comes certified from the Cnous and the C2S right from the
assurance maladie, both through API Particulier, fetched at the same time by the journey.
"""

from __future__ import annotations

from demarche.identity import PivotIdentity
from demarche.procedures.base import ConsentText, DataSource, Procedure, SummaryLine, email_line
from demarche.procedures.transport.forms import NOT_BOURSIER, TransportForm
from demarche.procedures.transport.pricing import (
    FULL_FARE,
    PASSES,
    SOLIDARITY_PERCENT,
    ZONES,
    best_reduction,
    fare_for,
    fare_table,
)

ETUDIANT_BOURSIER = DataSource(
    key="etudiant_boursier",
    label="votre statut d’étudiant boursier, l’échelon de votre bourse et votre établissement d’études",
    provider="Cnous (Crous)",
    scopes=("cnous_statut_boursier", "cnous_echelon_bourse", "cnous_etablissement_etudes", "cnous_ville_etudes"),
    fetch=lambda client, token, identity: client.etudiant_boursier(
        fc_access_token=token, identity=None if token else identity),
    # not the e-mail, the payment period nor the identity block the identite route also returns
    fields=("est_boursier", "echelon", "nom_etablissement", "nom_commune_etudes"),
)
C2S = DataSource(
    key="complementaire_sante_solidaire",
    label="votre droit à la complémentaire santé solidaire",
    provider="Assurance maladie (CPAM)",
    scopes=("complementaire_sante_solidaire",),
    fetch=lambda client, token, identity: client.complementaire_sante_solidaire(
        fc_access_token=token, identity=None if token else identity),
    fields=("est_beneficiaire",),
)
SHORT_NAMES = {ETUDIANT_BOURSIER.key: "Crous", C2S.key: "assurance maladie"}


def _data(certified: dict, source: DataSource) -> dict:
    return (certified.get(source.key) or {}).get("data") or {}


def _c2s(certified: dict) -> bool | None:
    """The certified C2S right; None when nothing was certified (refused, not found, failed)."""
    return _data(certified, C2S).get("est_beneficiaire")


def _student(data: dict) -> dict:
    """The Crous data as the démarche keeps it: boursier or not, échelon, establishment."""
    place = " ".join(filter(None, [data.get("nom_etablissement"),
                                   data.get("nom_commune_etudes") and f"({data['nom_commune_etudes']})"]))
    boursier = bool(data.get("est_boursier"))
    return {"est_boursier": boursier, "echelon": data.get("echelon") if boursier else None, "etablissement": place}


def _status(student: dict) -> str:
    """« Boursier du Crous, échelon 5 », « Non boursier »."""
    if not student["est_boursier"]:
        return "Non boursier"
    echelon = student["echelon"]
    return f"Boursier du Crous, échelon {'0 bis' if echelon == '0bis' else echelon}" if echelon else "Boursier du Crous"


def _date_fr(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


class Transport(Procedure):
    slug = "transport"
    title = "Tarif réduit transports — étudiant boursier"
    description = ("Étudiant boursier du Crous ou bénéficiaire de la complémentaire santé solidaire : obtenez "
                   "votre abonnement de transport à tarif réduit, sans envoyer votre avis de bourse.")
    reference_prefix = "TRA"
    consent = ConsentText(
        version="transport-2026-11",
        categories=("statut d’étudiant boursier", "échelon de bourse", "établissement d’études",
                    "complémentaire santé solidaire"),
        purpose="vérifier votre droit au tarif réduit et calculer le prix de votre abonnement de transport",
        retention="pendant la durée de votre abonnement, puis un an",
        legal_basis="article L114-8 du code des relations entre le public et l’administration",
    )
    sources = (ETUDIANT_BOURSIER, C2S)
    form_template = "procedures/transport/form.html"

    def build_form(self, certified: dict, identity: PivotIdentity, formdata=None) -> TransportForm:
        form = TransportForm(formdata=formdata, email=identity.email or None)
        crous = _data(certified, ETUDIANT_BOURSIER)
        if crous:
            del form.echelon, form.etablissement
        reduction = best_reduction(_student(crous)["echelon"], False) if crous else FULL_FARE
        if _c2s(certified) is not None or reduction.percent >= SOLIDARITY_PERCENT:
            del form.c2s  # certified, or it could not lower the fare: not asked
        return form

    def answers(self, form: TransportForm, certified: dict) -> dict:
        crous, c2s = _data(certified, ETUDIANT_BOURSIER), _c2s(certified)
        if crous:
            student = {**_student(crous), "origin": "certified"}
        else:
            echelon = None if form.echelon.data == NOT_BOURSIER else form.echelon.data
            student = {"est_boursier": bool(echelon), "echelon": echelon,
                       "etablissement": form.etablissement.data.strip(), "origin": "declared"}
        if c2s is not None:
            right = {"value": c2s, "origin": "certified"}
        else:
            right = {"value": form.c2s.data == "oui", "origin": "declared"} if "c2s" in form else None
        reduction = best_reduction(student["echelon"], bool(right and right["value"]))
        origin = {"boursier": student["origin"], "solidaire": (right or {}).get("origin")}.get(reduction.code)
        fare = fare_for(form.pass_type.data, form.zone.data, reduction).to_dict()
        return {
            "pass": {"value": form.pass_type.data, "label": PASSES[form.pass_type.data]},
            "zone": {"value": form.zone.data, "label": ZONES[form.zone.data]},
            "student": student,
            "c2s": right,
            "email": form.email.data.strip(),
            "fare": {**fare, "provisional": origin == "declared"},  # a declared right is checked later
        }

    def review_context(self, certified: dict, failures: dict) -> dict:
        crous, c2s = _data(certified, ETUDIANT_BOURSIER), _c2s(certified)
        student = _student(crous) if crous else None
        reduction = best_reduction(student and student["echelon"], bool(c2s)) if crous or c2s is not None else None
        # A C2S file not found only means no solidarity fare: the form does not dwell on it.
        failed = next((s for s in self.sources if s.key in failures
                       and (s is ETUDIANT_BOURSIER or failures[s.key] != "not_found")), None)
        return {
            "student": student and {**student, "status": _status(student)},
            "c2s": c2s,
            "reduction": reduction,
            "fares": fare_table(reduction or FULL_FARE),
            "provenances": [(s.provider, _date_fr(certified[s.key]["provenance"]["retrieved_at"]))
                            for s in self.sources if s.key in certified],
            "failure": failed and failures[failed.key],
            "provider": SHORT_NAMES[failed.key] if failed else ", ".join(SHORT_NAMES.values()),
        }

    def summary(self, identity: dict, answers: dict, certified: dict) -> list[SummaryLine]:
        student, right, fare = answers["student"], answers["c2s"], answers["fare"]
        lines = [
            SummaryLine("Demandeur", f"{identity['given_name']} {identity['family_name']}", "franceconnect"),
            SummaryLine("Statut d’étudiant", _status(student), student["origin"]),
            SummaryLine("Établissement d’études", student["etablissement"], student["origin"]),
        ]
        if right:
            lines.append(SummaryLine("Complémentaire santé solidaire",
                                     "Bénéficiaire" if right["value"] else "Non bénéficiaire", right["origin"]))
        return lines + [
            SummaryLine("Abonnement", answers["pass"]["label"], "declared"),
            SummaryLine("Zone", answers["zone"]["label"], "declared"),
            email_line(identity, answers["email"]),
            SummaryLine("Tarif", fare["label"] + (" (provisoire)" if fare["provisional"] else ""), "computed"),
        ]


PROCEDURE = Transport()
