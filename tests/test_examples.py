"""Each example runs alone, as a reader's download would, and prints its page."""

from __future__ import annotations

import re
import shutil

from conftest import page_download, page_for, page_output_blocks, run_script

ANSI_OR_CONTROL = re.compile(r"\x1b\[|[\x00-\x08\x0b-\x1f\x7f]")


def test_every_example_has_a_page_with_output(site, example):
    page = page_for(example)
    assert page.exists(), f"{example} has no page at {page}"
    blocks = page_output_blocks(page)
    assert blocks, f"{page.name} shows no output block"
    for block in blocks:
        assert not ANSI_OR_CONTROL.search(block), f"{page.name}: control characters in {block!r}"
        for noise in ("WARNING", "Warning:", "oneDNN", "absl", "I0000", "W0000", "━━━━━━━━━━ 0s"):
            assert noise not in block, f"{page.name}: log noise {noise!r} in output"


def test_standalone_script_prints_what_its_page_shows(site, example, tmp_path):
    """The downloaded .py, run in a fresh process from an empty folder.

    The script is the one the page's download button serves (from the site's
    ``_downloads/``), not the source in ``examples/``.
    """
    download = page_download(page_for(example), ".py")
    assert download.name == example.name, f"{example.name}: page serves {download.name}"
    script = tmp_path / example.name
    shutil.copy(download, script)
    result = run_script(script, cwd=tmp_path)
    assert result.returncode == 0, f"{example.name} failed:\n{result.stderr[-3000:]}"
    assert result.stderr == "", f"{example.name} wrote to stderr:\n{result.stderr[-3000:]}"
    blocks = page_output_blocks(page_for(example))
    page_text = "\n".join(block.rstrip("\n") for block in blocks)
    assert result.stdout.rstrip("\n") == page_text
