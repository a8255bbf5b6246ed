"""
Every step's output: ``return_sequences=True``
==============================================

With ``return_sequences=True`` an LSTM layer returns its hidden state after
**every** time step, not only after the last one. The output gets a time axis
back:

* without it: ``(batch, units)``;
* with it: ``(batch, timesteps, units)``.

This is what you need when the next layer wants a sequence too (another LSTM,
a ``Conv1D``, one prediction per step). This page prints the full sequence and
checks that its last step is the default output.
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
batch_size = 2
seq_len = 9  # timesteps
in_features = 3
units = 5

data = np.random.normal(0, 1, size=(batch_size, seq_len, in_features)).astype(
    "float32"
)
print("input shape is", data.shape)

# %%
# The hidden state at every step
# ------------------------------
inputs = keras.Input(shape=(seq_len, in_features), name="sequence")
seq_lstm = keras.layers.LSTM(
    units, return_sequences=True, name="lstm_sequences"
)
model = keras.Model(
    inputs=inputs, outputs=seq_lstm(inputs), name="sequences_model"
)

sequences = model(data).numpy()
print("output shape is", sequences.shape)
print(sequences)
assert sequences.shape == (batch_size, seq_len, units)

# %%
# The output is a block of 9 rows per sample: row ``t`` is the hidden state
# ``h_t`` after reading steps ``0`` to ``t``. Each step's input is 3 numbers;
# each step's output is 5 numbers, one per unit. The number of time steps is
# unchanged.

# %%
# The last step is the default output
# -----------------------------------
# A default layer (no ``return_sequences``) with the **same weights** returns
# exactly the last row of each block, as
# :ref:`sphx_glr_auto_examples_seed_plot_lstm_output.py` showed from the
# other side.
last_inputs = keras.Input(shape=(seq_len, in_features), name="sequence")
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
assert [w.shape for w in seq_lstm.get_weights()] == [
    w.shape for w in last_lstm.get_weights()
]
print("weight shapes:", [w.shape for w in seq_lstm.get_weights()])

# %%
# The hidden state over time
# --------------------------
# One panel per sample: a row per time step, a column per unit. The bottom
# row of each panel (step 8) is that sample's default output.
limit = np.abs(sequences).max()
fig, axes = plt.subplots(
    1, batch_size, figsize=(7, 4), sharey=True, layout="constrained"
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
axes[0].set_yticks(range(seq_len))
fig.colorbar(image, ax=axes, label="hidden state h_t")
fig.suptitle("return_sequences=True: shape (batch=2, timesteps=9, units=5)")
plt.show()

# %%
# In short: ``return_sequences=True`` keeps the time axis,
# ``(batch, timesteps, units)``; its last step ``[:, -1, :]`` is what the
# default layer returns. The next page,
# :ref:`sphx_glr_auto_examples_seed_plot_return_state.py`, returns the
# layer's final states as well.

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_trained_plot_counting_unit.py` - what does this look like after training?
