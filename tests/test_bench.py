"""The benchmark's tools: tools/bench.py, tools/lighthouse.py, tools/site_pages.py
and the tables of docs/_ext/bench_report.py.

What they measure is a benchmark (``make bench``), never a test; these tests
check the measuring: the pages Lighthouse scores, the gzip server it scores
them from, its summary against the issue's targets, and the report's tables.
"""

from __future__ import annotations

import gzip
import urllib.request
from pathlib import Path

import bench
import bench_report
import lighthouse
from support import expected_example_pages, site_pages


def test_lighthouse_scores_every_page_once_the_reading_order_first(site):
    pages = lighthouse.scored_pages(site)
    assert sorted(pages) == site_pages(site) == bench.site_pages(site)
    examples = expected_example_pages()
    assert pages[: 2 + len(examples)] == ["index.html", "auto_examples/index.html", *examples]


def test_the_page_lister_skips_the_sites_underscore_folders(tmp_path):
    for rel in ("index.html", "a/b.html", "_static/webpack-macros.html", "_images/x.html"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("<p>", encoding="utf-8")
    assert site_pages(tmp_path) == ["a/b.html", "index.html"]
    assert site_pages(tmp_path / "missing") == []


def test_the_lighthouse_server_sends_text_compressed(tmp_path):
    page = "<p>" + "an LSTM " * 500 + "</p>"
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "f.png").write_bytes(b"\x89PNG" + bytes(300))
    server, url = lighthouse.serve(tmp_path)
    try:
        request = urllib.request.Request(url + "index.html", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            body = response.read()
        assert gzip.decompress(body).decode("utf-8") == page
        assert len(body) == bench.sent_bytes(tmp_path / "index.html")
        request = urllib.request.Request(url + "f.png", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] is None
            assert len(response.read()) == 304
    finally:
        server.shutdown()
        server.server_close()


def _row(page: str, performance: int, seo: int = 100) -> dict:
    return {"page": page, "performance": performance, "accessibility": 100,
            "best-practices": 100, "seo": seo, "fcp_s": 1.5, "lcp_s": 2.0, "tbt_ms": 10}


def test_the_lighthouse_summary_judges_against_the_targets(capsys):
    met = lighthouse._report([_row("a.html", 99), _row("b.html", 93), _row("c.html", 96)],
                             "v20", [0.1, 0.1, 0.1], True)
    assert met["median_performance"] == 96 and met["min"]["performance"] == 93
    lighthouse.print_lighthouse(met)
    assert "(every target met)" in capsys.readouterr().out
    # each page at least 90 is not enough: the median page must reach 95
    low_median = lighthouse._report([_row("a.html", 91), _row("b.html", 92), _row("c.html", 99)],
                                    "v20", [0.1, 0.1, 0.1], True)
    lighthouse.print_lighthouse(low_median)
    assert "below target" in capsys.readouterr().out
    low_seo = lighthouse._report([_row("a.html", 99, seo=92)], "v20", [0.1, 0.1, 0.1], True)
    lighthouse.print_lighthouse(low_seo)
    assert "below target" in capsys.readouterr().out


def test_the_report_bolds_a_score_below_its_goal():
    scores = lighthouse._report([_row("auto_examples/seed/plot_x.html", 88), _row("index.html", 99),
                                 _row("auto_examples/index.html", 99)],
                                "v20", [0.5, 0.5, 0.5], True)
    text = "\n".join(bench_report.lighthouse_rst(scores))
    assert "``seed/plot_x``" in text and "``index``" in text and "``auto_examples/index``" in text
    assert "**88**" in text and "**99**" not in text
    assert "Median performance 99" in text


def test_the_committed_benchmark_scored_every_page():
    """docs/_static/bench.json, shown on "How this site is built", is a whole run."""
    import json

    data = json.loads((Path(bench_report.__file__).parents[1] / "_static" / "bench.json").read_text())
    scored = data["lighthouse"]
    assert scored["complete"] is True
    assert not [row for row in scored["pages"] if "error" in row]
    pages = {row["page"] for row in scored["pages"]}
    assert {"index.html", "auto_examples/index.html", *expected_example_pages()} <= pages


def test_a_timed_build_waits_for_a_quiet_machine(monkeypatch, capsys):
    """wait_for_quiet: a build started right after other work would share the cores."""
    limit = bench.QUIET_LOAD_PER_CORE * 2
    loads = iter([3 * limit, 2 * limit, limit / 2, limit / 4])
    clock = iter(range(0, 10_000, 5))
    monkeypatch.setattr(bench.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(bench.os, "getloadavg", lambda: (next(loads), 0.0, 0.0))
    monkeypatch.setattr(bench.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(bench.time, "sleep", lambda seconds: None)
    assert bench.wait_for_quiet("clean build") == round(limit / 2, 2)  # stops at the first quiet reading
    assert "waiting for a quiet machine before clean build" in capsys.readouterr().out
    # a machine that never quietens: at most QUIET_WAIT_S, then the build runs anyway
    monkeypatch.setattr(bench.os, "getloadavg", lambda: (9.0, 0.0, 0.0))
    clock = iter(range(0, 10_000, 5))
    monkeypatch.setattr(bench.time, "monotonic", lambda: next(clock))
    assert bench.wait_for_quiet("Lighthouse") == 9.0
    assert next(clock) <= bench.QUIET_WAIT_S + 10


def test_the_report_says_how_quiet_each_build_started():
    build = {"seconds": 47.4, "cpu_seconds": 75.5, "examples_run": 36, "pages_written": 47,
             "parallel": True, "load_average_at_start": 0.42}
    data = {"measured_at": "2026-12-02 10:00 UTC", "budgets": bench.BUDGETS,
            "machine": {"logical_cores": 2, "cpu_model": "x", "memory_bytes": 2**34, "system": "Linux",
                        "load_average_at_start": [0.42, 0.9, 1.1]},
            "quiet": {"load_per_core": bench.QUIET_LOAD_PER_CORE, "max_wait_s": bench.QUIET_WAIT_S},
            "builds": {"clean_build": build}, "failed": "only the clean build here",
            "versions": {"sphinx": "9.0.4"}}
    text = " ".join(bench_report.report_rst(data, "bench.json"))
    assert "load average 0.42 when it started" in text
    assert f"first waited up to 5 minutes for it to fall below {bench.QUIET_LOAD_PER_CORE} per core" in text
