"""The built site in a real browser (headless Chromium, driven by Playwright).

A reader's path through the site: landing page, gallery, every example page,
search, version switcher, downloads, dark mode and a phone-sized screen. Every
page must load without console errors and without asking any other host for
anything. Screenshots land in ``test-artifacts/screenshots/``.

Needs Chromium at /usr/bin/chromium (``sudo apt-get install chromium``):
without it these tests are skipped, except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import json
from urllib.parse import urljoin, urlsplit

import pytest

from support import (
    EXAMPLES,
    SETTLED_JS,
    SITE,
    expected_example_pages,
    page_output_blocks,
    page_url,
    Recorder,
    screenshot_path,
    site_pages,
)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def desktop(browser, site_url):
    """One desktop-sized context (and its recorder) for this module's reading tour."""
    context = browser.new_context(viewport=DESKTOP, color_scheme="light")
    context.set_default_timeout(TIMEOUT_MS)
    recorder = Recorder(context, site_url)
    yield context, recorder
    context.close()


@pytest.fixture(scope="module")
def _desktop_page(desktop):
    context, _ = desktop
    page = context.new_page()
    yield page
    page.close()


@pytest.fixture
def tab(desktop, _desktop_page):
    """The desktop tab (reused: opening tabs is slow); its recorder starts empty."""
    _, recorder = desktop
    recorder.clear()
    yield _desktop_page, recorder


def visit(page, recorder, url: str, label: str | None = None):
    """Open a page and wait until its scripts are done (the version switcher,
    filled from a JSON fetch, is the last thing the theme sets up)."""
    recorder.current = label or urlsplit(url).path
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    page.wait_for_function(SETTLED_JS)
    return response


def relative(site_url: str, url: str) -> str:
    """Site path of an absolute URL of the local server (no query or fragment)."""
    path = urlsplit(url).path
    base = urlsplit(site_url).path
    assert path.startswith(base), url
    return path[len(base) :]


def assert_clean(recorder) -> None:
    problems = recorder.problems()
    assert not problems, "the browser reported problems:\n  " + "\n  ".join(problems)


IMAGES_JS = """
async () => {
  const imgs = Array.from(document.images);
  // what a reader who scrolls to the end gets: lazy images load too
  for (const img of imgs) { img.loading = "eager"; }
  await Promise.all(imgs.map((img) => img.decode().catch(() => null)));
  return imgs.map((img) => ({
    src: img.getAttribute("src"),
    cls: img.className,
    alt: img.getAttribute("alt"),
    complete: img.complete,
    width: img.naturalWidth,
    height: img.naturalHeight,
    declared: [img.getAttribute("width"), img.getAttribute("height")],
  }));
}
"""


# -- the reading tour ----------------------------------------------------------


def test_landing_gallery_and_every_example_page(tab, site_url, desktop):
    page, recorder = tab
    context, _ = desktop
    visit(page, recorder, site_url + "index.html")
    assert page.locator("h1").first.inner_text().strip(), "landing page has no title"
    page.screenshot(path=screenshot_path("landing"), full_page=True)

    # landing -> gallery through the page's own link
    recorder.current = "auto_examples/index.html (from the landing page)"
    with page.expect_navigation(wait_until="load"):
        page.locator("main a[href$='auto_examples/index.html']").first.click()
    page.wait_for_function(SETTLED_JS)
    assert relative(site_url, page.url) == "auto_examples/index.html"
    page.screenshot(path=screenshot_path("gallery"), full_page=True)

    hrefs = page.eval_on_selector_all(
        ".sphx-glr-thumbcontainer a.reference.internal", "links => links.map(a => a.href)"
    )
    found = [relative(site_url, href) for href in hrefs]
    expected = expected_example_pages()
    assert len(found) == len(expected), (
        f"the gallery index links {len(found)} example pages, examples/gallery.toml lists "
        f"{len(expected)} existing examples:\n  found {found}\n  expected {expected}"
    )
    assert found == expected, "the gallery does not list the examples in reading order"

    failures = []
    for href in hrefs:
        rel = relative(site_url, href)
        try:
            check_example_page(page, recorder, context, site_url, rel)
        except AssertionError as error:
            failures.append(f"{rel}: {error}")
    assert_clean(recorder)
    assert not failures, "\n\n".join(failures)


def check_example_page(page, recorder, context, site_url: str, rel: str) -> None:
    visit(page, recorder, site_url + rel, rel)
    section, name = rel.split("/")[-2:]
    source = EXAMPLES / section / (name[: -len(".html")] + ".py")
    assert source.is_file(), f"no source {source} for {rel}"

    assert page.locator("h1").first.inner_text().strip(), "no title"

    # every output block of the built page is shown, with text in it, once
    # its reveals are open (an exercise's solution is behind a <details>)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    expected_blocks = page_output_blocks(SITE / rel)
    outputs = page.locator(".sphx-glr-script-out pre")
    assert outputs.count() == len(expected_blocks) > 0, (
        f"{outputs.count()} output blocks shown, the page has {len(expected_blocks)}"
    )
    for i in range(outputs.count()):
        block = outputs.nth(i)
        assert block.is_visible(), f"output block {i} is hidden"
        assert block.inner_text().strip(), f"output block {i} is empty"

    # every figure sphinx-gallery made for this example is on the page
    figure_files = sorted(
        p.name
        for p in (SITE / "_images").glob(f"sphx_glr_{source.stem}_[0-9][0-9][0-9].png")
    )
    images = page.evaluate(IMAGES_JS)
    figures = [img for img in images if "sphx-glr-single-img" in img["cls"] or "sphx-glr-multi-img" in img["cls"]]
    shown = sorted(img["src"].rsplit("/", 1)[-1] for img in figures)
    assert shown == figure_files, f"figures shown {shown}, figures built {figure_files}"
    broken = [img["src"] for img in images if not (img["complete"] and img["width"] > 0)]
    assert not broken, f"images that did not decode: {broken}"
    no_alt = [img["src"] for img in figures if not (img["alt"] or "").strip()]
    assert not no_alt, f"figures without alt text: {no_alt}"
    # a lazy figure keeps its place with its declared size: the 1x file's
    # (this browser shows the 1x file: device pixel ratio 1)
    misdeclared = [(img["src"], img["declared"], [img["width"], img["height"]]) for img in figures
                   if img["declared"] != [str(img["width"]), str(img["height"])]]
    assert not misdeclared, f"figures whose width/height are not their 1x size: {misdeclared[:3]}"

    # downloads: the real files
    py_href = page.locator(".sphx-glr-download-python a").first.get_attribute("href")
    nb_href = page.locator(".sphx-glr-download-jupyter a").first.get_attribute("href")
    assert py_href and py_href.endswith(".py"), f"python download link: {py_href!r}"
    assert nb_href and nb_href.endswith(".ipynb"), f"notebook download link: {nb_href!r}"
    page_url = site_url + rel
    py = context.request.get(urljoin(page_url, py_href))
    assert py.status == 200, f"{py_href}: HTTP {py.status}"
    assert py.body() == source.read_bytes(), f"{py_href} differs from {source.relative_to(EXAMPLES.parent)}"
    nb = context.request.get(urljoin(page_url, nb_href))
    assert nb.status == 200, f"{nb_href}: HTTP {nb.status}"
    notebook = json.loads(nb.text())
    assert notebook.get("cells"), f"{nb_href} has no cells"
    assert any(cell.get("cell_type") == "code" for cell in notebook["cells"]), f"{nb_href}: no code cell"

    page.screenshot(path=screenshot_path(rel.removesuffix(".html")))  # full-page shots are slow


# -- search, versions -------------------------------------------------------------


def test_search_finds_return_state(tab, site_url):
    target = "auto_examples/seed/plot_return_state.html"
    assert (SITE / target).is_file(), f"no page {target}: examples/seed/plot_return_state.py must be built"
    page, recorder = tab
    visit(page, recorder, site_url + "search.html?q=return_state", "search.html?q=return_state")
    results = page.locator("#search-results ul.search li a")
    page.wait_for_function(
        "() => (document.querySelector('#search-results .search-summary') || {}).innerText"
    )
    hrefs = [relative(site_url, h) for h in results.evaluate_all("links => links.map(a => a.href)")]
    page.screenshot(path=screenshot_path("search_return_state"), full_page=True)
    assert target in hrefs, f"search for return_state found {hrefs}"
    assert_clean(recorder)


def test_version_switcher_lists_versions(tab, site_url):
    page, recorder = tab
    visit(page, recorder, site_url + "index.html")
    entries = json.loads((SITE / "_static" / "switcher.json").read_text(encoding="utf-8"))
    assert entries, "switcher.json lists no version"
    button = page.locator(".version-switcher__button:visible").first
    page.wait_for_function(
        "() => document.querySelectorAll('.version-switcher__menu a').length > 0"
    )
    button.click()
    items = page.locator(".version-switcher__menu:visible a")
    items.first.wait_for(state="visible")
    names = [t.strip() for t in items.all_inner_texts()]
    page.screenshot(path=screenshot_path("version_switcher"))
    assert len(names) >= 1
    assert names == [e.get("name", e["version"]) for e in entries], names
    assert_clean(recorder)


# -- every page loads cleanly --------------------------------------------------------


OTHER_PAGES = [p for p in site_pages() if p not in expected_example_pages()]


@pytest.mark.parametrize("rel", OTHER_PAGES or ["index.html"])
def test_page_loads_without_errors_or_offsite_requests(tab, site_url, rel):
    """Every page the reading tour above does not visit (it checks the examples)."""
    page, recorder = tab
    visit(page, recorder, page_url(site_url, rel), rel)
    assert_clean(recorder)


# -- dark mode and a phone -----------------------------------------------------------------


def luminance(css_colour: str) -> float:
    """Relative luminance (0 black .. 1 white) of a computed 'rgb(...)' colour."""
    values = css_colour[css_colour.index("(") + 1 : css_colour.index(")")].replace("/", " ")
    r, g, b = (float(v) / 255 for v in values.replace(",", " ").split()[:3])

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def test_dark_mode_through_the_theme_switcher(browser, site_url):
    context = browser.new_context(viewport=DESKTOP, color_scheme="light")
    context.set_default_timeout(TIMEOUT_MS)
    recorder = Recorder(context, site_url)
    try:
        page = context.new_page()
        rel = (expected_example_pages() or ["index.html"])[0]
        visit(page, recorder, site_url + rel, rel)
        assert page.evaluate("document.documentElement.dataset.theme") == "light"
        page.locator(".theme-switch-button:visible").first.click()
        page.locator(".theme-change-button[data-mode='dark']:visible").first.click()
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        page.screenshot(path=screenshot_path("dark_" + rel.removesuffix(".html")), full_page=True)
        colours = page.evaluate(
            """() => ({bg: getComputedStyle(document.body).backgroundColor,
                       fg: getComputedStyle(document.body).color})"""
        )
        assert luminance(colours["bg"]) < 0.05, f"dark mode background is {colours['bg']}"
        assert luminance(colours["fg"]) > 0.5, f"dark mode text is {colours['fg']}"
        # figures keep their contrast: not dimmed by the theme, on a white card
        figures = page.evaluate(
            """() => Array.from(document.querySelectorAll(
                   "main img.sphx-glr-single-img, main img.sphx-glr-multi-img"))
                 .map((img) => ({filter: getComputedStyle(img).filter,
                                 bg: getComputedStyle(img).backgroundColor}))"""
        )
        assert figures, f"{rel} has no figure to check in the dark theme"
        for figure in figures:
            assert figure["filter"] in ("none", ""), f"a figure is dimmed in the dark theme: {figure}"
            assert luminance(figure["bg"]) > 0.95, f"a figure has no white card in the dark theme: {figure}"
        # a figure is a link: reached with the keyboard, it opens the full-resolution file
        link = page.locator("main a.lstm-figure-link").first
        link.focus()
        assert page.evaluate("document.activeElement.classList.contains('lstm-figure-link')")
        href = link.get_attribute("href")
        assert href and href.endswith("_2_00x.png"), f"the first figure links to {href!r}"
        recorder.current = f"{rel} (the first figure, opened with Enter)"
        with page.expect_navigation(wait_until="load") as opened:
            page.keyboard.press("Enter")
        assert opened.value is not None and opened.value.status == 200
        assert page.url.endswith("_2_00x.png"), page.url
        page.go_back(wait_until="load")
        # the choice is remembered on the next page
        visit(page, recorder, site_url + "index.html")
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        page.screenshot(path=screenshot_path("dark_landing"))
        assert_clean(recorder)
    finally:
        context.close()


def test_phone_width_is_usable(browser, site_url):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    recorder = Recorder(context, site_url)
    try:
        page = context.new_page()
        overflowing = []
        for rel in ["index.html", "auto_examples/index.html", *expected_example_pages()]:
            visit(page, recorder, site_url + rel, rel)
            widths = page.evaluate(
                """() => ({scroll: document.documentElement.scrollWidth,
                           client: document.documentElement.clientWidth,
                           body: document.body.scrollWidth})"""
            )
            if max(widths["scroll"], widths["body"]) > widths["client"] + 1:
                overflowing.append(f"{rel}: {widths}")
                page.screenshot(path=screenshot_path("phone_overflow_" + rel.removesuffix(".html")))
        assert not overflowing, "pages wider than a 375 px phone:\n  " + "\n  ".join(overflowing)

        # the site navigation is one tap away and leads to the gallery
        visit(page, recorder, site_url + "index.html")
        page.screenshot(path=screenshot_path("phone_landing"), full_page=True)
        toggle = page.locator(".primary-toggle")
        assert toggle.is_visible(), "no navigation button on a phone"
        toggle.click()
        dialog = page.locator("#pst-primary-sidebar-modal")
        dialog.wait_for(state="visible")
        link = dialog.locator("a[href$='auto_examples/index.html']").first
        link.wait_for(state="visible")
        page.wait_for_timeout(400)  # let the slide-in finish for the screenshot
        page.screenshot(path=screenshot_path("phone_navigation"))
        recorder.current = "auto_examples/index.html (from the phone navigation)"
        with page.expect_navigation(wait_until="load"):
            link.click()
        assert relative(site_url, page.url) == "auto_examples/index.html"
        assert_clean(recorder)
    finally:
        context.close()
