"""axe-core on the pages outside the journey (home, footer pages, errors) and the accessibility
statement, which must state what these suites measure."""

import json

from tests.e2e.conftest import ROOT

PAGES = ["/", "/accessibilite", "/mentions-legales", "/donnees-personnelles", "/gestion-des-cookies",
         "/page-qui-n-existe-pas"]


def test_public_pages_have_no_serious_violation(make_stack, page, steps):
    stack = make_stack()
    for path in PAGES:
        page.goto(f"{stack.url}{path}")
        steps(path.strip("/") or "accueil")
    assert steps.serious() == [], "\n".join(steps.serious())
    assert steps.failed == [f"404 {stack.url}/page-qui-n-existe-pas"]


def test_the_statement_states_the_measured_result(make_stack, page):
    """The declaration names the tool and version these tests use, and what they found."""
    axe_version = json.loads((ROOT / "package.json").read_text())["devDependencies"]["axe-core"]
    stack = make_stack()
    page.goto(f"{stack.url}/accessibilite")
    text = page.locator("main").inner_text()
    assert f"axe-core {axe_version}" in text
    assert "aucune violation grave ou critique" in text
    assert "clavier" in text
    assert "non conforme" in text  # automated checks are not a RGAA audit
