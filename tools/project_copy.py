"""A throw-away copy of the project's sources, without environments or build output.

Used by tools/bench.py and by the tests that build a second copy of the site
(tests/test_determinism.py, tests/test_build.py), so they all leave out the same
things.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", ".venvs", "venv", "_build", "auto_examples", "sg_execution_times.rst",
    "__pycache__", ".pytest_cache", ".hypothesis", "test-artifacts", "node_modules",
)


def copy_project(dest: Path) -> Path:
    """Copy the project's sources into ``dest`` (which must not exist yet)."""
    shutil.copytree(ROOT, dest, ignore=NOT_COPIED, symlinks=True)
    return dest
