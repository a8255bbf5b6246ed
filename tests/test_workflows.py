"""The GitHub workflows: secure by zizmor's audit, and they do what README says.

* ``zizmor --offline`` (pinned in requirements.txt, run from this environment)
  finds nothing of medium or high severity in ``.github/workflows``, and parses
  every workflow strictly (a syntax or schema error fails). The test fails,
  rather than skips, when zizmor is missing: it is part of the lock.
* The structure README promises: pull requests and pushes run ``.ci/run``
  (``make test``); the Pages build, the deployment and the notebooks branch
  come only after it passed, never for a pull request; only the notebooks job
  may write to the repository.
* The two scripts of the notebooks job run here, on a fake site and a local
  bare repository: the layout the "Open in Colab" links expect
  (``<version>/plot_*.ipynb`` on branch ``notebooks``), and no token written to
  any git config.

PyYAML is not in the lock, so the workflows are read with the few line rules
below (two-space indentation, as written); zizmor has already parsed them.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tarfile
import textwrap
from pathlib import Path


from support import ROOT
WORKFLOWS = ROOT / ".github" / "workflows"
CI = WORKFLOWS / "ci.yml"
# the environment's own zizmor (not resolved: the venv's bin/ is the parent)
ZIZMOR = Path(sys.executable).parent / "zizmor"

SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


def zizmor(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    assert ZIZMOR.exists(), (
        f"zizmor is not installed at {ZIZMOR}: it is in requirements.txt, run `make venv`"
    )
    return subprocess.run(
        [str(ZIZMOR), "--offline", "--format", "json", "--strict-collection",
         "--no-exit-codes", "--no-progress", "--color", "never", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120,
    )


def serious(findings: list[dict]) -> list[str]:
    return [
        f"{f['ident']} ({f['determinations']['severity']}): {f['desc']} at "
        + ", ".join(
            f"{loc['symbolic']['key']['Local']['verbatim_path']}:"
            f"{loc['concrete']['location']['start_point']['row'] + 1}"
            for loc in f["locations"]
        )
        for f in findings
        if not f.get("ignored") and f["determinations"]["severity"] in ("Medium", "High")
    ]


def workflow_files() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


# --- zizmor -------------------------------------------------------------------

def test_zizmor_finds_nothing_of_medium_or_high_severity():
    assert workflow_files(), "no workflow in .github/workflows"
    result = zizmor(str(WORKFLOWS.relative_to(ROOT)))
    assert result.returncode == 0, f"zizmor failed (a workflow that does not parse?):\n{result.stderr}"
    problems = serious(json.loads(result.stdout))
    assert not problems, "zizmor --offline:\n" + "\n".join(problems)


def test_zizmor_catches_a_careless_workflow(tmp_path):
    """The audit above has teeth: the usual mistakes are reported."""
    careless = tmp_path / ".github" / "workflows" / "careless.yml"
    careless.parent.mkdir(parents=True)
    careless.write_text(textwrap.dedent("""\
        name: careless
        on: pull_request_target
        permissions: write-all
        jobs:
          build:
            runs-on: ubuntu-24.04
            steps:
              - uses: actions/checkout@v4
                with:
                  ref: ${{ github.event.pull_request.head.sha }}
              - run: echo "${{ github.event.pull_request.title }}"
        """), encoding="utf-8")
    result = zizmor(".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    found = {p.split(" ")[0] for p in serious(json.loads(result.stdout))}
    for ident in ("unpinned-uses", "template-injection", "dangerous-triggers", "artipacked"):
        assert ident in found, (ident, found)


def test_a_broken_workflow_does_not_pass_silently(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text("name: broken\non: [push\njobs: {}\n", encoding="utf-8")
    assert zizmor(".", cwd=tmp_path).returncode != 0


# --- what the workflow does -----------------------------------------------------

def blocks(lines: list[str], indent: int) -> dict[str, list[str]]:
    """The mapping keys at `indent` spaces, each with the lines below it."""
    found: dict[str, list[str]] = {}
    key = None
    for line in lines:
        match = re.match(rf"^ {{{indent}}}([\w-]+):", line)
        if match:
            key = match.group(1)
            found[key] = [line]
        elif key is not None and (not line.strip() or line.startswith(" " * (indent + 1))
                                  or line.lstrip().startswith("#")):
            found[key].append(line)
        else:
            key = None
    return found


def ci_lines() -> list[str]:
    return CI.read_text(encoding="utf-8").splitlines()


def jobs() -> dict[str, list[str]]:
    lines = ci_lines()
    start = lines.index("jobs:")
    return blocks(lines[start + 1:], 2)


def needs(job: list[str]) -> set[str]:
    for line in job:
        match = re.match(r"^    needs: *(.+)$", line)
        if match:
            return {n.strip() for n in match.group(1).strip("[]").split(",")}
    return set()


def all_needs(name: str, graph: dict[str, list[str]]) -> set[str]:
    direct = needs(graph[name])
    return direct.union(*(all_needs(n, graph) for n in direct)) if direct else set()


def scripts(job: list[str]) -> dict[str, str]:
    """Each step's `run:` script, by the step's name (or its first line)."""
    found, name = {}, None
    for i, line in enumerate(job):
        step = re.match(r"^      - (?:name: (.+)|.*)$", line)
        if step:
            name = step.group(1)
        named = re.match(r"^        name: (.+)$", line)
        if named:
            name = named.group(1)
        run = re.match(r"^( +)run: ?(.*)$", line)
        if run:
            if run.group(2) not in ("|", ">"):
                found[name or run.group(2)] = run.group(2)
                continue
            body = []
            for more in job[i + 1:]:
                if more.strip() and not more.startswith(run.group(1) + "  "):
                    break
                body.append(more)
            found[name or body[0].strip()] = textwrap.dedent("\n".join(body)).strip() + "\n"
    return found


def test_every_workflow_is_hardened():
    for path in workflow_files():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        assert "permissions: {}" in lines, f"{path.name}: top-level permissions must be {{}}"
        for trigger in ("pull_request_target", "workflow_run"):
            assert not re.search(rf"^  {trigger}:", text, re.M), f"{path.name}: {trigger}"
        uses = re.findall(r"^\s*(?:- )?uses: (.+)$", text, re.M)
        for ref in uses:
            if not ref.startswith("./"):
                assert SHA_PIN.match(ref), f"{path.name}: not pinned to a commit SHA with its release: {ref}"
        checkouts = [u for u in uses if u.startswith("actions/checkout@")]
        settings = [line.split("#")[0].strip() for line in lines]
        assert settings.count("persist-credentials: false") == len(checkouts), (
            f"{path.name}: every checkout needs persist-credentials: false"
        )
        assert "actions/cache@" not in text and not re.search(r"^\s+cache:", text, re.M), (
            f"{path.name}: no caches (a pull request could poison them)"
        )
        for job in blocks(lines[lines.index("jobs:") + 1:], 2).values():
            for name, script in scripts(job).items():
                assert "${{" not in script, f"{path.name}: template expression in run: {name}"


def test_pull_requests_and_pushes_run_make_test():
    on = blocks(ci_lines(), 0)["on"]
    assert "  pull_request:" in on
    assert re.search(r"^  push:\n    branches: \[main\]", "\n".join(on), re.M)
    graph = jobs()
    runners = [name for name, job in graph.items() if "bash .ci/run" in scripts(job).values()]
    assert runners == ["test"], f"one job runs `bash .ci/run`: {runners}"
    assert not needs(graph["test"]) and not any(
        line.startswith("    if:") for line in graph["test"]
    ), "the test job runs for every event"
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    permissions = blocks(graph["test"], 4)["permissions"]
    assert [line.split("#")[0].strip() for line in permissions[1:]] == ["contents: read"], permissions


def test_publishing_waits_for_the_tests_and_skips_pull_requests():
    graph = jobs()
    for name in graph:
        if name != "test":
            assert "test" in all_needs(name, graph), f"{name} does not wait for the tests"
    build = [name for name, job in graph.items() if "make versions" in scripts(job).values()]
    assert build == ["pages"], build
    assert "    if: github.event_name != 'pull_request'" in graph["pages"]
    for name, job in graph.items():
        text = "\n".join(job)
        if "actions/deploy-pages@" in text or "contents: write" in text:
            assert "pages" in all_needs(name, graph), f"{name} must come after the Pages build"
    writers = [name for name, job in graph.items() if "contents: write" in "\n".join(job)]
    assert writers == ["notebooks"], f"only the notebooks job writes to the repository: {writers}"
    deploy = "\n".join(graph["deploy"])
    assert "pages: write" in deploy and "environment:" in deploy and "name: github-pages" in deploy
    assert "path: _build/versions" in "\n".join(graph["pages"])


# --- the notebooks job, run here -------------------------------------------------

NOTEBOOKS = {
    "dev/_downloads/0a1b/plot_first.ipynb": '{"cells": ["dev first"]}',
    "dev/_downloads/2c3d/plot_second.ipynb": '{"cells": ["dev second"]}',
    "dev/_downloads/4e5f/plot_first.py": "# not a notebook",
    "dev/index.html": "<html></html>",
    "1.2/_downloads/6a7b/plot_first.ipynb": '{"cells": ["1.2 first"]}',
    "stable/_downloads/6a7b/plot_first.ipynb": '{"cells": ["1.2 first"]}',
}


def fake_artifact(folder: Path, files: dict[str, str]) -> None:
    """What upload-pages-artifact uploads: artifact.tar of ./<site tree>."""
    (folder / "site-artifact").mkdir(parents=True)
    with tarfile.open(folder / "site-artifact" / "artifact.tar", "w") as tar:
        for name, content in files.items():
            data = content.encode()
            info = tarfile.TarInfo("./" + name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def run_step(name: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    script = scripts(jobs()["notebooks"])[name]
    environment = {**os.environ, "GITHUB_SHA": "0" * 40, **env}
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=60)


def test_notebooks_are_collected_one_folder_per_version(tmp_path):
    fake_artifact(tmp_path, NOTEBOOKS)
    result = run_step("Collect the notebooks, one folder per version", tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "notebooks"
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.ipynb")) == [
        "1.2/plot_first.ipynb", "dev/plot_first.ipynb", "dev/plot_second.ipynb",
        "stable/plot_first.ipynb",
    ]
    assert (out / "dev" / "plot_first.ipynb").read_text() == '{"cells": ["dev first"]}'
    assert "do not edit" in (out / "README.md").read_text()


def test_two_different_notebooks_with_one_name_stop_the_job(tmp_path):
    fake_artifact(tmp_path, {**NOTEBOOKS, "dev/_downloads/9999/plot_first.ipynb": '{"other": 1}'})
    result = run_step("Collect the notebooks, one folder per version", tmp_path)
    assert result.returncode != 0 and "two different plot_first.ipynb in dev" in result.stderr


def test_a_site_without_notebooks_stops_the_job(tmp_path):
    fake_artifact(tmp_path, {"dev/index.html": "<html></html>"})
    result = run_step("Collect the notebooks, one folder per version", tmp_path)
    assert result.returncode != 0 and "error:" in result.stderr


def test_notebooks_branch_is_one_commit_and_keeps_no_token(tmp_path):
    fake_artifact(tmp_path, NOTEBOOKS)
    assert run_step("Collect the notebooks, one folder per version", tmp_path).returncode == 0
    server = tmp_path / "server"
    remote = server / "owner" / "repo.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    token = "ghs_" + "x" * 36
    for attempt in range(2):  # the second run replaces the branch (force push)
        if attempt:
            (tmp_path / "notebooks" / ".git").rename(tmp_path / "old-git")
        result = run_step("Publish the notebooks branch", tmp_path, GH_TOKEN=token,
                          GITHUB_SERVER_URL=server.as_uri(), GITHUB_REPOSITORY="owner/repo",
                          HOME=str(tmp_path), GIT_CONFIG_NOSYSTEM="1")
        assert result.returncode == 0, result.stderr
        assert token not in result.stdout + result.stderr
    log = subprocess.run(["git", "-C", str(remote), "log", "--format=%s", "notebooks"],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert log == ["Notebooks of " + "0" * 40], log
    tree = subprocess.run(["git", "-C", str(remote), "ls-tree", "-r", "--name-only", "notebooks"],
                          capture_output=True, text=True, check=True).stdout.split()
    assert "dev/plot_first.ipynb" in tree and "1.2/plot_first.ipynb" in tree
    for config in [tmp_path / "notebooks" / ".git" / "config", tmp_path / ".gitconfig"]:
        if config.exists():
            assert "extraheader" not in config.read_text() and token not in config.read_text()
