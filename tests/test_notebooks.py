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
from conftest import clean_env, page_download, page_for
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from test_examples import page_items, table_cells

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

    stdout, stderr, errors = [], [], []
    for index, cell in enumerate(nb.cells):
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
