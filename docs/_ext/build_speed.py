"""A fast no-change rebuild: two costs that every build paid for nothing.

Issue #21, item 7 (profiled with ``python -m cProfile`` on a rebuild with
nothing to do; ``make bench`` times it). The other savings live with what
they save: ``gallery_cache.py`` (step 4) skips the recommender and the
inventory reload, ``notebooks.py`` keeps sphinx-gallery's file times (else the
first rebuild after a clean build read and wrote all 37 gallery pages again)
and ``page_speed.py`` reads again only the pages that changed.

* **Templates compiled once.** Sphinx renders the search page and the 404
  page on every build, and the first render compiles the theme's templates
  (about 90 files, 0.3 s). Jinja's own bytecode cache keeps the compiled code
  in the doctree folder (``jinja-bytecode/``); Jinja checks each template's
  source against it, so an edited template is compiled again.
* **No matplotlib for social cards.** sphinxext-opengraph imports its
  social-card maker, and with it ``matplotlib.pyplot``, when it is itself
  imported: about 0.5 s of every build (upstream:
  sphinx-doc/sphinxext-opengraph#145). This site makes no social cards (each
  page's own figure is its image; ``ogp_social_cards`` in conf.py), so the
  maker's module is put in place as a stand-in that imports the real one only
  if a card is ever made. The stand-in's defaults are upstream's own
  (``tests/test_page_speed.py`` compares them), so sphinxext-opengraph
  behaves the same with any setting. This extension must come before
  ``sphinxext.opengraph`` in conf.py's ``extensions``.
"""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path

SOCIAL_CARDS = "sphinxext.opengraph._social_cards"
# sphinxext-opengraph 0.13.0, _social_cards.DEFAULT_SOCIAL_CONFIG
SOCIAL_CARD_DEFAULTS = {
    "enable": True,
    "site_url": True,
    "site_title": True,
    "page_title": True,
    "description": True,
}


def _create_social_card(*args, **kwargs):
    """Import the real social-card maker, then make the card with it."""
    sys.modules.pop(SOCIAL_CARDS, None)
    real = importlib.import_module(SOCIAL_CARDS)
    return real.create_social_card(*args, **kwargs)


def defer_social_cards() -> None:
    """Put the stand-in in place, unless sphinxext-opengraph is already loaded."""
    if SOCIAL_CARDS in sys.modules or "sphinxext.opengraph" in sys.modules:
        return
    stand_in = types.ModuleType(SOCIAL_CARDS, "Stand-in: see docs/_ext/build_speed.py")
    stand_in.DEFAULT_SOCIAL_CONFIG = dict(SOCIAL_CARD_DEFAULTS)
    stand_in.create_social_card = _create_social_card
    sys.modules[SOCIAL_CARDS] = stand_in


def cache_compiled_templates(app) -> None:
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is None or environment.bytecode_cache is not None:
        return
    from jinja2 import FileSystemBytecodeCache

    folder = Path(app.doctreedir) / "jinja-bytecode"
    folder.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup(app):
    defer_social_cards()
    app.connect("builder-inited", cache_compiled_templates)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
