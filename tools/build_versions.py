#!/usr/bin/env python3
"""Build every release of the site, plus the main branch, into one site tree.

    python tools/build_versions.py [--out DIR] [--dev-ref REF] [--venv DIR]
                                   [-- EXTRA SPHINX OPTIONS]

(``make versions`` runs it; ``make versions VERSIONS_SPHINXOPTS="-D plot_gallery=0"``
passes Sphinx options through.) From a local clone, without the network as
long as no version needs packages that are not installed yet.

The result, in ``--out`` (default ``_build/versions``)::

    index.html        sends readers to stable/
    404.html          the 404 page of the newest release (for GitHub Pages)
    sitemap.xml       the sitemap of the newest release
    switcher.json     every version (a copy of what each version's switcher reads)
    dev/              the main branch (``--dev-ref``)
    1.1/  1.0/ ...    each release tag (v1.1 or 1.1 -> folder 1.1)
    stable/           a copy of the newest release

How each version is built:

* a ``git worktree`` of its tag (or of the main branch), so only committed
  files count and the current checkout is left alone;
* with ITS OWN pinned ``requirements.txt``: when that file is identical to the
  one the current environment (``--venv``, default ``.venv``) was installed
  from, that environment is reused; otherwise a virtual environment per
  requirements hash is made once in ``--venv-cache`` (default ``.venvs/``)
  and reused by every later run (this one needs PyPI the first time);
* ``sphinx-build -c . docs <out>/<version>`` with ``LSTM_SITE_VERSION=<version>``
  (the version the pages show; see ``docs/_ext/site_versions.py``) and
  ``LSTM_SITE_SUBDIR=<version>`` (so sitemap.xml and the 404 page carry the
  folder in their URLs; the base URL itself is set in conf.py only).

Afterwards every version's ``_static/switcher.json`` is replaced by the list
of all versions: dev and each release, newest first, the newest release
``"preferred": true`` (the theme shows an "old version" / "development
version" banner everywhere else). Its URLs are relative (``../1.1/``):
``docs/_static/version-switcher.js`` resolves them against the root of the
version being read, so the tree works at the root of ``python -m http.server``
and under any base path alike.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = "dev"
STABLE = "stable"
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
# a release tag: v1, 1.2, v1.2.3 (one rule, the site's own)
from site_versions import RELEASE_TAG  # noqa: E402
DEFAULT_SPHINXOPTS = ["-W", "--keep-going"]
STAMP = ".installed-requirements.txt"  # what the Makefile writes into a venv


def log(message: str) -> None:
    print(f"[build_versions] {message}", flush=True)


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=check
    )


def releases(repo: Path) -> list[tuple[str, str]]:
    """[(version, tag)] for every release tag, newest version first."""
    found: dict[str, str] = {}
    for tag in git(repo, "tag", "--list").stdout.split():
        match = RELEASE_TAG.match(tag)
        if not match:
            continue
        version = match.group(1)
        if version in found:
            log(f"tags {found[version]} and {tag} are both version {version}: using {found[version]}")
            continue
        found[version] = tag
    return sorted(found.items(), key=lambda item: [int(p) for p in item[0].split(".")], reverse=True)


def dev_ref(repo: Path, wanted: str) -> str:
    """The branch, else its remote-tracking copy (a CI checkout of a tag has
    only ``origin/main``), else HEAD."""
    for ref in (wanted, f"origin/{wanted}"):
        if git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False).returncode == 0:
            return ref
    log(f"no '{wanted}' in this clone: building HEAD as {DEV}")
    return "HEAD"


def switcher_entries(versions: list[str]) -> list[dict]:
    """dev, then the releases newest first; the newest release is preferred."""
    entries = [{"name": DEV, "version": DEV, "url": f"../{DEV}/"}]
    for index, version in enumerate(versions):
        entry = {"name": version, "version": version, "url": f"../{version}/"}
        if index == 0:
            entry["name"] = f"{version} (stable)"
            entry["preferred"] = True
        entries.append(entry)
    return entries


def requirements_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def venv_for(requirements: str, current_venv: Path, cache: Path) -> tuple[Path, bool]:
    """(the environment to build with, whether it must be created first).

    The current environment when it was installed from the same requirements
    (its stamp, else the current checkout's requirements.txt), else a cached
    environment named after the requirements' hash.
    """
    stamp = current_venv / STAMP
    installed = stamp if stamp.exists() else ROOT / "requirements.txt"
    if installed.exists() and installed.read_text(encoding="utf-8") == requirements:
        return current_venv, False
    cached = cache / requirements_hash(requirements)
    return cached, not (cached / STAMP).exists()


def make_venv(venv: Path, requirements: str, python: str) -> None:
    log(f"creating {venv} for a different requirements.txt (needs PyPI once)")
    if venv.exists():
        shutil.rmtree(venv)  # a half-made one from an interrupted run
    venv.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as file:
        file.write(requirements)
    try:
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
             "--disable-pip-version-check", "-r", file.name],
            check=True,
        )
    finally:
        os.unlink(file.name)
    (venv / STAMP).write_text(requirements, encoding="utf-8")


def build_one(repo: Path, ref: str, version: str, out: Path, work: Path,
              current_venv: Path, cache: Path, python: str, sphinxopts: list[str]) -> None:
    tree = work / version
    git(repo, "worktree", "add", "--detach", "--quiet", str(tree), ref)
    try:
        requirements = (tree / "requirements.txt").read_text(encoding="utf-8")
        venv, create = venv_for(requirements, current_venv, cache)
        if create:
            make_venv(venv, requirements, python)
        log(f"building {version} ({ref}) with {venv}")
        env = dict(os.environ, LSTM_SITE_VERSION=version, LSTM_SITE_SUBDIR=version)
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "sphinx", "-b", "html", "-c", ".",
             "-d", str(work / f"doctrees-{version}"), "docs", str(out / version),
             *sphinxopts],
            cwd=tree, env=env, check=True,
        )
    finally:
        git(repo, "worktree", "remove", "--force", str(tree), check=False)


REDIRECT = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Redirecting to the {name} version</title>
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{target}">
</head>
<body>
<p>This site moved to the <a href="{target}">{name} version</a>.</p>
</body>
</html>
"""


def assemble(out: Path, versions: list[str]) -> None:
    """stable/, switcher.json everywhere, root index.html and 404.html."""
    entries = switcher_entries(versions)
    text = json.dumps(entries, indent=2) + "\n"
    landing = DEV
    if versions:
        shutil.copytree(out / versions[0], out / STABLE, symlinks=True)
        landing = STABLE
    for folder in [DEV, *versions, *([STABLE] if versions else [])]:
        (out / folder / "_static" / "switcher.json").write_text(text, encoding="utf-8")
    (out / "switcher.json").write_text(text, encoding="utf-8")
    (out / "index.html").write_text(
        REDIRECT.format(name=landing, target=f"{landing}/index.html"), encoding="utf-8"
    )
    # GitHub Pages serves the root 404.html for every missing page; the
    # preferred version's loads its files from its own folder (its <base>,
    # docs/_ext/notfound_base.py).
    # The root sitemap.xml lists the pages of that version (at their own URLs).
    for name in ("404.html", "sitemap.xml"):
        source = out / (versions[0] if versions else DEV) / name
        if source.exists():
            shutil.copy2(source, out / name)
    (out / ".nojekyll").write_text("", encoding="utf-8")  # serve _static/ as is


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=ROOT, help="the git clone (default: this one)")
    parser.add_argument("--out", type=Path, default=None, help="site tree (default: <repo>/_build/versions)")
    parser.add_argument("--dev-ref", default="main", help="branch built as 'dev' (default: main)")
    parser.add_argument("--venv", type=Path, default=Path(sys.prefix),
                        help="environment to reuse when requirements are identical (default: this Python's)")
    parser.add_argument("--venv-cache", type=Path, default=None,
                        help="environments for other requirements (default: <repo>/.venvs)")
    parser.add_argument("--python", default=sys.executable, help="Python that creates new environments")
    parser.add_argument("--no-strict", action="store_true",
                        help="do not turn Sphinx warnings into errors (default: -W --keep-going)")
    args = parser.parse_args(argv)

    repo = Path(git(args.repo, "rev-parse", "--show-toplevel").stdout.strip())
    out = (args.out or repo / "_build" / "versions").resolve()
    cache = (args.venv_cache or repo / ".venvs").resolve()
    sphinxopts = ([] if args.no_strict else DEFAULT_SPHINXOPTS) + extra

    tags = releases(repo)
    plan = [(DEV, dev_ref(repo, args.dev_ref))] + [(version, tag) for version, tag in tags]
    log("versions: " + ", ".join(f"{v} <- {r}" for v, r in plan))

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    work = Path(tempfile.mkdtemp(prefix="lstm-versions-"))
    try:
        for version, ref in plan:
            build_one(repo, ref, version, out, work, args.venv.resolve(), cache, args.python, sphinxopts)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        git(repo, "worktree", "prune", check=False)
    assemble(out, [version for version, _ in tags])
    log(f"done: {out}  (view: python -m http.server -d {out} 8000)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
