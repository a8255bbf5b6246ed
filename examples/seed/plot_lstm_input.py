"""
What goes into an LSTM: ``(batch, timesteps, features)``
=========================================================

A Keras LSTM layer reads a 3-D array. Each axis has one meaning:

* **batch** - how many independent sequences (samples) are processed at once;
* **timesteps** - how many steps each sequence has, read in order;
* **features** - how many numbers describe one step.

This page builds the seed notebook's data, shows what the model reports as its
input, what ``None`` means there, and the error Keras raises when the array is
not 3-D.
"""

# sphinx_gallery_start_ignore
# Hidden on the page, kept in the download (see the gallery's front page):
# quiet TensorFlow, no oneDNN reordering, the TensorFlow backend.
import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ["KERAS_BACKEND"] = "tensorflow"
# sphinx_gallery_end_ignore
import textwrap

import keras
import matplotlib.pyplot as plt
import numpy as np

# One call seeds Python, NumPy and the backend. (The seed notebook's
# reset_graph() does not seed Keras 3: see the end of this page.)
keras.utils.set_random_seed(313)
np.set_printoptions(precision=4, suppress=True)

# %%
# The data: 2 sequences of 9 steps with 3 features each
# ------------------------------------------------------
# The same sizes as the seed notebook.
batch_size = 2
seq_len = 9  # timesteps
in_features = 3
units = 5

data = np.random.normal(0, 1, size=(batch_size, seq_len, in_features)).astype(
    "float32"
)
print("input shape is", data.shape)
assert data.shape == (batch_size, seq_len, in_features)

# %%
# Each sample is a small table: one row per time step, one column per feature.
# Here is the picture of the whole batch. Blue is negative, red is positive,
# white is zero.
limit = np.abs(data).max()
fig, axes = plt.subplots(
    1, batch_size, figsize=(7, 3.6), sharey=True, layout="constrained"
)
for sample, ax in enumerate(axes):
    image = ax.imshow(
        data[sample], cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto"
    )
    ax.set_title(f"sample {sample}")
    ax.set_xlabel("feature")
    ax.set_xticks(range(in_features))
axes[0].set_ylabel("time step")
axes[0].set_yticks(range(seq_len))
fig.colorbar(image, ax=axes, label="input value")
fig.suptitle("Input batch, shape (batch=2, timesteps=9, features=3)")
plt.show()

# %%
# What the model says it takes
# ----------------------------
# ``keras.Input`` takes the shape of **one** sample, ``(timesteps, features)``.
# The batch axis is added in front of it.
inputs = keras.Input(shape=(seq_len, in_features), name="sequence")
outputs = keras.layers.LSTM(units, name="lstm")(inputs)
model = keras.Model(inputs=inputs, outputs=outputs, name="lstm_model")
print(textwrap.fill(str(model.inputs), 78, subsequent_indent=" "))

# %%
# The batch axis is ``None``: the model was built without fixing how many
# samples it will be given, so any batch size works. The other two axes are
# fixed by ``Input(shape=...)``.
assert tuple(model.inputs[0].shape) == (None, seq_len, in_features)
for n in (1, 2, 7):
    batch = np.zeros((n, seq_len, in_features), dtype="float32")
    assert model(batch).shape == (n, units)
print("batches of 1, 2 and 7 samples all work")

# %%
# A 2-D array is refused
# ----------------------
# A single sequence of shape ``(timesteps, features)`` is one axis short: Keras
# has no way to tell it from a batch of 9 samples with 3 steps each, so it
# refuses it and names both shapes.
one_sequence = data[0]
print("one sequence:", one_sequence.shape)
try:
    model(one_sequence)
except ValueError as error:
    message = str(error)
    print(
        textwrap.fill(f"ValueError: {message}", 78, subsequent_indent="    ")
    )
assert "expected shape=(None, 9, 3), found shape=(9, 3)" in message

# %%
# The fix is to add the batch axis, here a batch of one:
# ``one_sequence[np.newaxis]`` (or ``np.expand_dims(one_sequence, 0)``).
fixed = one_sequence[np.newaxis]
print("with a batch axis:", fixed.shape, "->", tuple(model(fixed).shape))
assert fixed.shape == (1, seq_len, in_features)

# %%
# Called on its own, outside a model, the layer says the same thing in terms of
# the number of axes (``ndim``):
try:
    keras.layers.LSTM(units)(one_sequence)
except ValueError as error:
    message = str(error)
    print(
        textwrap.fill(f"ValueError: {message}", 78, subsequent_indent="    ")
    )
assert "expected ndim=3, found ndim=2" in message

# %%
# In short: one sample is ``(timesteps, features)``; what you pass to the
# layer is always ``(batch, timesteps, features)``, even for one sample.

# %%
# Why ``keras.utils.set_random_seed``, not the seed's ``reset_graph()``
# ---------------------------------------------------------------------
# The seed notebook made its runs repeatable with this function, written for
# TensorFlow 1-style graphs:
import tensorflow as tf


def reset_graph(seed=313):
    tf.compat.v1.reset_default_graph()
    tf.compat.v1.set_random_seed(seed)
    np.random.seed(seed)


def fresh_lstm_kernel():
    """The initial kernel of a new LSTM(5) layer on 3 features."""
    layer = keras.layers.LSTM(units)
    layer.build((None, seq_len, in_features))
    return layer.get_weights()[0]


# %%
# Keras 3 draws its initial weights from its own seed generator, which
# ``reset_graph()`` does not touch: two layers created after the same reset
# start from different weights.
reset_graph()
first = fresh_lstm_kernel()
reset_graph()
second = fresh_lstm_kernel()
print("same weights after reset_graph():", np.allclose(first, second))
assert not np.allclose(first, second)

# %%
# ``keras.utils.set_random_seed`` seeds Python's ``random``, NumPy, the
# backend and Keras' own generator, so the same seed gives the same weights:
keras.utils.set_random_seed(313)
first = fresh_lstm_kernel()
keras.utils.set_random_seed(313)
second = fresh_lstm_kernel()
print("same weights after set_random_seed():", np.allclose(first, second))
np.testing.assert_array_equal(first, second)

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_seed_plot_lstm_output.py` - what comes out of the layer.
# * :ref:`sphx_glr_auto_examples_beyond_plot_common_errors.py` - the shape errors people search for, with fixes.
# * :ref:`sphx_glr_auto_examples_beyond_plot_shape_cheatsheet.py` - every output shape in one table.
