"""The site's version, its version switcher, and the versions behind its numbers.

One source for the version of the site: git tags.

* ``LSTM_SITE_VERSION`` (set by ``tools/build_versions.py``, which builds every
  release tag and the main branch) wins;
* otherwise a checkout of a release tag (``git describe --tags --exact-match``)
  is that version, without a leading ``v`` (tag ``v1.2`` -> ``1.2``);
* anything else is ``dev``.

As a Sphinx extension it also

* writes ``_static/switcher.json`` for a single build: one entry, this version,
  at ``./`` (``tools/build_versions.py`` overwrites it with every version);
* puts the versions of Python, TensorFlow, Keras, NumPy and matplotlib into
  ``html_context`` (read with ``importlib.metadata``, without importing any of
  them), for the footer template ``docs/_templates/computed-with.html``. Being
  in the configuration, a change of any of them rewrites every page.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
from importlib import metadata
from pathlib import Path

VERSION_ENV = "LSTM_SITE_VERSION"
DEV = "dev"
# a release tag: v1, 1.2, v1.2.3 (nothing after the numbers)
RELEASE_TAG = re.compile(r"^v?(\d+(?:\.\d+)*)$")

# what the footer names, and the distributions that may provide it
COMPUTED_WITH = {
    "TensorFlow": ("tensorflow", "tensorflow-cpu"),
    "Keras": ("keras",),
    "NumPy": ("numpy",),
    "matplotlib": ("matplotlib",),
}


def version_of_tag(tag: str) -> str | None:
    """``v1.2`` -> ``1.2``; None for a tag that is not a release."""
    match = RELEASE_TAG.match(tag.strip())
    return match.group(1) if match else None


def site_version(root: str | os.PathLike) -> str:
    """The version this build of the site is (see the module docstring)."""
    explicit = os.environ.get(VERSION_ENV, "").strip()
    if explicit:
        return explicit
    try:
        tag = subprocess.run(
            ["git", "describe", "--tags", "--exact-match", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=20,
        )
    except (OSError, subprocess.SubprocessError):
        return DEV
    if tag.returncode != 0:
        return DEV
    return version_of_tag(tag.stdout) or DEV


def distribution_version(*names: str) -> str:
    for name in names:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "not installed"


def computed_with() -> dict[str, str]:
    """{"Python": "3.11.2", "TensorFlow": "2.21.0", ...}, in footer order."""
    versions = {"Python": platform.python_version()}
    for label, names in COMPUTED_WITH.items():
        versions[label] = distribution_version(*names)
    return versions


def switcher_entries(version: str) -> list[dict]:
    """The switcher of a single build: only itself, at the root of the build."""
    return [{"name": version, "version": version, "url": "./"}]


def _add_context(app, config) -> None:
    versions = computed_with()
    config.html_context["computed_with"] = versions
    config.html_context["computed_with_text"] = ", ".join(
        f"{name} {value}" for name, value in versions.items()
    )


def _write_switcher(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "switcher.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        json.dumps(switcher_entries(app.config.version), indent=2) + "\n",
        encoding="utf-8",
    )


def setup(app):
    app.connect("config-inited", _add_context)
    app.connect("build-finished", _write_switcher)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
