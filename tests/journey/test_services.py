"""The journey's services without a browser: the prefill reads top-down and announces what happened
(signals) instead of calling the demo's trace; the dossier keeps the snapshot's JSON shape."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import datetime

import pytest

from demarche import signals
from demarche.dates import display
from demarche.dossiers import submission
from demarche.extensions import db
from demarche.journey import services
from demarche.models import Citizen, OutboxMessage
from demarche.procedures import PROCEDURES
from demarche.providers import FailureKind, SourceResult
from tests.providers.api_particulier.people import PAUL


@pytest.fixture
def heard():
    """Everything the two signals of the prefill carry during the test."""
    events: list[tuple] = []

    def provider(sender, **kwargs):
        events.append(("provider_answered", sender, kwargs["result"]))

    def consent(sender, **kwargs):
        events.append(("consent_recorded", sender.decision, sender.outcome))

    with signals.provider_answered.connected_to(provider), signals.consent_recorded.connected_to(consent):
        yield events


def test_prefill_sends_one_typed_result_per_source_then_the_consent(make_journey_app, heard):
    app = make_journey_app("identite")
    transport = PROCEDURES["transport"]
    with app.test_request_context():
        citizen = Citizen(issuer="http://fc.test/api/v2", sub="sub-paul")
        db.session.add(citizen)
        db.session.commit()
        consent = services.record_consent(transport, citizen_id=citizen.id, citizen_key="k", accepted=True)
        draft = services.prefill(transport, consent, fc_token=None, identity=PAUL)
        answered = {sender: result for kind, sender, result in heard if kind == "provider_answered"}
        assert list(answered) == ["etudiant_boursier", "complementaire_sante_solidaire"]
        crous, c2s = answered["etudiant_boursier"], answered["complementaire_sante_solidaire"]
        assert isinstance(crous, SourceResult) and crous.value.echelon == "5" and crous.request_id
        assert c2s.failure is FailureKind.NOT_FOUND and c2s.value is None
        assert heard[-1] == ("consent_recorded", "accepted", "success")  # the CPAM answered: no C2S file
        snapshot = draft.certified["etudiant_boursier"]
        assert snapshot["data"] == {"est_boursier": True, "echelon": "5", "nom_etablissement": "Université Jean Monnet",
                                    "nom_commune_etudes": "Saint-Étienne"}
        assert snapshot["provenance"]["route"] == "/v3/cnous/etudiant_boursier/identite"
        assert datetime.fromisoformat(snapshot["provenance"]["retrieved_at"]).tzinfo is None  # naive UTC, as stored
        assert draft.failures == {}
        assert draft.certified["complementaire_sante_solidaire"]["data"] == {"est_beneficiaire": False}
        assert draft.certified["complementaire_sante_solidaire"]["provenance"]["answer"] == "not_found"


def test_a_refusal_is_announced_and_nothing_is_fetched(make_journey_app, heard):
    app = make_journey_app()
    with app.test_request_context():
        citizen = Citizen(issuer="http://fc.test/api/v2", sub="sub-x")
        db.session.add(citizen)
        db.session.commit()
        services.record_consent(PROCEDURES["cantine"], citizen_id=citizen.id, citizen_key="k", accepted=False)
    assert heard == [("consent_recorded", "refused", "not_called")]


def test_the_receipt_email_gives_the_time_in_paris(make_journey_app):
    app = make_journey_app("identite")
    cantine = PROCEDURES["cantine"]
    with app.test_request_context():
        citizen = Citizen(issuer="http://fc.test/api/v2", sub="sub-y")
        db.session.add(citizen)
        db.session.commit()
        consent = services.record_consent(cantine, citizen_id=citizen.id, citizen_key="k", accepted=False)
        draft = services.new_draft(cantine, consent)
        answers = {"email": "a@example.fr", "price": {"label": "Tarif E", "provisional": True}}
        dossier = submission.submit(cantine, draft, answers=answers, identity={"given_name": "A", "family_name": "B"},
                                  authentication={})
        body = db.session.scalars(db.select(OutboxMessage)).one().body
        assert f"Déposée le : {display(dossier.submitted_at)} (heure de Paris)" in body and "UTC" not in body


def test_the_consent_record_keeps_every_chosen_sources_categories(make_app):
    """One source declares its categories, the other does not: neither drops out of the record (the other is
    recorded as the citizen read it, its label), nor does a source the citizen did not tick get in."""
    app = make_app()
    transport = copy.copy(PROCEDURES["transport"])
    crous, c2s = transport.sources
    transport.sources = (crous, replace(c2s, categories=()))
    with app.test_request_context():
        citizen = Citizen(issuer="http://fc.test/api/v2", sub="sub-z")
        db.session.add(citizen)
        db.session.commit()
        both = services.record_consent(transport, citizen_id=citizen.id, citizen_key="k", accepted=True,
                                       sources=[crous.key, c2s.key])
        only = services.record_consent(transport, citizen_id=citizen.id, citizen_key="k", accepted=True,
                                       sources=[c2s.key])
        refused = services.record_consent(transport, citizen_id=citizen.id, citizen_key="k", accepted=False)
        both, only, refused = (record.categories for record in (both, only, refused))
    assert both == [*crous.categories, "votre droit à la complémentaire santé solidaire"]
    assert only == ["votre droit à la complémentaire santé solidaire"]
    assert refused == both  # what was offered and refused
