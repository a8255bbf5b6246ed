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
  sphinxext-opengraph writes the tags; their text becomes the page's opening
  paragraph (:func:`describe_page`: its own walk of the page glues inline
  code to the word before it and runs on into headings and tables). On the
  example pages that paragraph is the short answer, ``**In short:** ...``,
  whose lead-in is dropped. The page's own figure is its Open Graph image:
  sphinx-gallery's figures are its own ``image-sg`` nodes, which
  sphinxext-opengraph's ``ogp_use_first_image`` does not see, so the first
  one is named here.
* **The theme's stylesheet, trimmed** (:func:`trim_theme_css`, when the
  build is done): the rules no page can use go (PurgeCSS's method), and the
  Font Awesome fonts are cut to the icons the remaining rules name
  (:func:`subset_icon_fonts`).
"""

from __future__ import annotations

import hashlib
import html
import pickle
import re
from pathlib import Path
from urllib.parse import urljoin

from docutils import nodes
from sphinx.builders.html._assets import _JavaScript

# Loaded as is: later inline scripts use what it defines.
KEEP_BLOCKING = {"_static/documentation_options.js"}
DESCRIPTION_TAG = re.compile(
    r'(<meta (?:property="og:description"|name="description") content=")[^"]*(")'
)
LEAD_IN = re.compile(r"^In short:\s*")
SENTENCE_END = re.compile(r"[.!?](?=\s)")


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


def opening_text(doctree) -> str:
    """The page's first paragraph of its own text, as a reader reads it.

    Not in a note or another admonition (sphinx-gallery's "Go to the end"
    note comes first on every example page), a comment or raw HTML. The
    lead-in "In short:" of the example pages is dropped.
    """
    skipped = (nodes.Admonition, nodes.Invisible, nodes.raw, nodes.sidebar, nodes.topic)
    for paragraph in doctree.findall(nodes.paragraph):
        if any(isinstance(above, skipped) for above in _ancestors(paragraph)):
            continue
        text = " ".join(paragraph.astext().split())
        if text:
            text = LEAD_IN.sub("", text)
            return text[:1].upper() + text[1:]
    return ""


def _ancestors(node):
    while (node := node.parent) is not None:
        yield node


def shortened(text: str, limit: int) -> str:
    """At most ``limit`` characters: whole sentences when they fill half of
    it, else whole words and an ellipsis."""
    if len(text) <= limit:
        return text
    ends = [m.end() for m in SENTENCE_END.finditer(text) if m.end() <= limit]
    if ends and ends[-1] >= limit // 2:
        return text[: ends[-1]]
    cut = text[: limit - 1]
    return cut[: cut.rfind(" ")].rstrip(",;:") + "…" if " " in cut else cut + "…"


def describe_page(app, pagename, templatename, context, doctree):
    """The page's description, from its opening text (runs after sphinxext-opengraph).

    sphinxext-opengraph 0.13 makes ``og:description`` and the meta description
    by walking the whole page: it glues an inline literal to the word before
    it ("a(timesteps, features)"), runs on into the next heading and into
    tables. Its tags stay; only their text becomes the opening paragraph,
    shortened to ``ogp_description_length``. Pages without a text of their
    own (the search page, the 404 page) get a description too.
    """
    tags = context.get("metatags") or ""
    text = opening_text(doctree) if doctree is not None else ""
    text = shortened(text, app.config.ogp_description_length)
    if text:
        escaped = html.escape(text, quote=True)
        tags = DESCRIPTION_TAG.sub(lambda m: m.group(1) + escaped + m.group(2), tags)
    if '<meta name="description"' not in tags:
        project = app.config.project
        if pagename == "search":
            text = f"Search every page of {project}."
        elif not text:
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


def site_words(outdir: Path, known: dict | None = None) -> tuple[set[str], dict]:
    """Every word of every built page and every script of the site.

    ``known`` is what an earlier call returned second: each file's words with
    its size and modification time. A file whose size and time are unchanged
    is not read again (a no-change rebuild reads none); the words are those of
    the files there now, exactly as a clean build finds them.
    """
    known = known or {}
    files = {}
    for path in outdir.rglob("*"):
        if path.suffix in (".html", ".js") and path.is_file():
            status = path.stat()
            stamp = (status.st_mtime_ns, status.st_size)
            name = path.relative_to(outdir).as_posix()
            entry = known.get(name)
            if entry is None or entry[0] != stamp:
                text = path.read_text(encoding="utf-8", errors="replace")
                entry = (stamp, frozenset(WORD.findall(text)))
            files[name] = entry
    return set().union(*(words for _, words in files.values())), files


def trim_theme_css(app, exception):
    """The theme's stylesheet as purge() and subset_icon_fonts() leave it.

    What the last build found is kept in the doctree folder
    (``page_speed.pickle``): each file's words, and the stylesheet made from
    them by purge(), reused while the theme's stylesheet and the words are
    the same.
    """
    if exception is not None or app.builder.format != "html":
        return
    import pydata_sphinx_theme

    source = (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
              / "static" / THEME_CSS)
    target = Path(app.outdir) / "_static" / THEME_CSS
    if not source.is_file() or not target.is_file():
        return
    store = Path(app.doctreedir) / "page_speed.pickle"
    try:
        kept = pickle.loads(store.read_bytes())
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError):
        kept = {}
    words, files = site_words(Path(app.outdir), kept.get("files"))
    css = source.read_text(encoding="utf-8")
    key = hashlib.sha256("\n".join([css, *sorted(words)]).encode()).hexdigest()
    purged = kept.get("css", {}).get(key)
    if purged is None:
        purged = purge(css, words)
    trimmed = subset_icon_fonts(purged, target.parent)  # makes missing fonts only
    if target.read_text(encoding="utf-8") != trimmed:
        target.write_text(trimmed, encoding="utf-8")
    if kept.get("files") != files or key not in kept.get("css", {}):
        partial = store.with_name(store.name + ".part")
        partial.write_bytes(pickle.dumps({"files": files, "css": {key: purged}}))
        partial.replace(store)


# -- the icon font, cut to the icons the site shows ------------------------------
FONT_FACE = re.compile(r"@font-face\{[^}]*\}")
FONT_URL = re.compile(r"url\((\.\./vendor/fontawesome/webfonts/([\w-]+)\.woff2)\)")
CSS_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"' r"|'((?:[^'\\]|\\.)*)'")
CSS_CHAR = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)|(.)", re.S)


def css_characters(css: str) -> set[int]:
    """Every character (code point) written in a string of the stylesheet.

    Font Awesome draws an icon from a character its font maps to the icon,
    named in the stylesheet (``.fa-sun{--fa:"\\f185"}``, the theme's
    ``content: "\\f0eb"``); the rules that purge() kept are the ones a page
    can use, so their strings hold every icon the site can show.
    """
    found = set()
    for match in CSS_STRING.finditer(css):
        for char in CSS_CHAR.finditer(match.group(1) or match.group(2) or ""):
            hex_code, escaped, plain = char.groups()
            found.add(int(hex_code, 16) if hex_code else ord(escaped or plain))
    return found


def subset_icon_fonts(css: str, styles: Path) -> str:
    """Point the stylesheet's Font Awesome fonts at copies cut to the icons used.

    Each font (115 KB for the solid style) becomes a few kilobytes holding
    only the characters of :func:`css_characters`, made with fontTools'
    subsetter (fontTools comes with matplotlib; brotli, in the lock, reads
    and writes WOFF2). A copy's name carries a hash of its characters, so a
    page that shows a new icon gets a new file and no browser keeps a stale
    one; an existing copy is reused. Nothing a reader sees changes: the same
    font draws the same icons.
    """
    characters = sorted(css_characters(css))
    if not characters:
        return css
    tag = hashlib.sha256(repr(characters).encode()).hexdigest()[:10]
    webfonts = styles.parent / "vendor" / "fontawesome" / "webfonts"

    def cut(match: re.Match) -> str:
        original = webfonts / (match.group(2) + ".woff2")
        name = f"{match.group(2)}.{tag}.woff2"
        if not original.is_file():
            return match.group(0)
        if not (webfonts / name).is_file():
            from fontTools import subset  # 0.1 s to import: only when a font is made

            options = subset.Options()
            options.flavor = "woff2"
            options.layout_features = ["*"]
            font = subset.load_font(str(original), options)
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=characters)
            subsetter.subset(font)
            partial = webfonts / (name + ".part")
            subset.save_font(font, str(partial), options)
            partial.replace(webfonts / name)
        for stale in webfonts.glob(f"{match.group(2)}.*.woff2"):
            if stale.name != name:  # cut for icons the site no longer shows
                stale.unlink()
        return f"url(../vendor/fontawesome/webfonts/{name})"

    return FONT_FACE.sub(lambda face: FONT_URL.sub(cut, face.group(0)), css)


def setup(app):
    app.connect("build-finished", trim_theme_css)
    app.connect("html-page-context", defer_scripts, priority=900)
    app.connect("html-page-context", figure_as_og_image, priority=400)
    app.connect("html-page-context", describe_page, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
