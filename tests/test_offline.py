"""Offline and private: no built page loads anything from outside the site.

Scans every HTML page for scripts, stylesheets, fonts, icons, images, frames
and media with an external URL (``http:``, ``https:`` or ``//host``), and the
site's own CSS for external ``url(...)`` / ``@import``. Links a reader clicks
(``<a href>``) and metadata links (``rel="canonical"``, ``next``, ...) may
point anywhere.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)
# <link rel=...> values that make the browser fetch (or connect to) the URL
FETCHING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "mask-icon", "preload",
                 "modulepreload", "prefetch", "preconnect", "dns-prefetch", "manifest"}
SRC_TAGS = {"script", "img", "iframe", "frame", "source", "video", "audio", "embed",
            "track", "input", "image", "use"}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)", re.I)


class ResourceFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.external: list[str] = []

    def _check(self, tag: str, attr: str, url: str | None) -> None:
        if url and EXTERNAL.match(url):
            self.external.append(f"<{tag} {attr}={url!r}>")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            rels = set((attrs.get("rel") or "").lower().split())
            if rels & FETCHING_RELS:
                self._check(tag, "href", attrs.get("href"))
        if tag in SRC_TAGS:
            for attr in ("src", "href", "xlink:href", "poster", "data"):
                self._check(tag, attr, attrs.get(attr))
        if tag == "object":
            self._check(tag, "data", attrs.get("data"))
        for attr in ("srcset", "imagesrcset"):
            for candidate in (attrs.get(attr) or "").split(","):
                self._check(tag, attr, candidate.strip().split(" ")[0])
        for found in CSS_URL.findall(attrs.get("style") or ""):
            self._check(tag, "style", found[0] or found[1])

        self.in_style = tag == "style"

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):  # inline <style> blocks
        if getattr(self, "in_style", False):
            for found in CSS_URL.findall(data):
                self._check("style", "css", found[0] or found[1])


def test_pages_load_nothing_from_outside(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 3
    offenders = {}
    for page in pages:
        finder = ResourceFinder()
        finder.feed(page.read_text(encoding="utf-8", errors="replace"))
        if finder.external:
            offenders[str(page.relative_to(site))] = finder.external[:5]
    assert not offenders, offenders


def test_stylesheets_load_nothing_from_outside(site):
    offenders = {}
    for css in sorted(site.rglob("*.css")):
        text = css.read_text(encoding="utf-8", errors="replace")
        urls = [a or b for a, b in CSS_URL.findall(text)]
        bad = [url for url in urls if EXTERNAL.match(url)]
        if bad:
            offenders[str(css.relative_to(site))] = bad[:5]
    assert not offenders, offenders
