"""Data for the shape explorer and the error lookup, made from real Keras.

Two small script files are written into the built site's ``_static/``:

``shape_explorer_data.js``
    The start of each error message Keras raises for a model the shape
    explorer (``docs/shape_explorer.rst``, ``docs/_static/shape_explorer.js``)
    can be asked to build and Keras refuses: a recurrent layer after one that
    returns 2-D, a layer after ``Bidirectional(merge_mode=None)``,
    ``TimeDistributed`` on 2-D, ``units`` that are not positive, a negative
    input shape, too few rows for ``timeseries_dataset_from_array``. Each one
    is raised once by a real Keras call (``write_refusals``, run in the
    build's one Keras process, docs/_ext/keras_jobs.py) with sentinel values, which
    are then replaced by ``{placeholders}`` the page fills in. The part of a
    message that changes from one run to the next (the ``keras_tensor_12``
    names in "Inputs received: [...]") is cut off, so the template is the
    *start* of the message. The result is cached in the doctree folder, keyed
    on the Keras and TensorFlow versions and this file, so only a build with a
    new library (or a clean build) runs Keras; it runs at the lowest CPU
    priority while sphinx-gallery runs the examples.

``lstm_errors_data.js``
    Every error or warning message the example pages print in their captured
    output (``ValueError: ...``, ``UserWarning (captured): ...``), with the
    title and URL of the page section it appears in: the index that
    ``docs/_static/error_lookup.js`` searches. The messages are collected from
    each page's doctree as it is read (only pages that changed are read
    again), so the index follows whatever the pages print.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from importlib import metadata
from pathlib import Path

import keras_jobs

HERE = Path(__file__).resolve().parent
CACHE_NAME = "shape_explorer_refusals.json"
EXPLORER_DATA = "shape_explorer_data.js"
ERRORS_DATA = "lstm_errors_data.js"
COMMON_ERRORS = "auto_examples/beyond/plot_common_errors"

# -- the refusals, made with Keras (run as a script) ----------------------------

# Sentinel values: unlikely to appear anywhere else in a message.
S_UNITS = 37
S_BAD_UNITS = -7
S_NAME = "zq_sentinel"
S_TIMESTEPS = 9
S_FEATURES = -13
S_ROWS = 1


def _cases():
    """(key, function that raises, {text in the message: placeholder})."""
    import keras
    import numpy as np

    L = keras.layers
    rnn_types = ("LSTM", "GRU", "SimpleRNN")

    def two_d():
        return L.LSTM(S_UNITS)(keras.Input(shape=(S_TIMESTEPS, 3)))

    # as the explorer's code passes them on: a list [x_fw, x_bw]
    def two_tensors():
        inputs = keras.Input(shape=(S_TIMESTEPS, 3))
        x_fw, x_bw = L.Bidirectional(L.LSTM(S_UNITS), merge_mode=None)(inputs)
        return [x_fw, x_bw]

    def two_sequences():
        inputs = keras.Input(shape=(S_TIMESTEPS, 3))
        layer = L.LSTM(S_UNITS, return_sequences=True)
        x_fw, x_bw = L.Bidirectional(layer, merge_mode=None)(inputs)
        return [x_fw, x_bw]

    def recurrent(kind, bidirectional=False, name=S_NAME):
        def make():
            if bidirectional:
                return L.Bidirectional(getattr(L, kind)(4), name=name)
            return getattr(L, kind)(4, name=name)

        return make

    cases = []
    for kind in rnn_types:
        cases.append(
            (f"units:{kind}", lambda kind=kind: getattr(L, kind)(S_BAD_UNITS),
             {str(S_BAD_UNITS): "{units}"})
        )
    cases.append(("units:Dense", lambda: L.Dense(S_BAD_UNITS), {str(S_BAD_UNITS): "{units}"}))
    shape_2d = f"(None, {S_UNITS})"
    pair_2d = f"[{shape_2d}, {shape_2d}]"
    pair_3d = f"[(None, {S_TIMESTEPS}, {S_UNITS}), (None, {S_TIMESTEPS}, {S_UNITS})]"
    for kind in (*rnn_types, "Bidirectional"):
        inner = "LSTM" if kind == "Bidirectional" else kind
        make = recurrent(inner, bidirectional=kind == "Bidirectional")
        cases.append(
            (f"ndim:{kind}", lambda make=make: make()(two_d()),
             {S_NAME: "{name}", shape_2d: "{shape}"})
        )
        cases.append(
            (f"two_inputs:{kind}", lambda make=make: make()(two_sequences()),
             {S_NAME: "{name}"})
        )
    cases.append(
        ("two_inputs:Dense", lambda: L.Dense(4, name=S_NAME)(two_tensors()), {S_NAME: "{name}"})
    )
    td = lambda: L.TimeDistributed(L.Dense(4), name=S_NAME)  # noqa: E731
    cases.append(("td_rank:2d", lambda: td()(two_d()), {shape_2d: "{shape}"}))
    cases.append(("td_rank:pair2d", lambda: td()(two_tensors()), {pair_2d: "{shape}"}))
    cases.append(("td_rank:pair3d", lambda: td()(two_sequences()), {pair_3d: "{shape}"}))
    bad_shape = f"({S_TIMESTEPS}, {S_FEATURES})"
    cases.append(
        ("input_shape", lambda: keras.Input(shape=(S_TIMESTEPS, S_FEATURES)),
         {bad_shape: "{shape}"})
    )

    def short_data():
        data = np.zeros((S_ROWS, 3), "float32")
        return keras.utils.timeseries_dataset_from_array(
            data, None, sequence_length=5, batch_size=4
        )

    cases.append(("windows:short", short_data, {f"length {S_ROWS}": "length {rows}"}))
    return cases


def _message(make) -> tuple[str, str]:
    try:
        make()
    except Exception as err:  # noqa: BLE001 - any refusal is recorded
        return type(err).__name__, str(err)
    raise AssertionError("Keras accepted a case that the explorer says it refuses")


def _stable_start(first: str, second: str) -> str:
    """The part two runs of the same call agree on, cut at a sentence end."""
    if first == second:
        return first
    n = 0
    while n < min(len(first), len(second)) and first[n] == second[n]:
        n += 1
    start = first[:n]
    cut = max(start.rfind(". "), start.rfind(".\n"))
    if cut > 0:
        start = start[: cut + 1]
    return start.rstrip()


def make_refusals() -> dict:
    """Every refusal template, from real Keras calls."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import keras

    refusals = {}
    for key, make, placeholders in _cases():
        kind, first = _message(make)
        keras.layers.Dense(1)  # moves Keras' name counters on
        keras.Input(shape=(2, 2))
        kind2, second = _message(make)
        assert kind == kind2, key
        message = _stable_start(first, second)
        template = message
        for text, placeholder in placeholders.items():
            assert text in template, f"{key}: {text!r} not in {message!r}"
            template = template.replace(text, placeholder)
        for sentinel in (S_NAME, str(S_UNITS), str(S_BAD_UNITS)):
            assert sentinel not in template, f"{key}: {sentinel} left in {template!r}"
        refusals[key] = {"type": kind, "template": template}
    return refusals


def _version(*names: str) -> str:
    for name in names:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "not installed"


def _versions() -> dict:
    """Keras and TensorFlow (the ``tensorflow-cpu`` wheel on Linux x86_64)."""
    return {"keras": _version("keras"), "tensorflow": _version("tensorflow", "tensorflow-cpu")}


def _cache_key() -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(json.dumps(_versions(), sort_keys=True).encode())
    return digest.hexdigest()


# -- the error messages the pages print -------------------------------------------

_ERROR_START = re.compile(
    r"^(?P<indent>\s*)(?P<type>[A-Z][A-Za-z]*(?:Error|Exception|Warning))\b[^:\n]{0,40}:(?P<rest>.*)$"
)
# a line ending so is complete; one ending in a word, "," or ":" may go on
_COMPLETE_END = (".", "!", "?", "'", '"', ")", "]", "}")


def error_messages(text: str) -> list[str]:
    """The error and warning messages in one block of captured output.

    A message starts at a line ``SomeError: ...`` (or ``UserWarning (...):``)
    and goes on over the lines that continue it: lines indented deeper (a
    wrapped line), a line that carries on a long line not ending a sentence
    (wrapped without indent: it ends in a word, a comma or a colon), and, after "Exception encountered when calling
    ...", the next paragraph (where Keras puts the real message).
    """
    lines = text.splitlines()
    messages = []
    i = 0
    while i < len(lines):
        match = _ERROR_START.match(lines[i])
        if not match:
            i += 1
            continue
        indent = len(match["indent"])
        parts = [f"{match['type']}:{match['rest']}".strip()]
        j = i + 1
        while j < len(lines):
            line = lines[j]
            stripped = line.strip()
            previous = lines[j - 1].rstrip()
            if not stripped:
                head = " ".join(parts)
                if "Exception encountered when calling" in head and len(parts) == 1:
                    j += 1
                    continue
                break
            if _ERROR_START.match(line) or stripped.startswith("Arguments received by"):
                break
            deeper = len(line) - len(line.lstrip()) > indent
            wrapped = len(previous) >= 40 and not previous.endswith(_COMPLETE_END)
            after_call = "Exception encountered when calling" in parts[0]
            if not (deeper or wrapped or after_call):
                break
            parts.append(stripped)
            j += 1
        messages.append(" ".join(parts))
        i = j
    return messages


# ``except ValueError as err:`` in a cell, then ``print(err)``: the pages show
# an error the way a reader's own code would, without the type in front
_CAUGHT = re.compile(r"except\s+\(?\s*([A-Z]\w*(?:Error|Exception|Warning))\b[^:\n]*?as\s+(\w+)\s*:")


def caught_messages(code: str, output: str) -> list[str]:
    """The messages a cell prints from the exceptions it catches.

    When the cell catches ``SomeError as err`` and uses ``err`` (prints it), each
    paragraph of its output (lines up to a blank line) is taken as a message
    of that type: the printed message is all that shows of it.
    """
    caught = [(kind, name) for kind, name in _CAUGHT.findall(code)
              if len(re.findall(rf"\b{name}\b", code)) > 1]  # used after the except
    if not caught:
        return []
    kind = caught[0][0]
    paragraphs = [" ".join(line.strip() for line in chunk.splitlines() if line.strip())
                  for chunk in re.split(r"\n\s*\n", output)]
    return [f"{kind}: {text}" for text in paragraphs if len(text) >= 20]


def _collect(app, doctree) -> None:
    """doctree-read: remember the error messages a gallery page prints."""
    from docutils import nodes

    env = app.env
    store = env.__dict__.setdefault("lstm_error_messages", {})
    store.pop(env.docname, None)
    if not env.docname.startswith("auto_examples/"):
        return
    titles = list(doctree.findall(nodes.title))
    page_title = titles[0].astext() if titles else env.docname
    found = []
    code = ""
    for block in doctree.findall(nodes.literal_block):
        if "sphx-glr-script-out" not in block.get("classes", []):
            code = block.astext()  # the cell whose output comes next
            continue
        messages = error_messages(block.astext()) or caught_messages(code, block.astext())
        if not messages:
            continue
        section = block.parent
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        title, anchor = page_title, ""
        if section is not None and section.children and isinstance(section[0], nodes.title):
            if section.parent is not None and not isinstance(section.parent, nodes.document):
                title = section[0].astext()
                anchor = section["ids"][0] if section["ids"] else ""
        for message in messages:
            found.append({"message": message, "section": title, "anchor": anchor})
    if found:
        store[env.docname] = {"title": page_title, "messages": found}


def _purge(app, env, docname) -> None:
    env.__dict__.setdefault("lstm_error_messages", {}).pop(docname, None)


def _merge(app, env, docnames, other) -> None:
    store = env.__dict__.setdefault("lstm_error_messages", {})
    theirs = getattr(other, "lstm_error_messages", {})
    for docname in docnames:
        if docname in theirs:
            store[docname] = theirs[docname]


# -- the Sphinx side ------------------------------------------------------------


def _cache_path(app) -> Path:
    return Path(app.doctreedir) / CACHE_NAME


def _cached(app) -> dict | None:
    path = _cache_path(app)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return None
    return data if data.get("key") == app._explorer_key else None


def _start(app, config) -> None:
    """config-inited: ask for the refusals when the cache is stale."""
    app._explorer_key = _cache_key()
    app._explorer_refusals = _cached(app)
    app._explorer_pending = app._explorer_refusals is None
    if app._explorer_pending:
        keras_jobs.request(app, "shape_explorer", "write_refusals", _cache_path(app),
                           app._explorer_key)


def _refusals(app) -> dict:
    if getattr(app, "_explorer_pending", False):
        output = keras_jobs.wait(app)
        app._explorer_pending = False
        app._explorer_refusals = _cached(app)
        if app._explorer_refusals is None:
            from sphinx.errors import ExtensionError

            raise ExtensionError("shape_explorer: making the Keras refusals failed:\n" + output)
    if app._explorer_refusals is None:
        raise RuntimeError("shape_explorer: no refusals were made")
    return app._explorer_refusals


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _script(variable: str, data) -> str:
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"/* generated by docs/_ext/shape_explorer.py */\nwindow.{variable}={body};\n"


def _write(app):
    """html-collect-pages: write the two data scripts into ``_static/``.

    (Every page has been read by then; at build-finished a failing example
    would already have stopped the build.)
    """
    static = Path(app.outdir) / "_static"
    refusals = _refusals(app)
    explorer = {"versions": refusals["versions"], "refusals": refusals["refusals"]}
    _write_if_changed(static / EXPLORER_DATA, _script("lstmExplorerData", explorer))

    from lstm_gallery import READING_ORDER  # the pages in reading order

    # the order breaks ties in the lookup: the common errors page (made to
    # explain messages) first, then the reading order
    order = {
        f"auto_examples/{section}/{name.removesuffix('.py')}": n
        for n, (section, name) in enumerate(
            (s, name) for s, names in READING_ORDER.items() for name in names
        )
    }
    order[COMMON_ERRORS] = -1
    store = getattr(app.env, "lstm_error_messages", {})
    entries = []
    for docname in sorted(store, key=lambda d: (order.get(d, len(order)), d)):
        page = store[docname]
        uri = app.builder.get_target_uri(docname)
        for item in page["messages"]:
            url = uri + ("#" + item["anchor"] if item["anchor"] else "")
            entries.append(
                {"page": page["title"], "section": item["section"], "url": url,
                 "message": item["message"]}
            )
    _write_if_changed(
        static / ERRORS_DATA,
        _script("lstmErrorsData", {"versions": refusals["versions"], "messages": entries}),
    )
    return []


def setup(app):
    app.setup_extension("keras_jobs")
    app.connect("config-inited", _start)
    app.connect("doctree-read", _collect)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("html-collect-pages", _write)
    # env_version: a change in how messages are collected re-reads every page
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}


def write_refusals(out: str, key: str | None = None) -> None:
    """Make the refusals with Keras and write them, with their cache key, to ``out``."""
    out = Path(out)
    result = {"key": key or _cache_key(), "versions": _versions(), "refusals": make_refusals()}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, sort_keys=True), encoding="utf-8")


if __name__ == "__main__":
    write_refusals(*sys.argv[1:3])
