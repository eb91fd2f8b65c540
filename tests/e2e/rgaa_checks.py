"""What the browser checks on each page type of the RGAA sample (demarche/accessibility/data/echantillon.csv):
axe-core with no violation of any impact, unique ids (8.2), the keyboard (every control reached by Tab, its
focus visible: criteria 10.7, 12.8), 200 % zoom (10.4), reflow at 320 CSS px without horizontal scrolling
(10.11) and the text spacing of WCAG 1.4.12 (10.12), nothing cut off. One page is checked in place, as it is."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.e2e.conftest import run_axe

DESKTOP = {"width": 1280, "height": 900}
# A browser zoomed to 200 % lays the page out in half the CSS pixels: a 1 280 px window becomes 640.
ZOOM_200 = {"width": 640, "height": 450}
REFLOW = {"width": 320, "height": 256}
SPACING = ("*{line-height:1.5!important;letter-spacing:.12em!important;word-spacing:.16em!important}"
           "p{margin-bottom:2em!important}")

# Text that overflows a box which hides its overflow, or a page wider than its window. Boxes that hide
# content on purpose are left out: visually hidden text (1 px), closed accordions (height 0), hidden nodes.
LAYOUT = """() => {
  const wide = document.documentElement.scrollWidth - window.innerWidth;
  const cut = [];
  for (const el of document.body.querySelectorAll("*")) {
    const s = getComputedStyle(el);
    if (!/(hidden|clip)/.test(s.overflowX + s.overflowY) || el.closest("[hidden],[aria-hidden=true]")) continue;
    if (el.clientWidth <= 1 || el.clientHeight <= 1 || !el.innerText || !el.innerText.trim()) continue;
    if (el.scrollWidth > el.clientWidth + 2 || el.scrollHeight > el.clientHeight + 2)
      cut.push(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")} « ${el.innerText.trim().slice(0, 40)} »`);
  }
  return {wide, cut};
}"""

FOCUSABLE = """() => [...document.querySelectorAll('a[href], button:not([disabled]), '
    + 'input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])')]
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden")
  // a radio group is one Tab stop: its checked radio, or its first one
  .filter(el => !(el.type === "radio" && el.form && [...el.form.elements].some(o => o.type === "radio"
      && o.name === el.name && o !== el && (o.checked || (!el.checked && o.compareDocumentPosition(el) & 4)))))
  .map(el => { el.dataset.kbd = el.dataset.kbd || Math.random().toString(36).slice(2); return el.dataset.kbd; })"""

FOCUS_SEEN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el), before = getComputedStyle(el, "::before"), label = el.labels && el.labels[0];
  const ring = (st) => st
    && ((st.outlineStyle !== "none" && parseFloat(st.outlineWidth) > 0) || st.boxShadow !== "none");
  const labelRing = label && [getComputedStyle(label, "::before"), getComputedStyle(label)].some(ring);
  return {id: el.dataset.kbd || "", visible: ring(s) || ring(before) || !!labelRing, html: el.outerHTML.slice(0, 80)};
}"""


@dataclass
class Findings:
    """Every failure, page type by page type; empty when the sample passes."""

    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def add(self, kind: str, what: str, detail) -> None:
        if detail:
            self.problems.append(f"{kind} [{what}] {detail}")


def check_page(page, kind: str, findings: Findings, keyboard: bool = True) -> None:
    """axe, layout at three sizes and with wider text spacing, then the keyboard, on the page as it is."""
    label = f"{kind} {page.url}"
    findings.checked.append(kind)
    axe = run_axe(page)
    # RGAA 9.1: the outline starts with the page's h1 (axe-core only checks that levels are not skipped)
    first = page.evaluate("() => { const h = document.querySelector('main h1, main h2, main h3, main h4');"
                          " return h ? h.tagName : null; }")
    findings.add("titres", label, f"le premier titre du contenu est un {first}, pas le h1" if first != "H1" else "")
    # RGAA 8.2: id values unique in the page (axe-core no longer checks it)
    findings.add("id en double", label, page.evaluate(
        "() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);"
        " return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))]; }"))
    findings.add("axe", label, [f"{v['id']} ({v['impact']}): {v['help']} — {v['targets'][:3]}"
                                for v in axe["violations"]])
    for name, size in (("zoom 200 %", ZOOM_200), ("320 px", REFLOW)):
        page.set_viewport_size(size)
        layout = page.evaluate(LAYOUT)
        findings.add(name, label, (f"défilement horizontal de {layout['wide']} px" if layout["wide"] > 0 else "")
                     + (f" texte coupé : {layout['cut'][:3]}" if layout["cut"] else ""))
    page.set_viewport_size(DESKTOP)
    # A constructed style sheet, as a user's style sheet would be: the CSP (style-src 'self') forbids inline ones.
    page.evaluate("css => { const sheet = new CSSStyleSheet(); sheet.replaceSync(css);"
                  " document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; }", SPACING)
    layout = page.evaluate(LAYOUT)
    wide = [f"défilement horizontal de {layout['wide']} px"] if layout["wide"] > 0 else []
    findings.add("espacements", label, layout["cut"][:3] + wide)
    page.evaluate("() => { document.adoptedStyleSheets = document.adoptedStyleSheets.slice(0, -1); }")
    if keyboard:
        findings.add("clavier", label, keyboard_problems(page))


def keyboard_problems(page, limit: int = 200) -> list[str]:
    """Tab from the top of the page: each control must get the focus, with a visible focus indicator."""
    wanted = page.evaluate(FOCUSABLE)
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    order, invisible = [], []
    for _ in range(min(limit, 3 * len(wanted) + 5)):  # a date field is three Tab stops (day, month, year)
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_SEEN)
        if focus is None or (order and focus["id"] == order[-1]):
            continue
        if order and focus["id"] == order[0]:
            break  # round the page once
        order.append(focus["id"])
        if not focus["visible"]:
            invisible.append(focus["html"])
    reached = set(order)
    # Back as the walk found the page: the focused skip link shows above the content and takes clicks.
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    missed = [page.evaluate("id => document.querySelector(`[data-kbd='${id}']`).outerHTML.slice(0, 80)", i)
              for i in wanted if i not in reached]
    return [f"jamais atteint au clavier : {m}" for m in missed[:3]] + [f"focus invisible : {h}" for h in invisible[:3]]
