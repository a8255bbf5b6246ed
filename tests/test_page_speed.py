"""A phone's first visit: docs/_ext/page_speed.py, docs/_templates/layout.html
and the social-card stand-in of docs/_ext/build_speed.py.

What the built pages carry (a description from their own opening text, Open
Graph tags with the page's own figure, scripts that wait, the search index on
the search page only, a trimmed stylesheet and an icon font cut to the icons
shown), and the pieces that make them, on small inputs. Page weight:
everything a first visit loads, as a host sends it (see ``tools/bench.py``:
text gzip-compressed, lazy images counted too), at most 1 MB per page; the
gallery index's images at most 400 KB, loaded lazily. The Lighthouse scores
themselves are a benchmark (``make lighthouse``), never a test.
"""

from __future__ import annotations

import html
import importlib.util
import os
import re
from pathlib import Path

import bench
import build_speed
import page_speed
import pydata_sphinx_theme
from support import base_url, expected_example_pages, plain_text, site_pages

GALLERY_INDEX = bench.GALLERY_INDEX
PAGE_BUDGET = bench.BUDGETS["page_bytes"]
GALLERY_IMAGE_BUDGET = bench.BUDGETS["gallery_image_bytes"]
THEME_CSS = (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
             / "static" / "styles" / "pydata-sphinx-theme.css")


def _plain(fragment: str) -> str:
    """The text of an HTML fragment, spaces collapsed; math as its LaTeX
    source (its alttext), as the description has it."""
    fragment = re.sub(r'<math alttext="([^"]*)".*?</math>', r"\1", fragment, flags=re.S)
    return " ".join(plain_text(fragment).split())


def _meta(text: str, attribute: str, name: str) -> list[str]:
    return [html.unescape(v) for v in
            re.findall(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', text)]


def test_every_page_has_one_description_of_its_own(site):
    seen = {}
    for rel in site_pages(site):
        text = (site / rel).read_text(encoding="utf-8")
        descriptions = _meta(text, "name", "description")
        assert len(descriptions) == 1, f"{rel}: {len(descriptions)} meta descriptions"
        description = descriptions[0]
        assert 20 <= len(description) <= 200, f"{rel}: {description!r}"
        assert "In short" not in description, rel
        assert _meta(text, "property", "og:description") in ([], [description]), rel
        seen.setdefault(description, []).append(rel)
    shared = {d: pages for d, pages in seen.items() if len(pages) > 1}
    assert not shared, f"pages with the same description: {shared}"


def test_an_example_page_is_described_by_its_short_answer(site):
    for rel in expected_example_pages():
        text = (site / rel).read_text(encoding="utf-8")
        answer = re.search(r"<p><strong>In short:</strong>(.*?)</p>", text, re.S)
        assert answer, f"{rel}: no short answer"
        shown = _plain(answer.group(1))
        shown = shown[:1].upper() + shown[1:]
        description = _meta(text, "name", "description")[0]
        # whole sentences, or whole words and an ellipsis
        assert shown.startswith(description.removesuffix("…")), (rel, description, shown)
        assert description.endswith((".", "…", "?", "!")) or description == shown, description


def test_shortened_keeps_sentences_or_words():
    text = "First sentence here. Second one is longer than the rest of it."
    assert page_speed.shortened(text, 200) == text
    assert page_speed.shortened(text, 30) == "First sentence here."
    assert page_speed.shortened("one two three four five six", 12) == "one two…"


def test_a_shared_link_shows_the_pages_own_figure(site):
    base = base_url(site)
    checked = 0
    for rel in expected_example_pages():
        text = (site / rel).read_text(encoding="utf-8")
        figures = re.findall(r'<img [^>]*class\s*=\s*"sphx-glr-(?:single|multi)-img"[^>]*>', text)
        sources = [re.search(r'src="([^"]+)"', f).group(1) for f in figures]
        images = _meta(text, "property", "og:image")
        assert len(_meta(text, "property", "og:title")) == 1, rel
        if not sources:
            continue
        checked += 1
        name = sources[0].rsplit("/", 1)[-1]
        assert images == [base + "_images/" + name], (rel, images, name)
        assert (site / "_images" / name).is_file()
        assert _meta(text, "property", "og:image:alt")[0].strip(), rel
    assert checked > 20, checked


def test_scripts_wait_and_only_the_search_page_loads_the_index(site):
    for rel in site_pages(site):
        text = (site / rel).read_text(encoding="utf-8")
        head = text[: text.index("</head>")]
        loads_index = "searchindex.js" in text
        assert loads_index == (rel == "search.html"), rel
        if rel == "search.html":
            continue
        blocking = [src for attributes, src in
                    re.findall(r'<script ([^>]*?)src="([^"]+)"', head)
                    if "defer" not in attributes and "async" not in attributes]
        assert [s.split("?")[0].rsplit("/", 1)[-1] for s in blocking] == ["documentation_options.js"], (
            rel, blocking)
        assert "fontawesome.js" not in head, rel


def test_the_theme_stylesheet_is_trimmed_and_its_icon_font_cut(site):
    from fontTools.ttLib import TTFont

    styles = site / "_static" / "styles"
    built = (styles / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    assert len(built) < len(THEME_CSS.read_text(encoding="utf-8")) / 2
    fonts = re.findall(r"url\((\.\./vendor/fontawesome/webfonts/[^)]+)\)", built)
    assert fonts and all(re.search(r"\.[0-9a-f]{10}\.woff2$", f) for f in fonts), fonts
    icons = {c for c in page_speed.css_characters(built) if 0xE000 <= c <= 0xF8FF}
    assert len(icons) > 10, sorted(map(hex, icons))
    solid = styles / fonts[0]
    assert "fa-solid-900" in solid.name
    for font in fonts:
        assert (styles / font).stat().st_size <= 10_000, font
    with TTFont(solid) as face:
        mapped = set(face.getBestCmap())
    # the icons the rules name that the full font draws are all in the cut one
    with TTFont(site / "_static" / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.woff2") as full:
        drawn = icons & set(full.getBestCmap())
    assert drawn and drawn <= mapped, sorted(map(hex, drawn - mapped))


def test_purge_keeps_what_a_page_can_use():
    css = (".a{x:1}.b .c{y:2}@media (min-width:1px){.a,.d{z:3}.d{w:4}}"
           "@font-face{font-family:F}.a:hover,.c::after{v:5}")
    kept = page_speed.purge(css, {"a", "b"})
    assert kept == ".a{x:1}@media (min-width:1px){.a{z:3}}@font-face{font-family:F}.a:hover{v:5}"


def test_site_words_reads_again_only_the_files_that_changed(tmp_path):
    page, other = tmp_path / "a.html", tmp_path / "b.js"
    page.write_text("<p class='one'>", encoding="utf-8")
    other.write_text("two", encoding="utf-8")
    words, known = page_speed.site_words(tmp_path)
    assert {"one", "two"} <= words
    # same size and time: taken as unchanged, its words come from `known`
    stamp = os.stat(other)
    other.write_text("six", encoding="utf-8")
    os.utime(other, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    page.write_text("<p class='three'>", encoding="utf-8")
    words, known = page_speed.site_words(tmp_path, known)
    assert "three" in words and "one" not in words
    assert "two" in words and "six" not in words
    assert "six" in page_speed.site_words(tmp_path)[0]  # a fresh read sees it


def test_the_social_card_stand_in_has_upstreams_defaults():
    """build_speed.py's stand-in keeps sphinxext-opengraph's behaviour: same defaults."""
    spec = importlib.util.find_spec("sphinxext.opengraph")
    source = Path(spec.origin).with_name("_social_cards.py")
    real = importlib.util.spec_from_file_location("_real_social_cards", source)
    module = importlib.util.module_from_spec(real)
    real.loader.exec_module(module)
    assert module.DEFAULT_SOCIAL_CONFIG == build_speed.SOCIAL_CARD_DEFAULTS


# -- page weight ---------------------------------------------------------------


def test_page_weight_within_budget(browser, site, site_url):
    """Every page: at most 1 MB for a first visit; gallery index: <= 400 KB of images."""
    over = []
    weights = {}
    for rel in site_pages(site):
        weight = bench.page_weight(browser, site_url, site, rel)
        weights[rel] = weight
        if weight["bytes"] > PAGE_BUDGET:
            heaviest = ", ".join(f"{f['file']} {f['bytes'] / 1024:.0f} KB" for f in weight["heaviest_files"])
            over.append(f"{rel}: {weight['bytes'] / 1024:.0f} KB > {PAGE_BUDGET / 1024:.0f} KB "
                        f"(heaviest: {heaviest})")
    gallery = weights.get(GALLERY_INDEX)
    if gallery is not None and gallery["image_bytes"] > GALLERY_IMAGE_BUDGET:
        over.append(f"{GALLERY_INDEX}: {gallery['image_bytes'] / 1024:.0f} KB of images > "
                    f"{GALLERY_IMAGE_BUDGET / 1024:.0f} KB")
    heaviest = max(weights.values(), key=lambda w: w["bytes"])
    print(f"\nheaviest page {heaviest['page']}: {heaviest['bytes'] / 1024:.0f} KB "
          f"(first screen {heaviest['first_screen_bytes'] / 1024:.0f} KB)")
    assert not over, "pages over their weight budget:\n  " + "\n  ".join(over)


def test_gallery_cards_load_lazily(site):
    """The gallery index's thumbnails are fetched when they scroll into view."""
    rel = GALLERY_INDEX
    text = (site / rel).read_text(encoding="utf-8")
    thumbs = re.findall(r"<img [^>]*_thumb\.png[^>]*>", text)
    assert thumbs, f"{rel}: no gallery thumbnails found"
    eager = [t for t in thumbs if 'loading="lazy"' not in t]
    assert not eager, f"{rel}: thumbnails without loading=\"lazy\": {eager[:3]}"
