"""Schemathesis fuzzes every operation of the served OpenAPI document, over WSGI against the app, with a
valid instruct token: never a 5xx, every answer as documented (status, content type, headers, schema).

Bounded: a few dozen examples per operation (about a minute in all on a shared machine)."""

from __future__ import annotations

from collections import Counter
from itertools import count

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, example, given, settings
from schemathesis.config import PositiveDataAcceptanceConfig

from demarche.api.schemas import EXAMPLE_REFERENCE
from demarche.dossiers.models import Dossier
from demarche.extensions import db
from tests.api.conftest import bearer, new_token
from tests.backoffice.factories import make_dossier


@pytest.fixture
def fuzzed(api_app):
    """The app with two dossiers, one under the documented example reference, and an instruct token."""
    make_dossier(api_app, status="en_instruction")
    reference = make_dossier(api_app)
    with api_app.app_context():
        db.session.execute(db.update(Dossier).filter_by(reference=reference).values(reference=EXAMPLE_REFERENCE))
        db.session.commit()
    return api_app, new_token(api_app, scope="instruct", name="Schemathesis")


def test_every_operation_answers_as_documented(fuzzed):
    app, token = fuzzed
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    # A schema-valid request may still break a rule the schema cannot say (a decision without a motive, a
    # cursor this API did not make, a reused Idempotency-Key): 422 is a documented answer to it.
    schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
        expected_statuses=["2xx", "401", "403", "404", "409", "422", "429"])
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 3
    seen, calls = Counter(), count()
    for operation in operations:
        # schemathesis.pytest.from_fixture reads a pytest-internal attribute that pytest 9 removed: the
        # documented strategy API does the same, one hypothesis run per operation.
        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
        def answers_as_documented(case) -> None:
            if case.path_parameters and next(calls) % 2:  # half the cases on a dossier that exists
                case.path_parameters["reference"] = EXAMPLE_REFERENCE
            seen[case.operation.label, case.call_and_validate(headers=bearer(token)).status_code] += 1

        if operation.method.upper() == "POST":
            # One valid move besides the generated ones: the derandomized draw alone may never pick the one
            # status a « déposé » dossier can move to (six states since the correction loop).
            answers_as_documented = example(case=operation.Case(
                path_parameters={"reference": EXAMPLE_REFERENCE}, body={"status": "en_instruction"},
                media_type="application/json"))(answers_as_documented)
        answers_as_documented()
    # The fuzzing reached the successful paths too, not only the errors.
    assert {label for (label, status), n in seen.items() if status == 200} == {o.label for o in operations}, seen
