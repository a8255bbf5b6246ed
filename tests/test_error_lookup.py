""""What does this error mean?" finds the page that explains a real message.

Each case makes Keras raise (or warn) *in this test*, with other numbers,
shapes and layer names than the example pages use, and pastes the message --
alone, or inside the whole traceback -- into ``window.lstmErrors.lookup`` on
the built page ``error_lookup.html``. The first result must be a page that
prints that kind of message: the pages that do are found in the lookup's own
index (``window.lstmErrorsData``, collected from the pages' output at build
time) by a phrase that names the mistake, so the test follows the pages
wherever they move a message, and fails if no page prints it any more.

Needs Chromium (see ``tests/support.py``) and a built site.
"""

from __future__ import annotations

import os
import re
import traceback
import warnings

import numpy as np
import pytest

from support import serious_violations



@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import keras as keras_module

    return keras_module


@pytest.fixture(scope="module")
def lookup_page(browser, site_url):  # noqa: F811 - fixtures
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url + "error_lookup.html", wait_until="load")
    page.wait_for_function("() => window.lstmErrors && window.lstmErrorsData")
    yield page
    context.close()


def _raised(make) -> tuple[str, str]:
    """(the message, the whole traceback) of what ``make`` raises or warns."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            make()
        except Exception as err:  # noqa: BLE001 - every kind is a case
            return f"{type(err).__name__}: {err}", traceback.format_exc()
    for warning in caught:
        if issubclass(warning.category, UserWarning):
            text = f"{warning.category.__name__}: {warning.message}"
            return text, f'  File "{warning.filename}", line {warning.lineno}\n{text}'
    raise AssertionError("nothing was raised or warned")


def cases(keras):
    """(case id, what raises, a regex that the explaining pages' message matches)."""
    L = keras.layers

    def stacked():
        inputs = keras.Input(shape=(17, 6))
        return L.LSTM(7, name="decoder")(L.LSTM(11, name="encoder")(inputs))

    def stateful_other_batch():
        model = keras.Sequential(
            [keras.Input(batch_shape=(4, 10, 2)), L.GRU(3, stateful=True)]
        )
        return model(np.zeros((6, 10, 2), "float32"))

    def sequential():
        model = keras.Sequential([keras.Input(shape=(5, 2)), L.LSTM(3)])
        return model

    return [
        ("stacked", stacked, r"found ndim=2\. Full shape received: \(None,"),
        ("one sequence", lambda: L.LSTM(3)(np.zeros((17, 6), "float32")),
         r"found ndim=2\. Full shape received: \(\d"),
        ("whole array as shape", lambda: L.LSTM(3)(keras.Input(shape=(40, 17, 6))),
         r"expected ndim=3, found ndim=4"),
        ("time_major", lambda: L.GRU(8, time_major=True), r"\{'time_major'"),
        ("batch_input_shape", lambda: L.LSTM(2, batch_input_shape=(8, 30, 1)),
         r"\{'batch_input_shape'"),
        ("stateful batch", stateful_other_batch, r"Expected batch size"),
        ("stateful dynamic batch",
         lambda: L.LSTM(2, stateful=True)(keras.Input(shape=(None, 5))),
         r"batch size must be\s+static"),
        ("CuDNNLSTM", lambda: keras.layers.CuDNNLSTM(64), r"CuDNNLSTM"),
        ("lr", lambda: keras.optimizers.Adam(lr=0.5), r"\{'lr'"),
        ("reset_states", lambda: sequential().reset_states(), r"reset_states"),
        ("input_shape warning", lambda: L.SimpleRNN(4, input_shape=(12, 2)),
         r"Do not pass an `input_shape`"),
        ("input_length warning", lambda: L.Embedding(50, 4, input_length=12),
         r"input_length"),
        ("bidirectional return_state",
         lambda: L.Bidirectional(L.GRU(4), return_state=True), r"passed to Bidirectional"),
        ("ConvLSTM2D on 4-D",
         lambda: L.ConvLSTM2D(2, 3)(keras.Input(shape=(6, 20, 20))), r"expected ndim=5"),
        ("reshape size", lambda: L.Reshape((4, 4, 2))(keras.Input(shape=(10, 3))),
         r"total size of the tensor must be unchanged"),
        ("save without extension",
         lambda: sequential().save("/tmp/no-such-dir/model_dir"), r"Invalid filepath extension"),
    ]


def _page(url: str) -> str:
    return re.sub(r"[#?].*$", "", url).rsplit("/", 2)[-1]


def test_lookup_finds_the_page_that_explains_real_messages(lookup_page, keras):
    index = lookup_page.evaluate("() => window.lstmErrorsData.messages")
    assert len(index) >= 20, f"the index holds only {len(index)} messages"
    problems = []
    checked = 0
    for name, make, phrase in cases(keras):
        message, whole = _raised(make)
        expected = {_page(m["url"]) for m in index if re.search(phrase, m["message"])}
        if not expected:
            problems.append(f"{name}: no page prints a message matching {phrase!r} any more")
            continue
        for label, text in (("message", message), ("traceback", whole)):
            results = lookup_page.evaluate("text => window.lstmErrors.lookup(text)", text)
            checked += 1
            if not results:
                problems.append(f"{name} ({label}): no result for {text!r}")
                continue
            first = _page(results[0]["url"])
            if first not in expected:
                problems.append(
                    f"{name} ({label}): first result {first} ({results[0]['title']}), "
                    f"expected one of {sorted(expected)}\n  {message}"
                )
            assert set(results[0]) >= {"title", "url"}
    assert not problems, "\n".join(problems)
    assert checked >= 30


def test_own_numbers_do_not_change_the_answer(lookup_page):
    """The same message with other numbers and names gives the same first page."""
    a = lookup_page.evaluate(
        "t => window.lstmErrors.lookup(t)[0].url",
        "Input 0 with name 'None' of layer 'lstm_3' is incompatible with the layer: "
        "expected ndim=3, found ndim=2. Full shape received: (None, 5)",
    )
    b = lookup_page.evaluate(
        "t => window.lstmErrors.lookup(t)[0].url",
        "Input 0 with name 'x' of layer 'my_second_lstm_12' is incompatible with the layer: "
        "expected ndim=3, found ndim=2. Full shape received: (None, 256)",
    )
    assert a == b


def test_nothing_found_for_unrelated_text(lookup_page):
    assert lookup_page.evaluate("() => window.lstmErrors.lookup('')") == []
    assert lookup_page.evaluate("() => window.lstmErrors.lookup('hello world, lovely weather')") == []


def test_the_box_shows_links(lookup_page):
    lookup_page.fill("#el-text", "ValueError: Unrecognized keyword arguments passed to LSTM: {'time_major': True}")
    lookup_page.click("#el-form button[type=submit]")
    lookup_page.wait_for_function("() => document.querySelectorAll('#el-results a').length > 0")
    assert "explain" in lookup_page.inner_text("#el-status")
    href = lookup_page.get_attribute("#el-results a", "href")
    assert "auto_examples/" in href


def test_no_serious_accessibility_violations_with_results_shown(lookup_page):
    lookup_page.fill("#el-text", "AttributeError: 'Sequential' object has no attribute 'reset_states'")
    lookup_page.click("#el-form button[type=submit]")
    lookup_page.wait_for_function("() => document.querySelectorAll('#el-results a').length > 0")
    assert not serious_violations(lookup_page)
