"""Light gallery cards: small thumbnails, loaded when they scroll into view.

sphinx-gallery draws each card's thumbnail as a full-colour RGBA PNG
(``thumbnail_size`` in conf.py: twice the 160 x 112 CSS pixels a card shows, so
it is sharp on high-resolution screens). Twenty such PNGs made the gallery
index weigh about 1 MB. This extension

* reduces every thumbnail to a 256-colour palette PNG (Pillow, no dithering,
  transparency kept) right after sphinx-gallery wrote it: about a third of the
  bytes, and at card size the picture looks the same. Only the thumbnails:
  the figures on the example pages are left exactly as matplotlib saved them.
  A palette image is not reduced again, so a rebuild changes nothing;
* marks the thumbnails ``loading="lazy"`` (docutils writes the attribute), so
  a browser fetches only the cards on the screen and the rest as the reader
  scrolls.

``tests/test_layout.py`` checks the page weights (``tools/bench.py`` measures
them the same way).
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes

PALETTE_COLOURS = 256


def quantize_thumbnail(path: Path) -> bool:
    """Rewrite one PNG thumbnail as a palette PNG; False when it already is one."""
    from PIL import Image

    with Image.open(path) as image:
        if image.mode == "P":
            return False
        image.load()
    rgba = image.convert("RGBA")
    small = rgba.quantize(
        PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    small.save(path, format="PNG", optimize=True)
    return True


def _thumbnail_files(app) -> list[Path]:
    conf = app.config.sphinx_gallery_conf
    found = []
    for gallery_dir in conf.get("gallery_dirs", []):
        root = Path(app.srcdir) / gallery_dir
        found += sorted(root.glob("**/images/thumb/sphx_glr_*_thumb.png"))
    return found


def _quantize_thumbnails(app) -> None:
    for path in _thumbnail_files(app):
        quantize_thumbnail(path)


def _lazy_thumbnails(app, doctree, docname) -> None:
    for image in doctree.findall(nodes.image):
        uri = image.get("uri", "")
        if "/thumb/sphx_glr_" in uri and uri.endswith("_thumb.png"):
            image["loading"] = "lazy"


def setup(app):
    # after sphinx-gallery made the thumbnails (builder-inited, priority 500)
    app.connect("builder-inited", _quantize_thumbnails, priority=600)
    app.connect("doctree-resolved", _lazy_thumbnails)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
