"""The reader's main pages on a desktop and on a phone: layout and accessibility.

Each page is loaded with the site's Content Security Policy in force, screenshotted into
test-artifacts/ (lecteur-<page>-<width>.png), checked for horizontal overflow, a cut
navigation and half-empty rubric blocks, then audited with axe-core (vendored under
tests/e2e/vendor/axe-core/, evaluated through the DevTools protocol, which the page's CSP
does not govern).
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
PAGES = {
    "une": "/",
    "article": "/articles/rencontre-poutine-trump-alaska/",
    # A live in progress (live/): « L’essentiel », key moments, the stream and its script.
    "direct": "/articles/sommet-alaska-en-direct/",
    "rubrique": "/rubrique/sports/",
    "recherche": "/recherche/?q=Alaska",
    # What a reader typed, echoed back: it must wrap, however long and unbroken.
    "recherche-sans-resultat": "/recherche/?q=" + "Anticonstitutionnellement" * 6,
}
WIDTHS = {"bureau": 1366, "telephone": 390}
# axe-core's impacts, from the least to the most severe: only « minor » is tolerated.
TOLERATED = {"minor"}

_LOAD_EVERY_IMAGE = """async () => {
    for (let y = 0; y < document.body.scrollHeight; y += 300) {
        window.scrollTo(0, y);
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
    window.scrollTo(0, 0);
    await Promise.all([...document.images].map((image) => image.complete ? null :
        new Promise((resolve) => { image.onload = image.onerror = resolve; })));
}"""

_LAYOUT = """() => {
    const width = window.innerWidth;
    const covered = (boxes, within) => {
        // Share of `within` (a box) that the union of `boxes` covers, left to right.
        const spans = boxes.map((b) => [Math.max(b.left, within.left), Math.min(b.right, within.right)])
            .filter(([l, r]) => r > l).sort((a, b) => a[0] - b[0]);
        let total = 0, end = within.left;
        for (const [l, r] of spans) { if (r > end) { total += r - Math.max(l, end); end = r; } }
        return total / within.width;
    };
    const rowsOf = (elements) => {
        const rows = new Map();
        for (const element of elements) {
            const box = element.getBoundingClientRect();
            const top = Math.round(box.top + window.scrollY);
            rows.set(top, [...(rows.get(top) || []), box]);
        }
        return [...rows.values()];
    };
    const halfEmpty = [];
    for (const row of document.querySelectorAll(".section-row")) {
        const box = row.getBoundingClientRect();
        for (const line of rowsOf([...row.children])) {
            if (covered(line, box) < 0.9) halfEmpty.push(row.closest("section").id || row.parentElement.getAttribute("aria-labelledby"));
        }
    }
    const sections = document.querySelector(".sections");
    if (sections) {
        const box = sections.getBoundingClientRect();
        for (const line of rowsOf([...sections.children])) {
            if (covered(line, box) < 0.9) halfEmpty.push("rangée de rubriques");
        }
    }
    const navigation = [...document.querySelectorAll(".nav__link")].filter((link) => {
        const box = link.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return box.left < 0 || box.right > width || !(hit && link.contains(hit));
    }).map((link) => link.textContent.trim());
    return {
        overflow: document.documentElement.scrollWidth - width,
        halfEmpty,
        hiddenRubrics: navigation,
        navigation: document.querySelectorAll(".nav__link").length,
        headerHeight: document.querySelector("main").getBoundingClientRect().top,
    };
}"""

_AXE_RUN = """async () => {
    const results = await axe.run(document, { resultTypes: ["violations"] });
    return results.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        where: v.nodes.slice(0, 3).map((node) => node.target.join(" ")),
    }));
}"""


def test_main_pages_fit_desktop_and_phone_and_pass_axe(live_server, browser, settings):
    settings.DEMO_MODE = False
    call_command("load_demo", stdout=open("/dev/null", "w"))
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    problems, csp_reports = {}, []

    for device, width in WIDTHS.items():
        context = browser.new_context(
            locale="fr-FR", viewport={"width": width, "height": 900}, bypass_csp=False
        )
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                csp_reports.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        for name, path in PAGES.items():
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            assert "script-src 'self'" in response.headers["content-security-policy"], path
            page.evaluate(_LOAD_EVERY_IMAGE)
            page.screenshot(path=str(artifacts / f"lecteur-{name}-{width}.png"), full_page=True)

            layout = page.evaluate(_LAYOUT)
            page.evaluate(AXE)
            violations = [v for v in page.evaluate(_AXE_RUN) if v["impact"] not in TOLERATED]
            found = {
                "débordement horizontal (px)": layout["overflow"] if layout["overflow"] > 0 else 0,
                "blocs à moitié vides": layout["halfEmpty"],
                "rubriques hors de vue": layout["hiddenRubrics"],
                "axe-core": violations,
            }
            found = {label: value for label, value in found.items() if value}
            if layout["navigation"] != 8:
                found["navigation"] = layout["navigation"]
            if device == "telephone" and layout["headerHeight"] > 200:
                found["en-tête (px)"] = layout["headerHeight"]
            if found:
                problems[f"{name} à {width} px"] = found
        context.close()

    assert problems == {}
    assert csp_reports == []


def test_the_sites_csp_holds_while_axe_runs(live_server, page):
    page.goto(live_server.url + "/")
    page.evaluate(AXE)

    # A script added to the page itself is still refused: only the DevTools protocol,
    # which the audit uses, is outside the policy.
    with pytest.raises(PlaywrightError, match="Content Security Policy"):
        page.add_script_tag(content="window.injected = true;")

    assert page.evaluate("typeof axe.run") == "function"
    assert page.evaluate("window.injected === undefined")
