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
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import page_for, page_output_blocks
from project_copy import copy_project

# sphinx-gallery timings: "(0 minutes 1.234 seconds)" and "00:01.234"
_DURATIONS = [
    re.compile(r"\(\d+ minutes \d+\.\d+ seconds\)"),
    re.compile(r"\b\d\d:\d\d\.\d\d\d\b"),
]
TIMING_PAGES = re.compile(r"(^|/)sg_execution_times\.(html|rst\.txt)$")
_ROW_STRIPE = re.compile(r"\brow-(even|odd)\b")


def _mask_durations(text: str) -> str:
    for pattern in _DURATIONS:
        text = pattern.sub("<duration>", text)
    return text


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


def _files(site: Path) -> dict[str, Path]:
    return {
        p.relative_to(site).as_posix(): p
        for p in site.rglob("*")
        # Sphinx's build record, and the copy it keeps when the settings changed
        if p.is_file() and p.name not in (".buildinfo", ".buildinfo.bak")
    }


def _image_difference(first: Path, second: Path) -> str:
    """Why two image files differ: pixels, or only metadata."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - pillow is pinned
        return "bytes differ"
    with Image.open(first) as a, Image.open(second) as b:
        if a.size != b.size or a.mode != b.mode:
            return f"size/mode differ: {a.size} {a.mode} vs {b.size} {b.mode}"
        if a.tobytes() != b.tobytes():
            return "pixels differ"
        return f"same pixels, different metadata: {a.info} vs {b.info}"


def _zip_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


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
            problems.append(f"{src}: {_image_difference(first, second)}")
    assert not problems, "\n".join(problems)


def test_the_whole_site_is_identical_except_timings(site, second_site):
    first, second = _files(site), _files(second_site)
    assert sorted(first) == sorted(second), (
        f"only in the site under test: {sorted(set(first) - set(second))}\n"
        f"only in the second build: {sorted(set(second) - set(first))}"
    )
    problems = []
    for name in sorted(first):
        a, b = first[name].read_bytes(), second[name].read_bytes()
        if a == b:
            continue
        if name.endswith(".zip"):
            # archive entries carry file dates; compare what is inside
            if _zip_members(first[name]) != _zip_members(second[name]):
                problems.append(f"{name}: different files inside")
            continue
        if name.endswith((".png", ".jpg", ".jpeg", ".gif", ".webp")):
            problems.append(f"{name}: {_image_difference(first[name], second[name])}")
            continue
        try:
            text_a, text_b = a.decode("utf-8"), b.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"{name}: binary content differs")
            continue
        text_a, text_b = _mask_durations(text_a), _mask_durations(text_b)
        if TIMING_PAGES.search(name):
            # rows are sorted by duration (so are their even/odd stripes):
            # compare the lines as a multiset
            text_a, text_b = (sorted(_ROW_STRIPE.sub("row", t).splitlines()) for t in (text_a, text_b))
        elif name == "sitemap.xml":
            # the order of the URLs carries no meaning (and follows write order)
            text_a, text_b = (sorted(re.findall(r"<url>.*?</url>", t, re.S)) for t in (text_a, text_b))
        elif name == "searchindex.js":
            text_a, text_b = _search_terms(text_a), _search_terms(text_b)
        if text_a != text_b:
            problems.append(f"{name}: {_first_difference(text_a, text_b)}")
    assert not problems, f"{len(problems)} file(s) differ from a second clean build:\n" + "\n".join(problems)


def _search_terms(text: str):
    """The search index without the numbers that are durations."""
    data = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    for key in ("terms", "titleterms"):
        if isinstance(data.get(key), dict):
            data[key] = {t: v for t, v in data[key].items() if not re.fullmatch(r"\d+(\.\d+)?", t)}
    return data


def _first_difference(a, b) -> str:
    if isinstance(a, str) and isinstance(b, str):
        at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        return f"first difference at character {at}: {a[max(0, at - 80):at + 80]!r} vs {b[max(0, at - 80):at + 80]!r}"
    if isinstance(a, list) and isinstance(b, list):
        only_a = [x for x in a if x not in b][:3]
        only_b = [x for x in b if x not in a][:3]
        return f"{len(a)} vs {len(b)} items; only in the site under test: {only_a}; only in the second build: {only_b}"
    return "content differs"


def test_duration_masking_keeps_everything_else():
    """The masking removes durations only."""
    text = "(0 minutes 1.234 seconds) 00:04.855 total; shape (2, 9, 3) at 12:30"
    assert _mask_durations(text) == "<duration> <duration> total; shape (2, 9, 3) at 12:30"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.py", "print(1)\n")
    assert _zip_members(io.BytesIO(buffer.getvalue())) == {"a.py": b"print(1)\n"}
