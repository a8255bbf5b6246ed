"""Code links into the Keras, NumPy, matplotlib and Python docs; related pages.

The inventories are made offline from docs/_inventories/*.txt by
docs/_ext/api_inventories.py (and listed by docs/_ext/api_pages.py). These tests check, on the built site:

* every Keras name an example's code uses has a row in the Keras table (a new
  example that uses a new Keras name fails here until the row is added);
* the table's rows are importable names and real reference URLs;
* each example page links its code to keras.io, lists the API it uses, and ends with related pages.
"""

from __future__ import annotations

import json
import re
from functools import cache
from urllib.parse import urlsplit

import pytest
from support import ROOT, page_for

import api_inventories
import api_pages

KERAS_HOSTS = {"keras.io", "www.tensorflow.org"}
HOSTS = {
    "keras": KERAS_HOSTS,
    "numpy": {"numpy.org"},
    "matplotlib": {"matplotlib.org"},
}


@cache
def manifest() -> dict:
    return api_inventories.write_inventories(ROOT / "_build" / "doctrees" / "api_inventories")


def codeobj(example) -> dict:
    path = ROOT / "docs" / "auto_examples" / example.parent.name / f"{example.stem}.codeobj.json"
    assert path.exists(), f"{path} missing: sphinx-gallery did not record the names of {example.name}"
    return json.loads(path.read_text())


def keras_names(objects: dict) -> dict[str, list]:
    """The names in an example whose object comes from Keras.

    Not module metadata such as ``keras.__version__`` (no reference page), nor
    names this Keras does not have (the Keras 2 names the migration page shows
    failing): only what a reference page can exist for.
    """
    return {
        name: candidates
        for name, candidates in objects.items()
        if candidates[0]["module"].split(".")[0] == "keras"
        and not re.fullmatch(r"__\w+__", candidates[0]["name"])
        and _exists(f"{candidates[0]['module']}.{candidates[0]['name']}")
    }


def _exists(name: str) -> bool:
    try:
        api_inventories.resolve(name)
    except (ImportError, AttributeError):
        return False
    return True


@pytest.mark.parametrize("library", api_inventories.LIBRARIES)
def test_table_rows_are_real_names_and_urls(library):
    rows = api_inventories.read_table(library)
    assert rows, f"{library}.txt is empty"
    names = [name for name, _ in rows]
    assert len(names) == len(set(names)), f"{library}.txt names a row twice"
    for name, url in rows:
        api_inventories.resolve(name.removesuffix(".*"))  # raises if not importable
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.netloc in HOSTS[library], (
            f"{library}.txt: {name} -> {url}: not a page of {sorted(HOSTS[library])}"
        )


def test_every_keras_name_in_the_examples_has_a_row(example, site):
    public = manifest()["public"]
    missing = sorted(
        f"{name} ({candidates[0]['module']}.{candidates[0]['name']})"
        for name, candidates in keras_names(codeobj(example)).items()
        if not api_pages.used_names({name: candidates}, public)
    )
    assert not missing, (
        f"{example.name} uses Keras names with no row in docs/_inventories/keras.txt: "
        + ", ".join(missing)
    )


def test_a_name_without_a_row_is_reported():
    """The check above can fail: an unknown Keras object resolves to nothing."""
    fake = {
        "layer": [
            {"module": "keras.src.layers.rnn.made_up", "module_short": "keras.src",
             "name": "NotALayer", "is_class": False, "is_explicit": False},
        ]
    }
    assert api_pages.used_names(fake, manifest()["public"]) == {}
    real = {"keras.layers.LSTM": [
        {"module": "keras.src.layers.rnn.lstm", "module_short": "keras.src.layers.rnn.lstm",
         "name": "LSTM", "is_class": True, "is_explicit": False},
    ]}
    assert api_pages.used_names(real, manifest()["public"]) == {"keras": {"keras.layers.LSTM"}}


def test_lstm_links_to_its_keras_page(site):
    entries = api_inventories.build_entries("keras")
    lstm = "https://keras.io/api/layers/recurrent_layers/lstm/"
    assert entries["keras.layers.LSTM"]["url"] == lstm
    assert entries["keras.src.layers.rnn.lstm.LSTM"]["url"] == lstm
    # a specific row wins over a class's "*" row, also through inheritance
    fit = entries["keras.src.models.functional.Functional.fit"]
    assert fit["url"].endswith("#fit-method") and fit["public"] == "keras.Model.fit"


_CODE_BLOCK = re.compile(r'<div class="highlight-Python notranslate">(.*?)</pre>', re.S)
_HREF = re.compile(r'href="(https://[^"]+)"')


def test_example_code_links_to_the_reference(example, site):
    text = page_for(example).read_text(encoding="utf-8")
    code = "".join(_CODE_BLOCK.findall(text))
    hosts = {urlsplit(url).netloc for url in _HREF.findall(code)}
    assert hosts & KERAS_HOSTS, f"{example.name}: no Keras name in the code links to its page"
    assert "numpy.org" in hosts, f"{example.name}: no NumPy name in the code links to its page"


def test_example_lists_the_api_it_uses(example, site):
    text = page_for(example).read_text(encoding="utf-8")
    assert 'id="api-used-on-this-page"' in text, f"{example.name}: no 'API used on this page'"
    section = text.split('id="api-used-on-this-page"', 1)[1].split("</section>", 1)[0]
    assert re.search(r'href="https://keras\.io/api/', section), (
        f"{example.name}: 'API used on this page' has no keras.io link"
    )


def test_example_ends_with_related_pages(example, site):
    text = page_for(example).read_text(encoding="utf-8")
    assert "Related pages" in text, f"{example.name}: no related pages at the end"
    tail = text.split("Related pages", 1)[1]
    related = set(re.findall(r'href="(?:\.\./)?(?:[a-z]+/)?(plot_[a-z0-9_]+)\.html"', tail))
    related.discard(example.stem)
    assert len(related) >= 2, f"{example.name}: fewer than 2 related pages: {related}"


def test_api_index_lists_every_keras_name_with_its_pages(site):
    text = (site / "api_index.html").read_text(encoding="utf-8")
    for name in ("keras.layers.LSTM", "keras.Model", "keras.layers.Bidirectional"):
        assert f">{name}<" in text, f"api_index.html does not list {name}"
    assert 'href="https://keras.io/api/layers/recurrent_layers/lstm/"' in text
    assert text.count("auto_examples/") >= 20
