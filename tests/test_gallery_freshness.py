"""docs/_ext/gallery_cache.py, step 2: no stale outputs after a library change.

A throw-away gallery with one example that counts its runs, built with
sphinx-build several times. The installed distributions are faked through
an environment variable (so "upgrading TensorFlow" takes no install).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT

EXT = ROOT / "docs" / "_ext"

CONF = f"""
import os, sys
sys.path.insert(0, {str(EXT)!r})
import gallery_cache
gallery_cache.installed_distributions = lambda: os.environ["FAKE_DISTS"].split()
gallery_cache.FINGERPRINT_FILES = [os.path.join(os.path.dirname(__file__), "settings.py")]
extensions = ["sphinx_gallery.gen_gallery", "gallery_cache"]
sphinx_gallery_conf = {{
    "examples_dirs": ["examples"],
    "gallery_dirs": ["auto_examples"],
    "min_reported_time": int(os.environ.get("MIN_TIME", "0")),
}}
"""

EXAMPLE = '''"""
Counter
=======

Counts its runs.
"""
import os

with open(os.environ["RUNS_FILE"], "a") as file:
    file.write("run\\n")
print("ran")
'''


@pytest.fixture()
def project(tmp_path):
    src = tmp_path / "src"
    (src / "examples").mkdir(parents=True)
    (src / "conf.py").write_text(CONF)
    (src / "settings.py").write_text("SETTING = 1\n")
    (src / "index.rst").write_text("Test\n====\n\n.. toctree::\n\n   auto_examples/index\n")
    (src / "examples" / "README.txt").write_text("Examples\n========\n")
    (src / "examples" / "plot_counter.py").write_text(EXAMPLE)
    return tmp_path


def build(project: Path, **env_changes: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, RUNS_FILE=str(project / "runs.txt"),
               FAKE_DISTS="tensorflow==2.21.0 keras==3.15.1")
    env.update(env_changes)
    run = subprocess.run(
        # --no-color: the test reads the log, which CI=true would colour
        [sys.executable, "-m", "sphinx", "-b", "html", str(project / "src"),
         str(project / "out"), "-d", str(project / "doctrees"), "--no-color"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    return run


def runs(project: Path) -> int:
    path = project / "runs.txt"
    return len(path.read_text().splitlines()) if path.exists() else 0


def test_examples_rerun_when_what_computes_them_changes(project):
    build(project)
    assert runs(project) == 1
    stamp = project / "src" / "auto_examples" / ".outputs-fingerprint.json"
    assert stamp.exists()

    build(project)  # nothing changed: sphinx-gallery skips the example
    assert runs(project) == 1

    # a library upgrade runs it again, and says why in one line
    run = build(project, FAKE_DISTS="tensorflow==2.22.0 keras==3.15.1")
    assert runs(project) == 2
    lines = [line for line in run.stdout.splitlines() if "outputs were computed" in line]
    assert len(lines) == 1 and "tensorflow==2.22.0" in lines[0], run.stdout

    build(project, FAKE_DISTS="tensorflow==2.22.0 keras==3.15.1")
    assert runs(project) == 2

    # a changed sphinx_gallery_conf runs it again
    build(project, FAKE_DISTS="tensorflow==2.22.0 keras==3.15.1", MIN_TIME="1")
    assert runs(project) == 3

    # a changed settings file runs it again
    (project / "src" / "settings.py").write_text("SETTING = 2\n")
    build(project, FAKE_DISTS="tensorflow==2.22.0 keras==3.15.1", MIN_TIME="1")
    assert runs(project) == 4
