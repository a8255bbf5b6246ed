"""The pages of a built site, and where it is hosted: one rule for the tests,
the benchmark and Lighthouse.

A page is an ``.html`` file of the built site outside its ``_``-folders:
``_static/`` holds theme files such as the Jinja macros file
``webpack-macros.html``, and ``_sources``, ``_downloads`` and ``_images`` hold
no pages.
"""

from __future__ import annotations

import re
from pathlib import Path


def site_pages(html: Path) -> list[str]:
    """Every page the build wrote, as paths relative to the site's root, sorted."""
    if not html.is_dir():
        return []
    return sorted(
        path.relative_to(html).as_posix()
        for path in html.rglob("*.html")
        if not path.relative_to(html).parts[0].startswith("_")
    )


def hosted_prefix(html: Path) -> str:
    """The path the site is hosted under ("/lstm-io/"), as its 404 page's URLs say.

    sphinx-notfound-page writes the 404 page with absolute URLs
    (``/<base path>/_static/...``) because a host shows it at any depth; a
    local server that shows the 404 page as a host does serves the site under
    that path too. Without a 404 page: "/".
    """
    page = html / "404.html"
    if page.is_file():
        match = re.search(r'href="(/[^"]*?)_static/', page.read_text(encoding="utf-8"))
        if match:
            return match.group(1)
    return "/"
