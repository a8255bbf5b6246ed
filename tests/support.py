"""What the tests share, in one place: paths, pages, comparing sites, the web
server and the browser.

Test modules import their helpers from here and never from each other;
``conftest.py`` only turns some of these into pytest fixtures (``site``,
``chromium``, ``site_url``, ``browser``). The sections below:

* **Where things are**: the project, the examples in reading order, the built
  site (``make html`` builds it; ``LSTM_SITE_HTML=/path/to/html`` points the
  tests at another build).
* **The pages of a site**: one lister (:func:`site_pages`) for every test that
  walks the site, and readers for what a page shows.
* **Comparing two builds** (:func:`site_differences`): what may differ between
  two clean builds of the same sources is their timings, nothing else.
* **Running a build** (:data:`HTML_BUILD`, what ``make html`` runs) and **a
  reader's script** in a reader's environment.
* **The local web server** (:class:`Server`): the one the browser tests use, and
  the host-like ones the 404-page and multi-version tests start.
* **The browser**: Debian's Chromium (``/usr/bin/chromium``) driven by
  Playwright (Playwright's own browser download is not used), one per test
  process, offline; what a page does wrong (:class:`Recorder`); axe-core.
  Without Chromium the browser tests skip locally and fail in CI (``CI=true``),
  where ``.ci/run`` installs it.
"""

from __future__ import annotations

import html
import http.server
import io
import json
import os
import re
import subprocess
import sys
import threading
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# -- where things are ------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SITE = Path(os.environ.get("LSTM_SITE_HTML", ROOT / "_build" / "html"))
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

# the build's extensions and the project's tools, importable by the tests
for _folder in (ROOT / "tools", ROOT / "docs" / "_ext"):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))
import lstm_gallery  # noqa: E402
from site_pages import hosted_prefix as _hosted_prefix  # noqa: E402
from site_pages import site_pages as _site_pages  # noqa: E402


def example_paths() -> list[Path]:
    """Every gallery script, in reading order (``examples/gallery.toml``)."""
    return [
        EXAMPLES / section / name
        for section, names in lstm_gallery.READING_ORDER.items()
        for name in names
        if (EXAMPLES / section / name).exists()
    ]


def example_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


# -- the pages of a site ---------------------------------------------------------


def site_pages(site: Path = SITE) -> list[str]:
    """Every page the build wrote, relative to the site's root, sorted: the
    one page lister of the project (``tools/site_pages.py``, which the
    benchmark and Lighthouse use too)."""
    return _site_pages(site)


def expected_example_pages() -> list[str]:
    """Site paths of the pages of the examples that exist, in reading order."""
    return [f"auto_examples/{p.parent.name}/{p.stem}.html" for p in example_paths()]


def page_for(example: Path, site: Path = SITE) -> Path:
    """The built HTML page of an example."""
    return site / "auto_examples" / example.parent.name / (example.stem + ".html")


def base_url(site: Path) -> str:
    """The site's address (ending in /), from index.html's canonical link
    (which Sphinx writes from ``html_baseurl`` in conf.py)."""
    page = (site / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<link rel="canonical" href="([^"]+)index\.html"', page)
    assert match, "index.html has no canonical link: is html_baseurl set in conf.py?"
    return match.group(1)


def sitemap_pages(site: Path) -> set[str]:
    """The pages sitemap.xml lists, relative to the site's base URL."""
    base = base_url(site)
    locs = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    return {loc[len(base) :] for loc in locs}


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


_OUT_BLOCK = re.compile(
    r'<div class="sphx-glr-script-out[^"]*">\s*<div class="highlight"><pre><span></span>(.*?)</pre>',
    re.S,
)

# What a page shows, in order: printed output (text) and the HTML tables that
# sphinx-gallery's capture_repr=("_repr_html_",) draws from a cell's last
# expression (the reference tables; a downloaded script prints them as text).
_PAGE_ITEM = re.compile(
    r'<div class="sphx-glr-script-out[^"]*">\s*<div class="highlight"><pre><span></span>(?P<text>.*?)</pre>'
    r'|<div class="output_subarea output_html rendered_html output_result">(?P<html>.*?)</div>',
    re.S,
)


def page_output_blocks(page: Path) -> list[str]:
    """The text of each captured-output block of a gallery page, in order."""
    return [plain_text(block) for block in _OUT_BLOCK.findall(page.read_text(encoding="utf-8"))]


def table_cells(fragment: str) -> list[str]:
    """The text of every header and body cell of an HTML table, row by row."""
    cells = re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", fragment, re.S)
    return [" ".join(plain_text(cell).split()) for cell in cells]


def page_items(page: Path) -> list[tuple[str, object]]:
    """("text", block) for each printed-output block, ("table", cells) for each table."""
    items = []
    for match in _PAGE_ITEM.finditer(page.read_text(encoding="utf-8")):
        if match["text"] is not None:
            items.append(("text", plain_text(match["text"])))
        else:
            assert "<table" in match["html"], f"{page.name}: HTML output that is not a table"
            items.append(("table", table_cells(match["html"])))
    return items


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


# -- comparing two builds ----------------------------------------------------------

# sphinx-gallery timings: "(0 minutes 1.234 seconds)" and "00:01.234"
_DURATIONS = [
    re.compile(r"\(\d+ minutes \d+\.\d+ seconds\)"),
    re.compile(r"\b\d\d:\d\d\.\d\d\d\b"),
]
TIMING_PAGES = re.compile(r"(^|/)sg_execution_times\.(html|rst\.txt)$")
_ROW_STRIPE = re.compile(r"\brow-(even|odd)\b")


def mask_durations(text: str) -> str:
    """The text with every sphinx-gallery run time replaced by ``<duration>``."""
    for pattern in _DURATIONS:
        text = pattern.sub("<duration>", text)
    return text


def zip_members(path) -> dict[str, bytes]:
    """The files inside a zip archive (their dates left out)."""
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def image_difference(first: Path, second: Path) -> str:
    """Why two image files differ: pixels, or only metadata."""
    from PIL import Image

    with Image.open(first) as a, Image.open(second) as b:
        if a.size != b.size or a.mode != b.mode:
            return f"size/mode differ: {a.size} {a.mode} vs {b.size} {b.mode}"
        if a.tobytes() != b.tobytes():
            return "pixels differ"
        return f"same pixels, different metadata: {a.info} vs {b.info}"


def _site_files(site: Path) -> dict[str, Path]:
    return {
        p.relative_to(site).as_posix(): p
        for p in site.rglob("*")
        # Sphinx's build record, and the copy it keeps when the settings changed
        if p.is_file() and p.name not in (".buildinfo", ".buildinfo.bak")
    }


def _search_terms(text: str):
    """The search index without the numbers that are durations."""
    data = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    for key in ("terms", "titleterms"):
        if isinstance(data.get(key), dict):
            data[key] = {t: v for t, v in data[key].items() if not re.fullmatch(r"\d+(\.\d+)?", t)}
    return data


def _first_difference(a, b) -> str:
    if isinstance(a, str) and isinstance(b, str):
        at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        return f"first difference at character {at}: {a[max(0, at - 80):at + 80]!r} vs {b[max(0, at - 80):at + 80]!r}"
    if isinstance(a, list) and isinstance(b, list):
        only_a = [x for x in a if x not in b][:3]
        only_b = [x for x in b if x not in a][:3]
        return f"{len(a)} vs {len(b)} items; only in the first: {only_a}; only in the second: {only_b}"
    return "content differs"


def site_differences(first_site: Path, second_site: Path) -> list[str]:
    """How two builds differ, one line per file, timings aside.

    Only the run-time measurements may differ: "Total running time of the
    script" on each example page, the durations on the ``sg_execution_times``
    pages (and the row order and stripes there, which follow the durations)
    and the same numbers in the page sources and the search index. The URLs of
    ``sitemap.xml`` are compared as a set (their order follows write order).
    Zip archives are compared by their members (entries carry file dates).
    """
    first, second = _site_files(first_site), _site_files(second_site)
    if sorted(first) != sorted(second):
        return [
            f"only in the first site: {sorted(set(first) - set(second))}",
            f"only in the second site: {sorted(set(second) - set(first))}",
        ]
    problems = []
    for name in sorted(first):
        a, b = first[name].read_bytes(), second[name].read_bytes()
        if a == b:
            continue
        if name.endswith(".zip"):
            if zip_members(first[name]) != zip_members(second[name]):
                problems.append(f"{name}: different files inside")
            continue
        if name.endswith((".png", ".jpg", ".jpeg", ".gif", ".webp")):
            problems.append(f"{name}: {image_difference(first[name], second[name])}")
            continue
        try:
            text_a, text_b = a.decode("utf-8"), b.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"{name}: binary content differs")
            continue
        text_a, text_b = mask_durations(text_a), mask_durations(text_b)
        if TIMING_PAGES.search(name):
            text_a, text_b = (sorted(_ROW_STRIPE.sub("row", t).splitlines()) for t in (text_a, text_b))
        elif name == "sitemap.xml":
            text_a, text_b = (sorted(re.findall(r"<url>.*?</url>", t, re.S)) for t in (text_a, text_b))
        elif name == "searchindex.js":
            text_a, text_b = _search_terms(text_a), _search_terms(text_b)
        if text_a != text_b:
            problems.append(f"{name}: {_first_difference(text_a, text_b)}")
    return problems


# -- running a build ---------------------------------------------------------------

SPHINX_BUILD = Path(sys.executable).with_name("sphinx-build")
# what `make html` runs (Makefile: $(SPHINX) -b html docs $(BUILDDIR)/html
# $(SPHINXOPTS)), in a project's folder, plus --no-color: with CI=true (set by
# .ci/run) Sphinx colours its log, and the tests read that log
HTML_BUILD = [str(SPHINX_BUILD), "-c", ".", "-d", "_build/doctrees", "-b", "html", "docs",
              "_build/html", "-W", "--keep-going", "--no-color"]


# -- running a reader's script -------------------------------------------------------


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


# -- the local web server ------------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    mounts: tuple[str, ...] = ("/",)
    page404: bytes | None = None

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass

    def _local(self, path: str) -> str | None:
        """The URL path as a path in the served folder; None outside every mount."""
        path = urlsplit(path).path
        for mount in self.mounts:
            if path.startswith(mount):
                return "/" + path[len(mount) :]
        return None

    def translate_path(self, path):
        local = self._local(path)
        return super().translate_path(local if local is not None else path)

    def send_head(self):
        local = self._local(self.path)
        if self.page404 is not None:
            target = Path(self.translate_path(self.path))
            if local is None or not (target.is_file() or (target / "index.html").is_file()):
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(self.page404)))
                self.end_headers()
                return io.BytesIO(self.page404)
        elif local is None:
            self.send_error(404)
            return None
        return super().send_head()

    def handle(self):
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):  # the browser hung up
            pass


class Server:
    """A folder served over HTTP on 127.0.0.1, in a thread, quietly.

    ``mounts``: the URL paths the folder is served at (each ends in ``/``; the
    longest that matches wins). ``page404``: when given, the server acts like
    a static host with a custom 404 page: anything missing, or outside every
    mount, is answered with this body and status 404. Without it, a missing
    file gets the standard library's 404.

    Use as a context manager, or call :meth:`stop`. ``url`` ends in ``/``;
    ``origin`` has no path.
    """

    def __init__(self, folder: Path, mounts: tuple[str, ...] = ("/",), page404: bytes | None = None):
        handler = type(
            "Handler",
            (_Handler,),
            {"mounts": tuple(sorted(mounts, key=len, reverse=True)), "page404": page404},
        )
        self._httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), lambda *args: handler(*args, directory=str(folder))
        )
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        self.origin = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self.url = self.origin + "/"

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def hosted_prefix(site: Path = SITE) -> str:
    """The path the site is hosted under (``tools/site_pages.py``). The browser
    tests' server serves the site at ``/`` and also under that prefix, so the
    404 page is tested the way a host shows it."""
    return _hosted_prefix(site)


def site_server(site: Path = SITE) -> Server:
    """The server the browser tests read the site from: at ``/`` and at its hosted prefix."""
    return Server(site, mounts=("/", hosted_prefix(site)))


def page_url(site_url: str, rel: str) -> str:
    """URL of a page: the 404 page under the hosted prefix, the rest at the root."""
    if rel == "404.html":
        return site_url + hosted_prefix().lstrip("/") + rel
    return site_url + rel


# -- the browser ---------------------------------------------------------------------

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

# A page is ready when the theme has filled the version switcher from its JSON
# fetch, the last thing its scripts do (pages without a switcher: at load).
SETTLED_JS = """
() => !document.querySelector('.version-switcher__button')
      || document.querySelectorAll('.version-switcher__menu a').length > 0
"""


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


class Browser:
    """One headless Chromium for a whole test process (Playwright's sync API
    allows one per process: a second ``sync_playwright()`` clashes with the
    first one's event loop)."""

    def __init__(self, executable: Path):
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(
            executable_path=str(executable), args=CHROMIUM_ARGS, headless=True
        )

    def stop(self) -> None:
        self.browser.close()
        self._playwright.stop()


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


# -- axe-core (bundled with axe_playwright_python) ------------------------------------

FAILING_IMPACTS = ("serious", "critical")

# Rules switched off, each with the reason. Keep this empty unless a violation
# comes from the theme itself and cannot be fixed from our side.
DISABLED_AXE_RULES: dict[str, str] = {}

# Syntax-highlighted code and output blocks hold thousands of <span>s in a few
# dozen styles, and axe's colour-contrast rule is slow per element. A span's
# contrast depends only on its token class and the block around it, so one
# span of each (class, block) pair is checked -- the one with the longest
# text, as axe leaves very short text undecided -- and the text of the others
# is emptied first, after every other rule has seen the untouched page.
_DEDUPLICATE_CODE_SPANS_JS = """
() => {
  const keep = new Map();
  const spans = Array.from(document.querySelectorAll('div.highlight pre span'));
  const keyOf = (span) => {
    const block = span.closest('div[class*="highlight-"]');
    const box = span.closest('.admonition, .sphx-glr-script-out');
    return [span.className, block ? block.className : '', box ? box.className : ''].join('|');
  };
  for (const span of spans) {
    const key = keyOf(span);
    const best = keep.get(key);
    if (!best || span.textContent.trim().length > best.textContent.trim().length) keep.set(key, span);
  }
  const kept = new Set(keep.values());
  for (const span of spans) if (!kept.has(span) && !span.children.length) span.textContent = '';
  return spans.length - kept.size;
}
"""


def run_axe(page, axe=None) -> list[dict]:
    """axe-core's violations on the page (every rule, colour contrast last)."""
    if axe is None:
        from axe_playwright_python.sync_playwright import Axe

        axe = Axe()
    page.evaluate(axe.axe_script)
    disabled = {rule: {"enabled": False} for rule in DISABLED_AXE_RULES}
    first = {"resultTypes": ["violations"], "rules": {**disabled, "color-contrast": {"enabled": False}}}
    violations = page.evaluate("(options) => axe.run(document, options)", first)["violations"]
    if "color-contrast" not in DISABLED_AXE_RULES:
        page.evaluate(_DEDUPLICATE_CODE_SPANS_JS)
        contrast = {"resultTypes": ["violations"], "runOnly": {"type": "rule", "values": ["color-contrast"]}}
        violations += page.evaluate("(options) => axe.run(document, options)", contrast)["violations"]
    return violations


def serious_violations(page) -> list[tuple]:
    """axe-core's serious and critical violations on the page as it is now."""
    return [
        (v["id"], v["help"], [n["target"] for n in v["nodes"][:3]])
        for v in run_axe(page)
        if v["impact"] in FAILING_IMPACTS
    ]
