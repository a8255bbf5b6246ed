"""A build stopped at any moment (Ctrl-C, a kill) is followed by a good one.

sphinx-gallery writes ``<example>.py.md5`` ("this example's outputs are
current") as soon as the example has run, *before* it writes the example's
``.rst``, thumbnail, ``.ipynb`` and ``.zip`` (via ``*.new`` files). A build
stopped in between leaves an md5 that vouches for outputs that are missing or
belong to the previous run, and the next build trusts it: it crashes
(``FileNotFoundError: ...ipynb``) or, worse, shows old outputs
(sphinx-gallery issue #343, open since 2018). Sphinx has the same kind of
gap: a page killed while being written keeps a newer mtime than its source and
is never written again.

The rule here is simple and holds whenever the build stops: **nothing written
by a build that did not finish is trusted.**

* At the start of the build (``config-inited``, before Sphinx loads its saved
  environment), a marker ``.build-in-progress`` left in the doctree folder
  means the last build did not finish: the saved environment is deleted, so
  Sphinx reads and writes every page again (the ``.buildinfo`` goes too, it may
  be cut short).
* At ``builder-inited`` (before sphinx-gallery generates the gallery, priority
  500), a marker left in a gallery folder means: every ``*.py.md5`` written
  since that marker was created is deleted (sphinx-gallery runs those examples
  again), and so is every leftover ``*.new`` file. Examples whose md5 is older
  than the marker were completed by an earlier, finished build and are kept:
  that keeps the rebuild after an interruption cheap. Also, an md5 whose
  example lacks one of its outputs (``.rst``, ``.ipynb``, ``.zip``, the
  thumbnail or an image its ``.rst`` shows), however that happened, is deleted.
* Then both markers are (re)written, and removed at ``build-finished`` when the
  build ended without an error.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

MARKER = ".build-in-progress"
ENV_PICKLE = "environment.pickle"  # sphinx.application.ENV_PICKLE_FILENAME
_IMAGE = re.compile(r"^\s*(?:\.\. image-sg::|\.\. image::|:srcset:)\s*/(\S+?\.png)\s*$", re.M)


def _gallery_dirs(app) -> list[Path]:
    dirs = app.config.sphinx_gallery_conf.get("gallery_dirs", [])
    if isinstance(dirs, str):
        dirs = [dirs]
    return [(Path(app.srcdir) / d).resolve() for d in dirs]


def _distrust_environment(app, config) -> None:
    doctrees = Path(app.doctreedir)
    if not (doctrees / MARKER).exists():
        return
    logger.info("build_recovery: the last build did not finish: every page is read and written again")
    (doctrees / ENV_PICKLE).unlink(missing_ok=True)
    (Path(app.outdir) / ".buildinfo").unlink(missing_ok=True)


def incomplete_outputs(md5: Path, srcdir: Path) -> list[str]:
    """What is missing among the outputs of the example whose md5 this is."""
    folder, stem = md5.parent, md5.name[: -len(".py.md5")]
    expected = [folder / f"{stem}{suffix}" for suffix in (".py", ".rst", ".ipynb", ".zip")]
    expected.append(folder / "images" / "thumb" / f"sphx_glr_{stem}_thumb.png")
    rst = folder / f"{stem}.rst"
    if rst.is_file():
        text = rst.read_text(encoding="utf-8", errors="replace")
        expected += [srcdir / image for image in _IMAGE.findall(text)]
    return [str(path) for path in expected if not path.is_file()]


def _clean_gallery(app, gallery: Path) -> None:
    marker = gallery / MARKER
    srcdir = Path(app.srcdir)
    redo: dict[Path, str] = {}
    if marker.exists():
        since = marker.stat().st_mtime_ns
        for md5 in gallery.rglob("*.py.md5"):
            if md5.stat().st_mtime_ns >= since:
                redo[md5] = "written by a build that did not finish"
        for leftover in [*gallery.rglob("*.new"), *gallery.rglob("*.new.*")]:
            leftover.unlink()
    for md5 in gallery.rglob("*.py.md5"):
        missing = md5 not in redo and incomplete_outputs(md5, srcdir)
        if missing:
            redo[md5] = "missing " + ", ".join(Path(m).name for m in missing)
    for md5, why in sorted(redo.items()):
        logger.info("build_recovery: %s runs again (%s)", md5.name[: -len(".md5")], why)
        md5.unlink()


def _mark_gallery(app) -> None:
    for gallery in _gallery_dirs(app):
        if gallery.is_dir():
            _clean_gallery(app, gallery)
        gallery.mkdir(parents=True, exist_ok=True)
        (gallery / MARKER).touch()
    doctrees = Path(app.doctreedir)
    doctrees.mkdir(parents=True, exist_ok=True)
    (doctrees / MARKER).touch()


def _build_finished(app, exception) -> None:
    if exception is not None:
        return
    for gallery in _gallery_dirs(app):
        (gallery / MARKER).unlink(missing_ok=True)
    (Path(app.doctreedir) / MARKER).unlink(missing_ok=True)


def setup(app):
    # config-inited runs before Sphinx loads the saved environment
    app.connect("config-inited", _distrust_environment)
    # before gallery_freshness (400) and sphinx-gallery's generate (500)
    app.connect("builder-inited", _mark_gallery, priority=300)
    # after every other build-finished handler: a handler that fails keeps the markers
    app.connect("build-finished", _build_finished, priority=1000)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
