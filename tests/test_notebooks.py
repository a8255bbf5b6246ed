"""Each downloadable notebook runs in a fresh Jupyter kernel and prints its page.

The notebook is the ``.ipynb`` the page's download button serves (from the
site's ``_downloads/``). It runs in a new kernel of this environment (the
ipykernel installed next to the Python running the tests), from an empty
folder, with none of our ``TF_``/``KERAS_`` settings in the environment: only
what the notebook sets itself. Its printed output (stdout streams, in cell
order) must equal the page's output blocks, the HTML tables it displays must
have the same cells as the page's tables, in the same places, and nothing may
reach stderr or raise.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from support import clean_env, page_download, page_for, page_items, table_cells
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from notebooks import ANSWER_CELL, ANSWER_TAG

CELL_TIMEOUT = 300  # seconds; one cell normally takes well under 5 s


def kernel_env() -> dict[str, str]:
    """A reader's environment. Jupyter picks its own (inline) plot backend."""
    env = clean_env()
    env.pop("MPLBACKEND", None)
    return env


def run_notebook(path, cwd) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        # "python3" is the kernel of the running interpreter: jupyter_client
        # starts it with sys.executable, so the venv's packages are used
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        startup_timeout=120,
        allow_errors=False,
        resources={"metadata": {"path": str(cwd)}},  # the kernel's cwd
    )
    client.execute(env=kernel_env())
    return nb


def table_token(cells: list[str]) -> str:
    """One line standing for a table with these cells (compared, never shown)."""
    return "<table: " + " | ".join(cells) + ">"


def test_notebook_prints_what_its_page_shows(site, example, tmp_path):
    page = page_for(example)
    notebook = page_download(page, ".ipynb")
    assert notebook.name == example.stem + ".ipynb", f"{page.name} serves {notebook.name}"
    try:
        nb = run_notebook(notebook, cwd=tmp_path)
    except CellExecutionError as error:
        pytest.fail(f"{notebook.name} raised in a fresh kernel:\n{str(error)[-3000:]}")

    # the first cell prints the versions the page was built with, next to the
    # running ones: here they are the same ones, so no "not the versions" line
    versions = "".join(o.get("text", "") for o in nb.cells[0].get("outputs", []))
    for name in ("Python", "Keras", "TensorFlow"):
        assert re.search(rf"^  {name}: (\S+) -> \1$", versions, re.M), versions
    assert "Not the versions" not in versions

    stdout, stderr, errors = [], [], []
    for index, cell in enumerate(nb.cells[1:], start=1):
        if ANSWER_TAG in cell.get("metadata", {}).get("tags", []):
            assert cell.source == ANSWER_CELL and not cell.get("outputs"), (
                f"{notebook.name}: cell {index} should be an empty answer cell"
            )
        for output in cell.get("outputs", []):
            if output.output_type == "stream" and output.name == "stdout":
                stdout.append(output.text)
            elif "<table" in output.get("data", {}).get("text/html", ""):
                # a table the notebook draws where the page draws it
                stdout.append(table_token(table_cells(output.data["text/html"])) + "\n")
            elif "text/html" in output.get("data", {}):
                # Keras' model summary also sends rich's (empty) HTML rendering
                # to Jupyter; anything visible in it would be output the page lacks
                shown = re.sub(r"<[^>]+>", "", output.data["text/html"]).strip()
                assert not shown, f"{notebook.name}: cell {index} shows HTML the page lacks: {shown[:200]}"
            elif output.output_type == "stream":
                stderr.append(f"cell {index}: {output.text}")
            elif output.output_type == "error":
                errors.append(f"cell {index}: {output.ename}: {output.evalue}")
    assert not errors, f"{notebook.name} has error outputs:\n" + "\n".join(errors)
    assert not stderr, f"{notebook.name} wrote to stderr:\n" + "".join(stderr)[-3000:]

    page_text = "\n".join(
        value.rstrip("\n") if kind == "text" else table_token(value)
        for kind, value in page_items(page)
    )
    assert "".join(stdout).rstrip("\n") == page_text


# what sphinx-gallery's Markdown conversion leaves of reST: a directive, a role,
# a raw label (what a :ref: becomes), a reST link, a reveal that cannot span cells
RAW_REST = re.compile(r"^\.\. [\w-]+::|:[\w:]+:`|sphx_glr_|`_(?!\w)|</?details>|</?summary>", re.M)
SOLUTION = re.compile(r"<details>\s*<summary>\s*(Solution|Answer)\b", re.I)


def test_notebook_has_no_rest_and_an_answer_cell_per_exercise(site, example):
    page = page_for(example)
    nb = nbformat.read(page_download(page, ".ipynb"), as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            leftover = RAW_REST.search(cell.source)
            assert not leftover, (
                f"{example.stem}.ipynb cell {index} shows reST {leftover.group(0)!r}: {cell.source[:300]!r}"
            )
    # every cross-reference is a full link to a page of this build's site
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', page.read_text(encoding="utf-8")).group(1)
    base = canonical[: -len(page.relative_to(site).as_posix())]
    for url in re.findall(r"\]\((" + re.escape(base) + r"[^)#]*)", "\n".join(c.source for c in nb.cells)):
        assert (site / url[len(base):]).is_file(), f"{example.stem}.ipynb links to {url}, which was not built"
    # each "Solution" reveal on the page is an empty answer cell, then the solution
    exercises = len(SOLUTION.findall(page.read_text(encoding="utf-8")))
    answers = [i for i, c in enumerate(nb.cells) if ANSWER_TAG in c.metadata.get("tags", [])]
    assert len(answers) == exercises, f"{example.stem}: {exercises} exercises, {len(answers)} answer cells"
    for i in answers:
        following = nb.cells[i + 1]
        assert following.cell_type == "markdown" and re.match(r"\*\*(Solution|Answer)", following.source), (
            f"{example.stem}.ipynb: the answer cell {i} is not followed by its solution"
        )


def test_rewrite_turns_rest_into_markdown_and_adds_answer_cells():
    """The rewrite on a notebook as sphinx-gallery writes it (no build needed)."""
    from notebooks import rewrite

    def md(text):
        return {"cell_type": "markdown", "metadata": {}, "source": text}

    nb = {
        "cells": [
            md("See `sphx_glr_auto_examples_seed_plot_a.py` and `the b page <b_label>`.\n"),
            md("**1. Predict.**\n\n.. raw:: html\n\n   <details><summary>Solution</summary>\n\nBecause.\n"),
            {"cell_type": "code", "metadata": {}, "outputs": [], "source": "print(1)"},
            md(".. raw:: html\n\n   </details>\n\n.. code-block:: python\n\n   x = 1\n"),
        ]
    }
    labels = {
        "sphx_glr_auto_examples_seed_plot_a.py": ("auto_examples/seed/plot_a", "sphx-glr-a", "Page A"),
        "b_label": ("docs/b", "b-section", "B"),
    }
    assert rewrite(nb, labels, "https://host/v1/")
    sources = [c["source"] for c in nb["cells"]]
    assert sources[0] == (
        "See [Page A](https://host/v1/auto_examples/seed/plot_a.html) and "
        "[the b page](https://host/v1/docs/b.html#b-section).\n"
    )
    assert sources[1] == "**1. Predict.**\n\n"
    assert nb["cells"][1]["cell_type"] == "markdown"
    assert nb["cells"][2]["metadata"]["tags"] == [ANSWER_TAG] and sources[2] == ANSWER_CELL
    assert sources[3] == "**Solution**\n\nBecause.\n"
    assert sources[4] == "print(1)"
    assert sources[5] == "```python\nx = 1\n```\n\n"
    assert not any(RAW_REST.search(s) for s in sources)


def test_rewrite_turns_a_doc_role_into_a_link():
    from notebooks import rewrite

    nb = {"cells": [{"cell_type": "markdown", "metadata": {},
                     "source": "See :doc:`/shape_explorer` and :doc:`this page </error_lookup>`.\n"}]}
    labels = {"doc:shape_explorer": ("shape_explorer", "", "Shape explorer")}
    assert rewrite(nb, labels, "https://host/v1/")
    assert nb["cells"][0]["source"] == (
        "See [Shape explorer](https://host/v1/shape_explorer.html) and "
        "[this page](https://host/v1/error_lookup.html).\n"
    )
