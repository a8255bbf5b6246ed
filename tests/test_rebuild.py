"""Incremental rebuilds: the page list is data, and a rebuild's site is whole.

In a throw-away copy of the project that starts from this checkout's build
(``make test`` builds it first), ``examples/gallery.toml`` is edited the way a
maintainer adds a page: a new example at the end of a section, a section
reordered, a card relabelled. The rebuild must run the new example alone (no
other example's outputs are written again), show the new order and label, and
write a sitemap.xml that lists every page (sphinx-sitemap alone would list only
the pages this build wrote; docs/_ext/rebuild_stable.py completes it).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib

import pytest
from support import HTML_BUILD, ROOT, SITE, clean_env, site_pages, sitemap_pages
from PIL import Image
from project_copy import copy_project

import gallery_thumbnails

NEW_PAGE = '''"""
What does a new page print?
===========================

**In short:** this.
"""

print("a new page")
'''


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    if not (ROOT / "_build" / "html" / "index.html").exists() or SITE != ROOT / "_build" / "html":
        pytest.fail("needs this checkout's own build in _build/html: run make html first")
    project = copy_project(tmp_path_factory.mktemp("rebuild") / "project")
    shutil.copytree(ROOT / "_build", project / "_build", symlinks=True)
    shutil.copytree(ROOT / "docs" / "auto_examples", project / "docs" / "auto_examples", symlinks=True)
    gallery = project / "docs" / "auto_examples"
    before = {p: p.stat().st_mtime_ns for p in gallery.rglob("plot_*.rst")}

    pages_file = project / "examples" / "gallery.toml"
    pages = tomllib.loads(pages_file.read_text(encoding="utf-8"))
    section = next(iter(pages))
    names = list(pages[section])
    first, second = names[0], names[1]
    (project / "examples" / section / "plot_zz_new_page.py").write_text(NEW_PAGE, encoding="utf-8")
    text = pages_file.read_text(encoding="utf-8")
    # swap the first two pages, relabel the first, add the new one at the end
    lines = text.splitlines()
    at = {line.split(" = ")[0]: k for k, line in enumerate(lines) if " = " in line}
    lines[at[first]], lines[at[second]] = lines[at[second]], f'{first} = "relabelled"'
    last = at[names[-1]]
    lines.insert(last + 1, 'plot_zz_new_page = "new page"')
    pages_file.write_text("\n".join(lines) + "\n", encoding="utf-8")

    log = project / "rebuild.log"
    with open(log, "w") as out:
        result = subprocess.run(
            HTML_BUILD, cwd=project, env=clean_env(), stdout=out, stderr=subprocess.STDOUT, timeout=900,
        )
    assert result.returncode == 0, log.read_text()[-3000:]
    return project, section, (first, second), before


def test_adding_a_page_runs_that_page_alone(rebuilt):
    project, section, _, before = rebuilt
    gallery = project / "docs" / "auto_examples"
    rewritten = sorted(p.name for p, t in before.items() if p.stat().st_mtime_ns != t)
    assert not rewritten, f"editing examples/gallery.toml ran other examples again: {rewritten}"
    new = gallery / section / "plot_zz_new_page.rst"
    assert new.exists() and "a new page" in new.read_text(encoding="utf-8")


def test_the_new_order_and_label_are_shown(rebuilt):
    project, section, (first, second), _ = rebuilt
    site = project / "_build" / "html"
    index = (site / "auto_examples" / "index.html").read_text(encoding="utf-8")
    positions = [index.find(f"{section}/{name}.html") for name in (second, first, "plot_zz_new_page")]
    assert -1 not in positions and positions == sorted(positions), positions
    card = site / "_images" / f"sphx_glr_{first}_thumb.png"
    with Image.open(card) as image:
        assert image.info.get(gallery_thumbnails.LABEL_KEY) == "relabelled"


def test_the_sitemap_of_a_rebuild_lists_every_page(rebuilt):
    project = rebuilt[0]
    site = project / "_build" / "html"
    assert sitemap_pages(site) == set(site_pages(site))
    assert f"auto_examples/{rebuilt[1]}/plot_zz_new_page.html" in sitemap_pages(site)


def test_a_no_change_rebuild_redoes_nothing(rebuilt):
    """What a no-change rebuild skips, right after a build that added a page:
    no page is read again (notebooks.py keeps sphinx-gallery's file times), no
    inventory is read (api_inventories.py's intersphinx patch) and no Keras
    process starts (keras_jobs.py), no example
    runs and the recommender's inputs are recorded (gallery_cache.py step 4),
    and matplotlib is not imported (build_speed.py). In the copy of the
    fixture, so the site the other tests read is left alone."""
    project = rebuilt[0]
    command = [sys.executable, "-X", "importtime", *HTML_BUILD]
    result = subprocess.run(command, cwd=project, env=clean_env(), capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    said = [line for line in result.stdout.splitlines() if "changed" in line or "updating" in line]
    assert "updating environment: 0 added, 0 changed, 0 removed" in said, said
    assert "loading intersphinx inventory" not in result.stdout
    assert "keras_jobs:" not in result.stdout  # no Keras process started
    assert "executed 0 out of 0" in result.stdout
    assert (project / "docs" / "auto_examples" / ".recommender-inputs").is_file()
    imported = re.findall(r"\|\s*(matplotlib\S*|fontTools\.subset)\s*$", result.stderr, re.M)
    assert not imported, f"a no-change rebuild imported {sorted(set(imported))[:5]}"
