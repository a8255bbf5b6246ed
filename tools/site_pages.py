"""The pages of a built site: one rule for the tests, the benchmark and Lighthouse.

A page is an ``.html`` file of the built site outside its ``_``-folders:
``_static/`` holds theme files such as the Jinja macros file
``webpack-macros.html``, and ``_sources``, ``_downloads`` and ``_images`` hold
no pages.
"""

from __future__ import annotations

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
