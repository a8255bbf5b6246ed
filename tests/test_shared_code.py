"""Code the examples share is copied, not imported, and the copies stay the same.

Each download must run alone, so a helper two pages need is written into both.
A copy that drifts (a fix made in one page only) is caught here:

* the hidden start-up block (the first ``sphinx_gallery_start_ignore`` block,
  which sets TensorFlow's environment) is the same in every example;
* a top-level function or class defined under the same name in several
  examples has the same source in each (one name, one thing: a different
  helper gets another name).
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict

from support import example_paths

START_UP = re.compile(
    r"^# sphinx_gallery_start_ignore\n(.*?)^# sphinx_gallery_end_ignore\n", re.S | re.M
)


def test_every_example_has_the_same_start_up_block():
    blocks = defaultdict(list)
    for path in example_paths():
        match = START_UP.search(path.read_text(encoding="utf-8"))
        assert match, f"{path.name} has no hidden start-up block"
        blocks[match.group(1)].append(path.name)
    assert len(blocks) == 1, "the start-up blocks differ:\n" + "\n---\n".join(
        f"{names}:\n{block}" for block, names in blocks.items()
    )
    (block,) = blocks
    for setting in ("TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS", "KERAS_BACKEND"):
        assert setting in block


def test_helpers_with_one_name_have_one_source():
    sources = defaultdict(lambda: defaultdict(list))
    for path in example_paths():
        text = path.read_text(encoding="utf-8")
        for node in ast.parse(text).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                sources[node.name][ast.get_source_segment(text, node)].append(path.name)
    drifted = {name: copies for name, copies in sources.items() if len(copies) > 1}
    assert not drifted, "helpers whose copies differ (make them identical or rename one):\n" + "\n".join(
        f"{name}: " + " / ".join(str(files) for files in copies.values())
        for name, copies in drifted.items()
    )
