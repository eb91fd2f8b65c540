"""« Inscription à la restauration scolaire et tarif social »: the sample démarche.

On paper the family brings an attestation CAF, a proof of address and the livret de famille;
here the quotient familial, the children and the address come certified from the CAF or the MSA.
"""

from __future__ import annotations

from demarche.identity import PivotIdentity
from demarche.procedures.base import ConsentText, DataSource, Procedure, SummaryLine, email_line
from demarche.procedures.cantine.forms import DAYS, DIETS, SCHOOLS, CantineForm, choices
from demarche.procedures.cantine.pricing import bracket_for

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
PROVIDERS = {"CNAF": "CAF", "MSA": "MSA"}

QUOTIENT_FAMILIAL = DataSource(
    key="quotient_familial",
    label="votre quotient familial, les allocataires et les enfants de votre foyer, votre adresse",
    provider="CAF ou MSA",
    scopes=("cnaf_quotient_familial", "cnaf_allocataires", "cnaf_enfants", "cnaf_adresse"),
    fetch=lambda client, token, identity: client.quotient_familial(
        fc_access_token=token, identity=None if token else identity),
)


def _person(p: dict) -> str:
    return f"{p['prenoms']} {p['nom_naissance']}, né(e) le {_date(p['date_naissance'])}"


def _date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def qf_label(qf: dict) -> str:
    """« Quotient familial CAF d’octobre 2026 : 650 »."""
    month = MONTHS[qf["mois"] - 1]
    article = "d’" if month[0] in "aeiou" else "de "
    return f"Quotient familial {PROVIDERS.get(qf['fournisseur'], qf['fournisseur'])} {article}{month} {qf['annee']}"


class Cantine(Procedure):
    slug = "cantine"
    title = "Inscription à la restauration scolaire et tarif social"
    description = ("Inscrivez vos enfants à la cantine et bénéficiez du tarif qui correspond à votre quotient "
                   "familial, sans attestation CAF ni justificatif de domicile.")
    reference_prefix = "CAN"
    consent = ConsentText(
        version="cantine-2026-11",
        categories=("quotient familial", "allocataires", "enfants", "adresse"),
        purpose="inscrire vos enfants à la restauration scolaire et calculer le tarif qui vous est applicable",
        retention="pendant l’année scolaire 2026-2027, puis un an",
        legal_basis="article L114-8 du code des relations entre le public et l’administration",
    )
    sources = (QUOTIENT_FAMILIAL,)
    form_template = "procedures/cantine/form.html"

    def build_form(self, certified: dict, identity: PivotIdentity, formdata=None) -> CantineForm:
        data = (certified.get("quotient_familial") or {}).get("data") or {}
        form = CantineForm(formdata=formdata, email=identity.email or None)
        if data.get("enfants"):
            form.children.choices = choices([(str(i), _person(c)) for i, c in enumerate(data["enfants"])])
            del form.manual_children
        else:
            del form.children
        if data.get("quotient_familial"):
            del form.quotient_familial, form.regime
        if data.get("adresse"):
            del form.address
        return form

    def answers(self, form: CantineForm, certified: dict) -> dict:
        data = (certified.get("quotient_familial") or {}).get("data") or {}
        qf = data.get("quotient_familial")
        declared_qf = None if qf else form.quotient_familial.data
        result = {
            "children": self._children(form, data),
            "school": {"value": form.school.data, "label": dict(SCHOOLS)[form.school.data]},
            "days": [label for value, label in DAYS if value in form.days.data],
            "diet": dict(DIETS)[form.diet.data],
            "diet_details": form.diet_details.data or "",
            "email": form.email.data.strip(),
            "phone": form.phone.data or "",
            "quotient_familial": {"value": qf["valeur"], "origin": "certified"} if qf else
            {"value": declared_qf, "origin": "declared", "regime": form.regime.data},
            "address": None if data.get("adresse") else {"value": form.address.data.strip(), "origin": "declared"},
        }
        result["price"] = bracket_for(qf["valeur"] if qf else declared_qf).to_dict()
        result["price"]["provisional"] = not qf
        return result

    @staticmethod
    def _children(form: CantineForm, data: dict) -> list[dict]:
        if data.get("enfants"):
            chosen = [data["enfants"][int(i)] for i in form.children.data]
            return [{"prenoms": c["prenoms"], "nom": c["nom_naissance"], "date_naissance": c["date_naissance"],
                     "origin": "certified"} for c in chosen]
        rows = [e.form for e in form.manual_children.entries if e.form.prenoms.data]
        return [{"prenoms": r.prenoms.data.strip(), "nom": r.nom.data.strip(),
                 "date_naissance": r.date_naissance.data.isoformat(), "origin": "declared"} for r in rows]

    def review_context(self, certified: dict, failures: dict) -> dict:
        snapshot = certified.get("quotient_familial") or {}
        data = snapshot.get("data") or {}
        qf = data.get("quotient_familial")
        return {
            "qf": qf and {"label": qf_label(qf), "value": qf["valeur"], "bracket": bracket_for(qf["valeur"])},
            "allocataires": [_person(p) for p in data.get("allocataires") or []],
            "enfants": [_person(p) for p in data.get("enfants") or []],
            "adresse": _address_lines(data.get("adresse")),
            "provenance": snapshot.get("provenance"),
            "provider": PROVIDERS.get((qf or {}).get("fournisseur"), QUOTIENT_FAMILIAL.provider),
            "failure": failures.get("quotient_familial"),
        }

    def summary(self, identity: dict, answers: dict, certified: dict) -> list[SummaryLine]:
        context = self.review_context(certified, {})
        qf = answers["quotient_familial"]
        lines = [SummaryLine("Demandeur", f"{identity['given_name']} {identity['family_name']}", "franceconnect")]
        if context["qf"]:
            lines.append(SummaryLine(context["qf"]["label"], str(qf["value"]), "certified"))
        else:
            lines.append(SummaryLine("Quotient familial", str(qf["value"] or "non communiqué"), "declared"))
        for child in answers["children"]:
            lines.append(SummaryLine("Enfant inscrit", f"{child['prenoms']} {child['nom']}, né(e) le "
                                     f"{_date(child['date_naissance'])}", child["origin"]))
        address = " ".join(context["adresse"]) or (answers["address"] or {}).get("value", "")
        lines.append(SummaryLine("Adresse", address, "certified" if context["adresse"] else "declared"))
        lines += [
            SummaryLine("École", answers["school"]["label"], "declared"),
            SummaryLine("Jours", ", ".join(answers["days"]), "declared"),
            SummaryLine("Régime alimentaire", " — ".join(filter(None, [answers["diet"], answers["diet_details"]])),
                        "declared"),
            email_line(identity, answers["email"]),
            SummaryLine("Tarif", answers["price"]["label"] + (" (provisoire)" if answers["price"]["provisional"]
                                                              else ""), "computed"),
        ]
        return lines


def _address_lines(adresse: dict | None) -> list[str]:
    if not adresse:
        return []
    keys = ("destinataire", "complement_information", "complement_information_geographique",
            "numero_libelle_voie", "lieu_dit", "code_postal_ville")
    return [adresse[k] for k in keys if adresse.get(k)]


PROCEDURE = Cantine()
