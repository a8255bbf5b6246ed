"""Hosting files of a single build: sitemap.xml, 404.html, switcher.json, footer.

The base URL is set in conf.py only; the tests read it back from the page's
``<link rel="canonical">`` (which Sphinx writes from ``html_baseurl``).
"""

from __future__ import annotations

import functools
import http.server
import json
import platform
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_support import (  # noqa: F401 - fixtures
    Recorder,
    browser,
    chromium,
)
from conftest import ROOT
from test_links import html_pages


def base_url(site: Path) -> str:
    page = (site / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<link rel="canonical" href="([^"]+)index\.html"', page)
    assert match, "index.html has no canonical link: is html_baseurl set in conf.py?"
    return match.group(1)


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
    assert sitemap_pages(site) == built_pages(site)


def built_pages(site: Path) -> set[str]:
    """Every page the build wrote (not the files under _static, _downloads, ...)."""
    return {
        path.relative_to(site).as_posix()
        for path in site.rglob("*.html")
        if not path.relative_to(site).parts[0].startswith("_")
    }


def sitemap_pages(site: Path) -> set[str]:
    """The pages sitemap.xml lists, relative to the site's base URL."""
    base = base_url(site)
    locs = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    return {loc[len(base):] for loc in locs}


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


class _NotFoundHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under ``mount`` and ``page404`` (status 404) for anything missing."""

    mount = "/"
    page404 = b""

    def log_message(self, format, *args):  # noqa: A002
        pass

    def send_head(self):
        path = urlsplit(self.path).path
        if path.startswith(self.mount):
            target = Path(self.directory) / path[len(self.mount):]
            if target.is_dir():
                target = target / "index.html"
            if target.is_file():
                self.path = "/" + str(target.relative_to(self.directory))
                return super().send_head()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.page404)))
        self.end_headers()
        return __import__("io").BytesIO(self.page404)




def _serve(site: Path, mount: str, page404: bytes):
    handler = type("Handler", (_NotFoundHandler,), {"mount": mount, "page404": page404})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


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
    # the session's one browser (tests/browser_support.py): a second
    # sync_playwright() in the same test process clashes with its event loop
    prefix = urlsplit(base_url(site)).path
    mount, folder, paths = HOSTINGS[hosting]
    mount = (mount or prefix).format(prefix=prefix)
    page404 = (site / "404.html").read_bytes()
    if folder:
        page404 = _as_version(page404, folder)
    httpd, origin = _serve(site, mount, page404)
    try:
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
    finally:
        httpd.shutdown()
        httpd.server_close()
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
    pages = html_pages(site)
    assert len(pages) > 20, pages
    without_footer, wrong = [], {}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        stated = stated_versions(text)
        if 'class="bd-footer"' not in text or stated is None:
            without_footer.append(str(page.relative_to(site)))
        elif stated != expected:
            wrong[str(page.relative_to(site))] = stated
    assert not without_footer, f"pages without the footer that states the versions: {without_footer}"
    assert not wrong, f"the pins in requirements.txt are {expected}; these pages say otherwise: {wrong}"
