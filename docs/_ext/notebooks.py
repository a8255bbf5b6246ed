"""Notebooks a reader can open anywhere: links, not reST; a version check; answer cells.

sphinx-gallery turns each page's text into Markdown for its notebook, and
leaves what its converter does not know as reST: ``:ref:`label``` becomes
```label``` (a raw label such as ``sphx_glr_auto_examples_seed_plot_lstm_output.py``
in Colab), and ``.. raw:: html`` or ``.. code-block::`` stay directives. No
sphinx-gallery option or hook changes that (its ``rst2md`` is a fixed list of
rules), so this extension rewrites the generated notebooks once the labels are
known (``env-updated``, before Sphinx copies the downloads):

* a cross-reference becomes a Markdown link to the page on the hosted site, for
  the version being built (``html_baseurl``), titled with the page's title;
* ``.. code-block::`` becomes a fenced code block, other raw HTML is kept as
  HTML, without the directive;
* an exercise (``<details><summary>Solution</summary>`` on the page, see the
  README) gets an empty code cell for the reader's answer before its solution,
  and the reveal markers become a bold "Solution" line (a ``<details>`` cannot
  span notebook cells);
* the "download all notebooks" zip is made again from the rewritten files.

The rewrite is idempotent: a notebook already rewritten is left as it is, so a
rebuild that runs no example rewrites nothing.

``first_cell()`` is the notebooks' first cell (``first_notebook_cell`` in
conf.py): the start-up settings, then the Python, Keras and TensorFlow versions
the page was built with next to the running ones, and a line saying so when
they differ (Colab upgrades its packages on its own schedule).
"""

from __future__ import annotations

import json
import os
import re
import textwrap
from pathlib import Path

import site_versions

# Set in the first cell of each notebook, before TensorFlow is imported.
STARTUP = (
    "# Set before TensorFlow is imported: no C++ start-up log, oneDNN's\n"
    "# custom operations off, the TensorFlow backend.\n"
    "import os\n\n"
    'os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"\n'
    'os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"\n'
    'os.environ["KERAS_BACKEND"] = "tensorflow"\n'
)

VERSION_CHECK = """
# The versions this notebook's page was built with, and the ones running here
import platform
from importlib.metadata import PackageNotFoundError, version


def installed(*names):
    for name in names:
        try:
            return version(name)
        except PackageNotFoundError:
            pass
    return "not installed"


built = {built}
running = {{
    "Python": platform.python_version(),
    "Keras": installed("keras"),
    "TensorFlow": installed("tensorflow", "tensorflow-cpu"),
}}
print("Versions (built with -> running):")
for name, number in built.items():
    print(f"  {{name}}: {{number}} -> {{running[name]}}")
different = [name for name in built if running[name] != built[name]]
if different:
    print("Not the versions of the page:", ", ".join(different))
    print("Printed numbers and messages may differ from the page.")
"""

# What the reader sees in place of a reveal's summary, and the answer cell.
ANSWER_CELL = "# Your answer: write and run your code here, then compare."
ANSWER_TAG = "lstm-answer"
# notebook metadata: the base URL its links were written for
REWRITTEN = "lstm_gallery_links"
_SUMMARY = re.compile(r"<details>\s*<summary>(.*?)</summary>", re.S)
_EXERCISE = re.compile(r"^\s*(Solution|Answer)\b", re.I)
_RAW = re.compile(r"^\.\. raw:: html\n((?:\n|[ \t]+.*\n)*)", re.M)
_CODE_BLOCK = re.compile(r"^\.\. code-block::[ \t]*(\w*)\n((?:\n|[ \t]+.*\n)*)", re.M)
# `label` or `text <label>` (what sphinx-gallery leaves of a :ref:)
_REF = re.compile(r"`(?:([^`<]+?)\s*<)?([\w.\-]+)>?`(?!_)")
# :doc:`/path` or :doc:`text </path>` (sphinx-gallery leaves it as it is)
_DOC = re.compile(r":doc:`(?:([^`<]+?)\s*<)?/?([\w./\-]+)>?`")


def first_cell() -> str:
    """The first cell of every notebook: start-up settings and the version check."""
    versions = site_versions.computed_with()
    built = {name: versions[name] for name in ("Python", "Keras", "TensorFlow")}
    return STARTUP + VERSION_CHECK.format(built=json.dumps(built, indent=4)).rstrip()


# key prefix, in the labels mapping, of each document's own title
_DOC_TITLE = "doc:"


def _labels(env) -> dict[str, tuple[str, str, str]]:
    """label -> (docname, anchor, title) for every label in the site, and
    ``doc:<docname>`` -> (docname, "", title) for every document."""
    labels = {
        name: (docname, anchor, title)
        for name, (docname, anchor, title) in env.domains.standard_domain.labels.items()
    }
    for docname, title in env.titles.items():
        labels[_DOC_TITLE + docname] = (docname, "", title.astext())
    return labels


def _link(match: re.Match, labels, base: str) -> str:
    text, label = match.group(1), match.group(2)
    if label not in labels:
        return match.group(0)
    docname, anchor, title = labels[label]
    url = base + docname + ".html"
    if not label.startswith("sphx_glr_"):  # a label inside a page, not a page
        url += "#" + anchor
    return f"[{text or title}]({url})"


def _html(match: re.Match) -> str:
    """A raw HTML directive's content, without the directive."""
    body = textwrap.dedent(match.group(1)).strip()
    summary = _SUMMARY.search(body)
    if summary:
        return f"**{summary.group(1).strip()}**\n\n"
    if body.strip() == "</details>":
        return ""
    return body + "\n\n"


def _fence(match: re.Match) -> str:
    code = textwrap.dedent(match.group(2)).strip("\n")
    return f"```{match.group(1)}\n{code}\n```\n\n"


def _doc_link(match: re.Match, labels, base: str) -> str:
    """A :doc: role: the page's title (from its label-free entry) and URL."""
    text, docname = match.group(1), match.group(2)
    title = labels.get(_DOC_TITLE + docname, (None, None, docname))[2]
    return f"[{text or title}]({base}{docname}.html)"


def _markdown(text: str, labels, base: str) -> str:
    text = _RAW.sub(_html, text)
    text = _CODE_BLOCK.sub(_fence, text)
    text = _DOC.sub(lambda m: _doc_link(m, labels, base), text)
    return _REF.sub(lambda m: _link(m, labels, base), text)


def _exercise_split(text: str) -> int | None:
    """Where a "Solution" reveal starts in a cell's text, if it has one."""
    for raw in _RAW.finditer(text):
        summary = _SUMMARY.search(raw.group(1))
        if summary and _EXERCISE.match(summary.group(1)):
            return raw.start()
    return None


def rewrite(nb: dict, labels, base: str) -> bool:
    """Rewrite one notebook in place; True if anything changed."""
    cells = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            cells.append(cell)
            continue
        text = "".join(cell["source"])
        split = _exercise_split(text)
        parts = [text] if split is None else [text[:split], text[split:]]
        for number, part in enumerate(parts):
            if number:  # the reader's answer goes between question and solution
                cells.append(
                    {
                        "cell_type": "code",
                        "execution_count": None,
                        "metadata": {"tags": [ANSWER_TAG]},
                        "outputs": [],
                        "source": ANSWER_CELL,
                    }
                )
            new = _markdown(part, labels, base)
            if new.strip():
                cells.append({**cell, "source": new})
    changed = cells != nb["cells"]
    nb["cells"] = cells
    return changed


def _rebase(nb: dict, old: str, new: str) -> None:
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = "".join(cell["source"]).replace("](" + old, "](" + new)


def rewrite_notebooks(app, env) -> None:
    from sphinx_gallery.downloads import python_zip

    labels = _labels(env)
    base = app.config.html_baseurl
    conf = app.config.sphinx_gallery_conf
    srcdir = Path(app.srcdir)
    for gallery in conf["gallery_dirs"]:
        root = srcdir / gallery
        notebooks = sorted(root.rglob("*.ipynb"))
        changed = False
        newest = 0
        for path in notebooks:
            written = path.stat()  # when sphinx-gallery wrote it
            newest = max(newest, written.st_mtime_ns)
            nb = json.loads(path.read_text(encoding="utf-8"))
            done = nb.get("metadata", {}).get(REWRITTEN)
            if done == base:
                continue
            if done:  # rewritten for another host: only the links' base changes
                _rebase(nb, done, base)
            else:
                rewrite(nb, labels, base)
            nb.setdefault("metadata", {})[REWRITTEN] = base
            path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            _keep_time(path, written.st_mtime_ns)
            changed = True
        zipped = root / (root.name + "_jupyter.zip")
        if notebooks and (changed or not zipped.exists()):
            was = zipped.stat().st_mtime_ns if zipped.exists() else newest
            python_zip(_zip_order(root, conf), root, ".ipynb")
            _keep_time(zipped, was)


def _zip_order(root: Path, conf) -> list[str]:
    """The files in the order sphinx-gallery zips them (``generate_zipfiles``).

    sphinx-gallery makes the zip again on every build and replaces it only
    when the bytes differ; the same order gives the same bytes, so the next
    build leaves this zip alone.
    """
    from sphinx_gallery.downloads import list_downloadable_sources

    extensions = tuple(conf["notebook_extensions"])
    files = list_downloadable_sources(root, extensions)
    for folder in sorted(root.iterdir(), key=lambda p: p.name):
        if folder.is_dir():
            files.extend(list_downloadable_sources(folder, extensions))
    return files


def _keep_time(path: Path, mtime_ns: int) -> None:
    """Give a rewritten file back the time sphinx-gallery wrote it.

    A page that links a download depends on that file in Sphinx's eyes, and a
    file newer than the page's last reading makes the next build read and
    write the page again. The rewrite happens after the pages were read
    (the labels are known only then), yet it follows from the same sources:
    with sphinx-gallery's time kept, a no-change rebuild after a clean build
    reads no page again. (Sphinx copies a download when its content differs,
    not by time, so the rewritten content is still what the site serves.)
    """
    os.utime(path, ns=(mtime_ns, mtime_ns))


def setup(app):
    app.connect("env-updated", rewrite_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
