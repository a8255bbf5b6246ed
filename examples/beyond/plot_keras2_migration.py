"""
Coming from Keras 2 / ``tf.keras``: LSTM code that Keras 3 refuses
==================================================================

**In short:** of the 17 old lines tried here, 11 fail in Keras 3 with an
error (removed arguments and methods such as ``time_major=``,
``batch_input_shape=``, ``lr=``, ``reset_states()``, ``predict_classes()``
and ``fit_generator()``, the ``CuDNNLSTM`` layer, the moved text and
time-series helpers, and ``model.save()`` without a file extension), 2 only
warn (``input_shape=`` on the first layer and ``Embedding(input_length=)``)
and 4 still work as before (``pad_sequences``, ``tf.keras.layers.LSTM``,
``return_state`` unpacking, ``implementation=``). The table at the
end of the page lists each old line, what you write instead, and what Keras
3 says; it is made from the calls on this page.

Most LSTM tutorials on the web were written for Keras 2 (``tf.keras`` up to
TensorFlow 2.15). This page runs every old idiom against the Keras installed
on this site (the version is printed below), prints the real error or
warning, and runs its replacement.
"""

# sphinx_gallery_start_ignore
# Hidden on the page, kept in the download (see the gallery's front page):
# quiet TensorFlow, no oneDNN reordering, the TensorFlow backend.
import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ["KERAS_BACKEND"] = "tensorflow"
# sphinx_gallery_end_ignore
import importlib
import tempfile
import warnings

import keras
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(313)
np.set_printoptions(precision=4, suppress=True)
print(f"Keras {keras.__version__}, TensorFlow {tf.__version__}")

# What Keras 3 says to each old line (filled in section by section; the
# table at the end is made from it): an exception or warning class name,
# or "works".
said = {}

# %%
# ``keras.layers.recurrent`` is gone
# ----------------------------------
# Keras 2 had one module per layer family. Keras 3 exposes layers only as
# ``keras.layers.*``.
try:
    importlib.import_module("keras.layers.recurrent")
except ModuleNotFoundError as err:
    print("ModuleNotFoundError:", err)
    said["keras.layers.recurrent"] = type(err).__name__
    assert "No module named" in str(err)

from keras.layers import LSTM  # noqa: E402 - the replacement, here on purpose

assert LSTM is keras.layers.LSTM

# %%
# ``CuDNNLSTM`` is gone: ``LSTM`` chooses cuDNN itself
# ----------------------------------------------------
# ``CuDNNLSTM``, the GPU-only layer, belongs to TensorFlow 1.x: in TF 1.15 it
# is ``tf.keras.layers.CuDNNLSTM``, and in TF 2.x it survives only as
# ``tf.compat.v1.keras.layers.CuDNNLSTM`` (source:
# `TF 1.15 API docs <https://www.tensorflow.org/versions/r1.15/api_docs/python/tf/keras/layers/CuDNNLSTM>`_).
# Since TensorFlow 2.0 the ordinary ``tf.keras.layers.LSTM`` chooses the cuDNN
# kernel by itself when a GPU is there and its arguments allow it (source:
# `TF 2.0 API docs <https://www.tensorflow.org/versions/r2.0/api_docs/python/tf/keras/layers/LSTM>`_),
# so code that still says ``CuDNNLSTM`` comes from TF 1.x. Keras 3 keeps that
# behaviour and adds ``use_cudnn`` to control it
# (:ref:`sphx_glr_auto_examples_beyond_plot_gpu_cudnn.py` lists the
# conditions).
try:
    keras.layers.CuDNNLSTM(8)
except AttributeError as err:
    print("AttributeError:", err)
    said["layers.CuDNNLSTM(n)"] = type(err).__name__
    assert "CuDNNLSTM" in str(err)

lstm = keras.layers.LSTM(8)
print("keras.layers.LSTM(8).use_cudnn =", repr(lstm.use_cudnn))
assert lstm.use_cudnn == "auto"

# %%
# ``time_major=True`` is gone
# ---------------------------
# Keras 3 layers read ``(batch, timesteps, features)`` only. Data stored
# time-first is transposed before it goes in
# (:ref:`sphx_glr_auto_examples_seed_plot_time_major.py` shows it).
try:
    keras.layers.LSTM(4, time_major=True)
except ValueError as err:
    print("ValueError:", err)
    said["LSTM(n, time_major=True)"] = type(err).__name__
    assert "Unrecognized keyword" in str(err) and "time_major" in str(err)

time_first = np.random.normal(0, 1, size=(7, 2, 3)).astype("float32")
batch_first = np.transpose(time_first, (1, 0, 2))  # or keras.ops.transpose
out = keras.layers.LSTM(4)(batch_first)
print("(timesteps, batch, features):", time_first.shape)
print("transposed:", batch_first.shape, "-> output", tuple(out.shape))
assert tuple(out.shape) == (2, 4)

# %%
# ``batch_input_shape=`` on a layer is refused
# --------------------------------------------
# The Keras 2 way to give a stateful LSTM its fixed batch size
# (`keras-team/keras#20106 <https://github.com/keras-team/keras/issues/20106>`_).
# In Keras 3 the batch size goes on the input: ``keras.Input(batch_shape=...)``
# (or ``keras.Input(batch_size=..., shape=...)``).
try:
    keras.layers.LSTM(4, stateful=True, batch_input_shape=(2, 7, 3))
except ValueError as err:
    print("ValueError:", err)
    said["LSTM(batch_input_shape=)"] = type(err).__name__
    assert "batch_input_shape" in str(err)

stateful = keras.Sequential(
    [keras.Input(batch_shape=(2, 7, 3)), keras.layers.LSTM(4, stateful=True)]
)
print("stateful model input:", stateful.inputs[0].shape)
assert tuple(stateful.inputs[0].shape) == (2, 7, 3)

# %%
# ``input_shape=`` on the first layer warns
# -----------------------------------------
# Still accepted, with a warning (a ``UserWarning``: the model is built). An
# ``Input`` first is the Keras 3 form.
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    keras.Sequential([keras.layers.LSTM(4, input_shape=(7, 3))])
warning = caught[0]
print(f"{warning.category.__name__} (the code runs): {warning.message}")
said["LSTM(input_shape=) first"] = warning.category.__name__
assert "Input(shape)" in str(warning.message)

with warnings.catch_warnings():
    warnings.simplefilter("error")  # any warning would fail here
    model = keras.Sequential([keras.Input(shape=(7, 3)), keras.layers.LSTM(4)])
print("Input(shape=(7, 3)) first: no warning;")
print("output shape", model.output_shape)

# %%
# ``Embedding(input_length=)`` warns
# ----------------------------------
# Early Keras 3 releases refused it with a ``ValueError``
# (`keras-team/keras#19282 <https://github.com/keras-team/keras/issues/19282>`_);
# this one ignores it with a warning. The length comes from the input.
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    keras.layers.Embedding(100, 8, input_length=7)
warning = caught[0]
print(f"{warning.category.__name__} (the code runs): {warning.message}")
said["Embedding(input_length=)"] = warning.category.__name__
assert "input_length" in str(warning.message)

embedded = keras.layers.Embedding(100, 8)(np.zeros((2, 7), dtype="int32"))
print("Embedding(100, 8) on (2, 7) ids ->", tuple(embedded.shape))
assert tuple(embedded.shape) == (2, 7, 8)

# %%
# ``model.reset_states()`` is gone; reset the layers
# --------------------------------------------------
# A Keras 3 model has no ``reset_states()`` (nor ``reset_state()``). The
# stateful layers have ``reset_state()``; ``reset_states()`` on a *layer*
# is kept as an alias (Keras source: ``keras/src/layers/rnn/rnn.py``).
state_data = np.random.normal(0, 1, size=(2, 7, 3)).astype("float32")
stateful(state_data)
try:
    stateful.reset_states()
except AttributeError as err:
    print("AttributeError:", err)
    said["model.reset_states()"] = type(err).__name__
assert not hasattr(stateful, "reset_state")
assert hasattr(stateful.layers[0], "reset_states")

for layer in stateful.layers:
    if getattr(layer, "stateful", False):
        layer.reset_state()
h = stateful.layers[0].states[0].numpy()
print("after layer.reset_state(): h =", h[0])
assert not np.any(h)

# %%
# ``keras.preprocessing``: ``pad_sequences`` stays, the rest moved
# ----------------------------------------------------------------
# ``keras.preprocessing.sequence.pad_sequences`` still works: it is the very
# function documented as ``keras.utils.pad_sequences``. The text
# ``Tokenizer`` and ``TimeseriesGenerator`` are gone.
old = keras.preprocessing.sequence.pad_sequences([[1, 2], [3]], padding="post")
said["sequence.pad_sequences"] = "works"
assert keras.preprocessing.sequence.pad_sequences is keras.utils.pad_sequences
print("keras.preprocessing.sequence.pad_sequences")
print("  is keras.utils.pad_sequences")
print(old)

try:
    keras.preprocessing.text.Tokenizer()
except AttributeError as err:
    print("AttributeError:", err)
    said["text.Tokenizer"] = type(err).__name__

vectorize = keras.layers.TextVectorization(output_sequence_length=4)
vectorize.adapt(["the cell state", "the hidden state"])
ids = vectorize(["the hidden cell"]).numpy()
print("TextVectorization: 'the hidden cell' ->", ids)
assert ids.shape == (1, 4) and ids[0, -1] == 0  # 0 after the 3 words

# %%
try:
    keras.preprocessing.sequence.TimeseriesGenerator
except AttributeError as err:
    print("AttributeError:", err)
    said["TimeseriesGenerator"] = type(err).__name__

series = np.arange(10, dtype="float32")
dataset = keras.utils.timeseries_dataset_from_array(
    series[:-3, None], targets=series[3:], sequence_length=3, batch_size=8
)
windows, targets = next(iter(dataset))
print("first window:", windows.numpy()[0, :, 0])
print("its target:", targets.numpy()[0])
assert windows.shape == (5, 3, 1)
np.testing.assert_array_equal(
    windows.numpy()[:, :, 0] + 3, targets.numpy()[:, None] + [0, 1, 2]
)

# %%
# ``predict_classes`` and ``fit_generator`` are gone
# --------------------------------------------------
classifier = keras.Sequential(
    [
        keras.Input(shape=(7, 3)),
        keras.layers.LSTM(4),
        keras.layers.Dense(3, activation="softmax"),
    ]
)
x = np.random.normal(0, 1, size=(5, 7, 3)).astype("float32")
try:
    classifier.predict_classes(x)
except AttributeError as err:
    print("AttributeError:", err)
    said["model.predict_classes(x)"] = type(err).__name__

classes = np.argmax(classifier.predict(x, verbose=0), axis=-1)
print("np.argmax(model.predict(x), axis=-1):", classes)
assert classes.shape == (5,)

# %%
# ``fit()`` takes generators and ``tf.data`` datasets itself.
try:
    classifier.fit_generator
except AttributeError as err:
    print("AttributeError:", err)
    said["model.fit_generator(g)"] = type(err).__name__

# %%
# ``lr=`` is refused
# ------------------
try:
    keras.optimizers.Adam(lr=0.01)
except ValueError as err:
    print("ValueError:", err)
    said["Adam(lr=0.01)"] = type(err).__name__
    assert "not recognized" in str(err) and "lr" in str(err)

optimizer = keras.optimizers.Adam(learning_rate=0.01)
rate = float(optimizer.learning_rate)
print(f"Adam(learning_rate=0.01).learning_rate: {rate:g}")
assert np.isclose(float(optimizer.learning_rate), 0.01)

# %%
# Saving needs a file extension
# -----------------------------
# ``model.save("my_model")`` wrote a TensorFlow SavedModel folder in Keras 2.
# Keras 3 wants ``.keras`` (or ``.h5``); ``model.export()`` writes a
# SavedModel for serving.
try:
    model.save("my_model")
except ValueError as err:
    print("ValueError:", err)
    said['model.save("my_model")'] = type(err).__name__
    assert ".keras" in str(err)

path = os.path.join(tempfile.mkdtemp(), "m.keras")
model.save(path)
reloaded = keras.models.load_model(path)
np.testing.assert_allclose(reloaded(state_data), model(state_data), rtol=1e-6)
print("saved as m.keras and loaded back: same outputs")

# %%
# Still the same
# --------------
# ``tf.keras`` in TensorFlow 2.16 and later *is* Keras 3 (unless the
# separate ``tf_keras`` package is installed and ``TF_USE_LEGACY_KERAS=1``
# is set; source: `the TensorFlow 2.16 release notes
# <https://github.com/tensorflow/tensorflow/releases/tag/v2.16.1>`_), so
# changing the import fixes nothing by itself:
same = tf.keras.layers.LSTM is keras.layers.LSTM
print("tf.keras.layers.LSTM is keras.layers.LSTM:", same)
assert same
said["tf.keras.layers.LSTM"] = "works"

# %%
# ``return_state=True`` still returns ``[output, state_h, state_c]``
# (:ref:`sphx_glr_auto_examples_seed_plot_return_state.py`), and
# ``implementation=`` (how the cell groups its matrix products) is still
# accepted, with the same results.
lstm_a = keras.layers.LSTM(4, return_state=True, implementation=1)
output, state_h, state_c = lstm_a(state_data)
said["return_state unpacking"] = "works"
lstm_b = keras.layers.LSTM(4, return_state=True, implementation=2)
lstm_b.build(state_data.shape)
lstm_b.set_weights(lstm_a.get_weights())
np.testing.assert_allclose(lstm_b(state_data)[0], output, rtol=1e-5, atol=1e-6)
said["LSTM(implementation=2)"] = "works"
np.testing.assert_allclose(output, state_h)
print("output, state_h, state_c:")
print(" ", tuple(output.shape), tuple(state_h.shape), tuple(state_c.shape))

# %%
# The table
# ---------
# Each row: the Keras 2 line, what to write in Keras 3, and what Keras 3
# said to the old line above (names under ``keras.`` without that prefix;
# the sections have the full code).


# %%
# .. raw:: html
#
#    <details><summary>The table helper (same on every table page)</summary>
import re
import sys
from html import escape


class Table:
    """An HTML table on the page and in Jupyter, plain text in a script.

    Cells are shown as code. A row whose first cell is "" continues the
    row above it (that first cell spans both).
    """

    def __init__(self, header, rows):
        self.header, self.rows = header, rows

    def _repr_html_(self):
        top = ' style="text-align: left; vertical-align: top"'

        def code(cell):
            # phone width: a cell wraps at its spaces, after = _ . , and a
            # call's "(", inside CamelCase names and, if it must, anywhere
            text = re.sub(r"([=_.,]|(?<! )\()", r"\1<wbr>", escape(cell))
            text = re.sub(r"(?<=[a-z])(?=[A-Z])", "<wbr>", text)
            return f'<code style="overflow-wrap: anywhere">{text}</code>'

        body = ""
        for n, row in enumerate(self.rows):
            cells = "".join(f"<td{top}>{code(cell)}</td>" for cell in row[1:])
            if row[0]:
                later = [
                    k for k, r in enumerate(self.rows[n + 1 :], 1) if r[0]
                ]
                span = later[0] if later else len(self.rows) - n
                first = f'<td rowspan="{span}"{top}>{code(row[0])}</td>'
                cells = first + cells
            body += f"<tr>{cells}</tr>"
        head = "".join(f"<th{top}>{escape(name)}</th>" for name in self.header)
        return (
            '<table style="width: 100%">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )

    def __str__(self):
        columns = range(1, len(self.header))
        widths = [
            max(len(row[k]) for row in [self.header, *self.rows])
            for k in columns
        ]
        lines = []
        for row in [self.header, *self.rows]:
            if row[0]:
                lines += ["", row[0]]
            cells = [row[k].ljust(width) for k, width in zip(columns, widths)]
            lines.append(("    " + "  ".join(cells)).rstrip())
        return "\n".join(lines).strip("\n")


def show_table(table):
    """The page (or Jupyter) draws the table; a script prints it."""
    if not {"sphinx_gallery", "ipykernel"} & sys.modules.keys():
        print(table)
    return table


# %%
# .. raw:: html
#
#    </details>

new_lines = {
    "keras.layers.recurrent": "keras.layers",
    "layers.CuDNNLSTM(n)": "layers.LSTM(n)",
    "LSTM(n, time_major=True)": "transpose to batch-major",
    "LSTM(batch_input_shape=)": "Input(batch_shape=)",
    "LSTM(input_shape=) first": "Input(shape=) first",
    "Embedding(input_length=)": "leave it out",
    "model.reset_states()": "layer.reset_state()",
    "sequence.pad_sequences": "utils.pad_sequences",
    "text.Tokenizer": "layers.TextVectorization",
    "TimeseriesGenerator": "timeseries_dataset_from_array",
    "model.predict_classes(x)": "argmax(predict(x), -1)",
    "model.fit_generator(g)": "model.fit(g)",
    "Adam(lr=0.01)": "Adam(learning_rate=0.01)",
    'model.save("my_model")': 'model.save("m.keras")',
    "tf.keras.layers.LSTM": "keras.layers.LSTM",
    "return_state unpacking": "unchanged",
    "LSTM(implementation=2)": "unchanged",
}
assert new_lines.keys() == said.keys()
rows = [(old, new, said[old]) for old, new in new_lines.items()]
# the counts in the "In short" paragraph
kinds = list(said.values())
warned = [old for old, kind in said.items() if kind.endswith("Warning")]
assert len(kinds) == 17 and kinds.count("works") == 4
assert warned == ["LSTM(input_shape=) first", "Embedding(input_length=)"]
assert len(kinds) - kinds.count("works") - len(warned) == 11
show_table(Table(("Keras 2", "Keras 3", "Keras 3 says"), rows))

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_beyond_plot_common_errors.py` - shape errors
#   that are not about versions.
# * :ref:`sphx_glr_auto_examples_data_plot_stateful_training.py` - stateful
#   training in Keras 3, with the reset callback.
# * :ref:`sphx_glr_auto_examples_beyond_plot_gpu_cudnn.py` - when ``LSTM``
#   uses cuDNN.
