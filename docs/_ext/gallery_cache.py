"""The gallery's outputs: which to trust, which examples run, in how many processes.

sphinx-gallery runs an example again only when its source changed: it compares
the source with ``<example>.py.md5`` next to the example's outputs. Three things
it does not know decide around that file, each by deleting md5 files, and they
live here because **their order is what makes a build correct**. One handler,
at ``builder-inited`` (priority 400, before sphinx-gallery generates the
gallery at 500), runs them in this order:

1. ``recover`` - nothing written by a build that did not finish is trusted.
   sphinx-gallery writes an example's md5 *before* its ``.rst``, thumbnail,
   ``.ipynb`` and ``.zip`` (via ``*.new`` files), so a build stopped in between
   leaves an md5 that vouches for missing or old outputs (sphinx-gallery issue
   #343, open since 2018); the next build crashes (``FileNotFoundError:
   ...ipynb``) or shows old outputs. A marker ``.build-in-progress`` in a
   gallery folder means the last build did not finish: every md5 written since
   the marker is deleted, and so is every leftover ``*.new`` file (md5 files
   older than the marker were completed by an earlier, finished build and are
   kept: the rebuild after an interruption stays cheap). An md5 whose example
   lacks one of its outputs (``.rst``, ``.ipynb``, ``.zip``, the thumbnail, an
   image its ``.rst`` shows), however that happened, is deleted too. Then the
   marker is written again. First, because it reads the markers of the last
   build before anything else rewrites files.
2. ``refresh_stale_outputs`` - no stale numbers: when what computes the outputs
   changed (the Python version or any installed distribution, the
   ``sphinx_gallery_conf`` of conf.py, a file of ``FINGERPRINT_FILES``), every
   md5 of the gallery is deleted, so every example runs again. The fingerprint
   is stored in ``<gallery>/.outputs-fingerprint.json``. After ``recover``, so
   it deletes what is left; its answer does not depend on the markers.
3. ``choose_gallery_workers`` - run the examples in worker processes only when
   enough of them must run (sphinx-gallery's ``parallel`` is a fixed number;
   each worker imports TensorFlow, ~3-6 s, which pays off in a clean build and
   slows down the usual one-example rebuild). Last, because it counts the md5
   files that no longer match, after the two steps above deleted theirs. It is
   decided after Sphinx hashed the configuration, so the choice never
   invalidates the incremental build, and it changes no number (each example
   seeds itself; tests/test_determinism.py compares two builds).
   ``LSTM_GALLERY_WORKERS=1`` runs every example in the Sphinx process, one
   after the other (``tools/bench.py`` times each example alone that way).

Sphinx has the same kind of gap as sphinx-gallery: a page killed while being
written keeps a newer mtime than its source and is never written again. So at
``config-inited`` (before Sphinx loads its saved environment), a marker left in
the doctree folder makes Sphinx read and write every page again (the saved
environment and ``.buildinfo`` are deleted). At ``build-finished``, after every
other handler, the markers are removed when the build ended without an error.

What sphinx-gallery redoes at every build, even when no example runs, is
skipped here (``skip_needless_work``; a no-change rebuild's budget is 2 s,
``tools/bench.py``):

* the "Related pages" recommender: it reads every example again (parsing each
  recommended one, ~0.5 s) to write ``<example>.recommendations`` files that
  come out the same. Its inputs (the examples' copies in the gallery, in
  reading order, and its settings) are hashed into ``.recommender-inputs``; a
  build whose inputs match, with every file in place, skips it.
* importing matplotlib at configuration time (~0.6 s), only to select its
  Agg backend. The ``"matplotlib"`` resetter of ``reset_modules`` selects it
  again before every example runs, in whichever process runs it, so the
  import happens there, when an example runs.
* parsing every example a second time, in a build that runs them in this
  process, for an in-file setting (``sphinx_gallery_parallel``) that only a
  build with worker processes reads.

And at the very end, ``exit_quickly`` freezes the garbage collector (~0.3 s of
Python's exit otherwise; its docstring says why).

tests/test_interrupted.py stops builds at each of these moments;
tests/test_gallery_freshness.py changes libraries and settings;
tests/test_rebuild.py checks what a no-change rebuild skips.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import platform
import re
import sys
from importlib import metadata
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)


# -- 1. recover ------------------------------------------------------------

MARKER = ".build-in-progress"
ENV_PICKLE = "environment.pickle"  # sphinx.application.ENV_PICKLE_FILENAME
_IMAGE = re.compile(r"^\s*(?:\.\. image-sg::|\.\. image::|:srcset:)\s*/(\S+?\.png)\s*$", re.M)


def _gallery_dirs(app) -> list[Path]:
    dirs = app.config.sphinx_gallery_conf.get("gallery_dirs", [])
    if isinstance(dirs, str):
        dirs = [dirs]
    return [(Path(app.srcdir) / d).resolve() for d in dirs]


def _distrust_environment(app, config) -> None:
    doctrees = Path(app.doctreedir)
    if not (doctrees / MARKER).exists():
        return
    logger.info("gallery_cache: the last build did not finish: every page is read and written again")
    (doctrees / ENV_PICKLE).unlink(missing_ok=True)
    (Path(app.outdir) / ".buildinfo").unlink(missing_ok=True)


def incomplete_outputs(md5: Path, srcdir: Path) -> list[str]:
    """What is missing among the outputs of the example whose md5 this is."""
    folder, stem = md5.parent, md5.name[: -len(".py.md5")]
    expected = [folder / f"{stem}{suffix}" for suffix in (".py", ".rst", ".ipynb", ".zip")]
    expected.append(folder / "images" / "thumb" / f"sphx_glr_{stem}_thumb.png")
    rst = folder / f"{stem}.rst"
    if rst.is_file():
        text = rst.read_text(encoding="utf-8", errors="replace")
        expected += [srcdir / image for image in _IMAGE.findall(text)]
    return [str(path) for path in expected if not path.is_file()]


def _clean_gallery(app, gallery: Path) -> None:
    marker = gallery / MARKER
    srcdir = Path(app.srcdir)
    redo: dict[Path, str] = {}
    if marker.exists():
        since = marker.stat().st_mtime_ns
        for md5 in gallery.rglob("*.py.md5"):
            if md5.stat().st_mtime_ns >= since:
                redo[md5] = "written by a build that did not finish"
        for leftover in [*gallery.rglob("*.new"), *gallery.rglob("*.new.*")]:
            leftover.unlink()
    for md5 in gallery.rglob("*.py.md5"):
        missing = md5 not in redo and incomplete_outputs(md5, srcdir)
        if missing:
            redo[md5] = "missing " + ", ".join(Path(m).name for m in missing)
    for md5, why in sorted(redo.items()):
        logger.info("gallery_cache: %s runs again (%s)", md5.name[: -len(".md5")], why)
        md5.unlink()


def recover(app) -> None:
    for gallery in _gallery_dirs(app):
        if gallery.is_dir():
            _clean_gallery(app, gallery)
        gallery.mkdir(parents=True, exist_ok=True)
        (gallery / MARKER).touch()
    doctrees = Path(app.doctreedir)
    doctrees.mkdir(parents=True, exist_ok=True)
    (doctrees / MARKER).touch()


def _build_finished(app, exception) -> None:
    if exception is not None:
        return
    for gallery in _gallery_dirs(app):
        (gallery / MARKER).unlink(missing_ok=True)
    (Path(app.doctreedir) / MARKER).unlink(missing_ok=True)


# -- 2. refresh_stale_outputs ----------------------------------------------

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
    for out in _gallery_dirs(app):
        gallery_dir = out.relative_to(srcdir.resolve()).as_posix()
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
                "gallery_cache: %s: outputs were computed with other libraries or "
                "settings (%s): all %d examples run again",
                gallery_dir, why, len(md5_files),
            )
        out.mkdir(parents=True, exist_ok=True)
        stamp.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n", encoding="utf-8")


# -- 3. choose_gallery_workers ---------------------------------------------

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


# -- 4. skip_needless_work ---------------------------------------------------

RECOMMENDER_STAMP = ".recommender-inputs"


def recommender_inputs(
    gallery_conf: dict, gallery: Path, subsections: list[str]
) -> tuple[str, list[Path]]:
    """The hash of what sphinx-gallery's recommender reads, and the files it writes.

    The same files, in the same order, as ``gen_gallery._build_recommender``:
    the ``.py`` copies in the gallery folder and its sections, each folder in
    ``within_subsection_order``.
    """
    from sphinx_gallery import __version__
    from sphinx_gallery.gen_rst import _get_callables

    digest = hashlib.sha256(__version__.encode())
    digest.update(json.dumps(gallery_conf["recommender"], sort_keys=True).encode())
    digest.update(str(gallery_conf["src_dir"]).encode())
    written = []
    for folder in [gallery, *(gallery / s for s in subsections)]:
        order = _get_callables(gallery_conf, "within_subsection_order", str(folder))[0]
        for name in sorted((str(f) for f in folder.iterdir() if f.suffix == ".py"), key=order):
            source = Path(name)
            digest.update(name.encode() + b"\0" + source.read_bytes() + b"\0")
            written.append(source.with_name(f"{source.stem}.recommendations"))
    return digest.hexdigest(), written


def _recommend_when_inputs_changed(build_recommender):
    def build(gallery_conf, gallery_dir_abs_path, subsecs):
        if not gallery_conf["recommender"]["enable"]:
            return build_recommender(gallery_conf, gallery_dir_abs_path, subsecs)
        gallery = Path(gallery_dir_abs_path)
        stamp = gallery / RECOMMENDER_STAMP
        key, written = recommender_inputs(gallery_conf, gallery, subsecs)
        current = stamp.is_file() and stamp.read_text(encoding="utf-8") == key
        if current and all(path.is_file() for path in written):
            return None
        stamp.unlink(missing_ok=True)  # written again once the files are
        build_recommender(gallery_conf, gallery_dir_abs_path, subsecs)
        stamp.write_text(key, encoding="utf-8")
        return None

    return build


def _split_when_parallel(split_parallel):
    def split(sorted_listdir, src_dir, gallery_conf):
        if not gallery_conf["parallel"]:  # generate_dir_rst ignores the split then
            return list(sorted_listdir), []
        return split_parallel(sorted_listdir, src_dir, gallery_conf)

    return split


_UPSTREAM: dict[str, object] = {}  # sphinx-gallery's own functions, before the patch


def skip_needless_work(app, config) -> None:
    """config-inited, before sphinx-gallery fills in its configuration (10)."""
    from sphinx_gallery import gen_gallery, gen_rst

    # Patch (sphinx-gallery has no setting for either; see the module docstring)
    if not _UPSTREAM:
        _UPSTREAM.update(
            build_recommender=gen_gallery._build_recommender,
            import_matplotlib=gen_gallery._import_matplotlib,
            split_parallel=gen_rst._split_parallel,
        )
    gen_gallery._build_recommender = _recommend_when_inputs_changed(
        _UPSTREAM["build_recommender"]
    )
    gen_rst._split_parallel = _split_when_parallel(_UPSTREAM["split_parallel"])
    resets_matplotlib = "matplotlib" in config.sphinx_gallery_conf.get("reset_modules", ())
    gen_gallery._import_matplotlib = (
        (lambda: None) if resets_matplotlib else _UPSTREAM["import_matplotlib"]
    )


def exit_quickly(app, exception) -> None:
    """build-finished, the last handler: nothing the build made is needed again.

    When Python exits, it clears its modules in steps, each followed by a
    garbage collection that scans every object still alive (the loaded
    environment, the inventories, the theme's modules): ~0.3 s of a no-change
    rebuild's 2 s. Frozen objects are not scanned; they are freed all the same.
    """
    gc.freeze()


def builder_inited(app) -> None:
    """The three steps, in the order the module's docstring explains."""
    recover(app)
    refresh_stale_outputs(app)
    choose_gallery_workers(app)


def setup(app):
    # before Sphinx loads the saved environment
    app.connect("config-inited", _remember_user_conf, priority=5)
    app.connect("config-inited", _distrust_environment)
    app.connect("config-inited", skip_needless_work, priority=9)
    # before sphinx-gallery's generate_gallery_rst (default priority 500)
    app.connect("builder-inited", builder_inited, priority=400)
    # after every other build-finished handler: a handler that fails keeps the markers
    app.connect("build-finished", _build_finished, priority=1000)
    app.connect("build-finished", exit_quickly, priority=1001)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
