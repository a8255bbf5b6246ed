"""The multi-version site: tools/build_versions.py on a throw-away repository.

A copy of this project becomes a fresh git repository with two release tags
(v1.0, v1.1) and one more commit on main; the builder makes the site tree
from it (pages only, ``-D plot_gallery=0``, so it takes seconds per version).
Also: how a single build names its version, and which environment each
version is built with.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import build_versions
import site_versions
from support import ROOT, Server

SKIP_DIRS = {".git", ".venv", ".venvs", "_build", "auto_examples", "__pycache__",
             ".pytest_cache", ".hypothesis", "test-artifacts"}
MARK = "Marker text of release {}"


# the one example the throw-away copy keeps (the machinery under test does not
# depend on the others; the pages that link to them then warn, hence --no-strict)
KEEP_EXAMPLE = Path("examples/seed/plot_lstm_input.py")


def project_files() -> list[Path]:
    """The project's files (tracked ones when this is a clone), one example."""
    if (ROOT / ".git").exists():
        listed = subprocess.run(["git", "-C", str(ROOT), "ls-files"], capture_output=True,
                                text=True, check=True).stdout.splitlines()
        files = [Path(p) for p in listed if (ROOT / p).is_file()]
    else:
        files = [p.relative_to(ROOT) for p in ROOT.rglob("*")
                 if p.is_file() and not SKIP_DIRS & set(p.relative_to(ROOT).parts)]
    return [p for p in files
            if p.parts[0] != "examples" or p.suffix != ".py" or p == KEEP_EXAMPLE]


def git(repo: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True, env=env).stdout


def mark_release(repo: Path, version: str) -> None:
    index = repo / "docs" / "index.rst"
    index.write_text(index.read_text(encoding="utf-8") + f"\n{MARK.format(version)}\n",
                     encoding="utf-8")


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("repo")
    for rel in project_files():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, repo / rel)
    git(repo, "init", "-q", "-b", "main")
    for version in ("1.0", "1.1"):
        mark_release(repo, version)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"release {version}")
        git(repo, "tag", f"v{version}")
    git(repo, "tag", "not-a-release")  # ignored: not a version number
    mark_release(repo, "dev")
    git(repo, "commit", "-q", "-am", "work after 1.1")
    out = tmp_path_factory.mktemp("site") / "versions"
    env = {k: v for k, v in os.environ.items()
           if k not in ("LSTM_SITE_URL", "LSTM_SITE_VERSION", "LSTM_SITE_SUBDIR",
                        "READTHEDOCS_CANONICAL_URL")}
    env["LSTM_SITE_URL"] = "https://example.org/lstm/"
    run = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_versions.py"), "--repo", str(repo),
         "--out", str(out), "--venv", sys.prefix, "--venv-cache", str(repo / ".venvs"),
         "--no-strict", "--", "-D", "plot_gallery=0", "-q"],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert not (repo / ".venvs").exists(), "identical requirements must reuse the environment"
    assert git(repo, "worktree", "list").count("\n") == 1, "worktrees left behind"
    return out


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_layout(tree):
    for folder in ("dev", "1.0", "1.1", "stable"):
        assert (tree / folder / "index.html").is_file(), folder
        assert (tree / folder / "_static" / "switcher.json").is_file(), folder
    assert not (tree / "not-a-release").exists()
    assert (tree / ".nojekyll").exists()
    assert (tree / "404.html").is_file()


def test_switcher_json(tree):
    entries = json.loads(read(tree / "switcher.json"))
    assert [e["version"] for e in entries] == ["dev", "1.1", "1.0"]
    assert [e["url"] for e in entries] == ["../dev/", "../1.1/", "../1.0/"]
    assert [e.get("preferred", False) for e in entries] == [False, True, False]
    assert entries[1]["name"] == "1.1 (stable)"
    for folder in ("dev", "1.0", "1.1", "stable"):
        assert json.loads(read(tree / folder / "_static" / "switcher.json")) == entries
    # every relative URL names a folder of the tree
    for entry in entries:
        assert (tree / "dev" / entry["url"] / "index.html").resolve().is_file()


def test_each_version_says_its_version(tree):
    for folder, version in (("dev", "dev"), ("1.0", "1.0"), ("1.1", "1.1"), ("stable", "1.1")):
        page = read(tree / folder / "index.html")
        options = read(tree / folder / "_static" / "documentation_options.js")
        assert f"VERSION: '{version}'" in options, folder
        assert f"theme_switcher_version_match = '{version}'" in page, folder
        assert f"Version {version}. Outputs computed with" in page, folder
        assert MARK.format(version) in page, folder  # the content of that commit
        for later in {"1.0": ["1.1", "dev"], "1.1": ["dev"]}.get(version, []):
            assert MARK.format(later) not in page, folder


def test_stable_is_newest_release_and_root_redirects(tree):
    assert read(tree / "stable" / "index.html") == read(tree / "1.1" / "index.html")
    root = read(tree / "index.html")
    assert re.search(r'http-equiv="refresh" content="0; url=stable/index.html"', root)
    assert 'href="stable/index.html"' in root


def test_sitemap_and_404_carry_the_version_folder(tree):
    sitemap = read(tree / "1.0" / "sitemap.xml")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert "https://example.org/lstm/1.0/index.html" in locs
    assert all(loc.startswith("https://example.org/lstm/1.0/") for loc in locs)
    page = read(tree / "1.1" / "404.html")
    # root-relative links, resolved against a base that the page sets from
    # where it is served (see docs/_ext/notfound_base.py)
    assert 'var root = "/lstm/", folder = "1.1/"' in page
    assert "<noscript><base href='/lstm/1.1/' /></noscript>" in page
    assert read(tree / "404.html") == page
    assert read(tree / "sitemap.xml") == read(tree / "1.1" / "sitemap.xml")



def test_single_build_version(tmp_path, monkeypatch):
    monkeypatch.delenv("LSTM_SITE_VERSION", raising=False)
    assert site_versions.site_version(tmp_path) == "dev"  # not a git repository
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "f").write_text("x")
    git(tmp_path, "add", "f")
    git(tmp_path, "commit", "-q", "-m", "one")
    assert site_versions.site_version(tmp_path) == "dev"  # no tag
    git(tmp_path, "tag", "v2.3")
    assert site_versions.site_version(tmp_path) == "2.3"
    monkeypatch.setenv("LSTM_SITE_VERSION", "9.9")
    assert site_versions.site_version(tmp_path) == "9.9"


def test_environment_per_requirements(tmp_path):
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / build_versions.STAMP).write_text("numpy==1\n")
    assert build_versions.venv_for("numpy==1\n", venv, tmp_path / "cache") == (venv, False)
    other, create = build_versions.venv_for("numpy==2\n", venv, tmp_path / "cache")
    assert create and other == tmp_path / "cache" / build_versions.requirements_hash("numpy==2\n")
    (other).mkdir(parents=True)
    (other / build_versions.STAMP).write_text("numpy==2\n")
    assert build_versions.venv_for("numpy==2\n", venv, tmp_path / "cache") == (other, False)


def test_switcher_and_banner_in_a_browser_under_a_base_path(tree, browser):
    """Served under /versions/ (like a host's base path), on a nested page.

    Uses the session's one browser (tests/support.py, Browser): a second
    sync_playwright() in the same process would clash with its event loop.
    """
    server = Server(tree.parent)
    base = server.url + "versions/"
    page_path = "auto_examples/seed/plot_lstm_input.html"
    try:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(base)
            page.wait_for_url("**/versions/stable/index.html")
            page.goto(base + "dev/" + page_path)
            page.wait_for_selector(".version-switcher__menu a", state="attached")
            links = page.eval_on_selector_all(
                ".version-switcher__menu a", "els => els.map(e => [e.textContent, e.href])")
            assert dict(links) == {
                "dev": base + "dev/" + page_path,
                "1.1 (stable)": base + "1.1/" + page_path,
                "1.0": base + "1.0/" + page_path,
            }
            assert page.inner_text(".version-switcher__button") == "dev"
            banner = page.wait_for_selector("#bd-header-version-warning .sidebar-message")
            assert "unstable development version" in banner.inner_text()
            page.click(".pst-button-link-to-stable-version")
            page.wait_for_url(base + "1.1/" + page_path)
            page.wait_for_selector(".version-switcher__menu a", state="attached")
            page.wait_for_timeout(300)
            assert page.inner_text(".version-switcher__button") == "1.1 (stable)"
            assert page.inner_text("#bd-header-version-warning").strip() == ""
        finally:
            context.close()
    finally:
        server.stop()
