"""Every built page is readable on a laptop (1400 px) and a phone (390 px), and light.

Measured in headless Chromium on every page of the built site:

* at 1400 px every printed output block (``div.sphx-glr-script-out pre``) fits
  its box or wraps: nothing is cut off or hidden behind a scroll bar;
* at both widths the page never scrolls sideways, and no heading, paragraph,
  table, figure or card sticks out of the screen (code and output blocks may
  scroll inside their own box on a phone; their box itself must fit);
* headings (also long ``<h2><code>...`` ones) wrap; gallery card titles stay
  inside their cards; the landing page's tables fit a phone without scrolling;
  the landing diagram is the tall variant on a phone;
* page weight: everything a first visit loads, as a host sends it (see
  ``tools/bench.py``: text gzip-compressed, lazy images counted too), at most
  1 MB per page; the gallery index's images at most 400 KB.

A failure names the page, the width and the block. Screenshots of the pages
that fail land in ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import pytest

from browser_support import (  # noqa: F401 - fixtures
    SETTLED_JS,
    browser,
    chromium,
    page_url,
    screenshot_path,
    site_pages,
    site_url,
)
from conftest import SITE

import bench

WIDE = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 15_000
PAGES = site_pages() or ["index.html"]
GALLERY_INDEX = bench.GALLERY_INDEX
PAGE_BUDGET = bench.BUDGETS["page_bytes"]
GALLERY_IMAGE_BUDGET = bench.BUDGETS["gallery_image_bytes"]

# What sticks out, measured in the page. An element may be wider than the
# screen only inside a box that scrolls (code, output); that box must fit.
LAYOUT_JS = r"""
() => {
  const vw = document.documentElement.clientWidth;
  const problems = [];
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    if (el.classList.length) s += "." + Array.from(el.classList).slice(0, 2).join(".");
    const text = (el.innerText || el.getAttribute("alt") || "").trim().replace(/\s+/g, " ");
    return s + (text ? ` "${text.slice(0, 60)}"` : "");
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  const inScrollBox = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (scrolls(p)) return true;
    }
    return false;
  };

  // the page itself
  const page = document.scrollingElement.scrollWidth;
  if (page > vw + 1) problems.push(`the page scrolls sideways: ${page} px wide in a ${vw} px window`);

  // blocks that stick out of the window (outside scroll boxes)
  const blocks = document.querySelectorAll(
    "main h1, main h2, main h3, main h4, main p, main li, main dt, main dd, main table, main img, " +
    "main figure, main pre, main div.highlight, main div.sphx-glr-script-out, " +
    "main .sphx-glr-thumbcontainer, main blockquote, main .admonition, footer p");
  for (const el of blocks) {
    if (!visible(el) || inScrollBox(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right > vw + 1 || r.left < -1) {
      problems.push(`${name(el)} sticks out of the ${vw} px window (left ${Math.round(r.left)}, right ${Math.round(r.right)})`);
    }
  }

  // headings wrap: nothing inside them is cut or scrolls
  for (const h of document.querySelectorAll("main h1, main h2, main h3, main h4")) {
    if (visible(h) && h.scrollWidth > h.clientWidth + 1) {
      problems.push(`heading ${name(h)} does not wrap: ${h.scrollWidth} px of text in ${h.clientWidth} px`);
    }
  }

  // gallery cards: the title inside its card
  for (const title of document.querySelectorAll(".sphx-glr-thumbnail-title")) {
    const card = title.closest(".sphx-glr-thumbcontainer");
    if (!card || !visible(title)) continue;
    const t = title.getBoundingClientRect(), c = card.getBoundingClientRect();
    if (title.scrollWidth > title.clientWidth + 1 || t.left < c.left - 1 || t.right > c.right + 1 || t.bottom > c.bottom + 1) {
      problems.push(`card title ${name(title)} does not fit its card`);
    }
  }

  // printed output: fits or wraps (wide window); scrolls in its box at most (phone)
  const outputs = Array.from(document.querySelectorAll("div.sphx-glr-script-out pre"));
  const out = outputs.map((pre, i) => ({
    index: i,
    scroll: pre.scrollWidth,
    client: pre.clientWidth,
    first: (pre.innerText.split("\n").find((l) => l.trim()) || "").trim().slice(0, 60),
    widest: pre.innerText.split("\n").reduce((a, b) => (b.length > a.length ? b : a), "").trim().slice(0, 60),
  }));

  // tables that need a scroll bar of their own
  const tables = Array.from(document.querySelectorAll("main table")).filter(visible).map((t) => ({
    name: name(t), scroll: t.scrollWidth, client: (t.parentElement || t).clientWidth,
  }));

  const diagram = document.querySelector(".lstm-diagram img");
  return {problems, outputs: out, tables, diagram: diagram ? diagram.currentSrc : null};
}
"""


def _visit(page, url):
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    page.wait_for_function(SETTLED_JS)


def _measure(browser, site_url, viewport, **context_args):
    context = browser.new_context(viewport=viewport, **context_args)
    context.set_default_timeout(TIMEOUT_MS)
    failures = []
    try:
        page = context.new_page()
        for rel in PAGES:
            _visit(page, page_url(site_url, rel))
            found = page.evaluate(LAYOUT_JS)
            problems = list(found["problems"])
            yield rel, found, problems
            if problems:
                failures.append(f"{rel} at {viewport['width']} px:\n    " + "\n    ".join(problems))
                page.screenshot(path=screenshot_path(f"layout_{viewport['width']}_{rel}"), full_page=True)
    finally:
        context.close()
    assert not failures, "\n".join(failures)


def test_every_page_at_1400_px(browser, site_url):
    for rel, found, problems in _measure(browser, site_url, WIDE):
        for block in found["outputs"]:
            if block["scroll"] > block["client"] + 1:
                problems.append(
                    f"output block {block['index']} (starting {block['first']!r}) is cut off: "
                    f"{block['scroll']} px of text in a {block['client']} px box; widest line "
                    f"{block['widest']!r}"
                )
        if rel == "index.html" and found["diagram"] is not None:
            if not found["diagram"].endswith("/lstm_io.svg"):
                problems.append(f"the landing diagram is {found['diagram']}, not the wide lstm_io.svg")


def test_every_page_at_390_px(browser, site_url):
    phone = {"is_mobile": True, "has_touch": True, "device_scale_factor": 2}
    for rel, found, problems in _measure(browser, site_url, PHONE, **phone):
        if rel == "index.html":
            for table in found["tables"]:
                if table["scroll"] > table["client"] + 1:
                    problems.append(
                        f"table {table['name']} needs {table['scroll']} px in {table['client']} px: "
                        "the landing page's tables must fit a phone"
                    )
            if found["diagram"] is not None and not found["diagram"].endswith("/lstm_io_phone.svg"):
                problems.append(f"the landing diagram is {found['diagram']}, not lstm_io_phone.svg")


# -- page weight ---------------------------------------------------------------


def test_page_weight_within_budget(browser, site_url):
    """Every page: at most 1 MB for a first visit; gallery index: <= 400 KB of images."""
    over = []
    weights = {}
    for rel in PAGES:
        weight = bench.page_weight(browser, site_url, SITE, rel)
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


@pytest.mark.parametrize("rel", [GALLERY_INDEX])
def test_gallery_cards_load_lazily(rel):
    """The gallery index's thumbnails are fetched when they scroll into view."""
    path = SITE / rel
    if not path.is_file():
        pytest.skip(f"{rel} is not built")
    text = path.read_text(encoding="utf-8")
    import re

    thumbs = re.findall(r"<img [^>]*_thumb\.png[^>]*>", text)
    assert thumbs, f"{rel}: no gallery thumbnails found"
    eager = [t for t in thumbs if 'loading="lazy"' not in t]
    assert not eager, f"{rel}: thumbnails without loading=\"lazy\": {eager[:3]}"
