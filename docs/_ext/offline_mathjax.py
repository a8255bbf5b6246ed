"""Serve MathJax from the site itself: math renders with no network.

Sphinx's ``sphinx.ext.mathjax`` loads MathJax from a CDN by default. This
extension copies just what the ``tex-chtml`` build of MathJax 3 needs from the
pinned ``sphinx-mathjax-offline`` package (which ships all of MathJax, ~24 MB)
into ``_static/mathjax/`` of the HTML output, and points ``mathjax_path`` there:

* ``tex-chtml.js`` - TeX input, CommonHTML output, the TeX fonts' metrics,
  the context menu and assistive MathML, in one file (~1.2 MB);
* ``output/chtml/fonts/woff-v2/*.woff`` - the TeX web fonts (~0.4 MB), which
  ``tex-chtml.js`` loads relative to its own address.

Other MathJax components (the accessibility explorer, extra TeX packages) are
not copied; the pages use only TeX that ``tex-chtml.js`` contains.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util.fileutil import copy_asset_file

MATHJAX_PATH = "mathjax/tex-chtml.js"  # relative to _static/
FILES = ["tex-chtml.js"]
FONT_DIR = "output/chtml/fonts/woff-v2"


def mathjax_source() -> Path:
    """The folder of MathJax files inside the installed sphinx-mathjax-offline."""
    try:
        dist = metadata.distribution("sphinx-mathjax-offline")
    except metadata.PackageNotFoundError as error:
        raise ExtensionError(
            "offline_mathjax needs the package sphinx-mathjax-offline "
            "(pinned in requirements.txt): run `make venv`"
        ) from error
    source = Path(dist.locate_file("sphinx-mathjax-offline/static/mathjax"))
    if not (source / FILES[0]).is_file():
        raise ExtensionError(f"offline_mathjax: no {FILES[0]} in {source}")
    return source


def copy_mathjax(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    source = mathjax_source()
    target = Path(app.outdir) / "_static" / "mathjax"
    for name in FILES:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        copy_asset_file(source / name, target / name, force=True)
    fonts = target / FONT_DIR
    fonts.mkdir(parents=True, exist_ok=True)
    for font in sorted((source / FONT_DIR).glob("*.woff")):
        copy_asset_file(font, fonts / font.name, force=True)


def check_config(app, config) -> None:
    mathjax_source()  # fail early, before any example runs
    if config.mathjax_path != MATHJAX_PATH:
        raise ExtensionError(
            f"offline_mathjax: set mathjax_path = {MATHJAX_PATH!r} in conf.py "
            f"(it is {config.mathjax_path!r}, which would load MathJax from elsewhere)"
        )


def setup(app):
    app.setup_extension("sphinx.ext.mathjax")
    app.connect("config-inited", check_config)
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
