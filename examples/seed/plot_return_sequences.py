"""
Every step's output: ``return_sequences=True``
==============================================

**In short:** ``return_sequences=True`` keeps the time axis: the layer
returns its hidden state after **every** step, ``(batch, timesteps, units)``,
and its last step ``[:, -1, :]`` is what the default layer returns. The next
page, :ref:`sphx_glr_auto_examples_seed_plot_return_state.py`, returns the
layer's final states as well.

The output's shape:

* without it: ``(batch, units)``;
* with it: ``(batch, timesteps, units)``.

Use it when the next layer needs a sequence too (another LSTM, a ``Conv1D``,
one prediction per step). This page prints the full sequence and checks that
its last step is the default output.
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
# The hidden state at every step
# ------------------------------
inputs = keras.Input(shape=(timesteps, features), name="sequence")
seq_lstm = keras.layers.LSTM(
    units, return_sequences=True, name="lstm_sequences"
)
model = keras.Model(
    inputs=inputs, outputs=seq_lstm(inputs), name="sequences_model"
)

sequences = model(data).numpy()
print("output shape is", sequences.shape)
print(sequences)
assert sequences.shape == (batch_size, timesteps, units)

# %%
# The output is a block of 9 rows per sample: row ``t`` is the hidden state
# ``h_t`` after reading steps ``0`` to ``t``. Each step's input is 3 numbers;
# each step's output is 5 numbers, one per unit. The number of time steps is
# unchanged.
#
# Row ``t`` depends on steps ``0`` to ``t`` only: the layer run on the first
# ``t + 1`` steps alone gives the same row, for every ``t``.
for t in range(timesteps):
    first_steps = seq_lstm(data[:, : t + 1]).numpy()
    np.testing.assert_allclose(
        first_steps[:, -1], sequences[:, t], rtol=1e-5, atol=1e-6
    )
print("row t == the layer run on steps 0..t, for t = 0..8")

# %%
# The last step is the default output
# -----------------------------------
# A default layer (no ``return_sequences``) with the **same weights** returns
# exactly the last row of each block, as
# :ref:`sphx_glr_auto_examples_seed_plot_lstm_output.py` showed from the
# other side.
last_inputs = keras.Input(shape=(timesteps, features), name="sequence")
last_lstm = keras.layers.LSTM(units, name="lstm")
last_model = keras.Model(
    inputs=last_inputs, outputs=last_lstm(last_inputs), name="lstm_model"
)
last_lstm.set_weights(seq_lstm.get_weights())

output = last_model(data).numpy()
print("default output:", output.shape)
print(output)
assert output.shape == (batch_size, units)
np.testing.assert_allclose(sequences[:, -1, :], output, rtol=1e-5, atol=1e-6)

# %%
# ``return_sequences`` changes what is **returned**, not what is computed: the
# layer has the same weights (same shapes, same count) either way.
print("weight shapes:", [w.shape for w in seq_lstm.get_weights()])
assert [w.shape for w in seq_lstm.get_weights()] == [
    w.shape for w in last_lstm.get_weights()
]
assert seq_lstm.count_params() == last_lstm.count_params() == 180

# %%
# The hidden state over time
# --------------------------
# One panel per sample: a row per time step, a column per unit, on one
# colour scale centred on zero. The bottom row of each panel (step 8) is
# that sample's default output.
limit = np.abs(sequences).max()
fig, axes = plt.subplots(
    1, batch_size, figsize=(5, 4.4), sharey=True, layout="constrained"
)
for sample, ax in enumerate(axes):
    image = ax.imshow(
        sequences[sample],
        cmap="RdBu_r",
        vmin=-limit,
        vmax=limit,
        aspect="auto",
    )
    ax.set_title(f"sample {sample}")
    ax.set_xlabel("unit")
    ax.set_xticks(range(units))
axes[0].set_ylabel("time step")
axes[0].set_yticks(range(timesteps))
fig.colorbar(image, ax=axes, label="hidden state h_t")
fig.suptitle(
    "return_sequences=True: shape (batch=2, timesteps=9, units=5)",
    fontsize=10,
)
plt.show()

# %%
# Exercises
# ---------
# **1. Predict the shape.** Two LSTMs stacked on the batch ``data``
# ``(2, 9, 3)``: what does this return?
#
# .. code-block:: python
#
#    x = keras.layers.LSTM(4, return_sequences=True)(data)
#    y = keras.layers.LSTM(6)(x)
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# The first layer keeps the 9 steps, ``(2, 9, 4)``; the second reads them as
# 9 steps of 4 features and returns its last step: ``(2, 6)``.
x = keras.layers.LSTM(4, return_sequences=True)(data)
y = keras.layers.LSTM(6)(x)
print(tuple(x.shape), "->", tuple(y.shape))
assert tuple(x.shape) == (2, 9, 4) and tuple(y.shape) == (2, 6)

# %%
# .. raw:: html
#
#    </details>
#
# **2. Fix this error.** This stack fails. Why, and what is the fix?
#
# .. code-block:: python
#
#    x = keras.layers.LSTM(4)(data)
#    y = keras.layers.LSTM(6)(x)
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# The first LSTM returns only its last step, ``(2, 4)``, with no time axis
# left for the second one to read. Give the first layer
# ``return_sequences=True`` (the fixed code is exercise 1).
x = keras.layers.LSTM(4)(data)
try:
    keras.layers.LSTM(6)(x)
except ValueError as err:
    message = str(err)
    print(message)
assert "expected ndim=3, found ndim=2" in message

# %%
# .. raw:: html
#
#    </details>
#
# See also
# --------
# * :ref:`sphx_glr_auto_examples_trained_plot_counting_unit.py` - what does this look like after training?
