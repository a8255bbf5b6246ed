"""Shared fixtures: where the site and the examples are, and how to read a page.

The tests read the site that ``make html`` built (``make test`` builds it
first). Point them at another build with ``LSTM_SITE_HTML=/path/to/html``.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SITE = Path(os.environ.get("LSTM_SITE_HTML", ROOT / "_build" / "html"))

sys.path.insert(0, str(ROOT / "docs" / "_ext"))
sys.path.insert(0, str(ROOT / "tools"))
import lstm_gallery  # noqa: E402


def example_paths() -> list[Path]:
    """Every gallery script, in reading order."""
    return [
        EXAMPLES / section / name
        for section, names in lstm_gallery.READING_ORDER.items()
        for name in names
        if (EXAMPLES / section / name).exists()
    ]


def example_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def page_for(example: Path) -> Path:
    """The built HTML page of an example."""
    return SITE / "auto_examples" / example.parent.name / (example.stem + ".html")


_OUT_BLOCK = re.compile(
    r'<div class="sphx-glr-script-out[^"]*">\s*<div class="highlight"><pre><span></span>(.*?)</pre>',
    re.S,
)


def page_output_blocks(page: Path) -> list[str]:
    """The text of each captured-output block of a gallery page, in order."""
    text = page.read_text(encoding="utf-8")
    return [html.unescape(re.sub(r"<[^>]+>", "", block)) for block in _OUT_BLOCK.findall(text)]


def page_download(page: Path, suffix: str) -> Path:
    """The file a reader downloads from a gallery page (``.py`` or ``.ipynb``).

    Found through the page's own download link, so the test checks what the
    site actually serves, not the source in ``examples/``.
    """
    text = page.read_text(encoding="utf-8")
    links = re.findall(r'href="([^"#]*_downloads/[^"#]*' + re.escape(suffix) + r')"', text)
    names = {Path(link).name for link in links}
    assert len(names) == 1, f"{page.name}: expected one {suffix} download link, found {links}"
    target = (page.parent / links[0]).resolve()
    assert target.is_file(), f"{page.name}: download link {links[0]} points to no file"
    return target


def clean_env() -> dict[str, str]:
    """The environment a reader's shell would have: none of our build settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "KERAS_", "PYTEST_"))}
    env["MPLBACKEND"] = "Agg"  # no screen here; a reader's plt.show() opens windows
    return env


def run_script(path: Path, cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(path)],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail(f"no built site at {SITE}: run `make html` first (make test does)")
    return SITE


def pytest_generate_tests(metafunc):
    if "example" in metafunc.fixturenames:
        paths = example_paths()
        metafunc.parametrize("example", paths, ids=[example_id(p) for p in paths])


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "gpu: needs a GPU visible to TensorFlow; skipped with the reason otherwise",
    )
