"""Keep the built site self-contained: no page loads anything from another host.

sphinx-gallery's computation-time pages (``sg_execution_times``) embed jQuery,
DataTables and Bootstrap from CDNs to make their table sortable. This drops
that ``raw:: html`` block when Sphinx reads those pages; the table itself stays
(not sortable). ``tests/test_offline.py`` checks every built page.
(MathJax comes from the site itself too: the ``sphinx-mathjax-offline``
extension in conf.py.)
"""

from __future__ import annotations

import re

# from ".. raw:: html" up to the list-table that follows it
_CDN_BLOCK = re.compile(r"^(\s*)\.\. raw:: html\n.*?(?=^\s*\.\. list-table::)", re.M | re.S)


def _strip_cdn_assets(app, docname: str, source: list[str]) -> None:
    if docname.rsplit("/", 1)[-1] != "sg_execution_times":
        return
    text = source[0]
    if "https://" in text:
        source[0] = _CDN_BLOCK.sub("", text)


def setup(app):
    app.connect("source-read", _strip_cdn_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
