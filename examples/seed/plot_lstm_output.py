"""
What comes out of an LSTM: ``(batch, units)``
=============================================

**In short:** ``LSTM(units)`` turns ``(batch, timesteps, features)`` into
``(batch, units)``: one vector per sample, the hidden state after the
**last** step. To keep every step, see
:ref:`sphx_glr_auto_examples_seed_plot_return_sequences.py`; to also get the
cell state, see :ref:`sphx_glr_auto_examples_seed_plot_return_state.py`.

The output has two axes:

* **batch** - one row per input sequence;
* **units** - one number per LSTM unit (the ``units`` argument of the layer).

The time axis is gone. This page shows the output of the seed notebook's
model, and checks that it is the last step of the full sequence of hidden
states.
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
# 2 sequences (batch), 9 time steps, 3 features; the layer has 5 units.
batch_size = 2
timesteps = 9
features = 3
units = 5

data = np.random.normal(0, 1, size=(batch_size, timesteps, features))
data = data.astype("float32")
print("input shape is", data.shape)

# %%
# The default output
# ------------------
# The model is the seed notebook's: an ``Input`` of one sample's shape and an
# ``LSTM`` layer with 5 units. Calling the model on the batch, ``model(data)``,
# runs it once. (``model.predict(data)`` computes the same in batches and by
# default prints a progress bar; Keras source: keras/src/trainers/trainer.py.)
inputs = keras.Input(shape=(timesteps, features), name="sequence")
lstm = keras.layers.LSTM(units, name="lstm")
model = keras.Model(inputs=inputs, outputs=lstm(inputs), name="lstm_model")

output = model(data).numpy()
print("output shape is", output.shape)
print(output)
assert output.shape == (batch_size, units)

# %%
# Row 0 belongs to sample 0 and row 1 to sample 1; the 5 columns are the 5
# units. The numbers differ from the seed notebook's: its data and its
# starting weights were random draws, and so are this page's. Only the shape
# carries over. The weights are not trained here; the shapes are what this
# page is about.
seed_notebook_output = np.array(
    [
        [-0.04311746, -0.04708175, 0.11244525, 0.09445497, 0.08160033],
        [0.22174549, 0.23136306, -0.1471001, 0.04506844, -0.0963508],
    ]
)  # printed by the seed notebook (TF 2.7)
assert seed_notebook_output.shape == output.shape
assert not np.allclose(seed_notebook_output, output)

# %%
# Every value lies between -1 and 1. The hidden state is
# ``h = o * tanh(c)``, a gate ``o`` between 0 and 1 times a ``tanh`` between
# -1 and 1 (Keras source: keras/src/layers/rnn/lstm.py), so it cannot leave
# that range.
print(f"largest |value|: {np.abs(output).max():.4f}")
assert np.all(np.abs(output) < 1)

# %%
# It is the hidden state after the last step
# ------------------------------------------
# A second layer with ``return_sequences=True`` returns the hidden state after
# **every** step, shape ``(batch, timesteps, units)``. Give it the first
# layer's weights with ``set_weights(get_weights())`` so both compute the same
# thing, and compare.
seq_inputs = keras.Input(shape=(timesteps, features), name="sequence")
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
assert sequences.shape == (batch_size, timesteps, units)
np.testing.assert_allclose(sequences[:, -1, :], output, rtol=1e-5, atol=1e-6)

# %%
# The default output equals ``sequences[:, -1, :]``, the last time step. The
# steps before it are computed too: the last state depends on them. Change
# only the first step of the input, and the default output changes.
changed = data.copy()
changed[:, 0] += 1.0
shift = np.abs(model(changed).numpy() - output).max()
print(f"step 0 changed: the output moves by up to {shift:.4f}")
assert shift > 1e-3

# %%
# The default layer does not return those earlier steps.
# :ref:`sphx_glr_auto_examples_seed_plot_return_sequences.py` looks at them.

# %%
# The output as a picture
# -----------------------
# One row per sample, one column per unit, on a colour scale centred on
# zero: blue is negative, red is positive.
limit = np.abs(output).max()
fig, ax = plt.subplots(figsize=(5, 3), layout="constrained")
image = ax.imshow(output, cmap="RdBu_r", vmin=-limit, vmax=limit)
for sample in range(batch_size):
    for unit in range(units):
        value = output[sample, unit]
        # white text on the dark cells, black on the light ones
        colour = "white" if abs(value) > 0.6 * limit else "black"
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
fig.colorbar(
    image, ax=ax, label="hidden state after the last step", location="bottom"
)
fig.suptitle("LSTM output, shape (batch=2, units=5)")
plt.show()

# %%
# Exercises
# ---------
# **1. Predict the shape.** An ``LSTM(8)`` reads a batch of 3 sequences of 20
# steps with 4 features each. What shape is its output?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# One row per sample, one column per unit; the 20 steps and the 4 features
# do not appear: ``(3, 8)``.
x = np.zeros((3, 20, 4), dtype="float32")
answer = keras.layers.LSTM(8)(x)
print(tuple(answer.shape))
assert tuple(answer.shape) == (3, 8)

# %%
# .. raw:: html
#
#    </details>
#
# **2. Make this layer return one output per step.** Change the ``LSTM(8)``
# of exercise 1 so that its output has one vector per time step.
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# ``return_sequences=True`` keeps the time axis: ``(3, 20, 8)``.
answer = keras.layers.LSTM(8, return_sequences=True)(x)
print(tuple(answer.shape))
assert tuple(answer.shape) == (3, 20, 8)

# %%
# .. raw:: html
#
#    </details>
