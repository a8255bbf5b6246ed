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

from sphinx_gallery.sorting import ExplicitOrder  # noqa: E402

import lstm_gallery  # noqa: E402
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
# a branch that .github/workflows publishes (one folder per built version).
GITHUB_REPO = "lstm-io/lstm-io"
colab_repo = GITHUB_REPO
colab_branch = "notebooks"

# -- General -----------------------------------------------------------------
extensions = [
    "sphinx.ext.mathjax",
    "sphinx_gallery.gen_gallery",
    "sphinx_copybutton",
    "lstm_gallery",
    "site_versions",
    "gallery_freshness",
    # MathJax from the site itself, not from a CDN: the site works offline
    # (copies only the files it needs; see docs/_ext/offline_mathjax.py)
    "offline_mathjax",
    # the "how this site is built" page: tables from docs/_static/bench.json
    "bench_report",
    # no CDN scripts on sphinx-gallery's computation-time pages
    "offline_site",
    "sphinx_sitemap",
    # a rebuild gives the same sitemap.xml and MathJax links as a clean build
    "rebuild_stable",
    "notfound.extension",
    # names in the examples' code link to the Keras, NumPy, matplotlib and
    # Python docs from inventories made offline; "Open in Colab"; API index
    "api_links",
    # palette thumbnails, loaded lazily: a light gallery index
    "gallery_thumbnails",
]
templates_path = ["docs/_templates"]
exclude_patterns = ["_build", "**/*.ipynb", "**/*.py", "**/*.zip", "**/*.md5"]
root_doc = "index"
language = "en"
nitpicky = True
# math: served from _static/mathjax/ by offline_mathjax, never from a CDN
mathjax_path = "mathjax/tex-chtml.js"

# -- HTML --------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "LSTM input & output"
html_static_path = ["docs/_static"]
html_css_files = ["custom.css"]
# makes the relative URLs in switcher.json work on every page (see the file)
html_js_files = ["version-switcher.js"]
html_show_sourcelink = False
html_last_updated_fmt = None
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
    "footer_start": ["copyright"],
    "footer_center": ["computed-with"],
    # "how this site is built" is for the curious, not for learners: linked
    # from every page's footer instead of the top navigation
    "footer_end": ["about-site", "sphinx-version"],
}
html_context = {"default_mode": "auto"}

# -- sitemap.xml and 404 page: URLs under html_baseurl -------------------------
sitemap_url_scheme = "{link}"
notfound_urls_prefix = urlsplit(html_baseurl).path

# -- copybutton: copy code, not prompts or output ------------------------------
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_exclude = ".linenos, .gp, .go"

# -- sphinx-gallery ----------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": ["../examples"],
    "gallery_dirs": ["auto_examples"],
    "subsection_order": ExplicitOrder(
        [f"../examples/{section}" for section in lstm_gallery.SECTIONS]
    ),
    "within_subsection_order": "lstm_gallery.ReadingOrder",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py",
    # a failing example stops the build, and the error names its file
    "abort_on_example_error": False,
    "only_warn_on_example_error": False,
    "reset_modules": ("matplotlib", "lstm_gallery.reset_keras"),
    "reset_modules_order": "before",
    # Pages show what the script prints, plus the HTML of a cell's last
    # expression when it has _repr_html_ (the reference tables; nothing else
    # on any page has one). Such a table is printed as text by the downloaded
    # script (tests/test_examples.py checks both show the same cells).
    "capture_repr": ("_repr_html_",),
    "download_all_examples": True,
    "remove_config_comments": True,
    "matplotlib_animations": False,
    # every figure also at twice its resolution: sharp on high-resolution
    # screens (a browser fetches only the one it needs)
    "image_srcset": ["2x"],
    # twice the 160 x 112 CSS pixels a gallery card shows them at
    "thumbnail_size": (320, 224),
    "show_memory": False,
    "show_signature": False,
    "min_reported_time": 0,
    "backreferences_dir": None,
    "doc_module": (),
    "promote_jupyter_magic": False,
    # The pages hide each script's start-up lines (sphinx_gallery_start_ignore
    # ... end_ignore); sphinx-gallery drops them from notebooks too, so every
    # notebook gets them back as its first cell. They change no number the
    # page shows except by making TensorFlow quiet and oneDNN-free, exactly as
    # in the downloaded .py.
    # "Related pages" at the end of every example (sphinx-gallery's TF-IDF
    # recommender over the examples' text), so no page is a dead end
    "recommender": {"enable": True, "n_examples": 3, "rubric_header": "Related pages"},
    "first_notebook_cell": (
        "# Set before TensorFlow is imported: no C++ start-up log, no oneDNN\n"
        "# reordering (the same numbers on every CPU), the TensorFlow backend.\n"
        "import os\n\n"
        'os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"\n'
        'os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"\n'
        'os.environ["KERAS_BACKEND"] = "tensorflow"'
    ),
}


# -- Build speed ---------------------------------------------------------------
# sphinx-gallery can run examples in worker processes (its "parallel" option,
# joblib/loky). Each worker imports TensorFlow (~3-6 s), which pays off when
# many examples run (a clean build: 14 s instead of 17.6 s, measured on the
# 2-core build machine) but makes a rebuild where one or no example changed
# slower (the workers start anyway).
# So "parallel" is not set above: it is decided per build, here, from how many
# examples will actually run. It is set at builder-inited, after Sphinx hashed
# the configuration, so the choice never invalidates the incremental build, and
# it changes no number (each example seeds itself and gets a fresh Keras
# session; tests/test_determinism.py compares two builds).
GALLERY_WORKERS = min(2, os.cpu_count() or 1)
PARALLEL_FROM = 4  # run in workers when at least this many examples must run


def _examples_to_run(app) -> int:
    """How many examples sphinx-gallery will execute (source md5 changed)."""
    import re

    from sphinx_gallery.utils import get_md5sum

    conf = app.config.sphinx_gallery_conf
    srcdir = Path(app.srcdir)
    stale = 0
    for examples_dir, gallery_dir in zip(conf["examples_dirs"], conf["gallery_dirs"]):
        examples = (srcdir / examples_dir).resolve()
        for source in examples.rglob("*.py"):
            if not re.search(conf["filename_pattern"], str(source)):
                continue
            if re.search(conf["ignore_pattern"], str(source)):
                continue
            stamp = srcdir / gallery_dir / source.relative_to(examples)
            stamp = stamp.with_name(stamp.name + ".md5")
            try:
                current = stamp.read_text() == get_md5sum(source, mode="t")
            except OSError:
                current = False
            stale += not current or conf["run_stale_examples"]
    return stale


def _choose_gallery_workers(app) -> None:
    conf = app.config.sphinx_gallery_conf
    if not conf["plot_gallery"] or GALLERY_WORKERS < 2:
        return
    if _examples_to_run(app) >= PARALLEL_FROM:
        conf["parallel"] = GALLERY_WORKERS


def setup(app):
    # after gallery_freshness (400, may mark every example stale), before
    # sphinx-gallery generates the gallery (500)
    app.connect("builder-inited", _choose_gallery_workers, priority=450)
