"""« Inscription à la restauration scolaire et tarif social »: the sample démarche.

On paper the family brings an attestation CAF (or its tax notice), a proof of address and the livret de
famille; here the quotient familial, the children and the address come certified from the CAF or the MSA,
and a family without a quotient familial gets a municipal quotient computed from its revenu fiscal de
référence, certified by the DGFiP (quotient.py; the commune's formula in settings.py).
"""

from __future__ import annotations

from demarche.identity import PivotIdentity
from demarche.numbers import french as number
from demarche.procedures.base import ConsentText, Procedure, SummaryLine
from demarche.procedures.cantine.forms import DAYS, DIETS, SCHOOLS, CantineForm
from demarche.procedures.cantine.pricing import price_for, price_table
from demarche.procedures.cantine.settings import MUNICIPAL_QUOTIENT
from demarche.procedures.cantine.tax import TAX_SOURCE, quotient, tax, tax_items, tax_lines
from demarche.procedures.certified import Certified
from demarche.procedures.forms import choices
from demarche.procedures.wording import address_lines, certified_person, organisation, person, qf_label
from demarche.providers.api_particulier.models import QuotientFamilialResult
from demarche.providers.api_particulier.sources import QUOTIENT_FAMILIAL_FOYER

QUOTIENT_FAMILIAL = QUOTIENT_FAMILIAL_FOYER.to(
    "appliquer le tarif de votre quotient familial et inscrire vos enfants sans justificatif")
EMPTY = QuotientFamilialResult(allocataires=None, enfants=None, adresse=None, quotient_familial=None)


def family(certified: Certified) -> QuotientFamilialResult:
    """The CAF/MSA answer, every part None when nothing was certified."""
    return certified.get(QUOTIENT_FAMILIAL) or EMPTY


class Cantine(Procedure):
    slug = "cantine"
    title = "Inscription à la restauration scolaire et tarif social"
    public_title = "Inscription à la restauration scolaire"
    description = ("Inscrivez vos enfants à la cantine et bénéficiez du tarif qui correspond à votre quotient "
                   "familial, sans attestation CAF, avis d’impôt ni justificatif de domicile.")
    reference_prefix = "CAN"
    consent = ConsentText(
        version="cantine-2026-12b",
        purpose="inscrire vos enfants à la restauration scolaire et calculer le tarif qui vous est applicable",
        retention="pendant l’année scolaire 2026-2027, puis un an",
        legal_basis="article L114-8 du code des relations entre le public et l’administration",
    )
    sources = (QUOTIENT_FAMILIAL, TAX_SOURCE)
    renewable = True  # one dossier per school year: « Renouveler pour l’année scolaire … »

    def build_form(self, certified: Certified, identity: PivotIdentity, formdata=None) -> CantineForm:
        data = family(certified)
        form = CantineForm(formdata=formdata, email=identity.email or None)
        if data.enfants:
            form.children.choices = choices((str(i), certified_person(c)) for i, c in enumerate(data.enfants))
            del form.manual_children
        else:
            del form.children
        if quotient(certified, data.quotient_familial):
            del form.quotient_familial, form.regime
        if data.adresse or (tax(certified) and tax(certified).adresse):
            del form.address
        return form

    def collect(self, form: CantineForm, certified: Certified) -> dict:
        data = family(certified)
        used = quotient(certified, data.quotient_familial)
        declared_qf = None if used else form.quotient_familial.data
        result = {
            "children": self._children(form, data),
            "school": {"value": form.school.data, "label": dict(SCHOOLS)[form.school.data]},
            "days": [label for value, label in DAYS if value in form.days.data],
            "diet": dict(DIETS)[form.diet.data],
            "diet_details": form.diet_details.data or "",
            "phone": form.phone.data or "",
            "quotient_familial": _stored(used) or {"value": declared_qf, "origin": "declared",
                                                   "regime": form.regime.data},
            "address": None if "address" not in form else {"value": form.address.data.strip(), "origin": "declared"},
        }
        result["price"] = price_for(used["value"] if used else declared_qf).to_dict()
        result["price"]["provisional"] = not used
        result["price"]["basis"] = used["basis"] if used else ("votre déclaration" if declared_qf is not None else "")
        return result

    @staticmethod
    def _children(form: CantineForm, data: QuotientFamilialResult) -> list[dict]:
        if data.enfants:
            chosen = [data.enfants[int(i)] for i in form.children.data]
            return [{"prenoms": c.prenoms, "nom": c.nom_naissance, "date_naissance": c.date_naissance,
                     "origin": "certified"} for c in chosen]
        rows = [e.form for e in form.manual_children.entries if e.form.prenoms.data]
        return [{"prenoms": r.prenoms.data.strip(), "nom": r.nom.data.strip(),
                 "date_naissance": r.date_naissance.data.isoformat(), "origin": "declared"} for r in rows]

    def renewal_data(self, form_data: dict | None, answers: dict, certified: Certified) -> dict[str, list[str]]:
        """Last year's school, days, diet and contact; the children carried over: ticked again in the new
        certified list (same first names and birth date), or declared again by hand when there is none."""
        data = {key: values for key, values in (form_data or {}).items()
                if key != "children" and not key.startswith("manual_children-")}
        children, enfants = answers.get("children") or [], family(certified).enfants
        if enfants:
            kept = {(c["prenoms"], c["date_naissance"]) for c in children}
            data["children"] = [str(i) for i, e in enumerate(enfants) if (e.prenoms, e.date_naissance) in kept]
            return data
        for i, child in enumerate(children[:3]):
            data |= {f"manual_children-{i}-{name}": [child[key]]
                     for name, key in (("prenoms", "prenoms"), ("nom", "nom"), ("date_naissance", "date_naissance"))}
        return data

    def review_context(self, certified: Certified) -> dict:
        data = family(certified)
        qf, used = data.quotient_familial, quotient(certified, data.quotient_familial)
        caf = organisation(qf) if qf else "CAF ou MSA"
        items = [{"label": "Allocataires", "value": " ; ".join(certified_person(p) for p in data.allocataires),
                   "source": caf}] if data.allocataires else []
        items += [{"label": "Adresse", "value": ", ".join(address_lines(data.adresse)), "source": caf}
                  ] if data.adresse else []
        return {
            "qf": used and {**used, "bracket": price_for(used["value"])},
            "certified_items": items + tax_items(certified, with_address=not data.adresse),
            "deliberation": MUNICIPAL_QUOTIENT.deliberation,
            "prices": None if used else price_table(),
        }

    def lines(self, answers: dict, certified: Certified) -> list[SummaryLine]:
        data = family(certified)
        qf, declared_qf = data.quotient_familial, answers["quotient_familial"]
        if qf:
            lines = [SummaryLine(qf_label(qf), number(declared_qf["value"]), "certified")]
        elif declared_qf.get("kind") == "municipal":
            lines = tax_lines(certified, declared_qf)
        else:
            lines = [SummaryLine("Quotient familial", number(declared_qf["value"]) or "non communiqué", "declared")]
        if answers.get("school_year"):  # a renewal (demarche/renewal) names its school year
            lines.insert(0, SummaryLine("Année scolaire", f"{answers['school_year']}-{answers['school_year'] + 1}",
                                        "computed"))
        lines += [SummaryLine("Enfant inscrit", person(c["prenoms"], c["nom"], c["date_naissance"]), c["origin"])
                  for c in answers["children"]]
        address = " ".join(address_lines(data.adresse)) or (tax(certified) and tax(certified).adresse)
        lines.append(SummaryLine("Adresse", address or (answers["address"] or {}).get("value", ""),
                                 "certified" if address else "declared"))
        return lines + [
            SummaryLine("École", answers["school"]["label"], "declared"),
            SummaryLine("Jours", ", ".join(answers["days"]), "declared"),
            SummaryLine("Régime alimentaire", " — ".join(filter(None, [answers["diet"], answers["diet_details"]])),
                        "declared"),
        ]


def _stored(used: dict | None) -> dict | None:
    """The quotient as the dossier keeps it: the CAF/MSA one as before, the municipal one with its formula."""
    if not used:
        return None
    keys = ("value", "origin") if used["kind"] == "caf" else ("value", "origin", "kind", "formula", "deliberation")
    return {key: used[key] for key in keys}


PROCEDURE = Cantine()
