"""Two clean builds of the same sources give the same site, timings aside.

A second, clean build of a copy of the project (same environment, same
``make html``) is compared with the site under test:

* every page's output blocks (the text the examples printed);
* every image the pages show (PNG bytes; when bytes differ the failure says
  whether the decoded pixels differ too, or only the file's metadata);
* every other file of the site: HTML pages, sources, downloads (``.py``,
  ``.ipynb``, and the files inside the ``.zip`` archives), search index.

Only the run-time measurements may differ: "Total running time of the script"
on each example page, the durations on the ``sg_execution_times`` pages (and
the row order and row stripes there, which follow the durations) and the same
numbers in the page sources and in the search index. The URLs of
``sitemap.xml`` are compared as a set (their order means nothing).

The second build takes as long as a clean build (about a minute). To compare
against a second build you already have, set ``LSTM_SECOND_SITE_HTML`` to its
``_build/html``.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support import image_difference, mask_durations, page_for, page_output_blocks, site_differences, zip_members
from project_copy import copy_project

@pytest.fixture(scope="session")
def second_site(site, tmp_path_factory) -> Path:
    given = os.environ.get("LSTM_SECOND_SITE_HTML")
    if given:
        return Path(given)
    project = tmp_path_factory.mktemp("second-build") / "project"
    copy_project(project)
    venv = Path(sys.executable).parent.parent  # the environment running the tests
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    result = subprocess.run(
        ["make", "html", f"VENV={venv}", "BUILDDIR=_build"],
        cwd=project, env=env, capture_output=True, text=True, timeout=1800,
    )
    assert result.returncode == 0, f"second clean build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return project / "_build" / "html"


def test_example_outputs_are_identical(site, second_site, example):
    first, second = page_for(example), second_site / page_for(example).relative_to(site)
    assert second.exists(), f"the second build has no {second.name}"
    assert page_output_blocks(first) == page_output_blocks(second)


def test_example_images_are_identical(site, second_site, example):
    page = page_for(example)
    sources = re.findall(r'<img [^>]*src="([^"]+)"', page.read_text(encoding="utf-8"))
    local = [s for s in sources if "://" not in s and not s.startswith("data:")]
    problems = []
    for src in local:
        first = (page.parent / src).resolve()
        second = (second_site / page.relative_to(site)).parent / src
        if not second.is_file():
            problems.append(f"{src}: missing in the second build")
        elif first.read_bytes() != second.read_bytes():
            problems.append(f"{src}: {image_difference(first, second)}")
    assert not problems, "\n".join(problems)


def test_the_whole_site_is_identical_except_timings(site, second_site):
    problems = site_differences(site, second_site)
    assert not problems, f"{len(problems)} file(s) differ from a second clean build:\n" + "\n".join(problems)


def test_duration_masking_keeps_everything_else():
    """The masking removes durations only."""
    text = "(0 minutes 1.234 seconds) 00:04.855 total; shape (2, 9, 3) at 12:30"
    assert mask_durations(text) == "<duration> <duration> total; shape (2, 9, 3) at 12:30"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.py", "print(1)\n")
    assert zip_members(io.BytesIO(buffer.getvalue())) == {"a.py": b"print(1)\n"}
