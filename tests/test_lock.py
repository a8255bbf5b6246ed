"""The lock: requirements.txt is complete, hashed, and agrees with requirements.in.

``requirements.in`` holds the top-level pins; ``requirements.txt`` is generated
from it by uv (the command is written at its top) with every dependency and the
sha256 hashes of its files, and ``make`` installs it in pip's hash-checking
mode. These tests need no network: they read the two files and the Makefile,
compare the lock with the environment they run in, and show with a wheel made
on the spot that pip refuses a file whose hash is not the locked one.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from support import ROOT
LOCK = ROOT / "requirements.txt"
TOP_LEVEL = ROOT / "requirements.in"
MAKEFILE = ROOT / "Makefile"

COMPILE_COMMAND = (
    "uv pip compile --universal --generate-hashes --python-version 3.11 "
    "requirements.in -o requirements.txt"
)
HASH = re.compile(r"--hash=sha256:([0-9a-f]{64})$")


def logical_lines(path: Path) -> list[str]:
    """The file's requirement lines: comments dropped, continuations joined."""
    lines, current = [], ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            if current:
                lines.append(current)
                current = ""
            continue
        if line.endswith("\\"):
            current += line[:-1].strip() + " "
        else:
            lines.append((current + line.strip()).strip())
            current = ""
    if current:
        lines.append(current.strip())
    return lines


def parse_lock() -> list[tuple[Requirement, list[str]]]:
    """(requirement, its hashes) for every entry of requirements.txt."""
    entries = []
    for line in logical_lines(LOCK):
        requirement, *options = line.split(" --hash=")
        hashes = ["--hash=" + option.strip() for option in options]
        entries.append((Requirement(requirement.strip()), hashes))
    return entries


def pinned_version(requirement: Requirement) -> str:
    specifiers = list(requirement.specifier)
    assert len(specifiers) == 1 and specifiers[0].operator == "==", (
        f"{requirement}: not pinned to one exact version"
    )
    return specifiers[0].version


def test_lock_header_says_how_it_was_made():
    head = LOCK.read_text(encoding="utf-8").splitlines()[:3]
    assert any(line.strip("# ").strip() == COMPILE_COMMAND for line in head), (
        f"requirements.txt does not start with the command that makes it:\n{COMPILE_COMMAND}"
    )


def test_every_locked_package_is_pinned_with_hashes():
    entries = parse_lock()
    assert len(entries) > 50, "the lock should hold every dependency, not only the top level"
    for requirement, hashes in entries:
        pinned_version(requirement)
        assert hashes, f"{requirement.name} has no --hash in requirements.txt"
        for option in hashes:
            assert HASH.fullmatch(option), f"{requirement.name}: not a sha256 hash: {option}"


def test_the_lock_holds_each_top_level_pin_at_its_version():
    locked: dict[str, set[str]] = {}
    for requirement, _ in parse_lock():
        locked.setdefault(canonicalize_name(requirement.name), set()).add(
            pinned_version(requirement)
        )
    top_level = [Requirement(line) for line in logical_lines(TOP_LEVEL)]
    assert top_level, "requirements.in lists no requirement"
    stale = []
    for requirement in top_level:
        version = pinned_version(requirement)
        if locked.get(canonicalize_name(requirement.name)) != {version}:
            stale.append(f"{requirement.name}=={version} (lock: {locked.get(canonicalize_name(requirement.name))})")
    assert not stale, (
        "requirements.txt is out of date with requirements.in; regenerate it with\n"
        f"    {COMPILE_COMMAND}\n" + "\n".join(stale)
    )


def test_the_tools_the_project_needs_are_locked():
    names = {canonicalize_name(requirement.name) for requirement, _ in parse_lock()}
    for name in ("sphobjinv", "latex2mathml", "zizmor", "uv", "tensorflow-cpu", "tensorflow"):
        assert name in names, f"{name} is missing from requirements.txt"


def test_make_installs_the_lock_in_hash_checking_mode():
    makefile = MAKEFILE.read_text(encoding="utf-8")
    install = re.search(r"^PIP_INSTALL\s*:=\s*((?:.*\\\n)*.*)$", makefile, re.M)
    assert install, "the Makefile has no PIP_INSTALL line"
    command = install.group(1)
    assert "--require-hashes" in command and "-r requirements.txt" in command, command
    assert "$(BIN)/python $(PIP_INSTALL)" in makefile
    assert re.search(r"^\$\(STAMP\): requirements\.txt$", makefile, re.M), (
        "a changed lock must reinstall the environment"
    )


def test_this_environment_matches_the_lock():
    """What runs the tests is what the lock says (else: `make venv`)."""
    wrong = []
    for requirement, _ in parse_lock():
        if requirement.marker and not requirement.marker.evaluate():
            continue
        try:
            installed = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != pinned_version(requirement):
            wrong.append(f"{requirement.name}: locked {pinned_version(requirement)}, installed {installed}")
    assert not wrong, (
        "this environment is not the one requirements.txt locks; run `make venv`:\n"
        + "\n".join(wrong)
    )


# --- pip refuses a file whose hash is not the locked one (offline) -----------

def make_wheel(folder: Path, name: str = "lockcheck", version: str = "1.0") -> Path:
    """A minimal pure-Python wheel, made here so that no index is needed."""
    dist = f"{name}-{version}.dist-info"
    files = {
        f"{name}.py": b"VALUE = 1\n",
        f"{dist}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
        f"{dist}/WHEEL": b"Wheel-Version: 1.0\nGenerator: test_lock\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{dist}/RECORD,,")
    files[f"{dist}/RECORD"] = ("\n".join(record) + "\n").encode()
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return wheel


def pip_install_locked(tmp_path: Path, wheels: Path, lock_line: str) -> subprocess.CompletedProcess:
    """The Makefile's pip flags, on a one-line lock, from a local folder only."""
    lock = tmp_path / "requirements.txt"
    lock.write_text(lock_line + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull  # no machine-wide index, links or constraints
    return subprocess.run(
        [sys.executable, "-m", "pip", "install", "--disable-pip-version-check",
         "--require-hashes", "--only-binary=:all:", "--no-index", "--find-links", str(wheels),
         "--target", str(tmp_path / "target"), "-r", str(lock)],
        capture_output=True, text=True, env=env, timeout=120,
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return make_wheel(tmp_path_factory.mktemp("wheels"))


def test_pip_installs_a_file_with_the_locked_hash(tmp_path, wheel):
    good = hashlib.sha256(wheel.read_bytes()).hexdigest()
    result = pip_install_locked(tmp_path, wheel.parent, f"lockcheck==1.0 --hash=sha256:{good}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "target" / "lockcheck.py").exists()


def test_pip_refuses_a_file_whose_hash_is_not_locked(tmp_path, wheel):
    good = hashlib.sha256(wheel.read_bytes()).hexdigest()
    tampered = good[:-1] + ("0" if good[-1] != "0" else "1")
    result = pip_install_locked(tmp_path, wheel.parent, f"lockcheck==1.0 --hash=sha256:{tampered}")
    assert result.returncode != 0
    assert "DO NOT MATCH THE HASHES" in result.stderr, result.stderr
    assert not (tmp_path / "target" / "lockcheck.py").exists()
