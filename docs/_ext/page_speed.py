"""A phone's first visit: less that blocks the first paint, and a page summary.

Issue #20. The rest of the work is in ``docs/_templates/layout.html`` (no
Font Awesome script, no search index outside the search page) and in
``conf.py`` (sphinxext-opengraph's options). This extension only does what
neither a theme option nor a template can:

* **Scripts wait for the page.** Every script file that Sphinx and its
  extensions put in ``<head>`` (doctools, copybutton, clipboard.js,
  sphinx-gallery's tags, the version switcher's fix) is loaded with
  ``defer``: it downloads alongside the page and runs, in the same order,
  once the HTML is parsed, instead of stopping the parser. The exception is
  ``documentation_options.js``: inline scripts right after it (the page's
  name, the theme's switcher settings) use the object it defines, so it stays
  a plain, tiny script. Deferred scripts still run before DOMContentLoaded,
  which is where these scripts do their work. The search page keeps its
  scripts as they are (its own search scripts need doctools.js first).
* **The description a search result and a shared link show.**
  sphinxext-opengraph takes each page's description from its first
  paragraph; on the example pages that paragraph is the short answer,
  ``**In short:** ...``, and the lead-in "In short:" is dropped from the
  description. The page's own figure is its Open Graph image: sphinx-gallery's
  figures are its own ``image-sg`` nodes, which sphinxext-opengraph's
  ``ogp_use_first_image`` does not see, so the first one is named here.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urljoin

from docutils import nodes
from sphinx.builders.html._assets import _JavaScript

# Loaded as is: later inline scripts use what it defines.
KEEP_BLOCKING = {"_static/documentation_options.js"}
LEAD_IN = re.compile(
    r'(<meta (?:property="og:description"|name="description") content=")'
    r"\s*In short:\s*(\w?)"
)


def _deferred(script):
    if not isinstance(script, _JavaScript) or not script.filename:
        return script  # inline script (``body``): defer does not apply
    attributes = dict(script.attributes)
    if (script.filename.split("?")[0] in KEEP_BLOCKING
            or {"defer", "async"} & attributes.keys()
            or attributes.get("type") == "module"):
        return script
    attributes["defer"] = "defer"
    return _JavaScript(script.filename, priority=script.priority, **attributes)


def first_figure(doctree) -> nodes.Element | None:
    """The page's first sphinx-gallery figure (``image-sg`` node), if any."""
    from sphinx_gallery.directives import imgsgnode

    return next(iter(doctree.findall(imgsgnode)), None) if doctree else None


def defer_scripts(app, pagename, templatename, context, doctree):
    # The search page is left as it is: its template loads searchtools.js
    # as a plain script, which needs doctools.js (``_ready``) at once.
    if pagename != "search" and "script_files" in context:
        context["script_files"] = [_deferred(s) for s in context["script_files"]]


def figure_as_og_image(app, pagename, templatename, context, doctree):
    """Name the page's first figure for sphinxext-opengraph (runs before it)."""
    figure = first_figure(doctree)
    meta = context.get("meta")
    if figure is None or meta is None or "og:image" in meta:
        return
    uri = figure.get("uri", "")
    name = uri.replace("\\", "/").rsplit("/", 1)[-1]
    if not name:
        return
    # a copy: the page's metadata is the build environment's own
    meta = context["meta"] = dict(meta)
    meta["og:image"] = urljoin(app.config.ogp_site_url or "", "_images/" + name)
    if figure.get("alt"):
        meta["og:image:alt"] = figure["alt"]


def drop_lead_in(app, pagename, templatename, context, doctree):
    """'In short: an LSTM ...' -> 'An LSTM ...' (runs after sphinxext-opengraph).

    Pages without a text of their own (the search page, the 404 page: no
    doctree, so sphinxext-opengraph skips them) get a description too.
    """
    tags = context.get("metatags") or ""
    if "In short:" in tags:
        tags = LEAD_IN.sub(lambda m: m.group(1) + m.group(2).upper(), tags)
    if '<meta name="description"' not in tags:
        project = app.config.project
        if pagename == "search":
            text = f"Search every page of {project}."
        else:
            title = re.sub(r"<[^>]+>", "", context.get("title") or "")
            text = f"{project}: {title}." if title else f"{project}."
        tags += f'<meta name="description" content="{html.escape(text, quote=True)}" />\n'
    context["metatags"] = tags


# -- the theme's stylesheet, trimmed ------------------------------------------
THEME_CSS = "styles/pydata-sphinx-theme.css"
WORD = re.compile(r"[A-Za-z0-9_-]+")
# what a selector needs: its classes, ids and element names
SELECTOR_TOKEN = re.compile(r"([.#]?)(-?[A-Za-z_][A-Za-z0-9_-]*)")
# simplified away before the tokens are read (keeps a selector more often)
SIMPLIFY = re.compile(r"\[[^\]]*\]|::?[A-Za-z-]+(\((?:[^()]|\([^()]*\))*\))?")
# at-rules whose blocks hold rules (filtered); the others are kept whole
NESTED = ("@media", "@supports", "@layer", "@container")


def _blocks(css: str):
    """Top-level (prelude, body) pairs; body None for a statement (``@import ...;``)."""
    i, n, start = 0, len(css), 0
    depth = 0
    prelude_end = None
    while i < n:
        c = css[i]
        if c in "\"'":
            end = i + 1
            while end < n and css[end] != c:
                end += 2 if css[end] == "\\" else 1
            i = end + 1
            continue
        if css.startswith("/*", i):
            end = css.find("*/", i + 2)
            before = css[start:i]
            i = n if end < 0 else end + 2
            if depth == 0 and prelude_end is None and not before.strip():
                start = i  # a comment between rules goes
            continue
        if c == "{":
            if depth == 0:
                prelude_end = i
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                yield css[start:prelude_end].strip(), css[prelude_end + 1:i]
                start, prelude_end = i + 1, None
        elif c == ";" and depth == 0:
            yield css[start:i].strip(), None
            start = i + 1
        i += 1


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, current = [], 0, []
    for c in prelude:
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        if c == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(c)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _selector_used(selector: str, words: set[str]) -> bool:
    if "\\" in selector:
        return True  # an escaped name: not worth reading, kept
    for prefix, name in SELECTOR_TOKEN.findall(SIMPLIFY.sub(" ", selector)):
        if prefix or not name[0].isdigit():  # "2n+1" and keyframe steps are no names
            if name not in words and name.lower() not in words:
                return False
    return True


def purge(css: str, words: set[str]) -> str:
    """The rules of ``css`` that can match something (see the module docstring)."""
    out = []
    for prelude, body in _blocks(css):
        if body is None:
            out.append(prelude + ";")
        elif prelude.startswith(NESTED):
            inner = purge(body, words)
            if inner:
                out.append(prelude + "{" + inner + "}")
        elif prelude.startswith("@"):
            out.append(prelude + "{" + body + "}")
        else:
            kept = [s for s in _split_selectors(prelude) if _selector_used(s, words)]
            if kept:
                out.append(",".join(kept) + "{" + body + "}")
    return "".join(out)


def site_words(outdir: Path) -> set[str]:
    """Every word of every built page and every script of the site."""
    words: set[str] = set()
    for path in outdir.rglob("*"):
        if path.suffix in (".html", ".js") and path.is_file():
            words.update(WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return words


def trim_theme_css(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    import pydata_sphinx_theme

    source = (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
              / "static" / THEME_CSS)
    target = Path(app.outdir) / "_static" / THEME_CSS
    if not source.is_file() or not target.is_file():
        return
    trimmed = purge(source.read_text(encoding="utf-8"), site_words(Path(app.outdir)))
    if not target.is_file() or target.read_text(encoding="utf-8") != trimmed:
        target.write_text(trimmed, encoding="utf-8")


def setup(app):
    app.connect("build-finished", trim_theme_css)
    app.connect("html-page-context", defer_scripts, priority=900)
    app.connect("html-page-context", figure_as_og_image, priority=400)
    app.connect("html-page-context", drop_lead_in, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
