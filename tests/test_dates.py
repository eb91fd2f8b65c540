"""Every date people read, in Paris time: moments stored in UTC, calendar dates shown as they are."""

from datetime import UTC, date, datetime

import pytest

from demarche import dates


@pytest.mark.parametrize(("stored", "shown"), [
    (datetime(2026, 1, 15, 23, 30), "16/01/2026 à 00:30"),  # winter, UTC+1: near midnight it is the next day
    (datetime(2026, 7, 15, 22, 10), "16/07/2026 à 00:10"),  # summer, UTC+2
    (datetime(2026, 7, 15, 21, 59), "15/07/2026 à 23:59"),
    (datetime(2026, 3, 29, 0, 30), "29/03/2026 à 01:30"),  # the last Sunday of March, before 01:00 UTC: still winter
    (datetime(2026, 3, 29, 1, 30), "29/03/2026 à 03:30"),  # after: summer time
    (datetime(2026, 12, 31, 23, 0, tzinfo=UTC), "01/01/2027 à 00:00"),  # an aware time is converted too
    ("2026-11-21T05:10:00", "21/11/2026 à 06:10"),  # a snapshot's retrieved_at (ISO, UTC)
    (1795166100, "20/11/2026 à 10:15"),  # a Unix timestamp (FranceConnect's auth_time)
])
def test_moments_are_shown_in_paris_time(stored, shown):
    assert dates.display(stored) == shown


def test_the_day_of_a_moment_is_the_paris_day():
    assert dates.day(datetime(2026, 7, 15, 22, 10)) == "16/07/2026"
    assert dates.display(datetime(2026, 7, 15, 22, 10), time=False) == "16/07/2026"


def test_calendar_dates_are_not_shifted():
    assert dates.day("1962-08-24") == "24/08/1962" and dates.day(date(2016, 5, 12)) == "12/05/2016"
    assert dates.day("1992-00-00") == "1992-00-00"  # a presumed birth date stays as the provider gave it


def test_no_value_shows_nothing():
    assert dates.display(None) == dates.display("") == dates.day(None) == ""


def test_months_in_french_with_elision():
    assert dates.month_year(10, 2026) == "octobre 2026"
    assert dates.of_month_year(10, 2026) == "d’octobre 2026" and dates.of_month_year(3, 2026) == "de mars 2026"
    assert dates.of_month_year(8, 2026) == "d’août 2026"


def test_the_filters_are_registered_once_for_every_template(make_app):
    app = make_app()
    with app.app_context():
        render = app.jinja_env.from_string("{{ d|date_fr }} {{ m|heure_paris }}").render
        assert render(d="1962-08-24", m=datetime(2026, 1, 15, 23, 30)) == "24/08/1962 16/01/2026 à 00:30"
