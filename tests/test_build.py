"""The build refuses a broken example, and says which one."""

from __future__ import annotations

import subprocess

from support import HTML_BUILD, clean_env
from project_copy import copy_project


def test_broken_example_fails_the_build_and_names_its_file(tmp_path):
    project = copy_project(tmp_path / "project")
    broken = project / "examples" / "seed" / "plot_lstm_input.py"
    broken.write_text(
        broken.read_text(encoding="utf-8")
        + '\n\nraise RuntimeError("this example is deliberately broken")\n',
        encoding="utf-8",
    )
    # Run only the broken example, so the test stays fast; the others are
    # rendered without being executed.
    result = subprocess.run(
        [*HTML_BUILD, "-q", "-D", r"sphinx_gallery_conf.filename_pattern=seed/plot_lstm_input\.py"],
        cwd=project,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    log = result.stdout + result.stderr
    assert result.returncode != 0, f"the build passed with a broken example:\n{log[-3000:]}"
    assert "plot_lstm_input.py" in log, log[-3000:]
    assert "deliberately broken" in log, log[-3000:]
