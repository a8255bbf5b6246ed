"""Gallery cards that tell the pages apart, small and loaded when in view.

sphinx-gallery draws each card's thumbnail as a full-colour RGBA PNG
(``thumbnail_size`` in conf.py: twice the 160 x 112 CSS pixels a card shows, so
it is sharp on high-resolution screens). At card size one heatmap looks like
the next, and twenty such PNGs made the gallery index weigh about 1 MB. This
extension

* draws the page's card label (``examples/gallery.toml``: its key
  shape or phrase, e.g. ``(batch, units)``) in large white type on a dark band
  under a smaller, faded copy of sphinx-gallery's thumbnail. The type is
  DejaVu Sans Bold (bundled with matplotlib), as large as fits the card, never
  smaller than ``MIN_SIZE`` (14 CSS px on the card). The card is opaque and the
  band dark in both colour schemes, so the label reads the same in light and
  dark mode. A page that draws no figure gets a card that is all band; a
  page without a label keeps its plain thumbnail (``tests/test_thumbnails.py``
  checks that every page has a label, and that every label fits);
* reduces every thumbnail to a 256-colour palette PNG (Pillow, no dithering,
  transparency kept) right after sphinx-gallery wrote it: about a third of the
  bytes, and at card size the picture looks the same. Only the thumbnails:
  the figures on the example pages are left exactly as matplotlib saved them.
  sphinx-gallery's fresh RGBA output is kept beside the card
  (``*_thumb.fresh.png``, never published) and the card records its label: a
  rebuild leaves a card with the current label alone (no label is drawn twice),
  and a changed label redraws the card from the kept thumbnail, without running
  the example again;
* marks the thumbnails ``loading="lazy"`` (docutils writes the attribute), so
  a browser fetches only the cards on the screen and the rest as the reader
  scrolls.

``tests/test_page_speed.py`` checks the page weights (``tools/bench.py`` measures
them the same way).
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes

PALETTE_COLOURS = 256

# the card label: px on the 320 x 224 thumbnail file, shown at half that size
MIN_SIZE = 28  # 14 CSS px on the card: the smallest type a card may show
MAX_SIZE = 40  # short labels stop growing here
ONE_LINE_SIZE = 30  # a label that fits on one line at this size keeps one line
SIDE_MARGIN = 12  # px left and right of the text
BAND_PADDING = 8  # px above and below the text
LINE_HEIGHT = 1.18  # times the type size
BAND = (20, 33, 61, 255)  # dark navy: white text on it has a contrast of 16:1
INK = (255, 255, 255, 255)
PAPER = (255, 255, 255, 255)  # the figures have a white face
FIGURE_FADE = 0.55  # how much of the figure shows through white: a backdrop
FIGURE_MARGIN = 4  # px around the figure


def _font_file() -> str:
    import matplotlib

    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans-Bold.ttf")


def fit_label(label: str, width: int) -> tuple[list[str], int]:
    """The lines and type size (px) that show ``label`` largest in ``width`` px.

    One line when it fits at ``ONE_LINE_SIZE`` or more, else the split into
    two lines (at a space) that allows the largest type. ValueError when the
    label does not fit at ``MIN_SIZE``: shorten the label.
    """
    from PIL import ImageFont

    reference = ImageFont.truetype(_font_file(), 100)
    words = label.split(" ")
    splits = [[label]] + [
        [" ".join(words[:k]), " ".join(words[k:])] for k in range(1, len(words))
    ]
    best: tuple[list[str], int] | None = None
    for lines in splits:
        widest = max(reference.getlength(line) for line in lines)  # at 100 px
        size = min(MAX_SIZE, int(100 * (width - 2 * SIDE_MARGIN) / widest))
        if len(lines) == 1 and size >= ONE_LINE_SIZE:
            return lines, size
        if size >= MIN_SIZE and (best is None or size > best[1]):
            best = (lines, size)
    if best is None:
        raise ValueError(
            f"card label {label!r} does not fit a {width} px card on two lines "
            f"at {MIN_SIZE} px: shorten it (examples/gallery.toml)"
        )
    return best


def compose_card(thumbnail, label: str, figure: bool = True):
    """The card: ``label`` on a dark band under a faded copy of ``thumbnail``.

    ``thumbnail`` is sphinx-gallery's RGBA image (its size is the card's);
    without a ``figure`` (a page that draws none shows sphinx-gallery's
    placeholder) the band fills the card.
    """
    from PIL import Image, ImageDraw, ImageFont

    width, height = thumbnail.size
    lines, size = fit_label(label, width)
    line_height = round(size * LINE_HEIGHT)
    band = len(lines) * line_height + 2 * BAND_PADDING
    top = height - band if figure else 0
    card = Image.new("RGBA", (width, height), PAPER)
    if figure:
        picture = thumbnail.convert("RGBA")
        box = picture.getbbox(alpha_only=True)  # without sphinx-gallery's padding
        if box:
            picture = picture.crop(box)
            room = (width - 2 * FIGURE_MARGIN, top - 2 * FIGURE_MARGIN)
            scale = min(room[0] / picture.width, room[1] / picture.height)
            shape = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
            picture = picture.resize(shape, Image.Resampling.LANCZOS)
            flat = Image.new("RGBA", shape, PAPER)
            flat.alpha_composite(picture)
            picture = Image.blend(Image.new("RGBA", shape, PAPER), flat, FIGURE_FADE)
            card.alpha_composite(picture, ((width - shape[0]) // 2, (top - shape[1]) // 2))
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, top, width - 1, height - 1), fill=BAND)
    font = ImageFont.truetype(_font_file(), size)
    first = top + (height - top - len(lines) * line_height) // 2
    for k, line in enumerate(lines):
        centre = (width / 2, first + k * line_height + line_height / 2)
        draw.text(centre, line, font=font, fill=INK, anchor="mm")
    return card


# the PNG text chunk that records which label a card carries
LABEL_KEY = "card-label"


def fresh_copy(path: Path) -> Path:
    """Where sphinx-gallery's own thumbnail is kept once its card is made."""
    return path.with_name(path.name[: -len(".png")] + ".fresh.png")


def make_card(path: Path, label: str | None = None, figure: bool = True) -> bool:
    """Make ``path`` (a gallery thumbnail) the card of ``label``, a palette PNG.

    A fresh thumbnail (sphinx-gallery writes RGBA) is kept next to it
    (``fresh_copy``) and the card is drawn from it (see ``compose_card``); the
    card records its label in a PNG text chunk. A card already made for this
    label is left alone (False): a rebuild draws nothing twice. A card made for
    another label is drawn again from the kept thumbnail, so a new label in
    examples/gallery.toml needs no example to run again.
    """
    from PIL import Image, PngImagePlugin

    with Image.open(path) as image:
        image.load()
    if image.mode == "P":
        if image.info.get(LABEL_KEY, "") == (label or ""):
            return False
        source = fresh_copy(path)
        if not source.exists():  # a card without its thumbnail: leave it
            return False
        with Image.open(source) as image:
            image.load()
    else:
        image.save(fresh_copy(path), format="PNG")
    rgba = image.convert("RGBA")
    if label is not None:
        rgba = compose_card(rgba, label, figure)
    small = rgba.quantize(
        PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    info = PngImagePlugin.PngInfo()
    info.add_text(LABEL_KEY, label or "")
    small.save(path, format="PNG", optimize=True, pnginfo=info)
    return True


def _thumbnail_files(app) -> list[Path]:
    conf = app.config.sphinx_gallery_conf
    found = []
    for gallery_dir in conf.get("gallery_dirs", []):
        root = Path(app.srcdir) / gallery_dir
        found += sorted(root.glob("**/images/thumb/sphx_glr_*_thumb.png"))
    return found


def _card_label(path: Path) -> tuple[str | None, bool]:
    """The label of a thumbnail's page, and whether the page drew a figure.

    ``path`` is ``<gallery>/<section>/images/thumb/sphx_glr_<stem>_thumb.png``.
    """
    from lstm_gallery import CARD_LABELS

    section = path.parents[2].name
    stem = path.name[len("sphx_glr_") : -len("_thumb.png")]
    figures = path.parents[1].glob(f"sphx_glr_{stem}_[0-9][0-9][0-9].png")
    return CARD_LABELS.get(f"{section}/{stem}.py"), any(True for _ in figures)


def _placeholder(path: Path, size: tuple[int, int]) -> None:
    """sphinx-gallery's thumbnail of a page without figures, written to ``path``.

    sphinx-gallery makes it only when the page has no thumbnail yet; a card
    made by an older version of this extension (no label chunk, no kept
    thumbnail) is made again from it.
    """
    from sphinx_gallery import glr_path_static
    from sphinx_gallery.utils import scale_image

    scale_image(str(Path(glr_path_static()) / "no_image.png"), str(path), *size)


def _make_cards(app) -> None:
    size = app.config.sphinx_gallery_conf["thumbnail_size"]
    for path in _thumbnail_files(app):
        label, figure = _card_label(path)
        if not figure and not fresh_copy(path).exists():
            from PIL import Image

            with Image.open(path) as image:
                legacy = image.mode == "P" and LABEL_KEY not in image.info
            if legacy:
                _placeholder(path, size)
        make_card(path, label, figure)


def _lazy_thumbnails(app, doctree, docname) -> None:
    for image in doctree.findall(nodes.image):
        uri = image.get("uri", "")
        if "/thumb/sphx_glr_" in uri and uri.endswith("_thumb.png"):
            image["loading"] = "lazy"


def setup(app):
    # after sphinx-gallery made the thumbnails (builder-inited, priority 500)
    app.connect("builder-inited", _make_cards, priority=600)
    app.connect("doctree-resolved", _lazy_thumbnails)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
