"""
Sequences and states together
=============================

**In short:** with ``return_sequences=True`` and ``return_state=True`` an
LSTM returns ``[sequences, state_h, state_c]``. The cell state at earlier
steps is not returned, but stepping the layer's cell, ``lstm.cell``, gives it.
The next page, :ref:`sphx_glr_auto_examples_seed_plot_time_major.py`, is
about the order of the input's axes.

The three arrays:

* ``sequences`` - the hidden state after every step,
  ``(batch, timesteps, units)``;
* ``state_h`` - the final hidden state, ``(batch, units)``, the last step of
  ``sequences``;
* ``state_c`` - the final cell state, ``(batch, units)``.

Keras returns the hidden state at every step but the cell state **only at the
end**: the states it returns are the last ones (Keras source:
keras/src/layers/rnn/rnn.py). To see the cell state evolve, this page steps
the layer's own cell through the sequence by hand, one time step at a time,
and checks that it reproduces what the layer returned.
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
# Both options at once
# --------------------
inputs = keras.Input(shape=(timesteps, features), name="sequence")
lstm = keras.layers.LSTM(
    units, return_sequences=True, return_state=True, name="lstm"
)
sequences, state_h, state_c = lstm(inputs)
model = keras.Model(
    inputs=inputs, outputs=[sequences, state_h, state_c], name="both_model"
)

sequences, state_h, state_c = (tensor.numpy() for tensor in model(data))
print(f"sequences: shape {sequences.shape}")
print(f"state_h: shape {state_h.shape}\n{state_h}\n")
print(f"state_c: shape {state_c.shape}\n{state_c}")
assert sequences.shape == (batch_size, timesteps, units)
assert state_h.shape == state_c.shape == (batch_size, units)

# %%
# ``state_h`` is the last step of ``sequences``, as on
# :ref:`sphx_glr_auto_examples_seed_plot_return_sequences.py` and
# :ref:`sphx_glr_auto_examples_seed_plot_return_state.py`. There is no
# sequence of cell states: only the final one.
np.testing.assert_allclose(sequences[:, -1, :], state_h, rtol=1e-5, atol=1e-6)
print("state_h == sequences[:, -1, :]")

# %%
# The cell state at every step
# ----------------------------
# Keras returns only the last cell state. The earlier ones come from stepping
# the layer's cell, ``lstm.cell``, one time step at a time, as explained on
# :ref:`sphx_glr_auto_examples_cell_plot_cell_stepping.py`:


def states_at_every_step(cell, data):
    """Step ``cell`` through ``data`` from zero states; h and c per step."""
    h = c = np.zeros((data.shape[0], cell.units), dtype="float32")
    h_steps, c_steps = [], []
    for t in range(data.shape[1]):
        _, (h, c) = cell(data[:, t], [h, c])
        h_steps.append(np.asarray(h))
        c_steps.append(np.asarray(c))
    # each stacked to (batch, timesteps, units)
    return np.stack(h_steps, axis=1), np.stack(c_steps, axis=1)


h_steps, c_steps = states_at_every_step(lstm.cell, data)
print("h at every step:", h_steps.shape, " c at every step:", c_steps.shape)

# %%
# The stepped cell matches the layer: its hidden states are the returned
# sequence, and its last cell state is ``state_c``.
np.testing.assert_allclose(h_steps, sequences, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(c_steps[:, -1, :], state_c, rtol=1e-5, atol=1e-6)
print("cell state at every step, sample 0:")
print(c_steps[0])

# %%
# Each hidden state is read out of the cell state as ``h = o * tanh(c)`` with
# an output gate ``o`` between 0 and 1 (Keras source:
# keras/src/layers/rnn/lstm.py). So at every step and in every unit, ``h`` has
# the sign of ``c`` and is no larger than ``|tanh(c)|``, itself no larger
# than ``|c|``.
assert np.all(np.sign(h_steps) == np.sign(c_steps))
assert np.all(np.abs(h_steps) <= np.abs(np.tanh(c_steps)) + 1e-6)
assert np.all(np.abs(np.tanh(c_steps)) <= np.abs(c_steps))
print("every step, every unit: same sign, |h| <= |tanh(c)| <= |c|")

# %%
# Hidden state and cell state over time
# -------------------------------------
# Top row: the hidden state ``h_t`` (the returned sequence). Bottom row: the
# cell state ``c_t`` that Keras does not return, from the stepped cell. One
# column per sample; one colour scale for all four panels, centred on zero, so
# the colours compare h with c.
rows = [(h_steps, "hidden state h_t"), (c_steps, "cell state c_t")]
fig, axes = plt.subplots(
    2,
    batch_size,
    figsize=(5, 6.4),
    sharex=True,
    sharey=True,
    layout="constrained",
)
limit = max(np.abs(values).max() for values, _ in rows)
for row, (values, name) in enumerate(rows):
    for sample in range(batch_size):
        ax = axes[row, sample]
        image = ax.imshow(
            values[sample],
            cmap="RdBu_r",
            vmin=-limit,
            vmax=limit,
            aspect="auto",
        )
        ax.set_title(f"{name.split()[0]} state, sample {sample}", fontsize=10)
        ax.set_yticks(range(timesteps))
        ax.set_xticks(range(units))
    axes[row, 0].set_ylabel("time step")
fig.colorbar(
    image, ax=axes, label="state value (h or c)", location="bottom", shrink=0.8
)
for ax in axes[1]:
    ax.set_xlabel("unit")
fig.suptitle(
    "LSTM hidden state h_t and cell state c_t at every time step",
    fontsize=10,
)
plt.show()

# %%
# The two rows have the same pattern of signs (asserted above), and the cell
# state reaches larger values: ``tanh`` and the output gate shrink it on the
# way to ``h``. The bottom row of each panel is what ``return_state=True``
# returns.
print(f"largest |h|: {np.abs(h_steps).max():.4f}")
print(f"largest |c|: {np.abs(c_steps).max():.4f}")
assert np.abs(c_steps).max() > np.abs(h_steps).max()
np.testing.assert_allclose(h_steps[:, -1], state_h, rtol=1e-5, atol=1e-6)

# %%
# Exercises
# ---------
# **1. Predict the shapes.** What does this layer return for a batch of
# shape ``(3, 7, 2)``?
#
# .. code-block:: python
#
#    keras.layers.LSTM(6, return_sequences=True, return_state=True)
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# The sequence keeps the 7 steps; the two states are the final ones:
# ``(3, 7, 6)``, ``(3, 6)`` and ``(3, 6)``.
x = np.zeros((3, 7, 2), dtype="float32")
layer = keras.layers.LSTM(6, return_sequences=True, return_state=True)
shapes = [tuple(array.shape) for array in layer(x)]
print(shapes)
assert shapes == [(3, 7, 6), (3, 6), (3, 6)]

# %%
# .. raw:: html
#
#    </details>
#
# See also
# --------
# * :ref:`sphx_glr_auto_examples_trained_plot_counting_unit.py` - what does this look like after training?
