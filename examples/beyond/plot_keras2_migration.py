"""
Coming from Keras 2 / ``tf.keras``: LSTM code that Keras 3 refuses
==================================================================

Most LSTM tutorials on the web were written for Keras 2 (``tf.keras`` up to
TensorFlow 2.15). Run in Keras 3, some of their lines fail, some warn, and
some still work. Which ones, what exactly does Keras 3 say, and what do you
write instead?

This page runs every old idiom against the Keras installed on this site
(the version is printed below), captures the real error or warning, and runs
its replacement. The table first, then one short section per idiom.
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
import textwrap
import warnings

import keras
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(313)
np.set_printoptions(precision=4, suppress=True)

# %%
# The summary
# -----------
# Each row: the Keras 2 idiom, its Keras 3 replacement, and what Keras 3
# does with the old line (names under ``keras.`` without that prefix; the
# sections have the full code). Every row is checked by a section below.
rows = [
    ("keras.layers.recurrent", "keras.layers", "ModuleNotFoundError"),
    ("layers.CuDNNLSTM(n)", "layers.LSTM(n)", "AttributeError"),
    ("LSTM(n, time_major=True)", "transpose to batch-major", "ValueError"),
    ("LSTM(batch_input_shape=)", "Input(batch_shape=)", "ValueError"),
    ("LSTM(input_shape=) first", "Input(shape=) first", "UserWarning"),
    ("Embedding(input_length=)", "leave it out", "UserWarning"),
    ("model.reset_states()", "layer.reset_state()", "AttributeError"),
    ("sequence.pad_sequences", "utils.pad_sequences", "works (same function)"),
    ("text.Tokenizer", "layers.TextVectorization", "AttributeError"),
    ("TimeseriesGenerator", "timeseries_dataset_from_array", "AttributeError"),
    ("model.predict_classes(x)", "argmax(predict(x), -1)", "AttributeError"),
    ("model.fit_generator(g)", "model.fit(g)", "AttributeError"),
    ("Adam(lr=0.01)", "Adam(learning_rate=0.01)", "ValueError"),
    ('model.save("my_model")', 'model.save("m.keras")', "ValueError"),
    ("tf.keras.layers.LSTM", "keras.layers.LSTM", "same class"),
    ("return_state unpacking", "unchanged", "works"),
    ("LSTM(implementation=2)", "unchanged", "works"),
]
header = ("Keras 2", "Keras 3", "Keras 3 says")
widths = [max(len(row[k]) for row in rows + [header]) for k in range(3)]
print(f"Keras {keras.__version__}, TensorFlow {tf.__version__}\n")
for n, row in enumerate([header] + rows):
    line = "  ".join(
        f"{cell:<{width}}" for cell, width in zip(row, widths)
    ).rstrip()
    print(line)
    assert len(line) <= 78, line
    if n == 0:
        print("  ".join("-" * width for width in widths))
says = {row[0]: row[2] for row in rows}

# %%
# How each old line is tried
# --------------------------
# ``keras_3_says`` runs a piece of old code and returns what Keras 3 answers:
# the exception it raises, or else the warning it gives, or nothing. Each
# section prints that message (wrapped), checks its key words, and checks
# that the table above names the same kind of answer.


def keras_3_says(old_code):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        try:
            old_code()
        except Exception as error:  # noqa: BLE001 - we want to see any of them
            return type(error).__name__, str(error)
    for warning in seen:
        if issubclass(warning.category, UserWarning):
            return warning.category.__name__, str(warning.message)
    return None, ""


def show(idiom, kind, message, *key_words):
    if kind.endswith("Warning"):
        kind_text = f"{kind} (a warning, the code runs)"
    else:
        kind_text = kind
    print(
        textwrap.fill(f"{kind_text}: {message}", 78, subsequent_indent="    ")
    )
    assert says[idiom].startswith(kind), (idiom, kind)
    for word in key_words:
        assert word in message, (word, message)


# %%
# ``keras.layers.recurrent`` is gone
# ----------------------------------
# Keras 2 had one module per layer family. Keras 3 exposes layers only as
# ``keras.layers.*``.
kind, message = keras_3_says(
    lambda: importlib.import_module("keras.layers.recurrent")
)
show("keras.layers.recurrent", kind, message, "No module named")
from keras.layers import LSTM  # noqa: E402 - the replacement, at this point on purpose

assert LSTM is keras.layers.LSTM

# %%
# ``CuDNNLSTM`` is gone: ``LSTM`` chooses cuDNN itself
# ----------------------------------------------------
# Keras 2 had a separate GPU-only layer. In Keras 3 the ordinary ``LSTM``
# runs the cuDNN kernel by itself when a GPU is there and its arguments allow
# it (:ref:`sphx_glr_auto_examples_beyond_plot_gpu_cudnn.py` lists the
# conditions).
kind, message = keras_3_says(lambda: keras.layers.CuDNNLSTM(8))
show("layers.CuDNNLSTM(n)", kind, message, "CuDNNLSTM")
lstm = keras.layers.LSTM(8)
assert lstm.use_cudnn == "auto"
print("keras.layers.LSTM(8).use_cudnn =", repr(lstm.use_cudnn))

# %%
# ``time_major=True`` is gone
# ---------------------------
# Keras 3 layers read ``(batch, timesteps, features)`` only. Data stored
# time-first is transposed before it goes in
# (:ref:`sphx_glr_auto_examples_seed_plot_time_major.py` shows it).
time_first = np.random.normal(0, 1, size=(7, 2, 3)).astype(
    "float32"
)  # (time, batch, features)
kind, message = keras_3_says(lambda: keras.layers.LSTM(4, time_major=True))
show(
    "LSTM(n, time_major=True)",
    kind,
    message,
    "Unrecognized keyword",
    "time_major",
)
batch_first = np.transpose(time_first, (1, 0, 2))  # or keras.ops.transpose
out = keras.layers.LSTM(4)(batch_first)
print(
    "input",
    time_first.shape,
    "-> transposed",
    batch_first.shape,
    "-> output",
    tuple(out.shape),
)
assert tuple(out.shape) == (2, 4)

# %%
# ``batch_input_shape=`` on a layer is refused
# --------------------------------------------
# The Keras 2 way to give a stateful LSTM its fixed batch size
# (`keras-team/keras#20106 <https://github.com/keras-team/keras/issues/20106>`_).
# In Keras 3 the batch size goes on the input: ``keras.Input(batch_shape=...)``
# (or ``keras.Input(batch_size=..., shape=...)``).
kind, message = keras_3_says(
    lambda: keras.layers.LSTM(4, stateful=True, batch_input_shape=(2, 7, 3))
)
show(
    "LSTM(batch_input_shape=)",
    kind,
    message,
    "Unrecognized keyword",
    "batch_input_shape",
)
stateful = keras.Sequential(
    [keras.Input(batch_shape=(2, 7, 3)), keras.layers.LSTM(4, stateful=True)]
)
print("stateful model input:", stateful.inputs[0].shape)
assert tuple(stateful.inputs[0].shape) == (2, 7, 3)

# %%
# ``input_shape=`` on the first layer warns
# -----------------------------------------
# Still accepted, with a warning on every model built this way. An
# ``Input`` first is the Keras 3 form.
kind, message = keras_3_says(
    lambda: keras.Sequential([keras.layers.LSTM(4, input_shape=(7, 3))])
)
show("LSTM(input_shape=) first", kind, message, "input_shape", "Input(shape)")
with warnings.catch_warnings():
    warnings.simplefilter("error")  # any warning would fail here
    model = keras.Sequential([keras.Input(shape=(7, 3)), keras.layers.LSTM(4)])
print(
    "keras.Input(shape=(7, 3)) first: no warning; output", model.output_shape
)

# %%
# ``Embedding(input_length=)`` warns
# ----------------------------------
# Early Keras 3 releases refused it with a ``ValueError``
# (`keras-team/keras#19282 <https://github.com/keras-team/keras/issues/19282>`_);
# this one ignores it with a warning. The length comes from the input.
kind, message = keras_3_says(
    lambda: keras.layers.Embedding(100, 8, input_length=7)
)
show("Embedding(input_length=)", kind, message, "input_length", "remove it")
embedded = keras.layers.Embedding(100, 8)(np.zeros((2, 7), dtype="int32"))
print("Embedding(100, 8) on (2, 7) token ids ->", tuple(embedded.shape))
assert tuple(embedded.shape) == (2, 7, 8)

# %%
# ``model.reset_states()`` is gone; reset the layers
# --------------------------------------------------
# A Keras 3 model has no ``reset_states()`` (nor ``reset_state()``). The
# stateful layers have ``reset_state()``; ``reset_states()`` on a *layer*
# is kept as an alias.
state_data = np.random.normal(0, 1, size=(2, 7, 3)).astype("float32")
stateful(state_data)
kind, message = keras_3_says(lambda: stateful.reset_states())
show("model.reset_states()", kind, message, "has no attribute 'reset_states'")
for layer in stateful.layers:
    if getattr(layer, "stateful", False):
        layer.reset_state()
assert not np.any(stateful.layers[0].states[0].numpy())
print(
    "after layer.reset_state() on each stateful layer: h =",
    stateful.layers[0].states[0].numpy()[0],
)

# %%
# ``keras.preprocessing``: ``pad_sequences`` stays, the rest moved
# ----------------------------------------------------------------
# ``keras.preprocessing.sequence.pad_sequences`` still works: it is the very
# function documented as ``keras.utils.pad_sequences``. The text
# ``Tokenizer`` and ``TimeseriesGenerator`` are gone.
kind, message = keras_3_says(
    lambda: keras.preprocessing.sequence.pad_sequences([[1, 2], [3]])
)
assert kind is None and says["sequence.pad_sequences"].startswith("works")
assert keras.preprocessing.sequence.pad_sequences is keras.utils.pad_sequences
print(
    "keras.preprocessing.sequence.pad_sequences is keras.utils.pad_sequences"
)
print(keras.utils.pad_sequences([[1, 2], [3]], padding="post"))

kind, message = keras_3_says(lambda: keras.preprocessing.text.Tokenizer())
show("text.Tokenizer", kind, message, "no attribute 'text'")
vectorize = keras.layers.TextVectorization(output_sequence_length=4)
vectorize.adapt(["the cell state", "the hidden state"])
ids = vectorize(["the hidden cell"]).numpy()
print("TextVectorization: 'the hidden cell' ->", ids)
assert (
    ids.shape == (1, 4) and ids[0, -1] == 0
)  # padded with 0 after the 3 words

# %%
kind, message = keras_3_says(
    lambda: keras.preprocessing.sequence.TimeseriesGenerator
)
show("TimeseriesGenerator", kind, message, "TimeseriesGenerator")
series = np.arange(10, dtype="float32")
dataset = keras.utils.timeseries_dataset_from_array(
    series[:-3, None], targets=series[3:], sequence_length=3, batch_size=8
)
windows, targets = next(iter(dataset))
print(
    "first window:", windows.numpy()[0, :, 0], "-> target", targets.numpy()[0]
)
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
kind, message = keras_3_says(lambda: classifier.predict_classes(x))
show("model.predict_classes(x)", kind, message, "predict_classes")
classes = np.argmax(classifier.predict(x, verbose=0), axis=-1)
print("np.argmax(model.predict(x), axis=-1):", classes)
assert classes.shape == (5,)

# %%
# ``fit()`` takes generators and ``tf.data`` datasets itself.
kind, message = keras_3_says(lambda: classifier.fit_generator)
show("model.fit_generator(g)", kind, message, "fit_generator")

# %%
# ``lr=`` is refused
# ------------------
kind, message = keras_3_says(lambda: keras.optimizers.Adam(lr=0.01))
show("Adam(lr=0.01)", kind, message, "not recognized", "lr")
optimizer = keras.optimizers.Adam(learning_rate=0.01)
print(
    f"Adam(learning_rate=0.01).learning_rate = {float(optimizer.learning_rate):g}"
)
assert np.isclose(float(optimizer.learning_rate), 0.01)

# %%
# Saving needs a file extension
# -----------------------------
# ``model.save("my_model")`` wrote a TensorFlow SavedModel folder in Keras 2.
# Keras 3 wants ``.keras`` (or ``.h5``); ``model.export()`` writes a
# SavedModel for serving.
folder = tempfile.mkdtemp()
kind, message = keras_3_says(
    lambda: model.save(os.path.join(folder, "my_model"))
)
show('model.save("my_model")', kind, message.replace(folder, "..."), ".keras")
model.save(os.path.join(folder, "m.keras"))
reloaded = keras.models.load_model(os.path.join(folder, "m.keras"))
np.testing.assert_allclose(reloaded(state_data), model(state_data), rtol=1e-6)
print("saved as m.keras and loaded back: same outputs")

# %%
# Still the same
# --------------
# ``tf.keras`` in TensorFlow 2.16 and later *is* Keras 3 (unless the
# separate ``tf_keras`` package is installed and ``TF_USE_LEGACY_KERAS=1``
# is set), so changing the import fixes nothing by itself:
print(
    "tf.keras.layers.LSTM is keras.layers.LSTM:",
    tf.keras.layers.LSTM is keras.layers.LSTM,
)
assert tf.keras.layers.LSTM is keras.layers.LSTM
assert says["tf.keras.layers.LSTM"] == "same class"

# %%
# ``return_state=True`` still returns ``[output, state_h, state_c]``
# (:ref:`sphx_glr_auto_examples_seed_plot_return_state.py`), and
# ``implementation=`` (how the cell groups its matrix products) is still
# accepted, with the same results.
lstm_a = keras.layers.LSTM(4, return_state=True, implementation=1)
output, state_h, state_c = lstm_a(state_data)
lstm_b = keras.layers.LSTM(4, return_state=True, implementation=2)
lstm_b.build(state_data.shape)
lstm_b.set_weights(lstm_a.get_weights())
np.testing.assert_allclose(lstm_b(state_data)[0], output, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(output, state_h)
print(
    "output, state_h, state_c =",
    tuple(output.shape),
    tuple(state_h.shape),
    tuple(state_c.shape),
)
assert (
    says["return_state unpacking"] == says["LSTM(implementation=2)"] == "works"
)

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_beyond_plot_common_errors.py` - shape errors
#   that are not about versions.
# * :ref:`sphx_glr_auto_examples_data_plot_stateful_training.py` - stateful
#   training in Keras 3, with the reset callback.
# * :ref:`sphx_glr_auto_examples_beyond_plot_gpu_cudnn.py` - when ``LSTM``
#   uses cuDNN.
