"""RGAA 13.1 (WCAG 2.2.1): before a signed-in session ends for inactivity, the page warns and « Rester
connecté » extends it on the server. The browser's clock is moved forward instead of waiting 28 minutes."""

from __future__ import annotations

import re
from datetime import timedelta

from demarche.models import utcnow
from tests.e2e import journey


def idle_since(stack, minutes: int) -> None:
    """Make every session look idle for `minutes` (as if the person had left the page open)."""
    from demarche.extensions import db
    from demarche.models import WebSession, utcnow

    with stack.app.app_context():
        db.session.execute(db.update(WebSession).values(last_seen_at=utcnow() - timedelta(minutes=minutes)))
        db.session.commit()


def last_seen(stack):
    from demarche.extensions import db
    from demarche.models import WebSession

    with stack.app.app_context():
        return db.session.scalar(db.select(db.func.max(WebSession.last_seen_at)))


def test_the_page_warns_before_the_session_ends_and_rester_connecte_extends_it(make_stack, page, steps):
    stack = make_stack()
    page.clock.install()
    journey.login(page, steps, stack.url)
    alert = page.get_by_role("alert")
    assert not alert.is_visible()
    page.clock.fast_forward("27:00")
    assert not alert.is_visible()
    page.clock.fast_forward("01:01")  # 2 minutes before the 30 minutes of inactivity
    assert re.search(r"votre session se fermera dans 2 minutes, à \d\d:\d\d", alert.inner_text())
    steps("avertissement-fin-de-session")
    idle_since(stack, 28)
    page.get_by_role("button", name="Rester connecté").click()
    page.get_by_text(re.compile("Votre session est prolongée jusqu’à")).wait_for()
    assert last_seen(stack) > utcnow() - timedelta(minutes=1)  # the server's 30 minutes start again
    idle_since(stack, 29)
    page.reload()
    assert page.get_by_role("heading", name="Ce qui va se passer").is_visible()  # still signed in


def test_without_rester_connecte_the_session_ends(make_stack, page, steps):
    """The counter-proof: the same idle time without the click ends the session."""
    stack = make_stack()
    journey.login(page, steps, stack.url)
    idle_since(stack, 31)
    page.reload()
    assert page.get_by_role("button", name="S’identifier avec FranceConnect").is_visible()
