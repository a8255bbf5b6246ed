"""Math is MathML made at build time (docs/_ext/mathml.py): no script, offline.

Every example page whose source has math (``:math:`` or ``.. math::``) shows
it as MathML, with no LaTeX left for a script to typeset, and no page loads
MathJax.
"""

from __future__ import annotations

import re

import pytest
from support import ROOT


# the pages whose sources have math (:math: or .. math::): each must show it
MATH_PAGES = [
    "auto_examples/seed/plot_lstm_weights.html",
    "auto_examples/cell/plot_numpy_lstm.html",
    "auto_examples/cell/plot_cell_stepping.html",
    "auto_examples/cell/plot_gates_over_time.html",
    "auto_examples/cell/plot_parameter_count.html",
    "auto_examples/beyond/plot_gru_simplernn.html",
    "auto_examples/beyond/plot_keras_vs_pytorch.html",
    "auto_examples/trained/plot_counting_unit.html",
    "auto_examples/trained/plot_long_memory.html",
    "auto_examples/trained/plot_trained_gates.html",
]


def _math_sources() -> list[str]:
    """Site paths of the example pages whose source has math."""
    found = []
    for source in sorted((ROOT / "examples").rglob("plot_*.py")):
        if re.search(r":math:`|\.\. math::", source.read_text(encoding="utf-8")):
            found.append(f"auto_examples/{source.parent.name}/{source.stem}.html")
    return found


def test_math_pages_are_listed():
    assert sorted(_math_sources()) == sorted(MATH_PAGES)


@pytest.mark.parametrize("rel", MATH_PAGES)
def test_math_is_mathml_made_at_build_time(site, rel):
    page = site / rel
    assert page.is_file(), f"no page {rel}"
    text = page.read_text(encoding="utf-8")
    assert "<math " in text, f"{rel}: no MathML"
    # latex2mathml left nothing unconverted (docs/_ext/mathml.py warns too)
    assert not re.search(r"<m[ion]>\\[A-Za-z]+</m[ion]>", text), f"{rel}: unconverted LaTeX"
    assert "\\(" not in text and "\\[" not in text, f"{rel}: LaTeX left for a script"


def test_no_page_loads_mathjax(site):
    offenders = [
        str(p.relative_to(site)) for p in site.rglob("*.html")
        if re.search(r"<script[^>]*mathjax|MathJax\.|tex-chtml|tex-mml", p.read_text(encoding="utf-8"), re.I)
    ]
    assert not offenders, offenders
