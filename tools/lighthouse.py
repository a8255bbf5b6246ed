"""Lighthouse scores of the built site, as a phone's first visit sees it.

``make lighthouse`` (or ``.venv/bin/python tools/lighthouse.py``) scores the
site already built in ``_build/html``; ``make bench`` runs the same on the
build it times. Pages: every page of the site, the landing page, the
gallery index and the example pages first. Each runs once in Lighthouse's
default mode, which is mobile: a Moto G-sized screen, a simulated slow 4G
network and a 4x slower CPU.

The site is served by a small server on 127.0.0.1 that sends text files
gzip-compressed (level 6), as a static host does; nothing else is reached.

Lighthouse is a Node program: pinned to LIGHTHOUSE_VERSION, installed with
npm on first use into a cache folder (``$LSTM_LIGHTHOUSE_DIR``, default
``~/.cache/lstm-io/lighthouse-<version>``), and driven with the system's
Chromium (``$CHROME_PATH``, default ``/usr/bin/chromium``). Only this
benchmark needs Node; building the site and its tests do not.

The scores are a benchmark, not a test: the exit status is 0 whatever they
are, and 1 only when Lighthouse could not run at all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
import lstm_gallery  # noqa: E402  (the reading order)
from site_pages import site_pages  # noqa: E402  (the one page lister)

LIGHTHOUSE_VERSION = "12.2.3"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# what issue #20 asks of every page (performance: each page, and the median)
TARGETS = {"performance": 90, "median_performance": 95,
           "accessibility": 100, "best-practices": 100, "seo": 100}
GZIP_SUFFIXES = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".txt", ".xml", ".map", ".ico"}


def lighthouse_dir() -> Path:
    default = Path.home() / ".cache" / "lstm-io" / f"lighthouse-{LIGHTHOUSE_VERSION}"
    return Path(os.environ.get("LSTM_LIGHTHOUSE_DIR", default))


def lighthouse_cli() -> Path:
    """The pinned Lighthouse's CLI script, installed with npm when missing."""
    folder = lighthouse_dir()
    cli = folder / "node_modules" / "lighthouse" / "cli" / "index.js"
    if cli.is_file():
        return cli
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            "Lighthouse needs Node.js 18.20 or newer with npm (https://nodejs.org, or "
            "'sudo apt-get install nodejs npm'); building the site does not.")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"lighthouse: installing lighthouse@{LIGHTHOUSE_VERSION} into {folder} ...", flush=True)
    subprocess.run([npm, "install", "--no-audit", "--no-fund", "--silent", "-E",
                    f"lighthouse@{LIGHTHOUSE_VERSION}"], cwd=folder, check=True)
    return cli


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; text ones gzip-compressed when the client accepts it."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (not path.is_file() or path.suffix.lower() not in GZIP_SUFFIXES
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return _Body(body)

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def serve(html: Path):
    """A started gzip server of ``html`` on 127.0.0.1; returns (server, base URL)."""
    handler = functools.partial(GzipHandler, directory=str(html))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def scored_pages(html: Path) -> list[str]:
    """Every page of the site: the landing page, the gallery index, the
    example pages in reading order (``examples/gallery.toml``), then the
    others (section indexes, the explorer, the error lookup, the API index,
    search, 404, ...) by name."""
    listed = [f"auto_examples/{section}/{Path(name).stem}.html"
              for section, names in lstm_gallery.READING_ORDER.items() for name in names]
    pages = set(site_pages(html))
    first = [page for page in ["index.html", "auto_examples/index.html", *listed] if page in pages]
    return first + sorted(pages - set(first))


def run_one(cli: Path, url: str, out: Path) -> dict:
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    command = [
        "node", str(cli), url, "--quiet", "--output=json", f"--output-path={out}",
        "--only-categories=" + ",".join(CATEGORIES),
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    subprocess.run(command, check=True, timeout=300,
                   env={**os.environ, "CHROME_PATH": chrome},
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    result = json.loads(out.read_text(encoding="utf-8"))
    audits = result["audits"]
    row = {name: round(100 * result["categories"][name]["score"]) for name in CATEGORIES}
    row["fcp_s"] = round(audits["first-contentful-paint"]["numericValue"] / 1000, 2)
    row["lcp_s"] = round(audits["largest-contentful-paint"]["numericValue"] / 1000, 2)
    row["tbt_ms"] = round(audits["total-blocking-time"]["numericValue"])
    row["cls"] = round(audits["cumulative-layout-shift"]["numericValue"], 3)
    # Lighthouse's own measure of this machine's speed while it ran (a
    # desktop scores about 1000-2500; a busy machine less, and its
    # simulated phone is slower still: every CPU task counts 4x)
    row["benchmark_index"] = round(result["environment"]["benchmarkIndex"])
    failed = [
        audit_id for name in CATEGORIES[1:]
        for ref in result["categories"][name]["auditRefs"]
        if ref["weight"] and (audit_id := ref["id"]) in audits
        and audits[audit_id]["score"] is not None and audits[audit_id]["score"] < 1
    ]
    if failed:
        row["failed_audits"] = sorted(set(failed))
    return row


def lighthouse(html: Path, pages: list[str] | None = None, keep: Path | None = None,
               progress=None) -> dict:
    """Score each page; returns the bench JSON's "lighthouse" entry.

    ``progress``: called with the report so far after each page.
    """
    cli = lighthouse_cli()
    pages = pages or scored_pages(html)
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    work = Path(tempfile.mkdtemp(prefix="lstm-lighthouse-")) if keep is None else keep
    work.mkdir(parents=True, exist_ok=True)
    httpd, base_url = serve(html)
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    rows = []
    try:
        for i, page in enumerate(pages, 1):
            print(f"lighthouse: {i}/{len(pages)} {page}", flush=True)
            out = work / (page.replace("/", "_").removesuffix(".html") + ".json")
            try:
                row = run_one(cli, base_url + page, out)
            except (subprocess.SubprocessError, OSError, KeyError, TypeError, ValueError) as err:
                stderr = getattr(err, "stderr", b"") or b""
                row = {"error": (str(err) + " " + stderr.decode(errors="replace")[-500:]).strip()}
            rows.append({"page": page, **row})
            if progress is not None:
                progress(_report(rows, node, load_at_start, complete=i == len(pages)))
    finally:
        httpd.shutdown()
        httpd.server_close()
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return _report(rows, node, load_at_start, complete=True)


def _report(rows: list[dict], node: str, load_at_start: list, complete: bool) -> dict:
    scored = [r for r in rows if "error" not in r]
    summary = {}
    if scored:
        summary = {
            "median_performance": statistics.median(r["performance"] for r in scored),
            "min": {name: min(r[name] for r in scored) for name in CATEGORIES},
        }
    return {
        "lighthouse_version": LIGHTHOUSE_VERSION,
        "node": node,
        "mode": "mobile (Lighthouse defaults: simulated slow 4G, 4x CPU slowdown)",
        "served": "gzip level 6, from 127.0.0.1",
        "measured_at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average_at_start": load_at_start,
        "logical_cores": os.cpu_count(),
        "targets": TARGETS,
        "complete": complete,
        "pages": list(rows),
        **summary,
    }


def print_lighthouse(report: dict) -> None:
    line = "{:<46} {:>5} {:>5} {:>5} {:>5} {:>7} {:>7} {:>7} {:>6}"
    print()
    print(f"Lighthouse {report['lighthouse_version']}, {report['mode']}, served {report['served']}")
    print(f"load average at start {report['load_average_at_start']} on {report['logical_cores']} cores")
    print(line.format("page", "perf", "a11y", "bp", "seo", "FCP", "LCP", "TBT", "bench"))
    for row in report["pages"]:
        if "error" in row:
            print(f"{row['page']:<46} ERROR {row['error'][:200]}")
            continue
        print(line.format(row["page"][:46], *(row[c] for c in CATEGORIES),
                          f"{row['fcp_s']:.1f} s", f"{row['lcp_s']:.1f} s",
                          f"{row['tbt_ms']} ms", row.get("benchmark_index", "")))
        if row.get("failed_audits"):
            print("    failed: " + ", ".join(row["failed_audits"]))
    if "median_performance" in report:
        t = report["targets"]
        lows = report["min"]
        ok = (lows["performance"] >= t["performance"]
              and report["median_performance"] >= t["median_performance"]
              and all(lows[c] >= t[c] for c in CATEGORIES[1:]))
        print(f"median performance {report['median_performance']:g}; lowest: "
              + ", ".join(f"{c} {lows[c]}" for c in CATEGORIES)
              + ("  (every target met)" if ok else "  (below target: see issue #20)"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html",
                        help="the built site (default: _build/html)")
    parser.add_argument("--json", type=Path,
                        help="merge the scores into this bench JSON file (its 'lighthouse' entry)")
    parser.add_argument("--keep", type=Path, help="keep Lighthouse's own reports in this folder")
    parser.add_argument("pages", nargs="*", help="pages to score, relative to the site "
                        "(default: landing page, gallery index, every example)")
    args = parser.parse_args(argv)
    if not (args.html / "index.html").is_file():
        print(f"lighthouse: no built site in {args.html} (run 'make html' first)", file=sys.stderr)
        return 1
    def save(report):  # after every page: a long run stopped early keeps its scores
        data = {}
        if args.json.is_file():
            data = json.loads(args.json.read_text(encoding="utf-8"))
        data["lighthouse"] = report
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")

    try:
        report = lighthouse(args.html, args.pages, args.keep,
                            progress=save if args.json else None)
    except (RuntimeError, subprocess.SubprocessError, OSError) as err:
        print(f"lighthouse: {err}", file=sys.stderr)
        return 1
    print_lighthouse(report)
    if args.json:
        print(f"\nscores written to {args.json}")
    return 0 if any("error" not in r for r in report["pages"]) else 1


if __name__ == "__main__":
    sys.exit(main())
