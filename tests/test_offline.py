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

import pytest
from conftest import ROOT

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


# the pages whose sources have math (:math: or .. math::): each must show it
MATH_PAGES = [
    "auto_examples/seed/plot_lstm_weights.html",
    "auto_examples/cell/plot_numpy_lstm.html",
    "auto_examples/cell/plot_cell_stepping.html",
    "auto_examples/cell/plot_gates_over_time.html",
    "auto_examples/cell/plot_parameter_count.html",
    "auto_examples/beyond/plot_gru_simplernn.html",
    "auto_examples/beyond/plot_keras_vs_pytorch.html",
    "auto_examples/trained/plot_counting_unit.html",
    "auto_examples/trained/plot_long_memory.html",
    "auto_examples/trained/plot_trained_gates.html",
]


def _math_sources() -> list[str]:
    """Site paths of the example pages whose source has math."""
    found = []
    for source in sorted((ROOT / "examples").rglob("plot_*.py")):
        if re.search(r":math:`|\.\. math::", source.read_text(encoding="utf-8")):
            found.append(f"auto_examples/{source.parent.name}/{source.stem}.html")
    return found


def test_math_pages_are_listed():
    assert sorted(_math_sources()) == sorted(MATH_PAGES)


@pytest.mark.parametrize("rel", MATH_PAGES)
def test_math_is_mathml_made_at_build_time(site, rel):
    page = site / rel
    assert page.is_file(), f"no page {rel}"
    text = page.read_text(encoding="utf-8")
    assert "<math " in text, f"{rel}: no MathML"
    # latex2mathml left nothing unconverted (docs/_ext/mathml.py warns too)
    assert not re.search(r"<m[ion]>\\[A-Za-z]+</m[ion]>", text), f"{rel}: unconverted LaTeX"
    assert "\\(" not in text and "\\[" not in text, f"{rel}: LaTeX left for a script"


def test_no_page_loads_mathjax(site):
    offenders = [
        str(p.relative_to(site)) for p in site.rglob("*.html")
        if re.search(r"<script[^>]*mathjax|MathJax\.|tex-chtml|tex-mml", p.read_text(encoding="utf-8"), re.I)
    ]
    assert not offenders, offenders
