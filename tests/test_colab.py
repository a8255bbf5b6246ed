"""Every example page opens its notebook in Colab, for the version built.

docs/_templates/colab-link.html puts the link at the top and at the end of the
article; the notebooks are published on the ``COLAB_BRANCH`` of ``GITHUB_REPO``
(conf.py), one folder per version, by .github/workflows.
"""

from __future__ import annotations

import re

from support import ROOT, page_for


def test_example_opens_in_colab_for_this_version(example, site):
    text = page_for(example).read_text(encoding="utf-8")
    version = re.search(r'<meta name="docsearch:version" content="([^"]+)"', text)
    assert version, f"{example.name}: no version in the page"
    conf = (ROOT / "conf.py").read_text()
    repo = re.search(r'^GITHUB_REPO = "([^"]+)"', conf, re.M)[1]
    branch = re.search(r'^COLAB_BRANCH = "([^"]+)"', conf, re.M)[1]
    expected = (
        f"https://colab.research.google.com/github/{repo}/blob/"
        f"{branch}/{version[1]}/{example.stem}.ipynb"
    )
    assert text.count(f'href="{expected}"') == 2, (
        f"{example.name}: expected the Colab link {expected} at the top and at the end"
    )
