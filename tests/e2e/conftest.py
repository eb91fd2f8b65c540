"""Browser fixtures: the service and the simulators on loopback ports, Debian's Chromium driven by
Playwright, a screenshot per step under test-artifacts/, and axe-core loaded in every page.

The browser sees the service at http://localhost:<port> and the simulators at http://127.0.0.1:<port>:
two sites, as in production, so SameSite cookies and the CSP's form-action are really exercised.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from demarche.devserver import RunningServer, serve

try:
    from playwright import sync_api
except ImportError:  # the dev extras are not installed: every browser test skips, saying so
    sync_api = None

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# No sandbox (root in CI), no GPU, and none of Chromium's background connections: the CI machine's
# network is closed and would refuse them, many at a time.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--lang=fr-FR"]  # French date fields (jj/mm/aaaa), as the hints say


@dataclass
class Stack:
    """The apps of one test: the service (its public URL and Flask app) and the simulators."""

    url: str
    app: object
    fc: RunningServer
    ap: RunningServer
    servers: list[RunningServer] = field(default_factory=list)


@pytest.fixture
def make_stack(make_app) -> Callable[..., Stack]:
    """Start the simulators and a service on this test's database; `overrides` go to the service."""
    from demarche_sandbox import api_particulier, franceconnect

    stacks: list[Stack] = []

    def factory(agents: bool = False, dgfip: bool = False, **overrides) -> Stack:
        """agents: the ProConnect simulator too, for the back-office; dgfip: the DGFiP's, for the canteen."""
        parts: dict = {"servers": []}

        def simulator(build) -> str:
            parts["servers"].append(serve(build))
            return parts["servers"][-1].url

        def build_service(bound_url: str):
            # The simulators register the service's redirect URIs: built once the service's URL is known.
            public = bound_url.replace("127.0.0.1", "localhost")
            fc = simulator(lambda url: franceconnect.create_app(
                {"FC_SIM_PUBLIC_URL": url, "FC_SIM_SERVICE_URL": public}))
            ap = simulator(lambda url: api_particulier.create_app({"AP_SIM_FC_ISSUER": f"{fc}/api/v2"}))
            if dgfip:
                from demarche_sandbox import impot_particulier

                parts["servers"].append(serve(lambda url: impot_particulier.create_app(
                    {"IP_SIM_FC_ISSUER": f"{fc}/api/v2"}), request_handler=impot_particulier.RequestHandler))
                overrides.setdefault("IMPOT_PARTICULIER_URL", parts["servers"][-1].url)
            if agents:
                from demarche_sandbox import proconnect

                pc = simulator(lambda url: proconnect.create_app(
                    {"PROCONNECT_SIM_PUBLIC_URL": url, "PROCONNECT_SIM_SERVICE_URL": public}))
                overrides.setdefault("PROCONNECT_ISSUER", f"{pc}/api/v2")
            parts["app"] = make_app(PUBLIC_URL=public, FRANCECONNECT_ISSUER=f"{fc}/api/v2", API_PARTICULIER_URL=ap,
                                    **overrides)
            parts["url"] = public
            return parts["app"]

        service = serve(build_service)
        fc, ap = parts["servers"][:2]
        stack = Stack(parts["url"], parts["app"], fc, ap, [service, *parts["servers"]])
        stacks.append(stack)
        return stack

    yield factory
    for stack in stacks:
        for server in stack.servers:
            server.stop()


@pytest.fixture(scope="session")
def chromium():
    """One Chromium for the whole run; each test gets its own context (cookies, storage)."""
    if sync_api is None:
        pytest.skip("playwright is missing: make setup installs it (pip install -e '.[dev]'), as .ci/run does")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run installs it)")
    if not AXE.exists():
        pytest.skip("node_modules/axe-core is missing: make setup installs it (npm install), as .ci/run does")
    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # the folder holds the latest run only
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh browser tab. axe-core is injected before the page's own scripts: this keeps the CSP
    (script-src 'self') enforced, which add_script_tag would break."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    context.add_init_script(path=str(AXE))
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def _slug(text: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_-]+", "-", text).strip("-")[:80]


class Steps:
    """Numbered steps of a journey: each keeps a full-page screenshot and an axe-core audit."""

    def __init__(self, page, folder: Path):
        self.page, self.folder, self.count, self.audits = page, folder, 0, []
        self.failed: list[str] = []  # every answer ≥ 400 the browser received (pages, styles, scripts)
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))
        folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, name: str, audit: bool = True) -> None:
        """Record the page as it is now: screenshot, then (unless told not to) accessibility audit."""
        self.count += 1
        self.page.wait_for_load_state("load")
        label = f"{self.count:02d}-{_slug(name)}"
        self.page.screenshot(path=str(self.folder / f"{label}.png"), full_page=True)
        if audit:
            self.audits.append({"step": label, "url": self.page.url, **run_axe(self.page)})

    def serious(self) -> list[str]:
        """Serious or critical violations found so far, one readable line each."""
        return [f"{a['step']} {v['id']} ({v['impact']}): {v['help']} — {v['targets']}"
                for a in self.audits for v in a["violations"] if v["impact"] in ("serious", "critical")]

    def assert_accessible(self, expected_errors: tuple[str, ...] = ()) -> None:
        """No serious or critical violation on any page; nothing failed to load (bar `expected_errors`)."""
        assert self.serious() == [], "serious or critical axe-core violations:\n" + "\n".join(self.serious())
        unexpected = [f for f in self.failed if not f.endswith(expected_errors)]
        assert unexpected == [], f"the browser got errors: {unexpected}"


def run_axe(page) -> dict:
    """axe-core's default rule set (WCAG 2.x A/AA and best practices) on the whole page."""
    return page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ["violations"]});
        return {version: r.testEngine.version, passes: r.passes.length,
                violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.map(n => n.target.join(" "))}))};
    }""")


@pytest.fixture
def steps(page, request) -> Steps:
    """The step recorder of this test; its axe results go to test-artifacts/e2e/<test>/axe.json."""
    recorder = Steps(page, ARTIFACTS / _slug(request.node.name))
    yield recorder
    (recorder.folder / "axe.json").write_text(json.dumps(recorder.audits, indent=2, ensure_ascii=False))


def pytest_terminal_summary(terminalreporter) -> None:
    if ARTIFACTS.is_dir() and any(ARTIFACTS.iterdir()):
        terminalreporter.write_line(f"Browser screenshots and axe-core reports: {ARTIFACTS}")
