"""Run the examples in worker processes only when enough of them must run.

sphinx-gallery can run examples in worker processes (its ``parallel`` option,
joblib/loky). Each worker imports TensorFlow (~3-6 s), which pays off when
many examples run (a clean build: 14 s instead of 17.6 s, measured on the
2-core build machine) but makes a rebuild where one or no example changed
slower (the workers start anyway).

So ``parallel`` is not set in conf.py: it is decided per build, here, from how
many examples will actually run. It is set at ``builder-inited``, after Sphinx
hashed the configuration, so the choice never invalidates the incremental
build, and it changes no number (each example seeds itself and gets a fresh
Keras session; tests/test_determinism.py compares two builds).
sphinx-gallery has no such option ("parallel" is a fixed number of workers).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

# LSTM_GALLERY_WORKERS=1 runs every example in the Sphinx process, one after
# the other: tools/bench.py times each example alone on the machine that way.
GALLERY_WORKERS = int(os.environ.get("LSTM_GALLERY_WORKERS") or min(2, os.cpu_count() or 1))
PARALLEL_FROM = 4  # run in workers when at least this many examples must run


def examples_to_run(app) -> int:
    """How many examples sphinx-gallery will execute (source md5 changed)."""
    from sphinx_gallery.utils import get_md5sum

    conf = app.config.sphinx_gallery_conf
    srcdir = Path(app.srcdir)
    stale = 0
    for examples_dir, gallery_dir in zip(conf["examples_dirs"], conf["gallery_dirs"]):
        examples = (srcdir / examples_dir).resolve()
        for source in examples.rglob("*.py"):
            if not re.search(conf["filename_pattern"], str(source)):
                continue
            if re.search(conf["ignore_pattern"], str(source)):
                continue
            stamp = srcdir / gallery_dir / source.relative_to(examples)
            stamp = stamp.with_name(stamp.name + ".md5")
            try:
                current = stamp.read_text() == get_md5sum(source, mode="t")
            except OSError:
                current = False
            stale += not current or conf["run_stale_examples"]
    return stale


def choose_gallery_workers(app) -> None:
    conf = app.config.sphinx_gallery_conf
    if not conf["plot_gallery"] or GALLERY_WORKERS < 2:
        return
    if examples_to_run(app) >= PARALLEL_FROM:
        conf["parallel"] = GALLERY_WORKERS


def setup(app):
    # after build_recovery (300) and gallery_freshness (400), which may delete
    # md5 files, before sphinx-gallery generates the gallery (500)
    app.connect("builder-inited", choose_gallery_workers, priority=450)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
