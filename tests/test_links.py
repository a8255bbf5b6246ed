"""Every internal link of the built site leads somewhere.

For each HTML page: every local ``href`` (links, stylesheets, icons) and
``src`` (images, scripts, iframes) must name an existing file of the site, and
every ``#fragment`` must be an ``id`` (or ``<a name>``) on the page it points
to. Links to other sites (``https:``, ``mailto:``, ...) are not followed here.
"""

from __future__ import annotations

import posixpath
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from support import site_pages

URL_ATTRIBUTES = {"href", "src", "poster", "data"}
EXTERNAL_SCHEMES = {"http", "https", "mailto", "data", "javascript", "tel", "ftp", "about"}


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, url)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif name in URL_ATTRIBUTES:
                self.urls.append((tag, name, value))
            elif name == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        self.urls.append((tag, name, candidate.split()[0]))


@cache
def parse(page: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@cache
def site_base(site: Path) -> tuple[str, str]:
    """The site's own address and path on its host, from index.html's canonical link.

    Some pages (the 404 page) must use root-relative (``/lstm-io/_static/...``)
    or absolute links, because they are served from any folder; those are
    checked like relative ones. Without a canonical link the site is at ``/``.
    """
    index = site / "index.html"
    text = index.read_text(encoding="utf-8") if index.exists() else ""
    match = re.search(r'<link rel="canonical" href="([^"]+)"', text)
    if not match:
        return "", "/"
    base = match.group(1).rsplit("/", 1)[0] + "/"
    return base, urlsplit(base).path


def broken_links(site: Path, page: Path) -> list[str]:
    """What is wrong with the links of one page, one line per problem."""
    problems = []
    base_url, base_path = site_base(site)
    for tag, attribute, url in parse(page).urls:
        parts = urlsplit(url)
        if base_url and url.startswith(base_url):
            parts = urlsplit(url[len(base_url) - len(base_path):])  # our own site, absolute
        elif parts.scheme or parts.netloc:
            if parts.scheme.lower() not in EXTERNAL_SCHEMES and not parts.netloc:
                problems.append(f"<{tag} {attribute}={url!r}>: unknown scheme")
            continue  # another site: not checked here
        if not parts.path and parts.fragment in ("", "!"):
            continue  # href="#": a button, not a link
        if parts.path.startswith("/"):
            if not parts.path.startswith(base_path):
                problems.append(f"<{tag} {attribute}={url!r}>: outside the site's path {base_path}")
                continue
            target = (site / unquote(parts.path[len(base_path):])).resolve()
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
        elif parts.path:
            target = (page.parent / unquote(parts.path)).resolve()
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
        else:
            target = page.resolve()
        try:
            target.relative_to(site.resolve())
        except ValueError:
            problems.append(f"<{tag} {attribute}={url!r}>: leaves the site")
            continue
        if not target.is_file():
            problems.append(f"<{tag} {attribute}={url!r}>: no file {target.relative_to(site.resolve())}")
            continue
        fragment = unquote(parts.fragment)
        if fragment and target.suffix == ".html" and fragment not in parse(target).ids:
            problems.append(
                f"<{tag} {attribute}={url!r}>: no id {fragment!r} in "
                f"{posixpath.join(*target.relative_to(site.resolve()).parts)}"
            )
    return problems


def test_every_internal_link_and_anchor_resolves(site):
    pages = [site / rel for rel in site_pages(site)]
    assert pages, f"no HTML pages under {site}"
    report = []
    checked = 0
    for page in pages:
        checked += len(parse(page).urls)
        for problem in broken_links(site, page):
            report.append(f"{page.relative_to(site)}: {problem}")
    assert checked > 0, "found no links at all: is the parser reading the pages?"
    assert not report, f"{len(report)} broken internal link(s):\n" + "\n".join(report)


def test_the_link_checker_sees_a_broken_link(tmp_path):
    """The checker itself: a missing file and a missing anchor are both caught."""
    (tmp_path / "a.html").write_text(
        '<p id="here"><a href="b.html#there">b</a> <a href="#here">self</a>'
        ' <img src="_images/none.png"> <a href="#gone">gone</a>'
        ' <a href="https://example.org/x">out</a> <a href="/b.html#elsewhere">root</a></p>',
        encoding="utf-8",
    )
    (tmp_path / "b.html").write_text('<h1 id="elsewhere">b</h1>', encoding="utf-8")
    problems = broken_links(tmp_path, tmp_path / "a.html")
    assert len(problems) == 3, problems
    assert "no id 'there'" in problems[0]
    assert "no file _images/none.png" in problems[1]
    assert "no id 'gone'" in problems[2]
