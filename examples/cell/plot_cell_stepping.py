"""
Stepping the layer's own cell by hand
=====================================

**In short:** ``layer.cell(x_t, [h, c])`` is one step of the layer. Step it
yourself when you need the cell state at every step; the layer returns only
the last one. Stepping it through the sequence reproduces the layer's output
sequence and final states (checked below).

A Keras ``LSTM`` layer is a loop around an ``LSTMCell`` (Keras source:
``keras/src/layers/rnn/lstm.py``, where ``class LSTM(RNN)`` builds an
``LSTMCell``): the cell does one time step, the layer feeds it the steps in
order and carries the states ``[h, c]`` from one step to the next. The cell
is there to use, as ``layer.cell``.
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
# The layer and what it returns
# -----------------------------
# Two sequences of 12 steps with 3 features, a layer with 6 units. With
# ``return_sequences=True, return_state=True`` the layer returns three arrays:
# :math:`h_t` at every step, the final :math:`h_T` and the final :math:`c_T`.
# There is no fourth array with :math:`c_t` at every step.
batch_size = 2
timesteps = 12
features = 3
units = 6

x = np.random.normal(0, 1, size=(batch_size, timesteps, features))
x = x.astype("float32")
layer = keras.layers.LSTM(units, return_sequences=True, return_state=True)
outputs = layer(x)
print(
    "the layer returns",
    len(outputs),
    "arrays:",
    [tuple(out.shape) for out in outputs],
)
assert len(outputs) == 3
seq, final_h, final_c = (out.numpy() for out in outputs)

# %%
# The cell
# --------
# ``layer.cell`` is an ``LSTMCell`` holding the layer's weights (the same
# variables, not a copy). Its ``state_size`` says it carries two states of
# ``units`` numbers each: ``[h, c]``.
cell = layer.cell
print(cell)
print("state_size:", cell.state_size)
assert isinstance(cell, keras.layers.LSTMCell)
assert list(cell.state_size) == [units, units]
assert len(layer.weights) == len(cell.weights) == 3
assert all(a is b for a, b in zip(layer.weights, cell.weights))

# %%
# One call of the cell is one time step. It takes the input at that step,
# shape ``(batch, features)`` (no time axis), and the states ``[h, c]`` of the
# previous step; it returns the step's output and the new states. For an LSTM
# the output *is* the new :math:`h`.
# zeros, as the layer starts (Keras source: LSTMCell.get_initial_state in
# keras/src/layers/rnn/lstm.py)
h, c = cell.get_initial_state(batch_size=batch_size)
print(
    "initial h and c:",
    tuple(h.shape),
    tuple(c.shape),
    "all zero:",
    not np.any(h.numpy()) and not np.any(c.numpy()),
)
out, (h_1, c_1) = cell(x[:, 0], [h, c])
print(
    "step 0: input",
    x[:, 0].shape,
    "-> output",
    tuple(out.shape),
    "states",
    tuple(h_1.shape),
    tuple(c_1.shape),
)
np.testing.assert_array_equal(out.numpy(), h_1.numpy())

# %%
# Stepping through the whole sequence
# -----------------------------------
# The loop the layer runs, written out. Keep :math:`h_t` *and* :math:`c_t` at
# every step.
h, c = cell.get_initial_state(batch_size=batch_size)
hs, cs = [], []
for t in range(timesteps):
    out, (h, c) = cell(x[:, t], [h, c])
    hs.append(h.numpy())
    cs.append(c.numpy())
h_steps = np.stack(hs, axis=1)  # (batch, timesteps, units)
c_steps = np.stack(cs, axis=1)  # (batch, timesteps, units)
print("h at every step:", h_steps.shape)
print("c at every step:", c_steps.shape)

# %%
# The hidden states are the layer's output sequence, and the last step's
# states are the layer's final states:
print(f"max |diff|, sequence: {np.abs(h_steps - seq).max():.1e}")
print(f"max |diff|, final h:  {np.abs(h_steps[:, -1] - final_h).max():.1e}")
print(f"max |diff|, final c:  {np.abs(c_steps[:, -1] - final_c).max():.1e}")
np.testing.assert_allclose(h_steps, seq, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(h_steps[:, -1], final_h, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(c_steps[:, -1], final_c, rtol=1e-5, atol=1e-6)

# %%
# So ``c_steps[:, -1]`` is the only row of ``c_steps`` the layer gives you.
# The earlier rows are new information, and they are not hidden in the output
# sequence either: :math:`h_t = o_t \odot \tanh(c_t)` mixes in the output gate
# :math:`o_t`, so :math:`c_t` cannot be read back from :math:`h_t` alone
# without :math:`o_t`. (Calling
# the layer on the first :math:`t` steps with ``return_state=True`` would also
# give :math:`c_t`, at the cost of re-reading the sequence once per step.)
# One thing the two do satisfy is :math:`|h_t| \le |\tanh(c_t)|`, since the
# output gate is between 0 and 1:
assert np.all(np.abs(h_steps) <= np.abs(np.tanh(c_steps)))
print(
    "largest |h_t|:",
    np.abs(h_steps).max(),
    " largest |c_t|:",
    np.abs(c_steps).max(),
)

# %%
# The same check against the layer for one prefix, step 5:
_, _, c_after_6_steps = layer(x[:, :6])
np.testing.assert_allclose(
    c_after_6_steps.numpy(), c_steps[:, 5], rtol=1e-5, atol=1e-6
)
print("c after 6 steps from the layer matches c_steps[:, 5]")

# %%
# The states over time
# --------------------
# Both states of sample 0, step by step: one row per unit, one column per time
# step. Both share one colour scale, centred on zero.
limit = max(np.abs(h_steps[0]).max(), np.abs(c_steps[0]).max())
fig, axes = plt.subplots(
    2, 1, figsize=(5, 5), sharex=True, layout="constrained"
)
for ax, values, name in zip(
    axes, (h_steps[0], c_steps[0]), ("hidden state h_t", "cell state c_t")
):
    image = ax.imshow(
        values.T, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto"
    )
    ax.set_title(name)
    ax.set_ylabel("unit")
    ax.set_yticks(range(units))
axes[-1].set_xlabel("time step")
axes[-1].set_xticks(range(timesteps))
fig.colorbar(image, ax=axes, label="state value")
fig.suptitle("Sample 0 stepped through layer.cell:\nh_t and c_t at every step")
plt.show()

# %%
# :ref:`sphx_glr_auto_examples_cell_plot_numpy_lstm.py` writes the same step
# in NumPy.

# %%
# Exercises
# ---------
# **1. One step by hand.** Compute the cell's first step,
# ``h_1`` and ``c_1`` above, in NumPy from ``cell.kernel``,
# ``cell.recurrent_kernel`` and ``cell.bias`` (gate blocks in the order
# i, f, g, o; :math:`h_0 = c_0 = 0`).
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# With :math:`h_0 = 0` the recurrent part is zero and with :math:`c_0 = 0`
# the forget gate has nothing to keep: :math:`c_1 = i \odot g`,
# :math:`h_1 = o \odot \tanh(c_1)`.


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


kernel = cell.kernel.numpy()
bias = cell.bias.numpy()
z = x[:, 0] @ kernel + bias  # + h_0 @ recurrent_kernel, which is 0
z_i, z_f, z_g, z_o = np.split(z, 4, axis=-1)
c_by_hand = sigmoid(z_i) * np.tanh(z_g)
h_by_hand = sigmoid(z_o) * np.tanh(c_by_hand)
print(
    f"max |diff|: c {np.abs(c_by_hand - c_1.numpy()).max():.1e}, "
    f"h {np.abs(h_by_hand - h_1.numpy()).max():.1e}"
)
np.testing.assert_allclose(c_by_hand, c_1.numpy(), rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(h_by_hand, h_1.numpy(), rtol=1e-5, atol=1e-6)

# %%
# .. raw:: html
#
#    </details>
#
# **2. Predict the shapes.** A batch of 5 sequences of 40 steps with 3
# features goes through the stepping loop above. What shape has one call's
# ``out``, and what shape has ``c_steps`` at the end?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# One call sees one step, ``(batch, features)``, and returns
# ``(batch, units)``; stacking 40 of them on axis 1 gives
# ``(batch, timesteps, units)``.

x5 = np.random.normal(0, 1, size=(5, 40, features)).astype("float32")
h, c = cell.get_initial_state(batch_size=5)
cs = []
for t in range(40):
    out, (h, c) = cell(x5[:, t], [h, c])
    cs.append(c.numpy())
print(tuple(out.shape), np.stack(cs, axis=1).shape)
assert tuple(out.shape) == (5, units) == (5, 6)
assert np.stack(cs, axis=1).shape == (5, 40, 6)

# %%
# .. raw:: html
#
#    </details>

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_seed_plot_sequences_and_states.py` - the
#   same stepping on the seed's data.
# * :ref:`sphx_glr_auto_examples_cell_plot_gates_over_time.py` - the gates
#   inside each step, drawn over time.
