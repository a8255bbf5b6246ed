"""Accessibility of every built page, checked with axe-core in headless Chromium.

axe-core comes bundled with ``axe_playwright_python``. Every HTML page of the
site (landing page, gallery indexes, every example, search, 404 when
there is one) must have no violation of "serious" or "critical" impact; the
lesser ones are printed (``pytest -s``) but do not fail. A few pages are
checked again in the dark colour mode, where contrast differs. Every figure
must carry non-empty alt text (sphinx-gallery makes it from the figure's title).

Needs Chromium at /usr/bin/chromium (``sudo apt-get install chromium``):
without it these tests are skipped, except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import re

import pytest

from support import (
    FAILING_IMPACTS,
    SETTLED_JS,
    SITE,
    expected_example_pages,
    page_url,
    run_axe,
    site_pages,
)

TIMEOUT_MS = 15_000

FIGURES_JS = """
() => Array.from(document.querySelectorAll('img.sphx-glr-single-img, img.sphx-glr-multi-img'))
        .map((img) => ({src: img.getAttribute('src'), alt: img.getAttribute('alt')}))
"""


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _context(browser, site_url, mode: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    context.set_default_timeout(TIMEOUT_MS)
    # the theme reads the reader's choice from localStorage before it paints
    context.add_init_script(f"window.localStorage.setItem('mode', '{mode}');")
    page = context.new_page()
    return context, page


@pytest.fixture(scope="module")
def light_page(browser, site_url):
    context, page = _context(browser, site_url, "light")
    yield page
    context.close()


@pytest.fixture(scope="module")
def dark_page(browser, site_url):
    context, page = _context(browser, site_url, "dark")
    yield page
    context.close()


def audit(page, axe, url: str, theme: str) -> None:
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, f"{url}: HTTP {response and response.status}"
    page.wait_for_function(SETTLED_JS)
    assert page.evaluate("document.documentElement.dataset.theme") == theme

    violations = run_axe(page, axe)
    minor = [v for v in violations if v["impact"] not in FAILING_IMPACTS]
    for v in minor:  # shown with -s; not failures
        print(f"{url} [{theme}]: {v['impact']} {v['id']} x{len(v['nodes'])}: {v['help']}")
    bad = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    if bad:
        lines = []
        for v in bad:
            lines.append(f"{v['impact']} {v['id']}: {v['help']} ({v['helpUrl']})")
            for node in v["nodes"][:8]:
                lines.append(f"    {', '.join(map(str, node['target']))}")
                lines.append(f"      {node.get('failureSummary', '').replace(chr(10), ' ')}")
            if len(v["nodes"]) > 8:
                lines.append(f"    ... and {len(v['nodes']) - 8} more")
        pytest.fail(f"{url} [{theme}]: serious/critical accessibility violations:\n" + "\n".join(lines))


@pytest.mark.parametrize("rel", site_pages() or ["index.html"])
def test_page_has_no_serious_accessibility_violations(light_page, axe, site_url, rel):
    audit(light_page, axe, page_url(site_url, rel), "light")


def pages_covering_every_code_style() -> list[str]:
    """Few example pages that together show every (block kind, token class)
    pair of highlighted code and output: the dark theme's contrast depends on
    those, the rest of an example page looks like the others."""
    styles = {}
    block = re.compile(
        r'<div class="(highlight-[A-Za-z0-9]+|sphx-glr-script-out)[^"]*"><div class="highlight"><pre>(.*?)</pre>',
        re.S,
    )
    for rel in expected_example_pages():
        path = SITE / rel
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            styles[rel] = {
                (m.group(1), cls) for m in block.finditer(text) for cls in re.findall(r'<span class="([^"]+)"', m.group(2))
            }
    chosen, covered = [], set()
    everything = set().union(*styles.values()) if styles else set()
    while covered != everything:
        best = max(styles, key=lambda rel: len(styles[rel] - covered))
        chosen.append(best)
        covered |= styles[best]
    return chosen or expected_example_pages()[:1]


DARK_PAGES = ["index.html", "auto_examples/index.html", "search.html", *pages_covering_every_code_style()]


@pytest.mark.parametrize("rel", DARK_PAGES)
def test_dark_mode_has_no_serious_accessibility_violations(dark_page, axe, site_url, rel):
    audit(dark_page, axe, site_url + rel, "dark")


@pytest.mark.parametrize("rel", expected_example_pages())
def test_figures_have_alt_text(light_page, site_url, rel):
    light_page.goto(site_url + rel, wait_until="domcontentloaded")
    figures = light_page.evaluate(FIGURES_JS)
    missing = [f["src"] for f in figures if not (f["alt"] or "").strip()]
    assert not missing, f"{rel}: figures without alt text: {missing}"
    # without figure titles sphinx-gallery falls back to the file name
    # ("plot lstm input"), which tells a screen-reader user nothing
    stem = rel.rsplit("/", 1)[-1].removesuffix(".html")
    fallback = stem.replace("_", " ").replace("-", " ")
    generic = [f["src"] for f in figures if (f["alt"] or "").strip() == fallback]
    assert not generic, f"{rel}: figures whose alt text is only the file name (give them a suptitle): {generic}"


def _open_widgets(page, widgets: list[str]) -> None:
    for selector in widgets:
        page.locator(selector).first.click()
        page.wait_for_timeout(300)  # let the menu or dialog open


@pytest.mark.parametrize(
    "name, viewport, widgets",
    [
        ("version menu", (1280, 900), [".version-switcher__button:visible"]),
        ("colour mode menu", (1280, 900), [".theme-switch-button:visible"]),
        ("search dialog", (1280, 900), ["button.search-button__button:visible"]),
        ("phone navigation", (375, 812), [".primary-toggle"]),
    ],
    ids=["version-menu", "colour-mode-menu", "search-dialog", "phone-navigation"],
)
def test_open_menus_and_dialogs_have_no_serious_violations(browser, site_url, axe, name, viewport, widgets):
    """What axe cannot see on a page at rest: its menus and dialogs, opened."""
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme="light")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        rel = (expected_example_pages() or ["index.html"])[0]
        page.goto(site_url + rel, wait_until="load")
        page.wait_for_function(SETTLED_JS)
        _open_widgets(page, widgets)
        bad = [v for v in run_axe(page, axe) if v["impact"] in FAILING_IMPACTS]
        assert not bad, f"{name} open on {rel}: " + "; ".join(
            f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:5]]}" for v in bad
        )
    finally:
        context.close()
