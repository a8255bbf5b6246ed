"""The shape explorer tells what Keras does: its answers, run in Keras.

``docs/_static/shape_explorer.js`` is loaded in Chromium from the built page
``shape_explorer.html`` and asked, through ``window.lstmExplorer.model``,
about a grid of models: every recurrent layer type with every combination of
``return_sequences``, ``return_state`` and ``Bidirectional`` with each
``merge_mode``, under each head, then random stacks of two and three layers,
and the inputs Keras refuses (``units`` of 0 or less, negative shapes, a
recurrent layer after a 2-D output, a layer after ``merge_mode=None``,
``TimeDistributed`` on 2-D). For each answer the test runs the returned
``code`` in this process's Keras and compares:

* when the answer is ``ok``: every output's shape (``model.outputs``, with
  the batch size the config gives; for some configs also ``model(x)`` on a
  real batch), ``model.count_params()``, and each layer's parameter count;
* when it is a refusal: the code raises, with the exception type given and a
  message that starts with the ``error`` given; and the fix the page offers
  leads to a model Keras accepts.

``window.lstmExplorer.windows`` is compared in the same way with what
``keras.utils.timeseries_dataset_from_array`` yields for the returned code.

Needs Chromium (see ``tests/support.py``) and a built site.
"""

from __future__ import annotations

import gzip
import itertools
import os
import random
import re

import numpy as np
import pytest

from support import serious_violations


TYPES = ("LSTM", "GRU", "SimpleRNN")
MERGES = ("concat", "sum", "mul", "ave", None)
HEADS = (None, {"type": "Dense", "units": 3}, {"type": "TimeDistributed", "units": 2})
# (bidirectional, merge_mode)
DIRECTIONS = [(False, "concat")] + [(True, m) for m in MERGES]


def _layer(kind, units, seq, state, bi, merge):
    return {
        "type": kind,
        "units": units,
        "return_sequences": seq,
        "return_state": state,
        "bidirectional": bi,
        "merge_mode": merge,
    }


def model_configs() -> list[dict]:
    """At least 300 configs: every single-layer combination under every head,
    random stacks of 2 and 3 layers, and the inputs Keras refuses."""
    rng = random.Random(18)
    configs = []
    # 1. one layer: 3 types x 2 x 2 x 6 directions x 3 heads = 216
    for kind, seq, state, (bi, merge), head in itertools.product(
        TYPES, (False, True), (False, True), DIRECTIONS, HEADS
    ):
        configs.append(
            {
                "batch": rng.choice([1, 2, 5, 32]),
                "timesteps": rng.choice([1, 4, 7, 24]),
                "features": rng.choice([1, 3, 8]),
                "layers": [_layer(kind, rng.choice([1, 4, 6]), seq, state, bi, merge)],
                "head": head,
            }
        )

    def random_layer():
        bi, merge = rng.choice(DIRECTIONS)
        return _layer(
            rng.choice(TYPES), rng.choice([2, 3, 5]), rng.random() < 0.7,
            rng.random() < 0.3, bi, merge,
        )

    # 2. stacks of 2 and 3 layers, mostly valid (the lower layers return
    # sequences 70 % of the time), with a random head
    for depth, count in ((2, 70), (3, 40)):
        for _ in range(count):
            configs.append(
                {
                    "batch": rng.choice([2, 3, 16]),
                    "timesteps": rng.choice([3, 5, 12]),
                    "features": rng.choice([1, 2, 6]),
                    "layers": [random_layer() for _ in range(depth)],
                    "head": rng.choice(HEADS),
                }
            )
    # 3. what Keras refuses outright, and the free lengths
    base = {"batch": 4, "timesteps": 6, "features": 3, "head": None}
    for kind in TYPES:
        for units in (0, -3):
            configs.append({**base, "layers": [_layer(kind, units, False, False, False, "concat")]})
        configs.append(
            {**base, "layers": [_layer(kind, 4, True, False, False, "concat"),
                                _layer(kind, -1, False, False, True, "sum")]}
        )
    for head_type in ("Dense", "TimeDistributed"):
        configs.append(
            {**base, "layers": [_layer("LSTM", 4, True, False, False, "concat")],
             "head": {"type": head_type, "units": 0}}
        )
    for timesteps, features in ((6, -2), (-1, 3)):
        configs.append(
            {**base, "timesteps": timesteps, "features": features,
             "layers": [_layer("GRU", 4, False, False, False, "concat")]}
        )
    for kind in TYPES:
        configs.append({**base, "timesteps": None,
                        "layers": [_layer(kind, 5, True, True, True, "concat")],
                        "head": {"type": "TimeDistributed", "units": 2}})
        configs.append({**base, "batch": None,
                        "layers": [_layer(kind, 5, False, True, False, "concat")]})
    return configs


WINDOW_OPTIONS = [
    {"rows": rows, "features": features, "timesteps": timesteps, "horizon": horizon,
     "batch_size": batch_size}
    for rows, features, timesteps, horizon, batch_size in [
        (1000, 4, 24, 10, 32), (100, 1, 10, 1, 16), (50, 3, 5, 5, 7), (34, 2, 24, 10, 4),
        (33, 2, 24, 10, 4), (35, 2, 24, 10, 4), (64, 1, 8, 0, 8), (2, 1, 1, 1, 1),
        (1, 2, 3, 1, 4), (0, 2, 3, 1, 4), (300, 5, 48, 12, 64), (129, 2, 1, 1, 128),
        (257, 3, 2, 2, 256), (17, 6, 4, 3, 5), (500, 2, 100, 50, 13), (10, 1, 10, 1, 3),
        (11, 1, 10, 1, 3), (12, 8, 1, 0, 1), (90, 2, 30, 30, 9), (1000, 1, 999, 1, 32),
    ]
]


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import keras as keras_module

    return keras_module


@pytest.fixture(scope="module")
def explorer(browser, site_url):  # noqa: F811 - fixtures
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url + "shape_explorer.html", wait_until="load")
    page.wait_for_function("() => window.lstmExplorer && window.lstmExplorerData")
    yield page
    context.close()


ANSWERS_JS = """
configs => configs.map(config => {
  const answer = window.lstmExplorer.model(config);
  // follow the page's fixes: each one must lead, in a few steps, to a model
  const fixes = [];
  let current = answer;
  while (!current.ok && current.fix && fixes.length < 4) {
    current = window.lstmExplorer.model(current.fix.config);
    fixes.push(current.ok ? 'ok' : current.error);
  }
  return {answer, fixes};
})
"""


def test_grid_is_large_and_covers_every_option():
    configs = model_configs()
    assert len(configs) >= 300
    layers = [layer for c in configs for layer in c["layers"]]
    assert {layer["type"] for layer in layers} == set(TYPES)
    assert {layer["merge_mode"] for layer in layers if layer["bidirectional"]} == set(MERGES)
    for flag in ("return_sequences", "return_state", "bidirectional"):
        assert {layer[flag] for layer in layers} == {True, False}
    assert {c["head"]["type"] if c["head"] else None for c in configs} == {None, "Dense", "TimeDistributed"}
    assert {len(c["layers"]) for c in configs} == {1, 2, 3}


def _run(code: str, keras):
    namespace = {"keras": keras}
    exec(compile(code, "<shape explorer code>", "exec"), namespace)
    return namespace


def _with_batch(shape, batch):
    shape = list(shape)
    shape[0] = batch
    return shape


def test_model_answers_match_keras(explorer, keras):
    configs = model_configs()
    results = explorer.evaluate(ANSWERS_JS, configs)
    refused = accepted = eager = 0
    problems = []
    for number, (config, result) in enumerate(zip(configs, results)):
        answer = result["answer"]
        where = f"config {number}: {config}\n{answer['code']}"
        if answer["ok"]:
            accepted += 1
            model = _run(answer["code"], keras)["model"]
            shapes = [_with_batch(t.shape, config["batch"]) for t in model.outputs]
            if shapes != answer["outputs"]:
                problems.append(f"{where}\nshapes: Keras {shapes}, page {answer['outputs']}")
            if model.count_params() != answer["params"]:
                problems.append(f"{where}\nparams: Keras {model.count_params()}, page {answer['params']}")
            for layer in answer["layers"]:
                keras_count = model.get_layer(layer["name"]).count_params()
                if keras_count != layer["params"]:
                    problems.append(f"{where}\n{layer['name']}: Keras {keras_count}, page {layer['params']}")
            assert len(answer["names"]) == len(answer["outputs"])
            # a real batch, for one config in ten (each call traces the model)
            if number % 10 == 0 and config["batch"] and config["timesteps"]:
                eager += 1
                x = np.zeros((config["batch"], config["timesteps"], config["features"]), "float32")
                out = model(x)
                out = out if isinstance(out, (list, tuple)) else [out]
                real = [list(t.shape) for t in out]
                if real != answer["outputs"]:
                    problems.append(f"{where}\nmodel(x): Keras {real}, page {answer['outputs']}")
        else:
            refused += 1
            try:
                _run(answer["code"], keras)
            except Exception as err:  # noqa: BLE001 - compared below
                message = str(err)
                if type(err).__name__ != answer["error_type"] or not message.startswith(answer["error"]):
                    problems.append(
                        f"{where}\nKeras: {type(err).__name__}: {message}\n"
                        f"page:  {answer['error_type']}: {answer['error']}"
                    )
            else:
                problems.append(f"{where}\nthe page says Keras refuses it, but the code ran")
            if not result["fixes"] or result["fixes"][-1] != "ok":
                problems.append(f"{where}\nthe fixes {result['fixes']} do not end in a model Keras accepts")
    assert not problems, f"{len(problems)} disagreements:\n\n" + "\n\n".join(problems[:10])
    # both kinds are well represented
    assert accepted >= 200 and refused >= 60 and eager >= 15, (accepted, refused, eager)


def test_every_refusal_kind_is_exercised(explorer):
    """Each message template made at build time is used by some config."""
    configs = model_configs()
    errors = explorer.evaluate(
        "configs => configs.map(c => window.lstmExplorer.model(c)).filter(a => !a.ok).map(a => a.error)",
        configs,
    )
    templates = explorer.evaluate(
        "() => Object.entries(window.lstmExplorerData.refusals).map(([k, v]) => [k, v.template])"
    )
    for key, template in templates:
        if key.startswith("windows:"):
            continue
        start = template.split("{", 1)[0]
        assert any(e.startswith(start) for e in errors), f"no config gets the refusal {key}: {template}"


def _dataset_facts(dataset):
    sizes, x_shapes, y_shapes = [], set(), set()
    for x, y in dataset:
        sizes.append(int(x.shape[0]))
        x_shapes.add(tuple(x.shape[1:]))
        y_shapes.add(tuple(y.shape[1:]))
    return sizes, x_shapes, y_shapes


def test_windows_match_timeseries_dataset_from_array(explorer, keras):
    answers = explorer.evaluate(
        "all => all.map(o => window.lstmExplorer.windows(o))", WINDOW_OPTIONS
    )
    problems = []
    for options, answer in zip(WINDOW_OPTIONS, answers):
        where = f"{options}\n{answer['code']}"
        try:
            dataset = _run(answer["code"], keras)["dataset"]
        except Exception as err:  # noqa: BLE001 - compared below
            if answer["ok"] or not str(err).startswith(answer["error"]):
                problems.append(f"{where}\nKeras: {err}\npage: {answer}")
            continue
        if not answer["ok"]:
            problems.append(f"{where}\nthe page says Keras refuses it, but the code ran")
            continue
        sizes, x_shapes, y_shapes = _dataset_facts(dataset)
        expected = {
            "samples": sum(sizes),
            "batches": len(sizes),
            "last_batch": sizes[-1] if sizes else 0,
        }
        got = {k: answer[k] for k in expected}
        if got != expected:
            problems.append(f"{where}\nKeras {expected}, page {got}")
        if sizes:
            if x_shapes != {tuple(answer["x"][1:])} or y_shapes != {tuple(answer["y"][1:])}:
                problems.append(f"{where}\nshapes: Keras x {x_shapes} y {y_shapes}, page {answer}")
            if answer["x"][0] != answer["y"][0] or answer["x"][0] != answer["samples"]:
                problems.append(f"{where}\nx and y must have one row per window: {answer}")
    assert not problems, "\n\n".join(problems)


def test_page_form_shows_the_answer(explorer):
    """The form's defaults (the issue's example) give the same answer as the
    interface, with the output names and the total in the page."""
    explorer.reload(wait_until="load")
    explorer.wait_for_function("() => document.getElementById('se-status').textContent.length > 0")
    status = explorer.inner_text("#se-status")
    answer = explorer.evaluate(
        """() => window.lstmExplorer.model({batch: 32, timesteps: 24, features: 4,
             layers: [{type: 'LSTM', units: 32, return_sequences: true},
                      {type: 'GRU', units: 32, bidirectional: true}],
             head: {type: 'Dense', units: 10}})"""
    )
    assert answer["ok"] and answer["outputs"] == [[32, 10]]
    assert f"{answer['params']:,}".replace(",", "\u202f") in status
    result = explorer.inner_text("#se-model-result")
    assert "output" in result and "(32, 10)" in result
    assert explorer.inner_text("#se-model-code pre").strip() == answer["code"].strip()
    # a refusal: the message, the fix, and the fix applied
    explorer.select_option("#se-head", "TimeDistributed")
    explorer.wait_for_function("() => document.querySelector('.se-refusal') !== null")
    assert "at least 3 dimensions" in explorer.inner_text("#se-model-result")
    explorer.click(".se-refusal button")
    explorer.wait_for_function("() => document.querySelector('.se-refusal') === null")
    assert explorer.is_checked("#se-seq-2")
    assert "(32, 24, 10)" in explorer.inner_text("#se-model-result")


def test_keyboard_alone_changes_the_model_and_applies_a_fix(explorer):
    explorer.reload(wait_until="load")
    explorer.wait_for_function("() => document.getElementById('se-status').textContent.length > 0")
    explorer.focus("#se-rows")
    explorer.keyboard.press("Tab")
    assert explorer.evaluate("document.activeElement.id") == "se-features"
    # layer 1 stops returning sequences: layer 2 is refused
    explorer.focus("#se-seq-1")
    explorer.keyboard.press("Space")
    explorer.wait_for_function("() => document.querySelector('.se-refusal button') !== null")
    assert "Keras refuses" in explorer.inner_text("#se-status")
    explorer.focus(".se-refusal button")
    explorer.keyboard.press("Enter")
    explorer.wait_for_function("() => document.querySelector('.se-refusal') === null")
    assert explorer.is_checked("#se-seq-1")


def test_page_is_announced_and_says_what_it_does_without_javascript(site):
    text = (site / "shape_explorer.html").read_text(encoding="utf-8")
    assert re.search(r'id="se-status"[^>]*role="status"[^>]*aria-live="polite"', text)
    noscript = "".join(re.findall(r"<noscript>(.*?)</noscript>", text, re.S))
    assert "auto_examples/beyond/plot_shape_cheatsheet.html" in noscript
    assert "JavaScript" in noscript
    # every input and select has a label
    ids = re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', text)
    assert len(ids) >= 20
    for control in ids:
        assert f'for="{control}"' in text, f"#{control} has no label"


def test_script_and_data_weigh_at_most_30_kb_compressed(site):
    static = site / "_static"
    for files in (
        ("shape_explorer.js", "shape_explorer_data.js", "shape_explorer.css"),
        ("error_lookup.js", "lstm_errors_data.js"),
    ):
        size = sum(len(gzip.compress((static / f).read_bytes(), 9)) for f in files)
        assert size <= 30 * 1024, f"{files}: {size} bytes compressed"


def test_no_serious_accessibility_violations_with_a_refusal_shown(explorer):
    """axe-core on the page as a reader leaves it: a refusal, its fix, the code
    (tests/test_accessibility.py checks the page as it loads)."""
    explorer.reload(wait_until="load")
    explorer.select_option("#se-layers", "3")
    explorer.check("#se-state-3")
    explorer.check("#se-bi-3")
    explorer.select_option("#se-merge-3", "None")
    explorer.wait_for_function("() => document.querySelector('.se-refusal') !== null")
    assert not serious_violations(explorer)
