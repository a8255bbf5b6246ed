"""Measure how long the site takes to build, how much memory and space it uses.

Run it with ``make bench`` (or ``.venv/bin/python tools/bench.py``). In a
temporary copy of the project (the working tree without build output), with
this Python's environment, it runs ``make html`` four times:

1. a clean build (every example runs);
2. a rebuild with no change (nothing should run or be rewritten);
3. a rebuild after a comment was added to one example (only it runs);
4. a rebuild after an example was added to the gallery, as the README says:
   a new file and its line in ``examples/gallery.toml`` (only it runs).

Then it reads each example's run time from sphinx-gallery's ``*.cost.json``
files of the clean build. In that build two examples run at a time, one per
core, and slow each other down; so, with the edit and the added page taken
back out, two more clean builds, serial
(``LSTM_GALLERY_WORKERS=1``: every example in one process, one after the
other), time each example alone on the machine (its best time of the two, as
timeit reports the best of its runs: other work on the machine only adds
time), which is what the per-example budgets are about. It also
reads the peak memory of the build (resident memory of the
whole process tree, sampled every 0.1 s), and, from the last serial build
(the site as it is), the size of the site and the weight of its heaviest page.

A page's weight is what a first visit downloads, as a host sends it: every
file the browser fetches for the page (HTML, CSS, scripts, fonts, images; seen
in headless Chromium at 1400 x 900 px, 1x pixels), text types compressed with
gzip level 6, images and fonts as they are. Lazy images (the gallery cards)
are all counted, as if the reader scrolled to the end; the weight of the first
screen alone (before any scrolling) is reported next to it. A high-resolution
screen (2x) fetches the 2x figures instead: reported too, not budgeted.
``tests/test_page_speed.py`` asserts the same budgets on every built page. Each figure is printed next to
its budget with PASS or OVER; ``--json FILE`` also writes them as JSON (the
"how this site is built" page shows ``docs/_static/bench.json``).

Last, Lighthouse scores every page of the clean build (landing page, gallery
index and example pages first) as a phone's first visit (``tools/lighthouse.py``: needs
Node.js; the figures above do not). ``--only lighthouse`` (``make
lighthouse``) scores the site already built in ``_build/html`` instead and
updates only the ``lighthouse`` entry of the JSON file.

The budgets are about a machine with nothing else running: each timed build,
and Lighthouse, first waits (at most 5 minutes) for the 1-minute load average
to fall below 0.35 per core (``wait_for_quiet``), and the load it started at is
reported next to its time.

The exit status is 0 even when a figure is over budget (a benchmark informs,
it does not gate); it is 1 only when a build fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from project_copy import copy_project  # noqa: E402
from site_pages import hosted_prefix, site_pages  # noqa: E402
import lighthouse as lighthouse_tool  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
import lstm_gallery  # noqa: E402
from bench_report import example_budget, first_in_process  # noqa: E402  (the page's rules)

MB = 1024 * 1024
BUDGETS = {
    "clean_build_s": 60.0,
    "no_change_rebuild_s": 2.0,
    "one_edit_rebuild_s": 10.0,
    "add_example_rebuild_s": 10.0,
    "example_run_s": 3.0,  # after imports
    # pages that train a model (issues #9 and #10): by section
    "example_run_s_by_section": {"data": 6.0, "trained": 8.0},
    "page_bytes": 1 * MB,  # everything a first visit loads, compressed as a host sends it
    "gallery_image_bytes": 400 * 1024,  # the thumbnails of the gallery index
}
GALLERY_INDEX = "auto_examples/index.html"
SERIAL_RUNS = 2  # serial clean builds that time each example alone
VERSIONS_OF = [
    "tensorflow-cpu", "tensorflow", "keras", "numpy", "matplotlib", "sphinx",
    "sphinx-gallery", "pydata-sphinx-theme", "joblib",
]


# -- measuring -------------------------------------------------------------------
def run_measured(command: list[str], cwd: Path, log: Path, env: dict | None = None) -> dict:
    """Run a command; return its wall time, CPU time and the peak RSS of its process tree.

    The CPU time (user + system of every process of the build) does not grow
    when other work shares the machine; the wall time does.
    """
    # an uncoloured log (Sphinx colours it under CI=true or FORCE_COLOR), read below
    env = {**(os.environ if env is None else env), "NO_COLOR": "1"}
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with open(log, "w", encoding="utf-8") as out:
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        peak = 0
        parent = psutil.Process(process.pid)
        while process.poll() is None:
            try:
                tree = [parent, *parent.children(recursive=True)]
            except psutil.NoSuchProcess:
                tree = []
            total = 0
            for proc in tree:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            peak = max(peak, total)
            time.sleep(0.1)
    seconds = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
            "returncode": process.returncode, "peak_rss_bytes": peak,
            "max_process_rss_bytes": cpu_after.ru_maxrss * 1024}


# The budgets are about a machine with nothing else running. A build started
# right after other work (a test run, the previous build's last processes)
# shares the cores with it: the 1-minute load average still reads 3-5 a
# minute later, and a clean build takes a quarter longer. So each timed build
# and Lighthouse wait, at most QUIET_WAIT_S, for the load average per core to
# fall below QUIET_LOAD_PER_CORE, and the load each one started at is reported.
QUIET_LOAD_PER_CORE = 0.35
QUIET_WAIT_S = 300


def wait_for_quiet(what: str) -> float:
    """Wait until the machine is quiet (see QUIET_LOAD_PER_CORE); its 1-minute load."""
    limit = QUIET_LOAD_PER_CORE * (os.cpu_count() or 1)
    deadline = time.monotonic() + QUIET_WAIT_S
    load = os.getloadavg()[0]
    if load >= limit:
        print(f"bench: waiting for a quiet machine before {what} (load average {load:.2f}, "
              f"waiting for < {limit:.2f}, at most {QUIET_WAIT_S} s) ...", flush=True)
    while load >= limit and time.monotonic() < deadline:
        time.sleep(5)
        load = os.getloadavg()[0]
    return round(load, 2)


def examples_run(log: Path) -> int:
    """How many examples sphinx-gallery executed ("successfully executed N out of")."""
    text = log.read_text(encoding="utf-8", errors="replace")
    match = re.search(r"executed (\d+) out of \d+ file", text)
    return int(match.group(1)) if match else 0


def pages_written(log: Path) -> int:
    text = log.read_text(encoding="utf-8", errors="replace")
    match = re.search(r"building \[html\]: targets for (\d+) source files", text)
    written = len(set(re.findall(r"writing output\.\.\. \[[ \d]+%\] (\S+)", text)))
    return max(written, int(match.group(1)) if match else 0)


def example_times(gallery: Path) -> list[dict]:
    rows = []
    for section, names in lstm_gallery.READING_ORDER.items():
        for name in names:
            cost = gallery / section / (Path(name).stem + ".cost.json")
            if cost.exists():
                seconds = json.loads(cost.read_text(encoding="utf-8"))["time"]
                rows.append({"example": f"{section}/{name}", "seconds": round(seconds, 2)})
    return rows


# Sent compressed by a host (gzip level 6); everything else as it is.
TEXT_SUFFIXES = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".txt", ".xml", ".map", ".ico"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico"}
WEIGHT_VIEWPORT = {"width": 1400, "height": 900}
_sent_cache: dict[Path, int] = {}


def sent_bytes(path: Path) -> int:
    """Bytes a host sends for a file: text gzip-compressed (level 6), the rest as is."""
    if path not in _sent_cache:
        raw = path.read_bytes()
        if path.suffix.lower() in TEXT_SUFFIXES:
            _sent_cache[path] = len(gzip.compress(raw, compresslevel=6, mtime=0))
        else:
            _sent_cache[path] = len(raw)
    return _sent_cache[path]


def _file_of(url: str, base_url: str, site: Path, prefix: str) -> Path | None:
    path = unquote(urlsplit(url).path)
    base = urlsplit(base_url).path
    for root in (base, prefix):
        if path.startswith(root):
            target = site / path[len(root):]
            if target.is_file():
                return target
    return None


def page_weight(browser, base_url: str, site: Path, rel: str, scale: int = 1) -> dict:
    """What a first visit of one page downloads (see the module docstring).

    ``browser``: a Playwright Chromium; ``base_url``: where ``site`` is served.
    A fresh context (empty cache) per page; ``scale``: device pixel ratio.
    """
    context = browser.new_context(viewport=WEIGHT_VIEWPORT, device_scale_factor=scale)
    fetched: list[str] = []
    context.on("request", lambda request: fetched.append(request.url))
    try:
        page = context.new_page()
        url = base_url + (hosted_prefix(site).lstrip("/") if rel == "404.html" else "") + rel
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        first_screen = list(fetched)
        # then everything a reader who scrolls to the end gets: lazy images too
        page.evaluate(
            """async () => {
                 const images = Array.from(document.images);
                 images.forEach((img) => { img.loading = "eager"; });
                 await Promise.all(images.map((img) => img.decode().catch(() => null)));
               }"""
        )
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    prefix = hosted_prefix(site)

    def files(urls):
        found = {_file_of(u, base_url, site, prefix) for u in urls}
        found.discard(None)
        return found

    every, first = files(fetched), files(first_screen)
    images = {f for f in every if f.suffix.lower() in IMAGE_SUFFIXES and "_images" in f.parts
              or f.suffix.lower() in IMAGE_SUFFIXES and f.parent.name == "_static"}
    return {
        "page": rel,
        "bytes": sum(sent_bytes(f) for f in every),
        "first_screen_bytes": sum(sent_bytes(f) for f in first),
        "image_bytes": sum(sent_bytes(f) for f in images),
        "images": len(images),
        "files": len(every),
        "heaviest_files": [
            {"file": f.relative_to(site).as_posix(), "bytes": sent_bytes(f)}
            for f in sorted(every, key=sent_bytes, reverse=True)[:5]
        ],
    }


def page_weights(html: Path, scales=(1, 2)) -> list[dict]:
    """Each page's first-visit weight (1x; and its total on a 2x screen), heaviest first."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_QuietHandler, directory=str(html))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    chromium = os.environ.get("LSTM_CHROMIUM", "/usr/bin/chromium")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, headless=True,
                args=["--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
            )
            pages = []
            for rel in site_pages(html):
                weight = page_weight(browser, base_url, html, rel, scale=scales[0])
                for scale in scales[1:]:
                    weight[f"bytes_at_{scale}x"] = page_weight(
                        browser, base_url, html, rel, scale=scale)["bytes"]
                pages.append(weight)
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return sorted(pages, key=lambda p: p["bytes"], reverse=True)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


def tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# -- where ---------------------------------------------------------------------------
def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def git_state() -> dict:
    def git(*args):
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                                  timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    return {"commit": git("rev-parse", "--short", "HEAD"),
            "uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no"))}


def versions() -> dict:
    found = {"python": platform.python_version()}
    for name in VERSIONS_OF:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return found


def machine() -> dict:
    return {
        "cpu_model": cpu_model(),
        "logical_cores": os.cpu_count(),
        "memory_bytes": psutil.virtual_memory().total,
        "system": f"{platform.system()} {platform.release()} {platform.machine()}",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


# -- report --------------------------------------------------------------------------
def verdict(value: float, budget: float | None) -> str:
    if budget is None:
        return ""
    return "PASS" if value <= budget else "OVER"


ADDED_EXAMPLE = "plot_zz_added_by_bench"
PAGES_FILE = "examples/gallery.toml"


def add_example(project: Path) -> str:
    """Add a small example to the gallery's first section; return its path."""
    pages = project / PAGES_FILE
    lines = pages.read_text(encoding="utf-8").splitlines()
    header = next(k for k, line in enumerate(lines) if line.startswith("["))
    section = lines[header].strip("[] ")
    lines.insert(header + 1, f'{ADDED_EXAMPLE} = "added"')
    pages.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = f"examples/{section}/{ADDED_EXAMPLE}.py"
    (project / path).write_text(
        '"""\nWhat does an added page print?\n==============================\n\n'
        '**In short:** one line (added by tools/bench.py).\n"""\n\nprint("added")\n',
        encoding="utf-8",
    )
    return path


def bench(venv: Path, example: str, keep: Path | None) -> dict:
    work = Path(tempfile.mkdtemp(prefix="lstm-bench-")) if keep is None else keep
    project = work / "project"
    if project.exists():
        shutil.rmtree(project)
    copy_project(project)
    make = ["make", "html", f"VENV={venv}", "BUILDDIR=_build"]
    logs = work / "logs"
    logs.mkdir(exist_ok=True)

    report = {
        "measured_at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "versions": versions(),
        "project": git_state(),
        "budgets": BUDGETS,
        "quiet": {"load_per_core": QUIET_LOAD_PER_CORE, "max_wait_s": QUIET_WAIT_S},
        "builds": {},
    }

    steps = [("clean_build", None), ("no_change_rebuild", None), ("one_edit_rebuild", example),
             ("add_example_rebuild", None)]
    # what the edit and the added page change, to be put back before the
    # site itself is measured
    originals = {path: (project / path).read_bytes() for path in (example, PAGES_FILE)}
    for step, edit in steps:
        if step == "add_example_rebuild":
            added = add_example(project)
        if edit:
            script = project / edit
            # A text cell of its own: a bare comment line after a text cell
            # would join its RST (and could break a list there).
            edited = script.read_text(encoding="utf-8").rstrip("\n")
            script.write_text(edited + "\n\n# %%\n# Edited by tools/bench.py.\n",
                              encoding="utf-8")
        log = logs / f"{step}.log"
        print(f"bench: {step} ...", flush=True)
        load = wait_for_quiet(step.replace("_", " "))
        result = run_measured(make, project, log)
        result["load_average_at_start"] = load
        result["examples_run"] = examples_run(log)
        result["pages_written"] = pages_written(log)
        result["parallel"] = "with parallel=" in log.read_text(encoding="utf-8", errors="replace")
        report["builds"][step] = result
        if result["returncode"] != 0:
            print(log.read_text(encoding="utf-8", errors="replace")[-4000:], file=sys.stderr)
            report["failed"] = f"{step} failed (exit {result['returncode']}); log: {log}"
            return report
        if step == "clean_build":
            report["examples"] = example_times(project / "docs" / "auto_examples")
    report["builds"]["one_edit_rebuild"]["edited"] = example
    report["builds"]["add_example_rebuild"]["added"] = added
    report["peak_rss_bytes"] = max(b["peak_rss_bytes"] for b in report["builds"].values())
    # the site as it is, without the edit and the added page
    for path, content in originals.items():
        (project / path).write_bytes(content)
    (project / added).unlink()

    # each example alone: serial clean builds (one process, one example at a
    # time), SERIAL_RUNS of them; each example's best time counts, since
    # whatever else the machine does can only add time (as timeit reports)
    alone: dict[str, list[float]] = {}
    for run in range(1, SERIAL_RUNS + 1):
        print(f"bench: serial clean build {run}/{SERIAL_RUNS} (each example alone) ...", flush=True)
        subprocess.run(["make", "clean", "BUILDDIR=_build"], cwd=project, check=True,
                       stdout=subprocess.DEVNULL)
        log = logs / f"serial_clean_build_{run}.log"
        load = wait_for_quiet(f"serial clean build {run}")
        serial = run_measured(make, project, log, env={**os.environ, "LSTM_GALLERY_WORKERS": "1"})
        serial["load_average_at_start"] = load
        serial["examples_run"] = examples_run(log)
        report.setdefault("serial_builds", []).append(serial)
        if serial["returncode"] != 0:
            print(log.read_text(encoding="utf-8", errors="replace")[-4000:], file=sys.stderr)
            report["failed"] = f"serial clean build failed (exit {serial['returncode']}); log: {log}"
            return report
        for row in example_times(project / "docs" / "auto_examples"):
            alone.setdefault(row["example"], []).append(row["seconds"])
    for row in report["examples"]:
        row["alone_runs"] = alone.get(row["example"], [])
        row["alone_seconds"] = min(row["alone_runs"], default=None)

    # the last clean build is weighed and scored by Lighthouse (a benchmark:
    # a missing Node.js is reported, not fatal)
    html = project / "_build" / "html"
    pages = page_weights(html)
    report["site_bytes"] = tree_bytes(html)
    report["pages_over_budget"] = [p["page"] for p in pages if p["bytes"] > BUDGETS["page_bytes"]]
    report["heaviest_pages"] = pages[:5]
    report["gallery_index"] = next((p for p in pages if p["page"] == GALLERY_INDEX), None)
    print("bench: Lighthouse ...", flush=True)
    wait_for_quiet("Lighthouse")
    try:
        report["lighthouse"] = lighthouse_tool.lighthouse(html)
    except (RuntimeError, subprocess.SubprocessError, OSError) as err:
        report["lighthouse"] = {"error": str(err)}
    if keep is None:
        shutil.rmtree(work, ignore_errors=True)
    else:
        report["kept"] = str(work)
    return report


def print_report(report: dict) -> None:
    b = report["budgets"]
    m = report["machine"]
    print()
    print(f"Measured {report['measured_at']} on {m['logical_cores']} cores, {m['cpu_model']}, "
          f"{m['memory_bytes'] / 2**30:.1f} GiB RAM; load average at start "
          f"{', '.join(map(str, m['load_average_at_start']))}")
    print("Versions: " + ", ".join(f"{k} {v}" for k, v in report["versions"].items()))
    print(f"Project: commit {report['project']['commit']}"
          + (" with uncommitted changes" if report["project"]["uncommitted_changes"] else ""))
    print()
    line = "{:<44} {:>12} {:>12}  {}"
    print(line.format("figure", "measured", "budget", ""))
    labels = {
        "clean_build": ("clean build", "clean_build_s"),
        "no_change_rebuild": ("rebuild, no change", "no_change_rebuild_s"),
        "one_edit_rebuild": ("rebuild, one example edited", "one_edit_rebuild_s"),
        "add_example_rebuild": ("rebuild, one example added", "add_example_rebuild_s"),
    }
    for step, build in report["builds"].items():
        label, key = labels[step]
        detail = f"{label} ({build['examples_run']} ran, {build['pages_written']} pages written)"
        print(line.format(detail[:44], f"{build['seconds']:.1f} s", f"<= {b[key]:.0f} s",
                          verdict(build["seconds"], b[key])))
        print(line.format("  its CPU time (all processes)", f"{build['cpu_seconds']:.1f} s", "", ""))
        if "load_average_at_start" in build:
            print(line.format("  load average when it started", f"{build['load_average_at_start']:.2f}",
                              "", ""))
    if "failed" in report:
        print("FAILED:", report["failed"])
        return
    print(line.format("peak memory of a build (RSS, process tree)",
                      f"{report['peak_rss_bytes'] / MB:.0f} MB", "-", ""))
    print(line.format("site size", f"{report['site_bytes'] / MB:.1f} MB", "-", ""))
    heaviest = report["heaviest_pages"][0]
    print(line.format(f"heaviest page: {heaviest['page']}"[:44], f"{heaviest['bytes'] / 1024:.0f} KB",
                      f"<= {b['page_bytes'] / 1024:.0f} KB", verdict(heaviest["bytes"], b["page_bytes"])))
    print(line.format("  its first screen", f"{heaviest['first_screen_bytes'] / 1024:.0f} KB", "", ""))
    if "bytes_at_2x" in heaviest:
        print(line.format("  on a 2x screen (2x figures)", f"{heaviest['bytes_at_2x'] / 1024:.0f} KB", "", ""))
    gallery = report.get("gallery_index")
    if gallery:
        print(line.format("gallery index: its images (thumbnails)", f"{gallery['image_bytes'] / 1024:.0f} KB",
                          f"<= {b['gallery_image_bytes'] / 1024:.0f} KB",
                          verdict(gallery["image_bytes"], b["gallery_image_bytes"])))
        print(line.format("gallery index: whole page", f"{gallery['bytes'] / 1024:.0f} KB",
                          f"<= {b['page_bytes'] / 1024:.0f} KB", verdict(gallery["bytes"], b["page_bytes"])))
        print(line.format("  its first screen", f"{gallery['first_screen_bytes'] / 1024:.0f} KB", "", ""))
    if report["pages_over_budget"]:
        print("  pages over budget:", ", ".join(report["pages_over_budget"]))
    print()
    for serial in report.get("serial_builds", []):
        print(f"serial clean build (each example alone): {serial['seconds']:.1f} s")
    print("example run times, sphinx-gallery's own measure: alone (the best of the serial")
    print("builds; what the budget is about)")
    print("and in the clean build (two at a time, sharing the 2 cores):")
    row_line = "{:<44} {:>9} {:>9} {:>9}  {}"
    print(row_line.format("", "alone", "in build", "budget", ""))
    imports = first_in_process(report, alone=True)
    imports_in_build = first_in_process(report)
    for row in report["examples"]:
        alone = row.get("alone_seconds")
        shown = "-" if alone is None else f"{alone:.2f} s"
        if row["example"] in imports:
            print(row_line.format(f"  {row['example']}"[:44], shown, f"{row['seconds']:.2f} s",
                                  "-", "first in its process: includes importing TensorFlow"))
        else:
            budget = example_budget(b, row["example"])
            judged = row["seconds"] if alone is None else alone
            note = "in the build: includes importing TensorFlow" if row["example"] in imports_in_build else ""
            print(row_line.format(f"  {row['example']}"[:44], shown, f"{row['seconds']:.2f} s",
                                  f"<= {budget:.0f} s", verdict(judged, budget) + ("  " + note if note else "")))
    print_lighthouse(report.get("lighthouse"))


def print_lighthouse(scores: dict | None) -> None:
    if not scores:
        return
    if "error" in scores:
        print(f"\nLighthouse did not run: {scores['error']}")
    else:
        lighthouse_tool.print_lighthouse(scores)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--venv", type=Path, default=Path(sys.prefix),
                        help="environment for the builds (default: this Python's)")
    parser.add_argument("--example", default="examples/seed/plot_lstm_input.py",
                        help="example whose comment is edited for the one-edit rebuild")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--only", choices=["lighthouse"],
                        help="only score the site built in _build/html with Lighthouse; "
                             "the other figures of --json are kept")
    args = parser.parse_args(argv)
    if args.only == "lighthouse":
        return lighthouse_tool.main(["--json", str(args.json)] if args.json else [])

    report = bench(args.venv.absolute(), args.example, args.keep)
    print_report(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        print(f"\nfigures written to {args.json}")
    return 1 if "failed" in report else 0


if __name__ == "__main__":
    sys.exit(main())
