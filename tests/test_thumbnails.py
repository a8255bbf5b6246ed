"""Gallery cards: every page has a label that fits, drawn once, the same each build.

The cards are made by docs/_ext/gallery_thumbnails.py from the labels in
examples/gallery.toml.
"""

from __future__ import annotations

from pathlib import Path

import gallery_thumbnails
import lstm_gallery
import pytest
from PIL import Image

from support import EXAMPLES
# the gallery's page files, as they are on disk
PAGES = sorted(path.relative_to(EXAMPLES).as_posix() for path in EXAMPLES.glob("*/plot_*.py"))
CARD = (320, 224)  # thumbnail_size in conf.py


def _near(colour, target, tolerance=8) -> bool:
    """Equal but for the palette reduction's rounding."""
    return all(abs(a - b) <= tolerance for a, b in zip(colour[:3], target[:3]))


def _band_corner(path: Path):
    with Image.open(path) as card:
        return card.convert("RGBA").getpixel((2, card.height - 3))


def test_the_built_cards_are_the_size_the_labels_are_fitted_to(site):
    cards = sorted((site / "_images").glob("sphx_glr_*_thumb.png"))
    assert cards, "no gallery thumbnails in the built site"
    sizes = {path.name: Image.open(path).size for path in cards}
    assert set(sizes.values()) == {CARD}, sizes


def test_every_page_file_is_listed_with_a_card_label():
    missing = [page for page in PAGES if page not in lstm_gallery.CARD_LABELS]
    assert not missing, (
        f"pages without a card label: {missing}; give each its label in "
        "examples/gallery.toml (its key shape or phrase, short)"
    )


def test_every_listed_page_is_a_file():
    unknown = [key for key in lstm_gallery.CARD_LABELS if key not in PAGES]
    assert not unknown, (
        f"examples/gallery.toml lists pages that do not exist: {unknown}; "
        "rename or remove them"
    )


def test_card_labels_are_distinct():
    labels = list(lstm_gallery.CARD_LABELS.values())
    twins = sorted({label for label in labels if labels.count(label) > 1})
    assert not twins, f"cards with the same label cannot be told apart: {twins}"


@pytest.mark.parametrize("key", sorted(lstm_gallery.CARD_LABELS))
def test_card_label_fits_its_card_in_readable_type(key):
    label = lstm_gallery.CARD_LABELS[key]
    lines, size = gallery_thumbnails.fit_label(label, CARD[0])  # ValueError: too long
    assert 1 <= len(lines) <= 2 and " ".join(lines) == label
    # at least 14 CSS px on the 160 px wide card
    assert size >= gallery_thumbnails.MIN_SIZE >= 28


def test_fit_label_refuses_a_label_too_long_for_the_card():
    with pytest.raises(ValueError, match="shorten it"):
        gallery_thumbnails.fit_label("a label far too long for any card of the gallery", CARD[0])


def test_a_changed_label_redraws_the_card_from_the_kept_thumbnail(tmp_path):
    card = tmp_path / "sphx_glr_plot_x_thumb.png"
    _fresh_thumbnail(card)
    assert gallery_thumbnails.make_card(card, "(batch, units)")
    assert gallery_thumbnails.fresh_copy(card).exists()
    first = card.read_bytes()
    assert gallery_thumbnails.make_card(card, "[out, h, c]")  # a new label
    with Image.open(card) as image:
        assert image.info[gallery_thumbnails.LABEL_KEY] == "[out, h, c]"
    assert card.read_bytes() != first
    assert gallery_thumbnails.make_card(card, "(batch, units)")  # and back
    assert card.read_bytes() == first


def _fresh_thumbnail(path: Path) -> None:
    """An RGBA thumbnail the way sphinx-gallery writes one: a figure, padding."""
    image = Image.new("RGBA", CARD, (255, 255, 255, 0))
    figure = Image.new("RGBA", (200, CARD[1]), (255, 255, 255, 255))
    for k in range(10):
        figure.paste((200 - 15 * k, 40, 15 * k, 255), (20 * k, 40, 20 * k + 20, 180))
    image.paste(figure, (60, 0))
    image.save(path)


@pytest.mark.parametrize("figure", [True, False], ids=["figure", "no-figure"])
def test_a_card_is_made_once_and_the_same_every_time(tmp_path, figure):
    first, second = tmp_path / "first.png", tmp_path / "second.png"
    for path in (first, second):
        _fresh_thumbnail(path)
        assert gallery_thumbnails.make_card(path, "(batch, units)", figure)
    made = first.read_bytes()
    assert made == second.read_bytes()  # deterministic
    assert not gallery_thumbnails.make_card(first, "(batch, units)", figure)
    assert first.read_bytes() == made  # a rebuild draws no second label
    with Image.open(first) as card:
        assert card.mode == "P" and card.size == CARD
        rgba = card.convert("RGBA")
    # the label band at the bottom (all the card without a figure), white type
    # on it: the line through the middle of the text
    assert _near(rgba.getpixel((2, CARD[1] - 3)), gallery_thumbnails.BAND)
    assert _near(rgba.getpixel((2, 3)), (255, 255, 255) if figure else gallery_thumbnails.BAND)
    middle = CARD[1] - 30 if figure else CARD[1] // 2
    row = [rgba.getpixel((x, middle)) for x in range(CARD[0])]
    assert any(_near(colour, (255, 255, 255)) for colour in row)


def test_the_built_cards_carry_their_labels(site):
    cards = sorted((site / "_images").glob("sphx_glr_*_thumb.png"))
    assert cards, "no gallery thumbnails in the built site"
    labels = {Path(key).stem: label for key, label in lstm_gallery.CARD_LABELS.items()}
    built = {path.name[len("sphx_glr_") : -len("_thumb.png")]: path for path in cards}
    assert set(labels) <= set(built), f"pages without a card: {set(labels) - set(built)}"
    wrong = []
    for stem, label in labels.items():
        with Image.open(built[stem]) as card:
            carried = card.info.get(gallery_thumbnails.LABEL_KEY)
        if carried != label or not _near(_band_corner(built[stem]), gallery_thumbnails.BAND):
            wrong.append(f"{stem}: {carried!r} instead of {label!r}")
    assert not wrong, "cards built without their current label:\n" + "\n".join(wrong)
