"""« Carte de stationnement résident — tarif solidaire », written by following docs/ajouter-une-demarche.md only:
the solidarity tariff for a quotient familial below 900 € or the complémentaire santé solidaire, certified by
the CAF or MSA and the CPAM instead of their paper attestations (fictional tariffs)."""

from __future__ import annotations

from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from demarche.numbers import french
from demarche.procedures.base import ConsentText, Procedure, SummaryLine
from demarche.procedures.forms import JourneyForm, yes_no
from demarche.procedures.pricing import Tariff, below, euros, holds, tariff_for, within
from demarche.procedures.wording import qf_label
from demarche.providers.api_particulier.sources import COMPLEMENTAIRE_SANTE_SOLIDAIRE, QUOTIENT_FAMILIAL
from demarche.validation import Text

QF = QUOTIENT_FAMILIAL.to("appliquer le tarif solidaire si votre quotient familial est inférieur à 900 €")
C2S = COMPLEMENTAIRE_SANTE_SOLIDAIRE.to("appliquer le tarif solidaire si vous en bénéficiez")
TARIFFS = (Tariff("Tarif solidaire", 1500, (within("quotient_familial", "quotient familial", below(900), "€"),
                                            holds("c2s", "bénéficiaire de la complémentaire santé solidaire")),
                  "par an"),
           Tariff("Tarif résident", 6000, unit="par an"))


class ParkingForm(JourneyForm):
    plate = StringField("Immatriculation du véhicule", filters=[lambda v: (v or "").strip().upper()], validators=[
        Text(), DataRequired("Indiquez l’immatriculation."), Length(max=20),
        Regexp(r"^[A-Z]{2}-\d{3}-[A-Z]{2}$", message="Format AB-123-CD.")])
    address = TextAreaField("Adresse de résidence", validators=[
        Text(multiline=True), DataRequired("Indiquez votre adresse."), Length(max=300)])
    quotient_familial = IntegerField("Votre quotient familial (facultatif)", validators=[
        Optional(), NumberRange(min=0, max=20000, message="Indiquez un nombre entre 0 et 20 000.")])
    c2s = yes_no("Bénéficiez-vous de la complémentaire santé solidaire (C2S) ?")


class Parking(Procedure):
    slug, reference_prefix, sources = "stationnement", "STA", (QF, C2S)
    title = "Carte de stationnement résident — tarif solidaire"
    public_title = "Carte de stationnement résident"
    description = ("Résident : demandez votre carte de stationnement ; le tarif solidaire s’applique avec un "
                   "quotient familial inférieur à 900 € ou la complémentaire santé solidaire, sans attestation.")
    consent = ConsentText("stationnement-2026-12", purpose="appliquer le tarif de votre carte de stationnement",
                          retention="pendant la validité de la carte, puis un an",
                          legal_basis="article L114-8 du code des relations entre le public et l’administration")

    def facts(self, certified, form=None) -> dict:
        """{fact: (value, origin)}: certified first; else declared on the form (None when not asked)."""
        qf, c2s, asked = certified.get(QF), certified.get(C2S), form if form is not None else {}
        return {"quotient_familial": (qf.quotient_familial.valeur, "certified") if qf and qf.quotient_familial else
                (form.quotient_familial.data if "quotient_familial" in asked else None, "declared"),
                "c2s": (c2s.est_beneficiaire, "certified") if c2s else
                (form.c2s.data == "oui" if "c2s" in asked else None, "declared")}

    def build_form(self, certified, identity, formdata=None) -> ParkingForm:
        form, facts = ParkingForm(formdata, email=identity.email or None), self.facts(certified)
        if facts["quotient_familial"][1] == "certified":
            del form.quotient_familial
        if facts["c2s"][1] == "certified" or tariff_for(TARIFFS, facts)["basis"]:
            del form.c2s  # certified, or the certified quotient already gives the solidarity tariff
        return form

    def collect(self, form: ParkingForm, certified) -> dict:
        facts = self.facts(certified, form)
        return {"plate": form.plate.data, "address": form.address.data.strip(), "price": tariff_for(TARIFFS, facts),
                **{name: {"value": value, "origin": origin} for name, (value, origin) in facts.items()}}

    def review_context(self, certified) -> dict:
        qf, facts = certified.get(QF), self.facts(certified)
        rows = [(t.name, t.conditions, euros(t.price_cents)) for t in TARIFFS]
        return {"qf": qf and qf.quotient_familial, "qf_label": qf and qf.quotient_familial and qf_label(
            qf.quotient_familial), "c2s": facts["c2s"][0], "price": tariff_for(TARIFFS, facts),
                "prices": ("Tarifs de la carte de stationnement résident", ("Tarif", "Conditions", "Prix"), rows)}

    def lines(self, answers: dict, certified) -> list[SummaryLine]:
        qf, c2s, lines = answers["quotient_familial"], answers["c2s"], []
        if qf["value"] is not None:
            certain = qf["origin"] == "certified"
            label = qf_label(certified.get(QF).quotient_familial) if certain else "Quotient familial"
            lines.append(SummaryLine(label, french(qf["value"]), qf["origin"]))
        if c2s["value"] is not None:
            lines.append(SummaryLine("Complémentaire santé solidaire", "Bénéficiaire" if c2s["value"] else
                                     "Non bénéficiaire", c2s["origin"]))
        return [*lines, SummaryLine("Immatriculation", answers["plate"], "declared"),
                SummaryLine("Adresse de résidence", answers["address"], "declared")]


PROCEDURE = Parking()
