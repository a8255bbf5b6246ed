"""Math as MathML, made at build time: no math script on any page.

Browsers show MathML natively (Chromium since 109, Firefox, Safari), screen
readers read it, and it needs no network and no JavaScript, where MathJax adds
300-600 KB of script to each page with math. Sphinx has renderers for MathJax,
KaTeX and images but none for MathML, and no maintained extension on PyPI
converts LaTeX to MathML (checked 2026), so this small one does, with the
pure-Python ``latex2mathml`` (pinned in requirements.txt).

LaTeX as Sphinx passes it on:

* ``:math:`...``` becomes ``<span class="math"><math display="inline">``;
* ``.. math::`` becomes ``<div class="math"><math display="block">``. Several
  lines (``\\``) or equations separated by blank lines are set in
  ``align*`` (latex2mathml 3.81 mishandles ``aligned`` and sets ``&`` as a
  letter); ``:nowrap:`` content is converted as written.

A formula latex2mathml cannot convert (an unknown command comes out as its
name, ``<mi>\\foo</mi>``) is a warning, which ``-W`` turns into a failed build.
``mathml_static/mathml.css`` lets wide display math scroll inside its box.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from latex2mathml.converter import convert
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)

# an unconverted command, or "&" set as an identifier
_NOT_CONVERTED = re.compile(r"<m(?:i|o|n|text)>(\\[A-Za-z]+|&amp;|&)</m(?:i|o|n|text)>")
_HAS_ENVIRONMENT = re.compile(r"\\begin\{")


def latex_to_mathml(latex: str, display: bool, nowrap: bool = False) -> str:
    """MathML for one formula; ``display``: a block equation (``.. math::``)."""
    text = latex.strip()
    if display and not nowrap and not _HAS_ENVIRONMENT.search(text):
        parts = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
        text = r" \\ ".join(parts)
        if r"\\" in text or "&" in text:
            text = r"\begin{align*}" + text + r"\end{align*}"
    else:
        text = text.replace(r"\begin{aligned}", r"\begin{align*}").replace(
            r"\end{aligned}", r"\end{align*}"
        )
    return convert(text, display="block" if display else "inline")


def _checked(self, node, latex: str, mathml: str) -> str:
    bad = _NOT_CONVERTED.findall(mathml)
    if bad:
        logger.warning(
            "mathml: latex2mathml did not convert %s in %r", ", ".join(sorted(set(bad))), latex,
            location=node, type="mathml",
        )
    # the alt text screen readers and copy/paste fall back to
    return mathml.replace("<math ", f'<math alttext="{html.escape(latex.strip())}" ', 1)


def visit_math(self, node: nodes.math) -> None:
    latex = node.astext()
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate"))
    self.body.append(_checked(self, node, latex, latex_to_mathml(latex, display=False)))
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_displaymath(self, node: nodes.math_block) -> None:
    latex = node.astext()
    nowrap = node.get("no-wrap", node.get("nowrap", False))
    self.body.append(self.starttag(node, "div", CLASS="math notranslate"))
    if node["number"]:
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    mathml = latex_to_mathml(latex, display=True, nowrap=nowrap)
    self.body.append(_checked(self, node, latex, mathml))
    self.body.append("</div>\n")
    raise nodes.SkipNode


STATIC = Path(__file__).resolve().parent / "mathml_static"


def _add_static(app) -> None:
    if app.builder.format == "html":
        app.config.html_static_path.append(str(STATIC))
        app.add_css_file("mathml.css")


def setup(app):
    app.connect("builder-inited", _add_static)
    # Sphinx picks the one renderer registered besides its default (MathJax)
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
