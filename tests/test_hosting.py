"""Hosting files of a single build: sitemap.xml, 404.html, switcher.json, footer.

The base URL is set in conf.py only; the tests read it back from the page's
``<link rel="canonical">`` (which Sphinx writes from ``html_baseurl``).
"""

from __future__ import annotations

import json
import platform
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from support import ROOT, Recorder, Server, base_url, site_pages, sitemap_pages


def version_of(site: Path) -> str:
    options = (site / "_static" / "documentation_options.js").read_text(encoding="utf-8")
    return re.search(r"VERSION: '([^']*)'", options).group(1)


def test_sitemap_lists_every_page_under_the_base_url(site):
    base = base_url(site)
    assert base.startswith("https://") and base.endswith("/")
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert base + "index.html" in locs
    assert all(loc.startswith(base) for loc in locs), locs[:5]
    assert sitemap_pages(site) == set(site_pages(site))


def test_404_page_urls_are_relative_to_the_site_root(site):
    """docs/_ext/notfound_base.py: relative URLs, and a <base> chosen when shown."""
    prefix = urlsplit(base_url(site)).path
    page = (site / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in page
    assets = re.findall(r'\s(?:src|href)="([^"#]+)"', page)
    local = [a for a in assets if not re.match(r"^[a-z]+:|^//", a)]
    assert local and not [a for a in local if a.startswith("/")], local[:10]
    head = page[: page.index("<link")]
    assert '<base href="about:blank" />' in head, "the <base> must come before any asset"
    assert "document.querySelector('base')" in head
    assert f"<noscript><base href='{prefix}' /></noscript>" in head


# -- the 404 page in Chromium, served as hosts serve it ----------------------------------


def _as_version(page404: bytes, folder: str) -> bytes:
    """The 404 page as a build with LSTM_SITE_SUBDIR=<folder> makes it."""
    text = page404.decode("utf-8")
    assert 'folder = ""' in text
    return text.replace('folder = ""', f'folder = "{folder}"').encode("utf-8")


# (where the site is served, which 404 page, the URLs asked for)
HOSTINGS = {
    # python -m http.server -d _build/html (a server that serves 404.html for missing pages)
    "local": ("/", None, ["/404.html", "/does/not/exist.html"]),
    # GitHub Pages: the site under its base path
    "hosted": (None, None, ["{prefix}404.html", "{prefix}does/not/exist.html"]),
    # make versions: the tree at its base path; this build as version 1.2, whose
    # 404 page is also the tree's root 404 page
    "versions": ("{prefix}1.2/", "1.2/", ["{prefix}does/not/exist.html", "{prefix}1.2/does/not"]),
    # make versions, previewed locally at the server's root
    "versions-local": ("/1.2/", "1.2/", ["/does/not/exist.html", "/1.2/does/not/exist.html"]),
}


@pytest.mark.parametrize("hosting", list(HOSTINGS))
def test_404_page_is_styled_wherever_it_is_shown(site, browser, hosting):
    # the session's one browser (tests/support.py, Browser): a second
    # sync_playwright() in the same test process clashes with its event loop
    prefix = urlsplit(base_url(site)).path
    mount, folder, paths = HOSTINGS[hosting]
    mount = (mount or prefix).format(prefix=prefix)
    page404 = (site / "404.html").read_bytes()
    if folder:
        page404 = _as_version(page404, folder)
    with Server(site, mounts=(mount,), page404=page404) as server:
        origin = server.origin
        context = browser.new_context()
        recorder = Recorder(context, origin + "/")
        page = context.new_page()
        problems = []
        for path in paths:
            url = origin + path.format(prefix=prefix)
            recorder.current = url
            response = page.goto(url, wait_until="load")
            assert response.status in (200, 404), url
            page.wait_for_load_state("networkidle")
            styled = page.evaluate(
                "() => getComputedStyle(document.documentElement)"
                ".getPropertyValue('--pst-color-primary').trim()"
            )
            if not styled:
                problems.append(f"{url}: not styled (the theme's CSS did not load)")
            if page.locator("h1", has_text="Page not found").count() != 1:
                problems.append(f"{url}: no 'Page not found' heading")
            home = page.evaluate("() => new URL('./', document.baseURI).pathname")
            if home != mount:
                problems.append(f"{url}: links lead to {home}, not to the site at {mount}")
        # the document itself is answered with 404, as a host does: Chromium logs that
        asked = tuple(origin + path.format(prefix=prefix) for path in paths)
        problems += [
            x for x in recorder.problems()
            if not x.endswith(tuple(f"HTTP 404 {u}" for u in asked))
            and not (x.startswith("console error") and x.endswith(tuple(f"({u}:0)" for u in asked)))
        ]
        context.close()
    assert not problems, "\n".join(problems)


def test_switcher_json_of_a_single_build(site):
    entries = json.loads((site / "_static" / "switcher.json").read_text(encoding="utf-8"))
    version = version_of(site)
    if len(entries) == 1:  # make html; make versions replaces it with every version
        assert entries == [{"name": version, "version": version, "url": "./"}]
    assert version in [entry["version"] for entry in entries]
    page = (site / "index.html").read_text(encoding="utf-8")
    assert f"theme_switcher_version_match = '{version}'" in page
    assert "version-switcher.js" in page  # resolves the relative entry URLs


def pinned_versions() -> dict[str, str]:
    """What the footer must say, from requirements.txt (the pins) and this Python."""
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", (ROOT / "requirements.txt").read_text(), re.M))
    pins = {name.lower(): version for name, version in pins.items()}
    return {
        "Python": platform.python_version(),
        "TensorFlow": pins.get("tensorflow-cpu") or pins["tensorflow"],
        "Keras": pins["keras"],
        "NumPy": pins["numpy"],
        "matplotlib": pins["matplotlib"],
    }


def stated_versions(page_text: str) -> dict[str, str] | None:
    """The versions a page's footer states, or None without the footer."""
    match = re.search(r'<p class="computed-with">(.*?)</p>', page_text, re.S)
    if not match:
        return None
    return dict(re.findall(r"([A-Za-z]+)&nbsp;(\d+(?:\.\d+)*)", match.group(1)))


def test_every_page_states_the_versions_it_was_computed_with(site):
    expected = pinned_versions()
    pages = site_pages(site)
    assert len(pages) > 20, pages
    without_footer, wrong = [], {}
    for rel in pages:
        page = site / rel
        text = page.read_text(encoding="utf-8")
        stated = stated_versions(text)
        if 'class="bd-footer"' not in text or stated is None:
            without_footer.append(rel)
        elif stated != expected:
            wrong[rel] = stated
    assert not without_footer, f"pages without the footer that states the versions: {without_footer}"
    assert not wrong, f"the pins in requirements.txt are {expected}; these pages say otherwise: {wrong}"
