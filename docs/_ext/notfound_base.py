"""The 404 page works wherever it is shown: on the host, and in a local preview.

A host shows its 404 page for any missing URL, at any depth
(``/lstm-io/does/not/exist.html``), so the page cannot use relative URLs as
the other pages do. sphinx-notfound-page makes them absolute under the hosted
path (``notfound_urls_prefix``, e.g. ``/lstm-io/``) - which breaks the page in
a local preview (``python -m http.server -d _build/html``, where the site is at
``/``): no styles, a console error.

Here the page's URLs are made relative to the site's root again, and a
``<base>`` set before any of them, chosen when the page is shown:

* under the host's path (``lstm_site_root``, the path of the site's URL in
  conf.py, e.g. ``/lstm-io/``): the hosted path of this build,
  ``notfound_urls_prefix`` (``/lstm-io/`` or ``/lstm-io/1.2/``);
* anywhere else: the same folders from the server's root (``/`` or ``/1.2/``),
  a local preview of the build (or of the tree of ``make versions``).

The ``<base>`` comes first in ``<head>``, as ``about:blank``, which no relative URL
resolves against: Chromium's preload scanner, which reads ahead of the parser
before any script runs, then fetches nothing from a wrong folder. The inline
script right after it sets the real address, before the parser meets any
stylesheet or script. Without JavaScript a ``<noscript>`` base, the first
one then, gives the hosted path. sphinx-notfound-page has no option for this
(its URLs are absolute under one path).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path


def base_script(site_root: str, prefix: str) -> str:
    """The markup that sets the 404 page's ``<base>`` (see the module docstring)."""
    folder = prefix[len(site_root):] if prefix.startswith(site_root) else ""
    script = (
        "(function () {"
        f"var root = {json.dumps(site_root)}, folder = {json.dumps(folder)};"
        "var base = document.querySelector('base');"
        "base.href = (location.pathname.indexOf(root) === 0 ? root : '/') + folder;"
        # the root that docs/_static/version-switcher.js resolves against
        "document.documentElement.dataset.content_root = base.href;"
        "})();"
    )
    # single quotes: _relative_urls leaves this one absolute
    return (
        f"\n    <noscript><base href='{html.escape(prefix)}' /></noscript>"
        '\n    <base href="about:blank" />'
        f"\n    <script>{script}</script>"
    )


SWITCHER_FIX = (
    "<script>DOCUMENTATION_OPTIONS.theme_switcher_json_url = new URL("
    "DOCUMENTATION_OPTIONS.theme_switcher_json_url, document.baseURI).href;</script>"
)


def _prefix(app) -> str:
    return app.config.notfound_urls_prefix or "/"


def _add_base(app, pagename, templatename, context, doctree) -> None:
    if pagename == app.config.notfound_pagename:
        context["metatags"] = base_script(app.config.lstm_site_root, _prefix(app)) + context.get(
            "metatags", ""
        )


def _relative_urls(app, exception) -> None:
    """Make the 404 page's ``/<prefix>/...`` URLs relative to the site's root."""
    if exception is not None or app.builder.format != "html":
        return
    page = Path(app.outdir) / (app.config.notfound_pagename + ".html")
    if not page.is_file():
        return
    prefix = _prefix(app)
    text = page.read_text(encoding="utf-8")
    pattern = re.compile(r'(\s(?:href|src)=")' + re.escape(prefix) + r'([^"]*")')

    def relative(match: re.Match) -> str:
        rest = match.group(2)
        return match.group(1) + ("./" if rest == '"' else "") + rest

    text = pattern.sub(relative, text)
    # the theme fetches switcher.json relative to the page's address, not its <base>
    if SWITCHER_FIX not in text:
        text = text.replace("</head>", SWITCHER_FIX + "\n  </head>", 1)
    page.write_text(text, encoding="utf-8")


def setup(app):
    app.setup_extension("notfound.extension")
    # the path at which the host serves the site's root (versions in folders below)
    app.add_config_value("lstm_site_root", "/", "html", types=[str])
    # after sphinx-notfound-page's own html-page-context handler
    app.connect("html-page-context", _add_base, priority=600)
    app.connect("build-finished", _relative_urls)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
