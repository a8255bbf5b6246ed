"""Hosting files of a single build: sitemap.xml, 404.html, switcher.json, footer.

The base URL is set in conf.py only; the tests read it back from the page's
``<link rel="canonical">`` (which Sphinx writes from ``html_baseurl``).
"""

from __future__ import annotations

import json
import platform
import re
import sys
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "docs" / "_ext"))
import site_versions  # noqa: E402


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
    pages = {str(p.relative_to(site)) for p in site.rglob("*.html")}
    for loc in locs:
        assert loc[len(base):] in pages, loc


def test_404_page_uses_urls_under_the_base_path(site):
    prefix = urlsplit(base_url(site)).path
    page = (site / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in page
    assets = re.findall(r'(?:src|href)="([^"#]+)"', page)
    local = [a for a in assets if not re.match(r"^[a-z]+:|^//", a)]
    assert local and all(a.startswith(prefix) for a in local), local[:10]


def test_switcher_json_of_a_single_build(site):
    entries = json.loads((site / "_static" / "switcher.json").read_text(encoding="utf-8"))
    version = version_of(site)
    if len(entries) == 1:  # make html; make versions replaces it with every version
        assert entries == [{"name": version, "version": version, "url": "./"}]
    assert version in [entry["version"] for entry in entries]
    page = (site / "index.html").read_text(encoding="utf-8")
    assert f"theme_switcher_version_match = '{version}'" in page
    assert "version-switcher.js" in page  # resolves the relative entry URLs


def test_every_page_states_the_versions_it_was_computed_with(site):
    expected = [f"Python&nbsp;{platform.python_version()}"] + [
        f"{label}&nbsp;{site_versions.distribution_version(*names)}"
        for label, names in site_versions.COMPUTED_WITH.items()
    ]
    assert "not installed" not in " ".join(expected)
    assert metadata.version("keras") in " ".join(expected)
    for page in site.rglob("*.html"):
        if page.name == "404.html" and page.parent != site:
            continue
        text = page.read_text(encoding="utf-8")
        if 'class="bd-footer"' not in text:
            continue
        assert "Outputs computed with" in text, page
        for item in expected:
            assert item in text, (page, item)
