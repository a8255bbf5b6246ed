"""
What goes into an LSTM: ``(batch, timesteps, features)``
=========================================================

**In short:** one sample is a ``(timesteps, features)`` table; what you pass
to an LSTM layer is a 3-D array ``(batch, timesteps, features)``, even for a
single sample. ``keras.Input(shape=...)`` takes the shape of one sample and
leaves the batch size open (``None``).

The three axes:

* **batch** - how many independent sequences (samples) are processed at once;
* **timesteps** - how many steps each sequence has, read in order;
* **features** - how many numbers describe one step.

This page builds data the shape of the seed notebook's (random numbers, like
the notebook's), shows what the model reports as its input, what ``None``
means there, and the errors Keras raises when the array is not 3-D. Each of
the three words above is checked below: the samples do not affect each other,
the order of the steps matters, and the layer's weights have one row per
feature.
"""

# sphinx_gallery_start_ignore
# Hidden on the page, kept in the download (see the gallery's front page):
# quiet TensorFlow, no oneDNN reordering, the TensorFlow backend.
import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ["KERAS_BACKEND"] = "tensorflow"
# sphinx_gallery_end_ignore
import keras
import matplotlib.pyplot as plt
import numpy as np

# Seed Python, NumPy and TensorFlow, and reset Keras' global seed generator
# (Keras source: keras/src/utils/rng_utils.py). The seed notebook's
# reset_graph() does not seed Keras 3: see the end of this page.
keras.utils.set_random_seed(313)
np.set_printoptions(precision=4, suppress=True)

# %%
# The data: 2 sequences of 9 steps with 3 features each
# ------------------------------------------------------
# The seed notebook's sizes, with new random numbers. The notebook called the
# two inner sizes ``seq_len`` and ``in_features``; this site calls them
# ``timesteps`` and ``features`` everywhere.
batch_size = 2
timesteps = 9
features = 3
units = 5

data = np.random.normal(0, 1, size=(batch_size, timesteps, features))
data = data.astype("float32")
print("input shape is", data.shape)
assert data.shape == (batch_size, timesteps, features)

# %%
# Each sample is a small table: one row per time step, one column per feature.
# Here is the picture of the whole batch, on one colour scale centred on zero:
# blue is negative, red is positive, white is zero.
limit = np.abs(data).max()
fig, axes = plt.subplots(
    1, batch_size, figsize=(5, 4), sharey=True, layout="constrained"
)
for sample, ax in enumerate(axes):
    image = ax.imshow(
        data[sample], cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto"
    )
    ax.set_title(f"sample {sample}")
    ax.set_xlabel("feature")
    ax.set_xticks(range(features))
axes[0].set_ylabel("time step")
axes[0].set_yticks(range(timesteps))
fig.colorbar(image, ax=axes, label="input value")
fig.suptitle(
    "Input batch, shape (batch=2, timesteps=9, features=3)", fontsize=11
)
plt.show()
assert image.norm.vmin == -image.norm.vmax  # the scale is centred on 0

# %%
# What the model says it takes
# ----------------------------
# ``keras.Input`` takes the shape of **one** sample, ``(timesteps, features)``.
# The model's input gets the batch axis in front of it.
inputs = keras.Input(shape=(timesteps, features), name="sequence")
lstm = keras.layers.LSTM(units, name="lstm")
model = keras.Model(inputs=inputs, outputs=lstm(inputs), name="lstm_model")
print(model.inputs)
assert tuple(model.inputs[0].shape) == (None, timesteps, features)

# %%
# The batch axis is ``None``: the model was built without fixing how many
# samples it will be given, so batches of other sizes go through it, here 1, 2
# and 7 samples.
for n in (1, 2, 7):
    batch = np.zeros((n, timesteps, features), dtype="float32")
    assert model(batch).shape == (n, units)
print("batches of 1, 2 and 7 samples all work")

# %%
# The other two axes are fixed by ``Input(shape=...)``: 8 time steps instead
# of 9 are refused.
try:
    model(np.zeros((2, 8, features), dtype="float32"))
except ValueError as err:
    message = str(err)
    print(message)
assert "expected shape=(None, 9, 3), found shape=(2, 8, 3)" in message

# %%
# The three axes mean what their names say
# ----------------------------------------
# **batch**: the samples are independent. Sample 0 run alone gives the same
# output as sample 0 run in the batch of 2.
together = model(data).numpy()
alone = model(data[:1]).numpy()
np.testing.assert_allclose(alone[0], together[0], rtol=1e-5, atol=1e-6)
print("sample 0 alone == sample 0 in the batch")

# %%
# **timesteps**: the steps are read in order. The same 9 steps in reverse
# order give a different output.
reversed_steps = model(data[:, ::-1]).numpy()
difference = np.abs(reversed_steps - together).max()
print(f"steps reversed: output changes by up to {difference:.4f}")
assert difference > 0.01

# %%
# **features**: the layer's input weights (its kernel) have one row per
# feature, 3 here (:ref:`sphx_glr_auto_examples_seed_plot_lstm_weights.py`
# takes them apart).
print("kernel shape:", lstm.get_weights()[0].shape)
assert lstm.get_weights()[0].shape == (features, 4 * units)

# %%
# A 2-D array is refused
# ----------------------
# A single sequence of shape ``(timesteps, features)`` is one axis short.
# Keras does not guess which axis is missing: it refuses the array and names
# both shapes.
one_sequence = data[0]
print("one sequence:", one_sequence.shape)
try:
    model(one_sequence)
except ValueError as err:
    message = str(err)
    print(message)
assert "expected shape=(None, 9, 3), found shape=(9, 3)" in message

# %%
# The fix is to add the batch axis, here a batch of one:
# ``one_sequence[np.newaxis]`` (or ``np.expand_dims(one_sequence, 0)``).
fixed = one_sequence[np.newaxis]
print("with a batch axis:", fixed.shape, "->", tuple(model(fixed).shape))
assert fixed.shape == (1, timesteps, features)
assert model(fixed).shape == (1, units)

# %%
# Called on its own, outside a model, the layer says it in terms of the
# number of axes (``ndim``). It refuses a 4-D array the same way.
for array in (one_sequence, data[np.newaxis]):
    try:
        keras.layers.LSTM(units)(array)
    except ValueError as err:
        message = str(err)
        print(message)
    assert f"expected ndim=3, found ndim={array.ndim}" in message

# %%
# Why ``keras.utils.set_random_seed``, not the seed's ``reset_graph()``
# ---------------------------------------------------------------------
# The seed notebook made its runs repeatable with this function, which
# resets TensorFlow 1-style graphs (``tf.compat.v1``) and seeds NumPy:
import tensorflow as tf


def reset_graph(seed=313):
    tf.compat.v1.reset_default_graph()
    tf.compat.v1.set_random_seed(seed)
    np.random.seed(seed)


def fresh_lstm_kernel():
    """The initial kernel of a new LSTM(5) layer on 3 features."""
    layer = keras.layers.LSTM(units)
    layer.build((None, timesteps, features))
    return layer.get_weights()[0]


# %%
# A Keras 3 initializer created without a seed draws one from Python's
# ``random`` module (Keras source: keras/src/initializers/
# random_initializers.py), which ``reset_graph()`` does not seed: two layers
# created after the same reset start from different weights.
reset_graph()
first = fresh_lstm_kernel()
reset_graph()
second = fresh_lstm_kernel()
print("same weights after reset_graph():", np.allclose(first, second))
assert not np.allclose(first, second)

# %%
# ``keras.utils.set_random_seed`` seeds Python's ``random``, NumPy and
# TensorFlow, and resets Keras' global seed generator (Keras source:
# keras/src/utils/rng_utils.py), so the same seed gives the same weights:
keras.utils.set_random_seed(313)
first = fresh_lstm_kernel()
keras.utils.set_random_seed(313)
second = fresh_lstm_kernel()
print("same weights after set_random_seed():", np.allclose(first, second))
np.testing.assert_array_equal(first, second)

# %%
# Exercises
# ---------
# **1. Predict the shape.** What shape does ``model`` (9 steps, 3 features,
# 5 units) return for ``np.zeros((4, 9, 3))``?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# One row per sample, one column per unit: ``(4, 5)``.
answer = model(np.zeros((4, 9, 3), dtype="float32"))
print(tuple(answer.shape))
assert tuple(answer.shape) == (4, 5)

# %%
# .. raw:: html
#
#    </details>
#
# **2. Fix this error.** This model is meant to read the batch ``data`` of
# shape ``(2, 9, 3)``, but building it fails. Why, and what is the fix?
#
# .. code-block:: python
#
#    inputs = keras.Input(shape=(2, 9, 3))
#    outputs = keras.layers.LSTM(5)(inputs)
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# ``Input(shape=...)`` is the shape of one sample; Keras adds the batch axis,
# so the LSTM would get 4 axes. Leave the batch size out:
try:
    keras.layers.LSTM(5)(keras.Input(shape=(2, 9, 3)))
except ValueError as err:
    print(err)
inputs = keras.Input(shape=(9, 3))
fixed_model = keras.Model(inputs, keras.layers.LSTM(5)(inputs))
print(tuple(fixed_model(data).shape))
assert tuple(fixed_model(data).shape) == (2, 5)

# %%
# .. raw:: html
#
#    </details>
#
# See also
# --------
# * :ref:`sphx_glr_auto_examples_seed_plot_lstm_output.py` - what comes out of the layer.
# * :ref:`sphx_glr_auto_examples_beyond_plot_common_errors.py` - the shape errors people search for, with fixes.
# * :ref:`sphx_glr_auto_examples_beyond_plot_shape_cheatsheet.py` - every output shape in one table.
