"""The journey's services without a browser: the prefill reads top-down and announces what happened
(signals) instead of calling the demo's trace; the dossier keeps the snapshot's JSON shape."""

from __future__ import annotations

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
        assert heard[-1] == ("consent_recorded", "accepted", "partial")
        snapshot = draft.certified["etudiant_boursier"]
        assert snapshot["data"] == {"est_boursier": True, "echelon": "5", "nom_etablissement": "Université Jean Monnet",
                                    "nom_commune_etudes": "Saint-Étienne"}
        assert snapshot["provenance"]["route"] == "/v3/cnous/etudiant_boursier/identite"
        assert datetime.fromisoformat(snapshot["provenance"]["retrieved_at"]).tzinfo is None  # naive UTC, as stored
        assert draft.failures == {"complementaire_sante_solidaire": "not_found"}


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
