"""pytest fixtures and hooks; every helper lives in ``support.py``.

The tests read the site that ``make html`` built (``make test`` builds it
first). Point them at another build with ``LSTM_SITE_HTML=/path/to/html``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import support


@pytest.fixture(scope="session")
def site() -> Path:
    if not (support.SITE / "index.html").exists():
        pytest.fail(f"no built site at {support.SITE}: run `make html` first (make test does)")
    return support.SITE


@pytest.fixture(scope="session")
def chromium() -> Path:
    return support.require_chromium()


@pytest.fixture(scope="session")
def site_url(site) -> str:
    """Base URL (ending in /) of the built site, served from 127.0.0.1."""
    server = support.site_server(site)
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def browser(chromium):
    """The test process's one headless Chromium (see support.Browser)."""
    started = support.Browser(chromium)
    yield started.browser
    started.stop()


def pytest_generate_tests(metafunc):
    if "example" in metafunc.fixturenames:
        paths = support.example_paths()
        metafunc.parametrize("example", paths, ids=[support.example_id(p) for p in paths])


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "gpu: needs a GPU visible to TensorFlow; skipped with the reason otherwise",
    )
