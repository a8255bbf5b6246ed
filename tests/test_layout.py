"""Every built page is readable on a laptop (1400 px) and a phone (390 px).

Measured in headless Chromium on every page of the built site:

* at 1400 px every printed output block (``div.sphx-glr-script-out pre``) fits
  its box or wraps: nothing is cut off or hidden behind a scroll bar;
* at 1400 px and at 1280 px no code cell (``div.highlight pre``) scrolls
  sideways: an 80-column line fits (the code is formatted to 79 columns);
* at 390 px (a phone, in the dark theme) no printed output block and no table
  scrolls sideways or is wider than the screen: outputs wrap, table cells wrap;
* every figure is a link to its largest (2x) file, so a tap opens it at full
  resolution; in the dark theme no figure is dimmed by the theme's image
  filter and each sits on a white card; at 390 px the smallest text drawn in
  a figure is at least 9 CSS px tall on screen (measured from the size the
  scraper records, ``data-smallest-text``: see ``docs/_ext/lstm_gallery.py``);
* on the landing page, the "Find your question" heading starts within the
  first two screens of a phone;
* every example page opens with its answer: the first paragraph of the article
  starts with "In short";
* at both widths the page never scrolls sideways, and no heading, paragraph,
  table, figure or card sticks out of the screen (code and output blocks may
  scroll inside their own box on a phone; their box itself must fit);
* headings (also long ``<h2><code>...`` ones) wrap; gallery card titles stay
  inside their cards; the landing page's tables fit a phone without scrolling;
  the landing diagram is the tall variant on a phone;

A failure names the page, the width and the block. Screenshots of the first
pages that fail (``MAX_SCREENSHOTS`` per test) land in
``test-artifacts/screenshots/``. One browser visit per page and width serves
all the checks; the 1280 px check resizes the 1400 px window in that visit.
"""

from __future__ import annotations

from support import SETTLED_JS, page_url, screenshot_path, site_pages


WIDE = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
NARROW_DESKTOP = {"width": 1280, "height": 900}
MIN_FIGURE_TEXT_PX = 9
MAX_SCREENSHOTS = 5  # of failing pages, per test
TIMEOUT_MS = 15_000
PAGES = site_pages() or ["index.html"]

# Code blocks that scroll sideways, with their longest line (a function, so
# the 1280 px check can run it again after resizing the window).
CODE_JS_FUNCTION = r"""
const CODE_JS = () => Array.from(document.querySelectorAll("div.highlight pre"))
  .filter((pre) => pre.getBoundingClientRect().width > 0 && pre.scrollWidth > pre.clientWidth + 1)
  .map((pre) => {
    const lines = pre.textContent.split("\n");  // also in a closed <details>
    const widest = lines.reduce((a, b) => (b.length > a.length ? b : a), "");
    return {scroll: pre.scrollWidth, client: pre.clientWidth, chars: widest.length,
            widest: widest.trim().slice(0, 60)};
  });
"""

# Every figure: the link around it, the largest file of its srcset, its filter
# and background (dark theme), and its smallest text as shown.
FIGURES_JS_FUNCTION = r"""
const FIGURES_JS = () => Array.from(document.querySelectorAll(
    "main img.sphx-glr-single-img, main img.sphx-glr-multi-img")).map((img) => {
  const link = img.closest("a[href]");
  let largest = img.currentSrc || img.src, best = 0;
  for (const entry of (img.getAttribute("srcset") || "").split(",")) {
    const [url, density] = entry.trim().split(/\s+/);
    const x = density ? parseFloat(density) : 1;
    if (url && x > best) { best = x; largest = new URL(url, document.baseURI).href; }
  }
  const style = getComputedStyle(img);
  const smallest = parseFloat(img.dataset.smallestText || "NaN");
  return {
    file: (img.getAttribute("src") || "").split("/").pop(),
    link: link ? link.href : null,
    largest,
    linkName: link ? (link.innerText + " " + img.alt).trim().length : 0,
    filter: style.filter,
    background: style.backgroundColor,
    // CSS px on screen of the smallest text: 1x-image px x shown / 1x width
    // (the declared width: a lazy figure far down has not loaded yet;
    // tests/test_browser.py checks that it is the 1x file's width)
    textPx: smallest * img.clientWidth / parseFloat(img.getAttribute("width") || img.naturalWidth),
  };
});
"""

# What sticks out, measured in the page. An element may be wider than the
# screen only inside a box that scrolls (code, output); that box must fit.
# Also what the other checks read: code blocks, figures, the landing page's
# "Find your question" heading, an example page's first paragraph.
LAYOUT_JS = r"""
() => {
""" + CODE_JS_FUNCTION + FIGURES_JS_FUNCTION + r"""
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
  return {problems, outputs: out, tables, code: CODE_JS(), figures: FIGURES_JS(),
          theme: document.documentElement.dataset.theme || null,
          find: (() => {
            const h = document.querySelector("#find-your-question > h2");
            return h ? h.getBoundingClientRect().top + window.scrollY : null;
          })(),
          viewportHeight: window.innerHeight,
          firstParagraph: (() => {
            const p = document.querySelector("article.bd-article > section > p");
            return p ? p.innerText.trim().slice(0, 80) : null;
          })(),
          diagram: diagram ? diagram.currentSrc : null};
}
"""


def _visit(page, url):
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    page.wait_for_function(SETTLED_JS)


# What LAYOUT_JS found on each page at 390 px, for the figure-text test (one
# browser pass serves both tests).
_PHONE_FOUND: dict[str, dict] = {}


def _measure(browser, site_url, viewport, also_at=None, **context_args):
    """Visit every page at ``viewport``; yield (page, what LAYOUT_JS found, problems).

    ``also_at``: a narrower window width at which each page's code blocks are
    measured again in the same visit (the window is resized, not reloaded);
    found["code_also"] holds them.
    """
    context = browser.new_context(viewport=viewport, **context_args)
    context.set_default_timeout(TIMEOUT_MS)
    failures = []
    try:
        page = context.new_page()
        for rel in PAGES:
            page.set_viewport_size(viewport)
            _visit(page, page_url(site_url, rel))
            found = page.evaluate(LAYOUT_JS)
            if also_at:
                page.set_viewport_size({"width": also_at, "height": viewport["height"]})
                found["code_also"] = page.evaluate("() => {" + CODE_JS_FUNCTION + " return CODE_JS(); }")
            problems = list(found["problems"])
            yield rel, found, problems
            if problems:
                failures.append(f"{rel} at {viewport['width']} px:\n    " + "\n    ".join(problems))
                if len(failures) <= MAX_SCREENSHOTS:  # full-page screenshots are slow
                    page.set_viewport_size(viewport)
                    page.screenshot(path=screenshot_path(f"layout_{viewport['width']}_{rel}"), full_page=True)
    finally:
        context.close()
    assert not failures, "\n".join(failures)


def _code_problems(blocks, width):
    return [
        f"code block (widest line {block['chars']} characters: {block['widest']!r}) scrolls "
        f"sideways at {width} px: {block['scroll']} px of code in a {block['client']} px box"
        for block in blocks
    ]


def _is_example(rel: str) -> bool:
    parts = rel.split("/")
    return len(parts) == 3 and parts[0] == "auto_examples" and parts[2].startswith("plot_")


def test_every_page_at_1400_px(browser, site_url):
    for rel, found, problems in _measure(browser, site_url, WIDE, also_at=NARROW_DESKTOP["width"]):
        problems += _code_problems(found["code"], WIDE["width"])
        problems += _code_problems(found["code_also"], NARROW_DESKTOP["width"])
        for figure in found["figures"]:
            if figure["link"] is None:
                problems.append(f"figure {figure['file']} is not a link: it cannot be opened full size")
            elif figure["link"] != figure["largest"]:
                problems.append(
                    f"figure {figure['file']} links to {figure['link']}, not to its largest file "
                    f"{figure['largest']}"
                )
            elif not figure["linkName"]:
                problems.append(f"the link of figure {figure['file']} has no accessible name")
        if _is_example(rel) and not (found["firstParagraph"] or "").startswith("In short"):
            problems.append(
                f"the page does not open with its answer: its first paragraph starts "
                f"{found['firstParagraph']!r}, not \"In short\""
            )
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
    """A phone, in the dark theme: outputs and tables fit, figures keep their contrast."""
    phone = {"is_mobile": True, "has_touch": True, "device_scale_factor": 2, "color_scheme": "dark"}
    for rel, found, problems in _measure(browser, site_url, PHONE, **phone):
        _PHONE_FOUND[rel] = found
        for block in found["outputs"]:
            if block["scroll"] > block["client"] + 1:
                problems.append(
                    f"output block {block['index']} (starting {block['first']!r}) scrolls sideways: "
                    f"{block['scroll']} px of text in a {block['client']} px box; widest line "
                    f"{block['widest']!r}"
                )
        for table in found["tables"]:
            if table["scroll"] > table["client"] + 1:
                problems.append(
                    f"table {table['name']} needs {table['scroll']} px in {table['client']} px: "
                    "tables must fit a phone"
                )
        if found["theme"] != "dark":
            problems.append(f"the page is in the {found['theme']!r} theme, not the dark one")
        for figure in found["figures"]:
            if figure["filter"] not in ("none", ""):
                problems.append(f"figure {figure['file']} is dimmed in the dark theme: filter {figure['filter']}")
            if figure["background"] != "rgb(255, 255, 255)":
                problems.append(
                    f"figure {figure['file']} has no white card in the dark theme "
                    f"(background {figure['background']})"
                )
        if rel == "index.html":
            if found["find"] is None:
                problems.append("the landing page has no \"Find your question\" section")
            elif found["find"] > 2 * found["viewportHeight"]:
                problems.append(
                    f"\"Find your question\" starts {found['find']:.0f} px down, beyond the first "
                    f"two screens ({2 * found['viewportHeight']} px)"
                )
            if found["diagram"] is not None and not found["diagram"].endswith("/lstm_io_phone.svg"):
                problems.append(f"the landing diagram is {found['diagram']}, not lstm_io_phone.svg")


def test_figure_text_readable_at_390_px(browser, site_url):
    """The smallest text in every figure is at least 9 CSS px tall on a phone.

    A figure is shown 358 px wide there; a figure 8 inches wide with 10 pt
    text shows that text 6.2 px tall. Readable figures are designed for it:
    at most about 5.5 inches wide with no text under 10 pt (or 5 inches with
    9 pt). Tapping a figure also opens it at full resolution (checked above).
    """
    if not _PHONE_FOUND:  # run alone: measure the pages first
        for rel, found, problems in _measure(
            browser, site_url, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
        ):
            _PHONE_FOUND[rel] = found
            problems.clear()
    small = []
    for rel, found in _PHONE_FOUND.items():
        for figure in found["figures"]:
            px = figure["textPx"]
            if not px == px:  # NaN: no size recorded
                small.append(f"{rel}: figure {figure['file']} has no recorded text size (data-smallest-text)")
            elif px < MIN_FIGURE_TEXT_PX:
                small.append(f"{rel}: figure {figure['file']}: smallest text {px:.1f} px")
    assert not small, (
        f"figure text under {MIN_FIGURE_TEXT_PX} CSS px at 390 px:\n  " + "\n  ".join(small)
    )
