"""Gallery plumbing shared by conf.py: reading order, per-example reset, figures.

Kept out of conf.py so sphinx-gallery can refer to these objects by their
fully qualified names (strings), which keeps the Sphinx configuration
picklable and the no-change rebuild incremental.
"""

from __future__ import annotations

import gc
import os
import sys
import tomllib
from pathlib import Path

# The pages, in reading order, and their card labels live in a data file beside
# the examples, examples/gallery.toml: editing it changes no file that the
# examples' outputs depend on (gallery_cache fingerprints this module), so
# reordering, relabelling or adding a page re-runs no other example.
PAGES_FILE = Path(__file__).resolve().parents[2] / "examples" / "gallery.toml"


def read_pages(path: Path = PAGES_FILE) -> dict[str, dict[str, str]]:
    """{section: {file name: card label}}, both in reading order."""
    with open(path, "rb") as file:
        data = tomllib.load(file)
    return {
        section: {f"{stem}.py": label for stem, label in pages.items()}
        for section, pages in data.items()
    }


_PAGES = read_pages()
# {section: [file names in reading order]}; sections in reading order
READING_ORDER = {section: list(pages) for section, pages in _PAGES.items()}
# What each gallery card shows in large type over its page's figure (drawn by
# docs/_ext/gallery_thumbnails.py): {"<section>/<file>": label}
CARD_LABELS = {
    f"{section}/{name}": label
    for section, pages in _PAGES.items()
    for name, label in pages.items()
}
# Gallery sections in reading order (folders under examples/).
SECTIONS = list(READING_ORDER)


def section_order(path) -> int:
    """sphinx-gallery's ``subsection_order``: a section folder's place."""
    section = os.path.basename(os.path.normpath(str(path)))
    if section not in SECTIONS:
        raise ValueError(
            f"examples/{section}/ is not a gallery section: add a [{section}] "
            f"table to {PAGES_FILE.name} (examples/)"
        )
    return SECTIONS.index(section)


class ReadingOrder:
    """sphinx-gallery ``within_subsection_order``: the order of READING_ORDER.

    sphinx-gallery instantiates it with the section folder and sorts the
    folder's files with it as the key.
    """

    def __init__(self, src_dir: str) -> None:
        self.src_dir = os.path.normpath(str(src_dir))
        self.section = os.path.basename(self.src_dir)

    def __call__(self, filename: str) -> int:
        order = READING_ORDER.get(self.section)
        if order is None:
            raise ValueError(
                f"examples/{self.section}/ is not a gallery section: add a "
                f"[{self.section}] table to examples/{PAGES_FILE.name}"
            )
        name = os.path.basename(str(filename))
        if name not in order:
            raise ValueError(
                f"examples/{self.section}/{name} is not in the reading order: "
                f"add a line for it to [{self.section}] in examples/{PAGES_FILE.name}"
            )
        return order.index(name)

    def __repr__(self) -> str:  # stable, so Sphinx's config cache stays valid
        return f"ReadingOrder({self.section!r})"


_NUMPY_PRINT_OPTIONS: dict | None = None


def _reset_numpy_printing() -> None:
    """NumPy's print options as they were before this process's first example."""
    global _NUMPY_PRINT_OPTIONS
    numpy = sys.modules.get("numpy")
    if numpy is None:
        return
    if _NUMPY_PRINT_OPTIONS is None:
        _NUMPY_PRINT_OPTIONS = numpy.get_printoptions()
    numpy.set_printoptions(**_NUMPY_PRINT_OPTIONS)


def reset_keras(gallery_conf, fname):
    """Give every example the fresh Keras state a standalone run has.

    sphinx-gallery runs all examples in one process. Without this, layer
    names (``lstm_7``) and the global seed generator would depend on which
    examples ran before. It changes no number: each example seeds itself
    with ``keras.utils.set_random_seed``. NumPy's print options are put back
    too: an example's ``np.set_printoptions`` would otherwise change how the
    next example in the same process prints its arrays (where lines wrap).
    """
    _reset_numpy_printing()
    keras = sys.modules.get("keras")
    if keras is not None:
        keras.backend.clear_session()  # ends with a full gc.collect()
        # Build speed: TensorFlow brings millions of long-lived objects, and
        # every full garbage collection (clear_session's, sphinx-gallery's after
        # each example) scanned them all again (~0.2 s each). Move what
        # survived into the permanent generation, so the next collection only
        # scans what the next example creates. No effect on any number.
        gc.freeze()
    _allow_tensorflow_memory_in_workers()


def _allow_tensorflow_memory_in_workers() -> None:
    """Stop joblib/loky from recycling a gallery worker as "leaking".

    In a sphinx-gallery worker process, loky compares the worker's memory with
    its size after the first job and, past 300 MB of growth, stops the worker
    and starts a new one, printing "UserWarning: A worker stopped while some
    jobs were given to the executor" into the build log. TensorFlow's caches
    grow past that legitimately over a few examples; the new worker then pays
    the TensorFlow import again. The examples are few and bounded, so allow
    2 GiB. (loky reads this module-level limit at each check; joblib is pinned
    in requirements.txt.) In the Sphinx process itself this changes nothing.
    """
    loky = sys.modules.get("joblib.externals.loky.process_executor")
    limit = getattr(loky, "_MAX_MEMORY_LEAK_SIZE", None)
    if isinstance(limit, int):
        loky._MAX_MEMORY_LEAK_SIZE = max(limit, 2 * 1024**3)


def matplotlib_scraper(block, block_vars, gallery_conf, **kwargs):
    """sphinx-gallery's matplotlib scraper, drawing each figure once, not twice.

    With ``image_srcset = ["2x"]`` the stock scraper calls ``savefig`` twice per
    figure, at 1x and at 2x, and drawing (text layout, constrained layout), not
    PNG encoding, is what costs: ~26 s of the ~73 s the examples take, measured
    on the 2-core build machine. Here each figure is drawn once, at 2x, and the
    1x image is that picture halved (each pixel the mean of a 2 x 2 block).
    sphinx-gallery has no option for this. The files, their names and the
    reST (alt text from the figure's titles, the srcset) are what the stock
    scraper writes; animations are not used on this site.

    Two additions, for reading figures on a phone:

    * each image gets the class ``lstm-text-<N>``: its smallest drawn text is
      N/10 px tall in the 1x image (the font size of every text matplotlib
      draws, recorded while the figure is saved). The page shows it as
      ``data-smallest-text`` (``visit_figure_html``), so a test can measure
      how tall that text is on screen: value x shown width / 1x width;
    * the page wraps each image in a link to its 2x file
      (``visit_figure_html``): tapped or clicked, the figure opens at full
      resolution, where a phone can zoom into it.

    The figures are drawn as the downloaded script draws them: no build-only
    style, so the page and a reader's own run show the same picture.
    """
    from pathlib import PurePosixPath
    from textwrap import indent

    import matplotlib
    import matplotlib.pyplot as plt
    from PIL import Image
    from sphinx_gallery import scrapers

    to_rgba = matplotlib.colors.to_rgba
    multipliers = [m for m in gallery_conf["image_srcset"] if m != 1]
    if multipliers != [2]:
        raise ValueError("lstm_gallery.matplotlib_scraper expects image_srcset ['2x']")
    image_rsts = []
    try:
        for number, image_path in zip(plt.get_fignums(), block_vars["image_path_iterator"]):
            image_path = PurePosixPath(image_path)
            fig = plt.figure(number)
            savefig_kwargs = dict(kwargs)
            for attr in ("facecolor", "edgecolor"):
                value = getattr(fig, "get_" + attr)()
                if to_rgba(value) != to_rgba(matplotlib.rcParams["figure." + attr]):
                    savefig_kwargs.setdefault(attr, value)
            dpi = matplotlib.rcParams["savefig.dpi"]
            dpi = savefig_kwargs.pop("dpi", fig.dpi if dpi == "figure" else dpi)
            double = image_path.with_name(f"{image_path.stem}_2_00x{image_path.suffix}")
            with _drawn_font_sizes() as sizes:
                fig.savefig(double, dpi=2 * dpi, **savefig_kwargs)
            with Image.open(double) as picture:
                picture.reduce(2).save(image_path)
            rst = scrapers.figure_rst(
                [image_path],
                gallery_conf["src_dir"],
                scrapers._matplotlib_fig_titles(fig),
                srcsetpaths=[{0: image_path, 2.0: double}],
            )
            if sizes:  # points at `dpi` -> 1x pixels, in tenths of a pixel
                tenths = round(min(sizes) * dpi / 72 * 10)
                rst = rst.replace(
                    ":class: sphx-glr-single-img",
                    f":class: sphx-glr-single-img {TEXT_CLASS}{tenths}",
                )
            image_rsts.append(rst)
    finally:
        plt.close("all")
    if len(image_rsts) <= 1:
        return "".join(image_rsts)
    # several figures in one block: side by side, as the stock scraper does
    multi = block_vars.get("multi_image") or (block_vars.get("file_conf") or {}).get("multi_image")
    if multi != "single":
        image_rsts = [
            rst.replace(":class: sphx-glr-single-img", ":class: sphx-glr-multi-img")
            for rst in image_rsts
        ]
    return scrapers.HLIST_HEADER + "".join(
        scrapers.HLIST_IMAGE_MATPLOTLIB + indent(rst, " " * 6) for rst in image_rsts
    )


TEXT_CLASS = "lstm-text-"


class _drawn_font_sizes:
    """Record the font size (points) of every non-empty text matplotlib draws.

    Only texts that are drawn count: an invisible tick label or one outside
    the axes' view is never drawn. Annotations and tick labels are Texts.
    """

    def __enter__(self):
        from matplotlib.text import Text

        self.sizes = []
        self._text, self._draw = Text, Text.draw
        original, sizes = Text.draw, self.sizes

        def draw(text, renderer):
            if text.get_visible() and text.get_text().strip():
                sizes.append(text.get_fontsize())
            return original(text, renderer)

        Text.draw = draw
        return self.sizes

    def __exit__(self, *exc):
        self._text.draw = self._draw
        return False


def _pixel_size(path: Path) -> tuple[int, int] | None:
    from PIL import Image

    try:
        with Image.open(path) as image:  # reads the header only
            return image.size
    except OSError:
        return None


def visit_figure_html(self, node) -> None:
    """sphinx-gallery's ``<img srcset>`` for a figure, inside a link to its 2x file.

    The link is the way to the full-resolution picture (a phone opens it and
    zooms); its accessible name is the image's alt text plus "full-size
    image". The measured smallest text (see ``matplotlib_scraper``) becomes
    ``data-smallest-text``. Other images (no srcset) are sphinx-gallery's.

    A figure waits until the reader scrolls near it (``loading="lazy"``), and
    its ``width`` and ``height`` (of the 1x file, as the page shows it) keep
    its place meanwhile, so nothing moves when it arrives. A phone's first
    visit then downloads the text first: issue #20 (the figures of a page are
    several hundred kilobytes at 2x).
    """
    from sphinx_gallery import directives as sg_directives

    classes = list(node.get("class") or [])
    text = [c for c in classes if c.startswith(TEXT_CLASS)]
    if text:
        node["class"] = [c for c in classes if not c.startswith(TEXT_CLASS)]
    start = len(self.body)
    sg_directives.visit_imgsg_html(self, node)
    if node["srcset"] is None or len(self.body) != start + 1:
        return
    img = self.body[start]
    srcset = [entry.strip().split(" ") for entry in img.split('srcset="', 1)[1].split('"', 1)[0].split(",")]
    largest = max(srcset, key=lambda entry: float(entry[1].rstrip("x")) if len(entry) > 1 else 1.0)[0]
    if text:
        px = int(text[0][len(TEXT_CLASS) :]) / 10
        img = img.replace("<img ", f'<img data-smallest-text="{px:g}" ', 1)
    size = _pixel_size(Path(self.builder.srcdir) / node["uri"].lstrip("/"))
    if size:
        img = img.replace(
            "<img ", f'<img width="{size[0]}" height="{size[1]}" loading="lazy" decoding="async" ', 1
        )
    self.body[start] = (
        f'<a class="lstm-figure-link" href="{largest}">{img}'
        '<span class="visually-hidden"> (full-size image)</span></a>'
    )


def setup(app):
    from sphinx_gallery import directives as sg_directives

    app.add_node(
        sg_directives.imgsgnode,
        override=True,
        html=(visit_figure_html, sg_directives.depart_imgsg_html),
        latex=(sg_directives.visit_imgsg_latex, sg_directives.depart_imgsg_latex),
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
