"""Each example runs alone, as a reader's download would, and prints its page."""

from __future__ import annotations

import re
import shutil

from support import page_download, page_for, page_items, run_script

ANSI_OR_CONTROL = re.compile(r"\x1b\[|[\x00-\x08\x0b-\x1f\x7f]")

def table_as_text_pattern(cells: list[str]) -> str:
    """A table printed as text: exactly its cells, in order, between blanks/rules.

    Each cell may wrap at its spaces; nothing but whitespace and ``-`` may
    stand between two cells, before the first or after the last.
    """
    gap = r"[\s-]"
    words = [r"\s+".join(map(re.escape, cell.split())) for cell in cells if cell.strip()]
    return f"{gap}*" + f"{gap}+".join(words) + f"{gap}*"


def page_stdout_pattern(items) -> re.Pattern:
    """What the page says the script prints: text blocks exactly, tables as text."""
    parts = [
        re.escape(value.rstrip("\n")) if kind == "text" else table_as_text_pattern(value)
        for kind, value in items
    ]
    return re.compile("\n".join(parts), re.S)


def test_every_example_has_a_page_with_output(site, example):
    page = page_for(example)
    assert page.exists(), f"{example} has no page at {page}"
    items = page_items(page)
    assert items, f"{page.name} shows no output block"
    for kind, value in items:
        if kind == "table":
            assert any(value), f"{page.name}: a table with no text"
            continue
        assert not ANSI_OR_CONTROL.search(value), f"{page.name}: control characters in {value!r}"
        for noise in ("WARNING", "Warning:", "oneDNN", "absl", "I0000", "W0000", "━━━━━━━━━━ 0s"):
            assert noise not in value, f"{page.name}: log noise {noise!r} in output"


def test_table_pattern_is_strict():
    """The table check accepts the cells as text, and nothing else."""
    pattern = re.compile(table_as_text_pattern(["a b", "(1, 2)", "x"]))
    assert pattern.fullmatch("a b\n    (1, 2)  x")
    assert pattern.fullmatch("----\na\n b  (1, 2)\n\nx\n")
    assert not pattern.fullmatch("a b  (1, 2)")  # a cell missing
    assert not pattern.fullmatch("a b  x  (1, 2)")  # out of order
    assert not pattern.fullmatch("a b  (1, 2)  y  x")  # an extra cell


def test_standalone_script_prints_what_its_page_shows(site, example, tmp_path):
    """The downloaded .py, run in a fresh process from an empty folder.

    The script is the one the page's download button serves (from the site's
    ``_downloads/``), not the source in ``examples/``. It prints every text
    block exactly, and where the page shows an HTML table, the same cells as
    text in the same order.
    """
    download = page_download(page_for(example), ".py")
    assert download.name == example.name, f"{example.name}: page serves {download.name}"
    script = tmp_path / example.name
    shutil.copy(download, script)
    result = run_script(script, cwd=tmp_path)
    assert result.returncode == 0, f"{example.name} failed:\n{result.stderr[-3000:]}"
    assert result.stderr == "", f"{example.name} wrote to stderr:\n{result.stderr[-3000:]}"
    items = page_items(page_for(example))
    stdout = result.stdout.rstrip("\n")
    if all(kind == "text" for kind, _ in items):
        assert stdout == "\n".join(value.rstrip("\n") for _, value in items)
    else:
        assert page_stdout_pattern(items).fullmatch(stdout), (
            f"{example.name}: the script's output differs from the page's blocks and tables:\n"
            + stdout[-3000:]
        )
