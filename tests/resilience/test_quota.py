"""Retry-After / RateLimit-Reset read in all their forms, and rates in the usual notations (the pacing itself:
test_pacer.py)."""

from email.utils import formatdate

import pytest

from demarche.config.checks import parse_rate
from demarche.resilience.quota import retry_after_seconds


def test_retry_after_and_ratelimit_reset_in_every_form():
    now = 1_900_000_000.0
    assert retry_after_seconds({"Retry-After": "7"}, now) == 7
    assert retry_after_seconds({"Retry-After": formatdate(now + 30, usegmt=True)}, now) == pytest.approx(30, abs=1)
    assert retry_after_seconds({"RateLimit-Reset": "12"}, now) == 12  # seconds (IETF draft)
    assert retry_after_seconds({"RateLimit-Reset": str(int(now) + 42)}, now) == 42  # a Unix time (API Particulier)
    assert retry_after_seconds({"Retry-After": "soon"}, now) is None
    assert retry_after_seconds({}, now) is None


@pytest.mark.parametrize("text", ["20/s", "20/second", "1200 per minute", "10/minute"])
def test_rates_are_read_in_the_usual_notations(text):
    assert parse_rate(text).amount in (20, 1200, 10)


def test_an_unreadable_rate_is_refused():
    with pytest.raises(ValueError):
        parse_rate("vingt par seconde")
