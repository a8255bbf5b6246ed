"""``.. bench-report:: _static/bench.json``: the figures of tools/bench.py as tables.

The JSON file is written by ``make bench BENCH_JSON=docs/_static/bench.json``
and committed; this directive only formats it (nothing is measured while the
site builds). The page is rebuilt when the file changes.
"""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from docutils.statemachine import StringList

MB = 1024 * 1024
NB = "\u00a0"  # no-break space: keep "1.3 s" and "<= 3 s" on one line
STEPS = {
    "clean_build": ("Clean build (every example runs)", "clean_build_s"),
    "no_change_rebuild": ("Rebuild with no change", "no_change_rebuild_s"),
    "one_edit_rebuild": ("Rebuild after editing a comment in one example", "one_edit_rebuild_s"),
    "add_example_rebuild": ("Rebuild after adding an example to the gallery",
                            "add_example_rebuild_s"),
}


def example_budget(budgets: dict, example: str) -> float:
    """The run-time budget of one example ("section/plot_x.py")."""
    section = example.split("/", 1)[0]
    return budgets.get("example_run_s_by_section", {}).get(section, budgets["example_run_s"])


def first_in_process(report: dict, alone: bool = False) -> set[str]:
    """Examples whose time includes importing TensorFlow (first in each process):
    of the clean build (one per gallery worker), or of the serial builds."""
    rows = report.get("examples", [])
    workers = 2 if report["builds"]["clean_build"].get("parallel") and not alone else 1
    return {row["example"] for row in rows[:workers]}


def _verdict(value, budget) -> str:
    return "PASS" if value <= budget else "**OVER**"


def _table(header: list[str], rows: list[list[str]], widths: str) -> list[str]:
    lines = [".. list-table::", "   :header-rows: 1", f"   :widths: {widths}", ""]
    for row in [header, *rows]:
        lines.append(f"   * - {row[0]}")
        lines.extend(f"     - {cell}" for cell in row[1:])
    return lines + [""]


def _load_note(data: dict) -> str:
    """What the load average at the start means (tools/bench.py's wait_for_quiet)."""
    quiet = data["quiet"]
    return (f"each timed build below, and Lighthouse, first waited up to "
            f"{quiet['max_wait_s'] / 60:.0f} minutes for it to fall below "
            f"{quiet['load_per_core']} per core; the table gives the load each build started at")


def report_rst(data: dict, json_link: str) -> list[str]:
    b = data["budgets"]
    m = data["machine"]
    project = data.get("project", {})
    commit = project.get("commit") or "unknown"
    if project.get("uncommitted_changes"):
        commit += " (with uncommitted changes)"
    lines = [
        f"Measured **{data['measured_at']}** by ``tools/bench.py`` on a machine with "
        f"{m['logical_cores']} logical cores ({m['cpu_model']}), "
        f"{m['memory_bytes'] / 2**30:.0f} GiB of memory, {m['system']}; "
        f"load average when the run started: {', '.join(map(str, m['load_average_at_start']))} "
        f"({_load_note(data)}). Project commit ``{commit}``. "
        f"Raw figures: `bench.json <{json_link}>`__.",
        "",
    ]
    rows = []
    for step, (label, key) in STEPS.items():
        build = data["builds"].get(step)
        if not build:
            continue
        n = build["examples_run"]
        ran = f"{n} example{'s' if n != 1 else ''} ran, {build['pages_written']} pages written"
        if "cpu_seconds" in build:
            ran += f", {build['cpu_seconds']:.1f} s of CPU time"
        if build.get("parallel"):
            ran += ", 2 worker processes"
        if "load_average_at_start" in build:
            ran += f", load average {build['load_average_at_start']:.2f} when it started"
        rows.append([label, f"{build['seconds']:.1f}{NB}s", f"≤{NB}{b[key]:.0f}{NB}s",
                     _verdict(build["seconds"], b[key]), ran])
    if "failed" not in data:
        heaviest = data["heaviest_pages"][0]
        note = f"``{heaviest['page']}``; {len(data['pages_over_budget'])} pages over budget"
        if "first_screen_bytes" in heaviest:
            note += f"; first screen {heaviest['first_screen_bytes'] / 1024:.0f}{NB}KB"
        if "bytes_at_2x" in heaviest:
            note += f"; {heaviest['bytes_at_2x'] / 1024:.0f}{NB}KB on a 2x screen"
        rows.append(["Heaviest page (first visit, compressed)", f"{heaviest['bytes'] / 1024:.0f}{NB}KB",
                     f"≤{NB}{b['page_bytes'] / 1024:.0f}{NB}KB", _verdict(heaviest["bytes"], b["page_bytes"]),
                     note])
        gallery = data.get("gallery_index")
        if gallery and "image_bytes" in gallery and "gallery_image_bytes" in b:
            rows.append(["Gallery index: its images", f"{gallery['image_bytes'] / 1024:.0f}{NB}KB",
                         f"≤{NB}{b['gallery_image_bytes'] / 1024:.0f}{NB}KB",
                         _verdict(gallery["image_bytes"], b["gallery_image_bytes"]),
                         "thumbnails, all counted (they load lazily)"])
        rows.append(["Whole site", f"{data['site_bytes'] / MB:.1f}{NB}MB", "", "", ""])
        rows.append(["Peak memory of a build", f"{data['peak_rss_bytes'] / MB:.0f}{NB}MB", "", "",
                     "resident memory of the build's whole process tree, sampled every 0.1 s"])
    lines += _table(["Figure", "Measured", "Budget", "", "Notes"], rows, "30 12 10 8 40")

    examples = data.get("examples", [])
    if examples:
        alone_measured = all(row.get("alone_seconds") is not None for row in examples)
        first = first_in_process(data, alone=alone_measured)
        first_in_build = first_in_process(data)
        lines += [
            "Time to run each example, as sphinx-gallery measured it: alone on the "
            "machine (serial clean builds, one example after the other in one "
            "process; the best of two runs; what the budget is about) and during "
            "the clean build above, "
            "where two examples run at a time and slow each other down. The first "
            "example run in a process also pays for importing TensorFlow (a few "
            "seconds), so the budget applies to the others.",
            "",
        ]
        rows = []
        for row in examples:
            alone = row.get("alone_seconds")
            shown = "-" if alone is None else f"{alone:.2f}{NB}s"
            cells = [f"``{row['example']}``", shown, f"{row['seconds']:.2f}{NB}s"]
            if row["example"] in first:
                rows.append(cells + ["", "", "includes importing TensorFlow"])
            else:
                budget = example_budget(b, row["example"])
                judged = row["seconds"] if alone is None else alone
                note = ("in the build: includes importing TensorFlow"
                        if row["example"] in first_in_build else "")
                rows.append(cells + [f"≤{NB}{budget:.0f}{NB}s", _verdict(judged, budget), note])
        lines += _table(["Example", "Alone", "In the build", "Budget", "", "Notes"], rows,
                        "38 10 10 10 8 24")

    lines += lighthouse_rst(data.get("lighthouse"))

    lines += ["Versions used for the measurement: "
              + ", ".join(f"{k} {v}" for k, v in data["versions"].items()) + ".", ""]
    return lines


LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse_rst(scores: dict | None) -> list[str]:
    """Each page's Lighthouse scores and paints (tools/lighthouse.py)."""
    if not scores:
        return []
    if "error" in scores:
        return [f"Lighthouse did not run: {scores['error']}", ""]
    t = scores["targets"]
    lines = [
        f"Lighthouse {scores['lighthouse_version']} (Node.js {scores['node']}), in its "
        f"{scores['mode']}: a phone's first visit, nothing cached. The pages were served "
        f"{scores['served']}, as a static host serves them. The goal (issue #20): each "
        f"page at least {t['performance']} for performance, the median page at least "
        f"{t['median_performance']}, and {t['accessibility']} for accessibility, best "
        f"practices and SEO. A benchmark, not a test: one run per page, on a machine "
        f"whose other work shows in the scores.",
        "",
    ]
    if "load_average_at_start" in scores:
        indexes = [r["benchmark_index"] for r in scores["pages"] if "benchmark_index" in r]
        lines += [
            f"Measured {scores['measured_at']}; load average when it started: "
            f"{', '.join(map(str, scores['load_average_at_start']))} on "
            f"{scores['logical_cores']} cores"
            + (f"; Lighthouse's benchmark index of the machine {min(indexes)}-{max(indexes)} "
               f"(an idle desktop: about 1000-2500). Every CPU task of the page counts four "
               f"times, so a busy machine lowers the performance scores (total blocking "
               f"time above all)." if indexes else "."),
            "",
        ]
    # two narrow tables rather than one wide one: each fits a phone
    scores_rows, paint_rows = [], []
    for row in scores["pages"]:
        # "seed/plot_x" for a page of a section; the gallery index keeps its
        # folder, so that it does not read as the landing page ("index")
        name = row["page"].removesuffix(".html")
        if name.count("/") > 1:
            name = name.removeprefix("auto_examples/")
        page = f"``{name}``"
        if "error" in row:
            scores_rows.append([page, "", "", "", ""])
            paint_rows.append([page, "", "", "did not run"])
            continue
        cells = []
        for category in LIGHTHOUSE_CATEGORIES:
            target = t["performance" if category == "performance" else category]
            score = str(row[category])
            cells.append(score if row[category] >= target else f"**{score}**")
        scores_rows.append([page, *cells])
        note = ", ".join(row.get("failed_audits", []))
        paint_rows.append([page, f"{row['fcp_s']:.1f}{NB}s", f"{row['lcp_s']:.1f}{NB}s", note])
    lines += ["Scores (performance, accessibility, best practices, SEO):", ""]
    lines += _table(["Page", "Perf.", "Access.", "Best pr.", "SEO"], scores_rows, "40 15 15 15 15")
    lines += ["First and largest contentful paint (FCP, LCP), and the audits that failed:", ""]
    lines += _table(["Page", "FCP", "LCP", "Failed audits"], paint_rows, "40 15 15 30")
    if scores.get("complete") is False:
        lines += ["This run was stopped before it had scored every page: the pages "
                  "missing from the table were not measured.", ""]
    if "median_performance" in scores:
        low = scores["min"]
        lines += [f"Median performance {scores['median_performance']:g}; lowest scores: "
                  + ", ".join(f"{name} {low[name]}" for name in LIGHTHOUSE_CATEGORIES)
                  + " (a score below its goal is in bold).", ""]
    return lines


class BenchReport(Directive):
    required_arguments = 1
    option_spec = {"class": directives.class_option}

    def run(self):
        env = self.state.document.settings.env
        rel, path = env.relfn2path(self.arguments[0])
        env.note_dependency(rel)
        env.note_dependency(__file__)  # an edit of these tables shows on the next build
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise self.error(f"bench-report: cannot read {self.arguments[0]}: {error}")
        # the file is also copied to the site (html_static_path): link to it
        link = self.arguments[0]
        container = nodes.container(classes=["bench-report"])
        self.state.nested_parse(StringList(report_rst(data, link), source=path), self.content_offset,
                                container)
        return [container]


def setup(app):
    app.add_directive("bench-report", BenchReport)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
