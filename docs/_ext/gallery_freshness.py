"""No stale numbers: re-run every example when what computes them changed.

sphinx-gallery skips an example whose source did not change since its last
run (the ``<example>.py.md5`` file next to its output). That is wrong when the
libraries that compute the outputs changed (a new TensorFlow pin), or the
shared build settings that every example runs under (``sphinx_gallery_conf``
in conf.py, ``docs/_ext/lstm_gallery.py``), or the rewrite of the notebooks
(``docs/_ext/notebooks.py``).

At ``builder-inited``, before sphinx-gallery generates the gallery, this
compares a fingerprint of

* the Python version and every installed distribution with its version,
* ``sphinx_gallery_conf`` as written in conf.py,
* the files in ``FINGERPRINT_FILES``,

with the one stored in ``<gallery dir>/.outputs-fingerprint.json``. When it
differs (or is missing), it deletes the ``*.py.md5`` files of that gallery, so
sphinx-gallery runs every example again, logs one line, and stores the new
fingerprint.
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
import sys
from importlib import metadata
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

STAMP_NAME = ".outputs-fingerprint.json"
HERE = Path(__file__).resolve().parent
# files (besides the installed libraries and sphinx_gallery_conf) whose content
# changes what the examples compute or print, or the notebooks made with them
# (notebooks.py rewrites a notebook once, when sphinx-gallery writes it)
FINGERPRINT_FILES = [HERE / "lstm_gallery.py", HERE / "notebooks.py"]

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def _stable(value) -> str:
    """repr() without memory addresses, for objects in sphinx_gallery_conf."""
    return _ADDRESS.sub("", repr(value))


def installed_distributions() -> list[str]:
    names = set()
    for dist in metadata.distributions():
        name = dist.metadata.get("Name")
        if name:
            names.add(f"{name.lower().replace('_', '-')}=={dist.version}")
    return sorted(names)


def fingerprint(gallery_conf: dict, files=None) -> dict:
    """What the outputs of the examples depend on, besides their own source."""
    files = FINGERPRINT_FILES if files is None else files
    return {
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
        "distributions": installed_distributions(),
        "sphinx_gallery_conf": hashlib.sha256(
            json.dumps(gallery_conf, sort_keys=True, default=_stable).encode()
        ).hexdigest(),
        "files": {
            Path(f).name: hashlib.sha256(Path(f).read_bytes()).hexdigest()
            for f in files
            if Path(f).exists()
        },
    }


def _differences(old: dict, new: dict) -> str:
    """A short human summary of what changed, for the log line."""
    changed = []
    for key in new:
        if old.get(key) == new[key]:
            continue
        if key == "distributions" and isinstance(old.get(key), list):
            now = sorted(set(new[key]) - set(old[key]))
            gone = sorted(set(old[key]) - set(new[key]))
            listed = [f"now {d}" for d in now] or [f"removed {d}" for d in gone]
            more = len(listed) - 3
            changed.append(", ".join(listed[:3]) + (f" and {more} more" if more > 0 else ""))
        else:
            changed.append(key)
    return ", ".join(changed)


def _remember_user_conf(app, config) -> None:
    # sphinx-gallery replaces sphinx_gallery_conf with a filled-in copy at
    # config-inited (priority 10); fingerprint what conf.py wrote
    app._freshness_gallery_conf = dict(config.sphinx_gallery_conf)


def refresh_stale_outputs(app) -> None:
    user_conf = getattr(app, "_freshness_gallery_conf", None)
    if user_conf is None:
        return
    current = fingerprint(user_conf)
    srcdir = Path(app.srcdir)
    gallery_dirs = user_conf.get("gallery_dirs", [])
    if isinstance(gallery_dirs, str):
        gallery_dirs = [gallery_dirs]
    for gallery_dir in gallery_dirs:
        out = (srcdir / gallery_dir).resolve()
        stamp = out / STAMP_NAME
        try:
            stored = json.loads(stamp.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = None
        if stored == current:
            continue
        md5_files = sorted(out.rglob("*.py.md5")) if out.exists() else []
        for md5 in md5_files:
            md5.unlink()
        # pages sphinx-gallery writes only with some settings (it rewrites
        # them when they are on): none stays from an older configuration
        for generated in [*out.rglob("sg_execution_times.rst"), srcdir / "sg_execution_times.rst"]:
            generated.unlink(missing_ok=True)
        if md5_files:
            why = _differences(stored, current) if stored else "no fingerprint yet"
            logger.info(
                "gallery_freshness: %s: outputs were computed with other libraries or "
                "settings (%s): all %d examples run again",
                gallery_dir, why, len(md5_files),
            )
        out.mkdir(parents=True, exist_ok=True)
        stamp.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def setup(app):
    app.connect("config-inited", _remember_user_conf, priority=5)
    # before sphinx-gallery's generate_gallery_rst (default priority 500)
    app.connect("builder-inited", refresh_stale_outputs, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
