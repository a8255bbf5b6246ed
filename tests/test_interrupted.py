"""A build stopped at any moment is followed by a plain build that succeeds and
gives the same site as a clean build.

In a throw-away copy of the project: one clean build (the reference); then,
for each way of stopping a build, prepare one or two examples so that the next
build runs them, start the build ``make html`` runs, stop it at a chosen
moment, run a plain build, and compare the whole site with the reference (as
tests/test_determinism.py compares two clean builds: timings aside).

The moments:

* while examples run (the first figure of a re-run example was just saved):
  Ctrl-C, i.e. SIGINT to the process group, as a terminal sends it;
* between an example's ``.md5`` and its ``.rst``/``.ipynb`` (sphinx-gallery
  issue #343): SIGKILL while a new example is written (without a fix the next
  build crashes), Ctrl-C while a changed example is written (without a fix the
  next build shows the outputs of its previous version);
* while Sphinx writes the page of a re-run example: SIGKILL (without a fix the
  page stays cut short: it is newer than its source, so no later build writes
  it again).

The two last windows last milliseconds, so the test widens them: a
``sitecustomize`` module, on the stopped build's PYTHONPATH only, makes
``sphinx_gallery.gen_rst.save_rst_example`` wait before it writes, or writes an
HTML page in two halves with a wait between. Nothing else of the build changes.

docs/_ext/gallery_cache.py (step 1, ``recover``) is what makes this pass.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from project_copy import copy_project
from support import HTML_BUILD, site_differences

GALLERY = Path("docs/auto_examples")
# two of the cheapest examples (well under a second each)
STALE = ["seed/plot_lstm_cnn", "cell/plot_cell_stepping"]
EXAMPLE = STALE[0]

SLOW_WRITES = '''\
"""Test only (tests/test_interrupted.py): widen the windows in which a stopped
build leaves half-written outputs, so that the test can stop it inside them."""
import os
import time

if os.environ.get("LSTM_TEST_PAUSE_BEFORE_OUTPUTS"):  # after an example's md5
    import sphinx_gallery.gen_rst as _gen_rst

    _save = _gen_rst.save_rst_example

    def _paused(*args, **kwargs):
        time.sleep(float(os.environ["LSTM_TEST_PAUSE_BEFORE_OUTPUTS"]))
        return _save(*args, **kwargs)

    _gen_rst.save_rst_example = _paused

if os.environ.get("LSTM_TEST_PAUSE_MID_PAGE"):  # in the middle of an HTML page
    import pathlib

    _write_text = pathlib.Path.write_text

    def _halves(self, data, *args, **kwargs):
        if self.name != os.environ["LSTM_TEST_PAUSED_PAGE"] or "_build" not in self.parts:
            return _write_text(self, data, *args, **kwargs)
        with open(self, "w", encoding=kwargs.get("encoding"), errors=kwargs.get("errors")) as out:
            out.write(data[: len(data) // 2])
            out.flush()
            time.sleep(float(os.environ["LSTM_TEST_PAUSE_MID_PAGE"]))
            out.write(data[len(data) // 2 :])
        return len(data)

    pathlib.Path.write_text = _halves
'''


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(extra or {})
    return env


def _build(project: Path, log: Path) -> subprocess.CompletedProcess:
    with open(log, "w") as out:
        return subprocess.run(HTML_BUILD, cwd=project, env=_env(), stdout=out,
                              stderr=subprocess.STDOUT, timeout=900)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A copy of the project after a clean build, and a copy of that site."""
    base = tmp_path_factory.mktemp("interrupted")
    project = copy_project(base / "project")
    result = _build(project, base / "clean.log")
    assert result.returncode == 0, (base / "clean.log").read_text()[-3000:]
    reference = base / "reference"
    shutil.copytree(project / "_build" / "html", reference)
    hooks = base / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(SLOW_WRITES, encoding="utf-8")
    return project, reference, hooks


def _newer(paths, since_ns: int) -> Path | None:
    for path in paths:
        try:
            if path.stat().st_mtime_ns > since_ns:
                return path
        except FileNotFoundError:
            continue
    return None


def _interrupt(project: Path, log: Path, sig: int, moment, env_extra=None) -> Path:
    """Start a build, wait until ``moment(start_ns)`` names a file, send ``sig``
    to the build's process group; return that file."""
    start = time.time_ns()
    with open(log, "w") as out:
        # a terminal's Ctrl-C: the build gets SIGINT's default handling (a shell
        # running this test in the background may have it ignored)
        proc = subprocess.Popen(HTML_BUILD, cwd=project, env=_env(env_extra), stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        try:
            deadline = time.monotonic() + 600
            seen = None
            while seen is None and proc.poll() is None and time.monotonic() < deadline:
                seen = moment(start)
                time.sleep(0.002)
            if seen is not None:
                os.killpg(proc.pid, sig)
            returncode = proc.wait(timeout=120)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    assert seen is not None, f"the moment never came; the build ended with {returncode}:\n" + log.read_text()[-3000:]
    assert returncode != 0, "the build was not stopped:\n" + log.read_text()[-3000:]
    return seen


def _stale(project: Path, name: str) -> None:
    """Make the next build run an example again; its page stays the same."""
    (project / GALLERY / f"{name}.py.md5").unlink(missing_ok=True)


def _as_new(project: Path, name: str) -> None:
    """Remove every output of an example, as before its first build."""
    section, stem = name.split("/")
    folder = project / GALLERY / section
    for path in [*folder.glob(f"{stem}.*"), *folder.glob(f"images/sphx_glr_{stem}_*"),
                 *folder.glob(f"images/thumb/sphx_glr_{stem}_thumb.*")]:
        path.unlink()


def _newer_file(*paths: Path):
    return lambda start: _newer(paths, start)


def _figure(project: Path, name: str) -> Path:
    section, stem = name.split("/")
    return project / GALLERY / section / "images" / f"sphx_glr_{stem}_001.png"


def _md5(project: Path, name: str) -> Path:
    return project / GALLERY / f"{name}.py.md5"




def _recover_and_compare(project: Path, reference: Path, log: Path) -> None:
    result = _build(project, log)
    assert result.returncode == 0, "the build after the interruption failed:\n" + log.read_text()[-4000:]
    problems = site_differences(reference, project / "_build" / "html")
    assert not problems, "the recovered site differs from a clean build:\n" + "\n".join(problems)


def _assert_md5_newer_than_page(project: Path, name: str) -> None:
    """The stop came in the window of sphinx-gallery issue #343."""
    md5 = _md5(project, name)
    rst = md5.with_name(md5.name[: -len(".py.md5")] + ".rst")
    assert md5.is_file()
    assert not rst.exists() or md5.stat().st_mtime_ns > rst.stat().st_mtime_ns


def test_ctrl_c_while_an_example_runs(built, tmp_path):
    project, reference, _ = built
    for name in STALE:
        _stale(project, name)
    figures = [_figure(project, name) for name in STALE]
    _interrupt(project, tmp_path / "stopped.log", signal.SIGINT, _newer_file(*figures))
    _recover_and_compare(project, reference, tmp_path / "after.log")


def test_kill_between_the_md5_and_the_outputs_of_a_new_example(built, tmp_path):
    project, reference, hooks = built
    _as_new(project, EXAMPLE)
    _interrupt(project, tmp_path / "stopped.log", signal.SIGKILL, _newer_file(_md5(project, EXAMPLE)),
               env_extra={"PYTHONPATH": str(hooks), "LSTM_TEST_PAUSE_BEFORE_OUTPUTS": "60"})
    _assert_md5_newer_than_page(project, EXAMPLE)
    _recover_and_compare(project, reference, tmp_path / "after.log")


def test_ctrl_c_between_the_md5_and_the_outputs_of_a_changed_example(built, tmp_path):
    project, reference, hooks = built
    source = project / "examples" / f"{EXAMPLE}.py"
    original = source.read_text(encoding="utf-8")
    # a previous version of the example, built completely
    source.write_text(original + '\n# %%\n# A cell that is not there any more.\nprint("gone")\n',
                      encoding="utf-8")
    result = _build(project, tmp_path / "previous.log")
    assert result.returncode == 0, (tmp_path / "previous.log").read_text()[-3000:]
    # back to the reference's version: stopped after its md5, before its page
    source.write_text(original, encoding="utf-8")
    _interrupt(project, tmp_path / "stopped.log", signal.SIGINT, _newer_file(_md5(project, EXAMPLE)),
               env_extra={"PYTHONPATH": str(hooks), "LSTM_TEST_PAUSE_BEFORE_OUTPUTS": "60"})
    _assert_md5_newer_than_page(project, EXAMPLE)
    _recover_and_compare(project, reference, tmp_path / "after.log")


def test_kill_while_a_page_is_written(built, tmp_path):
    project, reference, hooks = built
    _stale(project, EXAMPLE)
    # the example's own page: the last one this build writes, which no other
    # page's change would make a later build write again
    page = project / "_build" / "html" / "auto_examples" / f"{EXAMPLE}.html"
    _interrupt(project, tmp_path / "stopped.log", signal.SIGKILL, _newer_file(page),
               env_extra={"PYTHONPATH": str(hooks), "LSTM_TEST_PAUSE_MID_PAGE": "60",
                          "LSTM_TEST_PAUSED_PAGE": page.name})
    assert "</html>" not in page.read_text(encoding="utf-8"), f"{page} was written completely"
    _recover_and_compare(project, reference, tmp_path / "after.log")
