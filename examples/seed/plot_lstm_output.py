"""
What comes out of an LSTM: ``(batch, units)``
=============================================

By default a Keras LSTM layer returns **one vector per sample**: its hidden
state after the **last** time step. The output has two axes:

* **batch** - one row per input sequence;
* **units** - one number per LSTM unit (the ``units`` argument of the layer).

The time axis is gone: the layer read all 9 steps and kept only where it
ended up. This page shows the output of the seed notebook's model, and checks
that it really is the last step of the full sequence of hidden states.
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
# The same data as the seed notebook
# ----------------------------------
# 2 sequences (batch), 9 time steps, 3 features; the layer has 5 units.
batch_size = 2
seq_len = 9  # timesteps
in_features = 3
units = 5

data = np.random.normal(0, 1, size=(batch_size, seq_len, in_features)).astype(
    "float32"
)
print("input shape is", data.shape)

# %%
# The default output
# ------------------
# The model is the seed notebook's: an ``Input`` of one sample's shape and an
# ``LSTM`` layer with 5 units. Calling the model on the batch runs it once,
# with no progress bar (``model.predict`` would print one).
inputs = keras.Input(shape=(seq_len, in_features), name="sequence")
lstm = keras.layers.LSTM(units, name="lstm")
model = keras.Model(inputs=inputs, outputs=lstm(inputs), name="lstm_model")

output = model(data).numpy()
print("output shape is", output.shape)
print(output)
assert output.shape == (batch_size, units)

# %%
# Row 0 belongs to sample 0 and row 1 to sample 1; the 5 columns are the 5
# units. The numbers differ from the seed notebook's because the layer's
# starting weights are random: only the shapes carry over. They are not
# trained here; the shapes are what this page is about.
#
# Every value lies between -1 and 1. The hidden state is a product of a gate
# (between 0 and 1) and a ``tanh`` (between -1 and 1), so it can never leave
# that range.
assert np.all(np.abs(output) < 1)

# %%
# It is the hidden state after the last step
# ------------------------------------------
# A second layer with ``return_sequences=True`` returns the hidden state after
# **every** step, shape ``(batch, timesteps, units)``. Give it the first
# layer's weights with ``set_weights(get_weights())`` so both compute the same
# thing, and compare.
seq_inputs = keras.Input(shape=(seq_len, in_features), name="sequence")
seq_lstm = keras.layers.LSTM(
    units, return_sequences=True, name="lstm_sequences"
)
seq_model = keras.Model(
    inputs=seq_inputs, outputs=seq_lstm(seq_inputs), name="sequences_model"
)
seq_lstm.set_weights(lstm.get_weights())

sequences = seq_model(data).numpy()
print("all steps:", sequences.shape)
print("last step, sequences[:, -1, :]:")
print(sequences[:, -1, :])
assert sequences.shape == (batch_size, seq_len, units)
np.testing.assert_allclose(sequences[:, -1, :], output, rtol=1e-5, atol=1e-6)

# %%
# The default output equals ``sequences[:, -1, :]``, the last time step. The
# steps before it are computed too (the LSTM needs them to get to the end),
# but the default layer does not return them.
# :ref:`sphx_glr_auto_examples_seed_plot_return_sequences.py` looks at them.

# %%
# The output as a picture
# -----------------------
# One row per sample, one column per unit. Blue is negative, red is positive.
limit = np.abs(output).max()
fig, ax = plt.subplots(figsize=(7, 3.2), layout="constrained")
image = ax.imshow(output, cmap="RdBu_r", vmin=-limit, vmax=limit)
for sample in range(batch_size):
    for unit in range(units):
        value = output[sample, unit]
        colour = (
            "white" if abs(value) > 0.6 * limit else "black"
        )  # readable on dark cells
        ax.text(
            unit,
            sample,
            f"{value:.2f}",
            ha="center",
            va="center",
            color=colour,
        )
ax.set_xlabel("unit")
ax.set_ylabel("sample")
ax.set_xticks(range(units))
ax.set_yticks(range(batch_size))
fig.colorbar(image, ax=ax, label="hidden state after the last step")
fig.suptitle("LSTM output, shape (batch=2, units=5)")
plt.show()

# %%
# In short: ``LSTM(units)`` turns ``(batch, timesteps, features)`` into
# ``(batch, units)``, the hidden state after the last step. To keep every
# step, see :ref:`sphx_glr_auto_examples_seed_plot_return_sequences.py`; to
# also get the cell state, see
# :ref:`sphx_glr_auto_examples_seed_plot_return_state.py`.
