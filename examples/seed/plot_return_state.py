"""
The final states: ``return_state=True``
=======================================

**In short:** ``return_state=True`` makes an LSTM return
``[output, state_h, state_c]``; ``output`` is ``state_h``, and ``state_c`` is
the cell state behind it. Combined with ``return_sequences=True`` the output
becomes the whole sequence while the states stay the final ones:
:ref:`sphx_glr_auto_examples_seed_plot_sequences_and_states.py`.

An LSTM carries **two** vectors from one time step to the next:

* the **hidden state** ``h`` - what the layer outputs at each step;
* the **cell state** ``c`` - the layer's internal memory, returned only when
  you ask for it with ``return_state=True``.

This page shows that ``output`` and ``state_h`` are the same numbers, that
``state_c`` is something else, and that the two states are what the layer
needs to carry on where it stopped.
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
# Three outputs
# -------------
# The layer now returns a list of three tensors, so the model gets three
# outputs, and calling it returns three arrays.
inputs = keras.Input(shape=(timesteps, features), name="sequence")
lstm = keras.layers.LSTM(units, return_state=True, name="lstm")
output, state_h, state_c = lstm(inputs)
model = keras.Model(
    inputs=inputs, outputs=[output, state_h, state_c], name="state_model"
)

output, state_h, state_c = (tensor.numpy() for tensor in model(data))
print(f"output: shape {output.shape}\n{output}\n")
print(f"state_h: shape {state_h.shape}\n{state_h}\n")
print(f"state_c: shape {state_c.shape}\n{state_c}")
for array in (output, state_h, state_c):
    assert array.shape == (batch_size, units)

# %%
# All three are ``(batch, units)``: one vector of 5 numbers per sample, taken
# after the last time step. The two states are the two vectors the layer's
# cell carries, each ``units`` long:
print("lstm.cell.state_size:", lstm.cell.state_size)
assert lstm.cell.state_size == [units, units]

# %%
# ``output`` is ``state_h``
# -------------------------
# The output of an LSTM **is** its hidden state. Without
# ``return_sequences`` the output is the hidden state after the last step,
# so the first two arrays hold the same numbers.
np.testing.assert_allclose(output, state_h, rtol=1e-5, atol=1e-6)
print("output == state_h:", np.allclose(output, state_h))

# %%
# ``state_c`` is different
# ------------------------
# The cell state is the memory the LSTM updates at each step,
# ``c = f * c_prev + i * g``: the forget gate ``f`` scales the old memory
# down, the input gate ``i`` lets in new content, the candidate ``g``. The
# hidden state is read out of it through ``tanh`` and the output gate,
# ``h = o * tanh(c)`` (Keras source: keras/src/layers/rnn/lstm.py;
# :ref:`sphx_glr_auto_examples_cell_plot_gates_over_time.py` follows the
# gates step by step). So ``h`` lies strictly between -1 and 1, while ``c``
# goes through no ``tanh`` before it is stored and is not held inside
# (-1, 1): here, after 9 steps, one unit of sample 0 is past -1 and all the
# other values are inside.
outside = np.argwhere(np.abs(state_c) > 1)
print(f"largest |h|: {np.abs(state_h).max():.4f}")
print(f"largest |c|: {np.abs(state_c).max():.4f}")
print("(sample, unit) with |c| > 1:", outside.tolist())
assert not np.allclose(state_c, state_h, rtol=1e-5, atol=1e-6)
assert np.all(np.abs(state_h) < 1)
assert len(outside) == 1 and outside[0][0] == 0
assert state_c[tuple(outside[0])] < -1

# %%
# ``h = o * tanh(c)`` has consequences we can check from the outside. The
# output gate ``o`` is between 0 and 1 and ``tanh`` keeps the sign, so in
# every unit ``h`` has the same sign as ``c`` and is no larger than
# ``|tanh(c)|``, which is itself no larger than ``|c|``.
assert np.all(np.sign(state_h) == np.sign(state_c))
assert np.all(np.abs(state_h) <= np.abs(np.tanh(state_c)) + 1e-6)
assert np.all(np.abs(np.tanh(state_c)) <= np.abs(state_c))
print("same sign in every unit, and |h| <= |tanh(c)| <= |c|")

# %%
# What the states are for
# -----------------------
# ``[state_h, state_c]`` is exactly what the layer needs to carry on where it
# stopped. Split the 9 steps into the first 5 and the last 4: run the layer on
# the first part, then on the second part starting from the returned states
# (``initial_state=[h, c]``). The result is the same as reading all 9 steps
# in one go. The encoder-decoder model of
# :ref:`sphx_glr_auto_examples_data_plot_encoder_decoder.py` passes its
# encoder's states to its decoder this way.
_, h_5, c_5 = lstm(data[:, :5])
_, h_9, c_9 = lstm(data[:, 5:], initial_state=[h_5, c_5])
print("first 5 steps, then the last 4 from their states:")
print(h_9.numpy())
np.testing.assert_allclose(h_9, state_h, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(c_9, state_c, rtol=1e-5, atol=1e-6)

# %%
# ``h`` and ``c`` side by side
# ----------------------------
# For each sample, the final hidden state (left bar of each pair) next to the
# final cell state (right bar), unit by unit: the same sign in every unit, and
# ``|c|`` is never the smaller one, as asserted above.
fig, axes = plt.subplots(
    1, batch_size, figsize=(5, 3.8), sharey=True, layout="constrained"
)
positions = np.arange(units)
for sample, ax in enumerate(axes):
    ax.bar(
        positions - 0.2,
        state_h[sample],
        width=0.4,
        color="tab:blue",
        label="hidden state h",
    )
    ax.bar(
        positions + 0.2,
        state_c[sample],
        width=0.4,
        color="tab:orange",
        label="cell state c",
    )
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_title(f"sample {sample}")
    ax.set_xlabel("unit")
    ax.set_xticks(positions)
axes[0].set_ylabel("value after the last step")
fig.legend(
    *axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2
)
fig.suptitle(
    "return_state=True: final hidden state h and cell state c", fontsize=11
)
plt.show()

# %%
# Exercises
# ---------
# **1. Predict the shapes.** ``keras.layers.LSTM(7, return_state=True)`` reads
# a batch of shape ``(4, 12, 3)``. What does it return?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# Three arrays, each ``(batch, units) = (4, 7)``: the output, ``h`` and ``c``.
x = np.zeros((4, 12, 3), dtype="float32")
returned = keras.layers.LSTM(7, return_state=True)(x)
print([tuple(array.shape) for array in returned])
assert [tuple(array.shape) for array in returned] == [(4, 7)] * 3

# %%
# .. raw:: html
#
#    </details>
#
# **2. Fix this error.** This line fails. Why, and what is the fix?
#
# .. code-block:: python
#
#    output, state = keras.layers.LSTM(5, return_state=True)(data)
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# An LSTM has two states, so the layer returns three arrays, not two. Unpack
# three names (``output, state_h, state_c = ...``).
try:
    output, state = keras.layers.LSTM(5, return_state=True)(data)
except ValueError as err:
    message = str(err)
    print(message)
assert message == "too many values to unpack (expected 2)"
output, state_h, state_c = keras.layers.LSTM(5, return_state=True)(data)
print(tuple(state_c.shape))
assert tuple(state_c.shape) == (batch_size, units)

# %%
# .. raw:: html
#
#    </details>
#
# See also
# --------
# * :ref:`sphx_glr_auto_examples_beyond_plot_initial_state.py` - feeding h and c into another LSTM.
# * :ref:`sphx_glr_auto_examples_cell_plot_gates_over_time.py` - how c and h evolve, gate by gate.
