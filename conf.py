"""Sphinx configuration for the LSTM input/output gallery.

Sources live in ``docs/`` (pages) and ``examples/`` (gallery scripts); this file
sits at the repository root and is used with ``sphinx-build -c . docs <out>``.
Paths below are relative to this file's folder unless they are sphinx-gallery
paths, which are relative to ``docs/``.

Nothing here changes what an example computes: every example seeds itself and
runs the same as a downloaded script.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

# The examples set these themselves (a downloaded script must be quiet on its
# own); setting them here too keeps TensorFlow's C++ start-up log out of the
# build log when a sphinx-gallery worker imports it.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import notebooks  # noqa: E402
import site_versions  # noqa: E402

# -- Project -----------------------------------------------------------------
project = "LSTM input and output, explained"
author = "The LSTM I/O gallery authors"
copyright = "2026, " + author
# The version comes from git tags (see docs/_ext/site_versions.py): a build of
# release tag v1.2 is "1.2", anything else "dev"; tools/build_versions.py
# passes it explicitly in LSTM_SITE_VERSION.
release = site_versions.site_version(ROOT)
version = release

# Where the site is hosted: set here only. LSTM_SITE_URL overrides it (the
# GitHub Pages workflow passes the URL GitHub reports); on Read the Docs its
# canonical URL is used. tools/build_versions.py puts each version in a folder
# of its own and says which in LSTM_SITE_SUBDIR ("1.2/").
SITE_URL = (
    os.environ.get("LSTM_SITE_URL")
    or os.environ.get("READTHEDOCS_CANONICAL_URL")
    or "https://lstm-io.github.io/lstm-io/"
).rstrip("/") + "/"
_subdir = os.environ.get("LSTM_SITE_SUBDIR", "").strip("/ ")
html_baseurl = SITE_URL + (_subdir + "/" if _subdir else "")

# The GitHub repository, set here only. Every example page links to its
# notebook in Colab: github/<colab_repo>/blob/<colab_branch>/<version>/<name>.ipynb,
# a branch that .github/workflows publishes (one folder per built version);
# docs/_templates/colab-link.html makes the link.
GITHUB_REPO = "lstm-io/lstm-io"
COLAB_BRANCH = "notebooks"

# -- General -----------------------------------------------------------------
extensions = [
    "sphinx_gallery.gen_gallery",
    "sphinx_copybutton",
    "lstm_gallery",
    "site_versions",
    # which outputs to trust and which examples run (in how many processes):
    # no stale numbers, and a build stopped at any moment is followed by a good one
    "gallery_cache",
    # math as MathML, made at build time: no script, works offline
    "mathml",
    # the "how this site is built" page: tables from docs/_static/bench.json
    "bench_report",
    "sphinx_sitemap",
    # a rebuild gives the same sitemap.xml as a clean build
    "rebuild_stable",
    "notfound.extension",
    # names in the examples' code link to the Keras, NumPy, matplotlib and
    # Python docs from inventories made offline
    "api_inventories",
    # "API used on this page" and the Keras API index
    "api_pages",
    # palette thumbnails, loaded lazily: a light gallery index
    "gallery_thumbnails",
    # the 404 page works on the host and in a local preview
    "notfound_base",
    # notebooks: full links instead of reST, answer cells for the exercises
    "notebooks",
    # the shape explorer's Keras messages and the error lookup's index
    "shape_explorer",
    # a fast no-change rebuild: templates compiled once; before opengraph,
    # so that it does not import matplotlib for social cards it never makes
    "build_speed",
    # <meta name="description"> and Open Graph tags (a shared link's title,
    # description and figure), from each page's own text
    "sphinxext.opengraph",
    # a phone's first visit: scripts deferred; the description without its
    # "In short:" lead-in; the page's first figure as its Open Graph image
    "page_speed",
]
templates_path = ["docs/_templates"]
exclude_patterns = ["_build", "**/*.ipynb", "**/*.py", "**/*.zip", "**/*.md5"]
nitpicky = True

# -- HTML --------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "LSTM input & output"
html_static_path = ["docs/_static"]
html_css_files = ["custom.css"]
# makes the relative URLs in switcher.json work on every page (see the file)
html_js_files = ["version-switcher.js"]
html_show_sourcelink = False
html_last_updated_fmt = None
# no page has index entries: no empty "Index" page (genindex.html) to write on every build
html_use_index = False
html_favicon = "docs/_static/favicon.png"
html_theme_options = {
    "navbar_end": ["version-switcher", "theme-switcher", "navbar-icon-links"],
    "switcher": {
        "json_url": "_static/switcher.json",
        "version_match": version,
    },
    # the switcher JSON ships with the site: nothing to fetch at build time
    "check_switcher": False,
    # "this is an old / a development version" on every version but the newest release
    "show_version_warning_banner": True,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    # "Open in Colab" at the top and the end of every example page
    "article_header_end": ["colab-link"],
    "article_footer_items": ["colab-link"],
    # the search field opens search.html, the one page that loads the search
    # index (docs/_templates/layout.html); True would load it on every page
    "search_as_you_type": False,
    "footer_start": ["copyright"],
    "footer_center": ["computed-with"],
    # "how this site is built" is for the curious, not for learners: linked
    # from every page's footer instead of the top navigation
    "footer_end": ["about-site", "sphinx-version"],
}
html_context = {
    "default_mode": "auto",
    # for docs/_templates/colab-link.html
    "colab_repo": GITHUB_REPO,
    "colab_branch": COLAB_BRANCH,
}

# -- Open Graph and meta description (sphinxext-opengraph) --------------------
# Each page's description is its opening text (an example's "In short" answer,
# without the lead-in: docs/_ext/page_speed.py), its image its first figure.
ogp_site_url = html_baseurl
ogp_use_first_image = True
ogp_description_length = 200
# no generated "social card" images (matplotlib drawings of the title): a
# page with a figure shows its figure, the others show none
ogp_social_cards = {"enable": False}

# -- sitemap.xml and 404 page: URLs under html_baseurl -------------------------
sitemap_url_scheme = "{link}"
notfound_urls_prefix = urlsplit(html_baseurl).path
lstm_site_root = urlsplit(SITE_URL).path  # the host's path of the site (no version folder)

# -- copybutton: copy code, not prompts or output ------------------------------
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_exclude = ".linenos, .gp, .go"

# -- sphinx-gallery ----------------------------------------------------------
# Only what differs from sphinx-gallery's defaults. Among the defaults this
# site relies on: a failing example stops the build and names its file
# (abort_on_example_error and only_warn_on_example_error off), the modules are
# reset before each example, and no API backreference pages are written.
sphinx_gallery_conf = {
    "examples_dirs": ["../examples"],
    "gallery_dirs": ["auto_examples"],
    # sections and pages in the reading order of examples/gallery.toml
    "subsection_order": "lstm_gallery.section_order",
    "within_subsection_order": "lstm_gallery.ReadingOrder",
    "filename_pattern": r"/plot_",
    "reset_modules": ("matplotlib", "lstm_gallery.reset_keras"),
    # Pages show what the script prints, plus the HTML of a cell's last
    # expression when it has _repr_html_ (the reference tables; nothing else
    # on any page has one). Such a table is printed as text by the downloaded
    # script (tests/test_examples.py checks both show the same cells).
    "capture_repr": ("_repr_html_",),
    "remove_config_comments": True,
    # every figure also at twice its resolution: sharp on high-resolution
    # screens (a browser fetches only the one it needs)
    "image_srcset": ["2x"],
    # ... drawn once at 2x, the 1x image halved from it (see the function)
    "image_scrapers": ("lstm_gallery.matplotlib_scraper",),
    # twice the 160 x 112 CSS pixels a gallery card shows them at
    "thumbnail_size": (320, 224),
    # link only the names of APIs in the code, not local variables (the
    # default links every variable to its type: 108 links to ``int`` on
    # one page, each a focus stop for a keyboard user)
    "inspect_global_variables": False,
    "show_signature": False,
    # no sg_execution_times pages (they load their table scripts from CDNs)
    "write_computation_times": False,
    # "Related pages" at the end of every example (sphinx-gallery's TF-IDF
    # recommender over the examples' text), so no page is a dead end
    "recommender": {"enable": True, "n_examples": 3, "rubric_header": "Related pages"},
    # The pages hide each script's start-up lines (sphinx_gallery_start_ignore
    # ... end_ignore); sphinx-gallery drops them from notebooks too, so every
    # notebook gets them back in its first cell, then the versions the page
    # was built with next to the running ones (docs/_ext/notebooks.py).
    "first_notebook_cell": notebooks.first_cell(),
}
