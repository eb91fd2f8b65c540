"""« Tarif réduit transports — étudiant boursier »: on paper, the Crous scholarship notice and the C2S
certificate; here the échelon comes certified from the Cnous and the C2S right from the assurance maladie."""

from __future__ import annotations

from dataclasses import asdict

from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from demarche.procedures.base import ConsentText, Procedure, SummaryLine
from demarche.procedures.forms import JourneyForm, choices, radio, yes_no
from demarche.procedures.pricing import Reduction, euros, most_favourable
from demarche.procedures.wording import place
from demarche.providers.api_particulier.sources import COMPLEMENTAIRE_SANTE_SOLIDAIRE as C2S
from demarche.providers.api_particulier.sources import ETUDIANT_BOURSIER as CROUS
from demarche.validation import Text

# The rules (fictional network): a price by pass and zone, less the Crous échelon's or the C2S's reduction.
PASSES = {"mensuel": "Abonnement mensuel", "annuel": "Abonnement annuel"}
ZONES = {"urbain": "Zone 1 (réseau urbain)", "agglomeration": "Zones 1 et 2 (agglomération)",
         "departement": "Zones 1 à 3 (département)"}
MONTHLY_CENTS, MONTHS_PAID = {"urbain": 3200, "agglomeration": 4800, "departement": 7200}, {"mensuel": 1, "annuel": 10}
ECHELONS = {"0bis": 50, "1": 50, "2": 50, "3": 75, "4": 75, "5": 75, "6": 100, "7": 100}  # échelon: percent off
ECHELON_NAMES = {echelon: f"échelon {echelon.replace('bis', ' bis')}" for echelon in ECHELONS}


def reduction(echelon: str | None, c2s: bool | None) -> Reduction:
    """For a Crous échelon (None: not a boursier) and a C2S right."""
    boursier = echelon in ECHELONS and Reduction("boursier", ECHELONS[echelon],
                                                 f"étudiant boursier, {ECHELON_NAMES[echelon]}")
    return most_favourable(boursier or None, Reduction("solidaire", 75, "tarif solidaire (C2S)") if c2s else None)


def fare(pass_type: str, zone: str, reduction: Reduction) -> dict:
    """The fare as stored in the answers."""
    full, what = MONTHLY_CENTS[zone] * MONTHS_PAID[pass_type], f"{PASSES[pass_type]}, {ZONES[zone].lower()}"
    return {"pass_type": pass_type, "zone": zone, "full_price_cents": full, "reduction": asdict(reduction),
            "price_cents": reduction.apply(full), "label": reduction.label(what, full)}


def status(student: dict) -> str:
    """« Boursier du Crous, échelon 5 », « Non boursier »."""
    echelon = student["echelon"] and f", {ECHELON_NAMES[student['echelon']]}"
    return f"Boursier du Crous{echelon or ''}" if student["est_boursier"] else "Non boursier"


class TransportForm(JourneyForm):
    pass_type = radio("Type d’abonnement", PASSES, "Choisissez un abonnement.")
    zone = radio("Zone de validité", ZONES, "Choisissez une zone.")
    echelon = SelectField("Échelon de votre bourse sur critères sociaux du Crous", choices=choices(
        [("", "Sélectionnez votre situation"), ("non_boursier", "Je ne suis pas boursier"),
         *((e, name.capitalize()) for e, name in ECHELON_NAMES.items())]),
        validators=[DataRequired("Indiquez votre échelon, ou que vous n’êtes pas boursier.")])
    etablissement = StringField("Établissement où vous êtes inscrit", validators=[
        Text(), DataRequired("Indiquez votre établissement d’études."), Length(max=200)])
    c2s = yes_no("Bénéficiez-vous de la complémentaire santé solidaire (C2S) ?")


class Transport(Procedure):
    slug, reference_prefix, price_key, sources = "transport", "TRA", "fare", (CROUS, C2S)
    title = "Tarif réduit transports — étudiant boursier"
    public_title = "Abonnement de transport"
    description = ("Étudiant boursier du Crous ou bénéficiaire de la complémentaire santé solidaire : obtenez "
                   "votre abonnement de transport à tarif réduit, sans envoyer votre avis de bourse.")
    consent = ConsentText(
        "transport-2026-12",
        purpose="vérifier votre droit au tarif réduit et calculer le prix de votre abonnement de transport",
        retention="pendant la durée de votre abonnement, puis un an",
        legal_basis="article L114-8 du code des relations entre le public et l’administration")

    def certified_values(self, certified) -> tuple[dict | None, bool | None]:
        """The certified student (as answers["student"] stores it) and C2S right; None when not certified."""
        crous, c2s = certified.get(CROUS), certified.get(C2S)
        return crous and {"est_boursier": bool(crous.est_boursier), "echelon": crous.est_boursier and crous.echelon
                          or None, "etablissement": place(crous.nom_etablissement, crous.nom_commune_etudes),
                          "origin": "certified"}, c2s and c2s.est_beneficiaire

    def build_form(self, certified, identity, formdata=None) -> TransportForm:
        (student, c2s), form = self.certified_values(certified), TransportForm(formdata, email=identity.email or None)
        if student:
            del form.echelon, form.etablissement
        if c2s is not None or reduction(student and student["echelon"], False).percent >= 75:
            del form.c2s  # certified, or it could not lower the fare: not asked
        return form

    def collect(self, form: TransportForm, certified) -> dict:
        student, c2s = self.certified_values(certified)
        if not student:
            echelon = None if form.echelon.data == "non_boursier" else form.echelon.data
            student = {"est_boursier": bool(echelon), "echelon": echelon,
                       "etablissement": form.etablissement.data.strip(), "origin": "declared"}
        right = {"value": c2s, "origin": "certified"} if c2s is not None else (
            {"value": form.c2s.data == "oui", "origin": "declared"} if "c2s" in form else None)
        off = reduction(student["echelon"], right and right["value"])
        # the fare rests on the reduction's source: a declared right makes it provisional until checked
        origin = {"boursier": student["origin"], "solidaire": (right or {}).get("origin")}.get(off.code)
        return {"pass": {"value": form.pass_type.data, "label": PASSES[form.pass_type.data]}, "c2s": right,
                "zone": {"value": form.zone.data, "label": ZONES[form.zone.data]}, "student": student,
                "fare": {**fare(form.pass_type.data, form.zone.data, off), "provisional": origin == "declared"}}

    def review_context(self, certified) -> dict:
        student, c2s = self.certified_values(certified)
        off = reduction(student and student["echelon"], c2s)
        caption = f"Vos tarifs ({off.reason})" if off.percent else (
            "Tarifs (plein tarif ; réductions : échelons 0 bis à 2 -50 %, 3 à 5 -75 %, 6 et 7 gratuit ; C2S -75 %)")
        rows = [(PASSES[f["pass_type"]], ZONES[f["zone"]], euros(f["price_cents"]), euros(f["full_price_cents"]))
                for f in (fare(p, z, off) for p in PASSES for z in ZONES)]
        return {"student": student and {**student, "status": status(student)}, "c2s": c2s, "reduction": off,
                "prices": (caption, ("Abonnement", "Zone", "Votre prix", "Plein tarif"), rows)}

    def lines(self, answers: dict, certified) -> list[SummaryLine]:
        student, right = answers["student"], answers["c2s"]
        lines = [SummaryLine("Statut d’étudiant", status(student), student["origin"]),
                 SummaryLine("Établissement d’études", student["etablissement"], student["origin"])]
        if right:
            value = "Bénéficiaire" if right["value"] else "Non bénéficiaire"
            lines.append(SummaryLine("Complémentaire santé solidaire", value, right["origin"]))
        return [*lines, SummaryLine("Abonnement", answers["pass"]["label"], "declared"),
                SummaryLine("Zone", answers["zone"]["label"], "declared")]


PROCEDURE = Transport()
