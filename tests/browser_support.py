"""What the browser tests share: Chromium, a local web server, one browser.

Used by ``test_browser.py`` and ``test_accessibility.py``. The tests drive
Debian's Chromium (``/usr/bin/chromium``) through Playwright: Playwright's own
browser download is not used. Without Chromium the browser tests are skipped
locally and fail in CI (``CI=true``), where ``.ci/run`` installs it.

One web server and one browser serve the whole session, however many test
modules ask for them (the fixtures below cache them in this module).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, SITE, example_paths

CHROMIUM = Path(os.environ.get("LSTM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # offline: no host name resolves, so nothing can reach another host; the
    # tests still see (and list) every such request. Cheaper than routing.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
INSTALL_HINT = (
    "sudo apt-get install chromium   (Debian/Ubuntu; or point LSTM_CHROMIUM at a "
    "Chromium/Chrome binary)"
)
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

# Folders of the built site that hold assets, not pages.
_NOT_PAGES = ("_static", "_sources", "_downloads", "_images")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_chromium() -> Path:
    """Chromium's path; skip (locally) or fail (in CI) when it is missing."""
    try:
        import playwright  # noqa: F401
    except ImportError:  # pragma: no cover - it is pinned in requirements.txt
        message = "playwright is not installed: run `make venv` (it is in requirements.txt)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    message = f"browser tests need Chromium at {CHROMIUM}; install it with: {INSTALL_HINT}"
    if in_ci():
        pytest.fail(message + " (CI=true: browser tests may not be skipped)")
    pytest.skip(message)


def site_pages(site: Path = SITE) -> list[str]:
    """Every HTML page of the built site, as paths relative to its root."""
    if not site.is_dir():
        return []
    pages = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site)
        if rel.parts[0] in _NOT_PAGES:
            continue
        pages.append(rel.as_posix())
    return pages


def expected_example_pages() -> list[str]:
    """Site paths of the pages of the examples that exist, in reading order."""
    return [f"auto_examples/{p.parent.name}/{p.stem}.html" for p in example_paths()]


# A page is ready when the theme has filled the version switcher from its JSON
# fetch, the last thing its scripts do (pages without a switcher: at load).
SETTLED_JS = """
() => !document.querySelector('.version-switcher__button')
      || document.querySelectorAll('.version-switcher__menu a').length > 0
"""


# -- the local web server ------------------------------------------------------


def hosted_prefix(site: Path = SITE) -> str:
    """The path the site is hosted under, as its 404 page's absolute URLs say.

    sphinx-notfound-page writes the 404 page with absolute URLs
    (``/<base path>/_static/...``) because a host shows it at any depth. The
    test server serves the site at ``/`` and also under that prefix, so the
    404 page is tested the way a host shows it.
    """
    page = site / "404.html"
    if page.is_file():
        match = re.search(r'href="(/[^"]*?)_static/', page.read_text(encoding="utf-8"))
        if match:
            return match.group(1)
    return "/"


def page_url(site_url: str, rel: str) -> str:
    """URL of a page: the 404 page under the hosted prefix, the rest at the root."""
    if rel == "404.html":
        return site_url + hosted_prefix().lstrip("/") + rel
    return site_url + rel


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass

    def translate_path(self, path):
        if self.prefix != "/" and path.startswith(self.prefix):
            path = "/" + path[len(self.prefix) :]
        return super().translate_path(path)

    def handle(self):
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):  # the browser hung up
            pass


_server: dict[str, object] = {}


def _start_server(site: Path) -> str:
    if "url" not in _server:
        handler_class = type("Handler", (_QuietHandler,), {"prefix": hosted_prefix(site)})
        handler = functools.partial(handler_class, directory=str(site))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        _server.update(httpd=httpd, url=f"http://127.0.0.1:{httpd.server_address[1]}/")
    return _server["url"]


def _stop_server() -> None:
    httpd = _server.pop("httpd", None)
    _server.pop("url", None)
    if httpd is not None:
        httpd.shutdown()
        httpd.server_close()


# -- the browser ---------------------------------------------------------------

_browser: dict[str, object] = {}


def _start_browser(executable: Path):
    if "browser" not in _browser:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(
            executable_path=str(executable), args=CHROMIUM_ARGS, headless=True
        )
        _browser.update(playwright=playwright, browser=browser)
    return _browser["browser"]


def _stop_browser() -> None:
    browser = _browser.pop("browser", None)
    playwright = _browser.pop("playwright", None)
    if browser is not None:
        browser.close()
    if playwright is not None:
        playwright.stop()


@pytest.fixture(scope="session")
def chromium() -> Path:
    return require_chromium()


@pytest.fixture(scope="session")
def site_url(site) -> str:
    """Base URL (ending in /) of the built site, served from 127.0.0.1."""
    yield _start_server(site)
    _stop_server()


@pytest.fixture(scope="session")
def browser(chromium):
    yield _start_browser(chromium)
    _stop_browser()


# -- recording what a page does ---------------------------------------------------


class Recorder:
    """Console errors, page errors, failed loads and off-site requests of a context.

    Requests to any host other than the local server are listed as
    offenders; they cannot succeed (Chromium resolves no host name, see
    CHROMIUM_ARGS), so the tests run offline.
    """

    def __init__(self, context, base_url: str):
        self.base = urlsplit(base_url)
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.failed: list[str] = []
        self.external: list[str] = []
        self.current = ""
        context.on("request", self._on_request)
        context.on("console", self._on_console)
        context.on("weberror", self._on_weberror)
        context.on("response", self._on_response)
        context.on("requestfailed", self._on_failed)

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about", "javascript"):
            return True
        return (parts.scheme, parts.netloc) == (self.base.scheme, self.base.netloc)

    def _on_request(self, request):
        if not self.is_local(request.url):
            self.external.append(f"{self.current}: {request.method} {request.url}")

    def _browser_probe(self, url: str) -> bool:
        """Chromium asks the server root for /favicon.ico on its own; the site
        is hosted under a base path, so that file is the host's business."""
        return self.is_local(url) and urlsplit(url).path == "/favicon.ico"

    def _on_console(self, message):
        if message.type == "error":
            if self._browser_probe((message.location or {}).get("url", "")):
                return
            loc = message.location or {}
            where = f" ({loc.get('url', '')}:{loc.get('lineNumber', '')})" if loc else ""
            self.console_errors.append(f"{self.current}: {message.text}{where}")

    def _on_weberror(self, web_error):
        self.page_errors.append(f"{self.current}: {web_error.error}")

    def _on_response(self, response):
        if response.status >= 400 and self.is_local(response.url) and not self._browser_probe(response.url):
            self.failed.append(f"{self.current}: HTTP {response.status} {response.url}")

    def _on_failed(self, request):
        # net::ERR_ABORTED is the browser dropping a request itself, typically
        # the favicon or an image still loading when the test navigates on
        # (seen in CI). A file that is missing or broken answers with an HTTP
        # status, which _on_response records, so nothing real is lost here.
        if self.is_local(request.url) and request.failure != "net::ERR_ABORTED":
            self.failed.append(f"{self.current}: {request.url} ({request.failure})")

    def problems(self) -> list[str]:
        out = []
        out += [f"off-site request  {x}" for x in self.external]
        out += [f"console error     {x}" for x in self.console_errors]
        out += [f"page error        {x}" for x in self.page_errors]
        out += [f"failed load       {x}" for x in self.failed]
        return out

    def clear(self) -> None:
        for bucket in (self.console_errors, self.page_errors, self.failed, self.external):
            bucket.clear()


def screenshot_path(name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / (re.sub(r"[^A-Za-z0-9_.-]+", "_", name) + ".png")
