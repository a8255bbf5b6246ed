"""
``time_major``: gone in Keras 3, and what it meant
==================================================

**In short:** Keras 3 has no ``time_major``; an LSTM reads
``(batch, timesteps, features)``. Transpose time-major data
``(timesteps, batch, features)`` with ``(1, 0, 2)`` before it reaches the
model. The first page, :ref:`sphx_glr_auto_examples_seed_plot_lstm_input.py`,
has more on the input's axes.

In Keras 2 (``tf.keras`` up to TensorFlow 2.15; 2.16 made ``tf.keras`` Keras
3, source: `TensorFlow 2.16 release notes
<https://github.com/tensorflow/tensorflow/releases/tag/v2.16.1>`__),
``LSTM(..., time_major=True)`` changed the order of the **first two** axes of
the input (source: `TF 2.15 LSTM docs
<https://www.tensorflow.org/versions/r2.15/api_docs/python/tf/keras/layers/LSTM>`__):

* ``time_major=False`` (the default): ``(batch, timesteps, features)``;
* ``time_major=True``: ``(timesteps, batch, features)``.

The seed notebook described it as ``(batch_size, num_inputs,
sequence_length)``, that is ``(batch, features, timesteps)``, which is wrong.
This page shows that Keras 3 no longer accepts the option, explains what the
seed's own run computed, and how to feed time-major data to a Keras 3 LSTM.
"""

# sphinx_gallery_start_ignore
# Hidden on the page, kept in the download (see the gallery's front page):
# quiet TensorFlow, no oneDNN reordering, the TensorFlow backend.
import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ["KERAS_BACKEND"] = "tensorflow"
# sphinx_gallery_end_ignore
import warnings

import keras
import matplotlib.pyplot as plt
import numpy as np

keras.utils.set_random_seed(313)
np.set_printoptions(precision=4, suppress=True)

# %%
# Data the shape of the seed notebook's
# -------------------------------------
batch_size = 2
timesteps = 9
features = 3
units = 5

data = np.random.normal(0, 1, size=(batch_size, timesteps, features))
data = data.astype("float32")
print("input shape is", data.shape)

# %%
# Keras 3 refuses ``time_major``
# ------------------------------
# The argument was removed. Passing it is an error when the layer is created,
# before it sees any data:
try:
    keras.layers.LSTM(units, time_major=True)
except ValueError as err:
    message = str(err)
    print(message)
assert "Unrecognized keyword arguments passed to LSTM" in message
assert "time_major" in message

# %%
# What the seed notebook computed
# -------------------------------
# The seed notebook's code (the line below) swapped the last two axes of its
# ``(2, 9, 3)`` data and got a ``(2, 3, 9)`` array, meaning it to be "2
# samples, 3 features, 9 steps":
seed_array = np.moveaxis(data, [1, 2], [2, 1])
print("the seed's array:", seed_array.shape)
assert seed_array.shape == (batch_size, features, timesteps)

# %%
# But with ``time_major=True``, tf.keras 2.x read the axes as
# ``(timesteps, batch, features)`` (source: `TF 2.15 LSTM docs
# <https://www.tensorflow.org/versions/r2.15/api_docs/python/tf/keras/layers/LSTM>`__):
# **2 time steps** of a **batch of 3** samples with **9 features** each.
# That is why the seed printed an output of shape ``(3, 5)``, one row per
# "sample", and not ``(2, 5)``.
#
# Keras 3 gives the same reading when the array is put in the batch-major
# order that reading implies: swap the first two axes, so the 3 becomes the
# batch and the 2 the time steps.
# (batch=3, timesteps=2, features=9)
seed_as_batch_major = np.transpose(seed_array, (1, 0, 2))
print("read as (batch, timesteps, features):", seed_as_batch_major.shape)

seed_lstm = keras.layers.LSTM(units, name="seed_reading")
seed_output = seed_lstm(seed_as_batch_major).numpy()
print("output shape is", seed_output.shape)
print(seed_output)
assert seed_output.shape == (3, units)

# %%
# The shape matches the seed's ``(3, 5)``; the values do not: the seed's data
# and weights were random draws, and so are this page's. Whatever the
# numbers, that run did not process "2 samples of 9 steps": it mixed up time,
# samples and features. Its kernel even has 9 input rows, one per "feature":
seed_printed = np.array(
    [
        [0.0856159, 0.06631077, -0.43855685, 0.1004677, -0.40924817],
        [0.02948599, 0.02146549, 0.01565967, -0.10389965, 0.27761555],
        [0.09459803, 0.14054263, 0.1562092, -0.11277693, -0.12558709],
    ]
)  # the seed notebook's output (TF 2.7)
assert seed_printed.shape == seed_output.shape
assert not np.allclose(seed_printed, seed_output)
print("kernel shape:", tuple(seed_lstm.cell.kernel.shape))
assert tuple(seed_lstm.cell.kernel.shape) == (timesteps, 4 * units)

# %%
# Feeding genuinely time-major data to Keras 3
# --------------------------------------------
# Suppose your data really is time-major, ``(timesteps, batch, features)``,
# for example from a simulation that writes one step at a time:
time_major_data = np.transpose(data, (1, 0, 2))
print("time-major data:", time_major_data.shape)
assert time_major_data.shape == (timesteps, batch_size, features)

# %%
# A Keras 3 LSTM reads ``(batch, timesteps, features)`` (Keras source:
# keras/src/layers/rnn/lstm.py, "Call arguments"). A model built
# with ``keras.Input(shape=(9, 3))`` refuses the time-major array, because its
# second axis is 2, not 9:
inputs = keras.Input(shape=(timesteps, features), name="sequence")
lstm = keras.layers.LSTM(units, name="lstm")
model = keras.Model(inputs=inputs, outputs=lstm(inputs), name="lstm_model")
try:
    model(time_major_data)
except ValueError as err:
    message = str(err)
    print(message)
assert "expected shape=(None, 9, 3), found shape=(9, 2, 3)" in message

# %%
# Watch out for a bare layer: it has no fixed number of time steps, so it
# accepts the array without an error or a warning and reads it as 9 samples
# of 2 steps. The output has one row per step instead of one per sample:
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    wrong = lstm(time_major_data)
print("time-major array into the bare layer:", tuple(wrong.shape))
assert tuple(wrong.shape) == (timesteps, units)
assert not caught

# %%
# The fix is to swap the first two axes **before** the model.
# ``keras.layers.Permute``, the layer that reorders axes, leaves the batch
# axis where it is (Keras source: keras/src/layers/reshaping/permute.py).
# ``Permute((2, 1))`` swaps the second and third axes; the first, here the
# time axis, stays first:
permuted = keras.layers.Permute((2, 1))(time_major_data)
print("Permute((2, 1)):", time_major_data.shape, "->", tuple(permuted.shape))
assert tuple(permuted.shape) == (timesteps, features, batch_size)

# %%
# Swap with NumPy (``np.transpose(x, (1, 0, 2))``) or, on a tensor, with
# ``keras.ops.transpose``:
batch_major = keras.ops.transpose(time_major_data, (1, 0, 2))
print("swapped back:", tuple(batch_major.shape))
fixed_output = model(batch_major).numpy()
print("output shape is", fixed_output.shape)
print(fixed_output)
assert fixed_output.shape == (batch_size, units)
np.testing.assert_allclose(
    fixed_output, model(data).numpy(), rtol=1e-5, atol=1e-6
)

# %%
# The swapped array gives exactly the output of the original batch-major
# data.
#
# The two layouts, side by side
# -----------------------------
# The same 54 numbers, stacked row by row in the order each layout stores
# them. Batch-major keeps each sample's 9 steps together; time-major keeps
# each step's 2 samples together: row ``s * 9 + t`` on the left and row
# ``t * 2 + s`` on the right both hold sample ``s`` at step ``t``. The columns
# are the 3 features.
batch_major_rows = data.reshape(batch_size * timesteps, features)
time_major_rows = time_major_data.reshape(timesteps * batch_size, features)
for sample in range(batch_size):
    for step in range(timesteps):
        row = data[sample, step]
        assert np.array_equal(batch_major_rows[sample * timesteps + step], row)
        assert np.array_equal(time_major_rows[step * batch_size + sample], row)
batch_major_labels = [
    f"sample {s}, step {t}"
    for s in range(batch_size)
    for t in range(timesteps)
]
time_major_labels = [
    f"step {t}, sample {s}"
    for t in range(timesteps)
    for s in range(batch_size)
]

limit = np.abs(data).max()
fig, axes = plt.subplots(1, 2, figsize=(5.3, 6.4), layout="constrained")
panels = [
    (
        axes[0],
        batch_major_rows,
        batch_major_labels,
        "batch-major (2, 9, 3)",
        timesteps,
    ),
    (
        axes[1],
        time_major_rows,
        time_major_labels,
        "time-major (9, 2, 3)",
        batch_size,
    ),
]
for ax, rows, labels, title, block in panels:
    image = ax.imshow(
        rows, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto"
    )
    for edge in range(block, len(rows), block):
        ax.axhline(edge - 0.5, color="black", linewidth=1.5)
    ax.set_yticks(range(len(rows)), labels, fontsize=10)
    ax.set_xticks(range(features))
    ax.set_xlabel("feature")
    ax.set_title(title, fontsize=11, loc="right")
axes[0].set_ylabel("row in memory order")
fig.colorbar(image, ax=axes, label="input value", location="bottom")
fig.suptitle("The same input stored batch-major and time-major")
plt.show()

# %%
# Black lines separate the blocks of the first axis: 2 blocks of 9 steps on
# the left, 9 blocks of 2 samples on the right. Swapping the first two axes
# moves rows between these orders and changes no value.
np.testing.assert_array_equal(
    np.sort(batch_major_rows, axis=None), np.sort(data, axis=None)
)
np.testing.assert_array_equal(
    np.sort(time_major_rows, axis=None), np.sort(data, axis=None)
)

# %%
# Exercises
# ---------
# **1. Predict the shape, then fix it.** ``x`` holds 4 sequences of 20 steps
# with 3 features, stored time-major: ``x.shape == (20, 4, 3)``. What does a
# bare ``keras.layers.LSTM(5)`` return for ``x``, and what should it return?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# The layer reads the 20 as the batch and the 4 as the steps, and returns
# ``(20, 5)`` with no error. Swap the first two axes to get one row per
# sequence, ``(4, 5)``.
x = np.random.normal(size=(20, 4, 3)).astype("float32")
layer = keras.layers.LSTM(5)
as_given = layer(x)
swapped = layer(np.transpose(x, (1, 0, 2)))
print("as given:", tuple(as_given.shape), " swapped:", tuple(swapped.shape))
assert tuple(as_given.shape) == (20, 5)
assert tuple(swapped.shape) == (4, 5)

# %%
# .. raw:: html
#
#    </details>
#
# See also
# --------
# * :ref:`sphx_glr_auto_examples_beyond_plot_keras_vs_pytorch.py` - PyTorch's time-major default and batch_first.
# * :ref:`sphx_glr_auto_examples_beyond_plot_common_errors.py` - this and the other common error messages.
