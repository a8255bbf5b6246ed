"""
The LSTM's weights: why every matrix has ``4 * units`` columns
==============================================================

**In short:** ``kernel (features, 4 * units)``, ``recurrent_kernel (units,
4 * units)`` and ``bias (4 * units,)`` hold the input gate, forget gate,
candidate and output gate side by side, in that order; the forget bias
starts at 1. That gives ``4 * (units * (features + units) + units)``
parameters: 180 for 5 units on 3 features.

An LSTM layer with 5 units on 3 input features holds three arrays: a kernel
``(3, 20)``, a recurrent kernel ``(5, 20)`` and a bias ``(20,)``. The 20 is
``4 * units``: an LSTM computes **four** things at every step (three gates
and a candidate cell value), each with its own block of 5 columns (Keras
source: keras/src/layers/rnn/lstm.py).

This page prints the three arrays and shows where each gate's block is. The
seed notebook showed the formula :math:`h_t = \\tanh(b + W h_{t-1} + U x_t)`,
which is the plain recurrent network's (Keras' ``SimpleRNN``), not the LSTM's.
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
# The data: 2 sequences of 9 steps with 3 features each
# ------------------------------------------------------
batch_size = 2
timesteps = 9
features = 3
units = 5

data = np.random.normal(0, 1, size=(batch_size, timesteps, features))
data = data.astype("float32")
print("input shape is", data.shape)
assert data.shape == (batch_size, timesteps, features)

# %%
# The three weight arrays
# -----------------------
# A layer creates its weights the first time it sees an input (then it knows
# the number of features): a new ``LSTM`` has none. ``get_weights()`` returns
# them as NumPy arrays, in the order kernel, recurrent kernel, bias.
lstm = keras.layers.LSTM(units, name="lstm")
print("weights before the layer sees an input:", len(lstm.weights))
assert len(lstm.weights) == 0
inputs = keras.Input(shape=(timesteps, features), name="sequence")
model = keras.Model(inputs=inputs, outputs=lstm(inputs), name="lstm_model")

kernel, recurrent_kernel, bias = lstm.get_weights()
print("kernel:          ", kernel.shape, "= (features, 4 * units)")
print("recurrent kernel:", recurrent_kernel.shape, "= (units, 4 * units)")
print("bias:            ", bias.shape, "= (4 * units,)")
assert kernel.shape == (features, 4 * units) == (3, 20)
assert recurrent_kernel.shape == (units, 4 * units) == (5, 20)
assert bias.shape == (4 * units,) == (20,)

# %%
# The same arrays have names: they live on the layer's cell, ``lstm.cell``.
for weight in lstm.weights:
    print(f"{weight.path:32} {tuple(weight.shape)}")
np.testing.assert_array_equal(lstm.cell.kernel.numpy(), kernel)
np.testing.assert_array_equal(
    lstm.cell.recurrent_kernel.numpy(), recurrent_kernel
)
np.testing.assert_array_equal(lstm.cell.bias.numpy(), bias)

# %%
# The kernel multiplies the input of one step (3 features), the recurrent
# kernel multiplies the previous output ``h`` (5 units) (Keras source:
# keras/src/layers/rnn/lstm.py). The seed notebook called them ``U`` and
# ``W``, after the formula it showed; below they are ``W`` (input weights)
# and ``U`` (recurrent weights), as on the cell pages of this site.
#
# Why ``4 * units`` columns: the four blocks
# ------------------------------------------
# Keras lays the four blocks side by side in this order (Keras source:
# keras/src/layers/rnn/lstm.py, where the candidate's block is called ``c``;
# this site calls it ``g``):
#
# ========  ==================  ==============================
# columns   block               what it computes
# ========  ==================  ==============================
# 0-4       ``i``, input gate   how much of the candidate to write
# 5-9       ``f``, forget gate  how much of the old cell state to keep
# 10-14     ``g``, candidate    the new values that could be written
# 15-19     ``o``, output gate  how much of the cell state to show as ``h``
# ========  ==================  ==============================
#
# With ``u = units``: columns ``[0:u]``, ``[u:2u]``, ``[2u:3u]``, ``[3u:4u]``.
u = units
blocks = {
    "i": slice(0, u),
    "f": slice(u, 2 * u),
    "g": slice(2 * u, 3 * u),
    "o": slice(3 * u, 4 * u),
}
W = {name: kernel[:, cols] for name, cols in blocks.items()}
U = {name: recurrent_kernel[:, cols] for name, cols in blocks.items()}
b = {name: bias[cols] for name, cols in blocks.items()}
for name in blocks:
    print(f"{name}: W {W[name].shape}, U {U[name].shape}, b {b[name].shape}")
    assert W[name].shape == (features, units)
    assert U[name].shape == (units, units)

# %%
# The bias is not random. By default (``unit_forget_bias=True``) Keras starts
# the forget gate's bias at 1 and all other biases at 0 (Keras source:
# keras/src/layers/rnn/lstm.py).
print("bias, one row per block (i, f, g, o):")
print(bias.reshape(4, units))
assert lstm.unit_forget_bias
np.testing.assert_array_equal(b["f"], np.ones(units))
for name in ("i", "g", "o"):
    np.testing.assert_array_equal(b[name], np.zeros(units))


# %%
# With that bias the forget gate of this fresh layer starts higher than
# without it. At the first step (``h = 0``) it is ``sigmoid(x W_f + b_f)``;
# the same without the 1 (what ``unit_forget_bias=False`` would give with
# these weights) is the control.
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


f_first = sigmoid(data[:, 0] @ W["f"] + b["f"])
f_control = sigmoid(data[:, 0] @ W["f"])
print(f"mean forget gate at step 0: {f_first.mean():.3f}")
print(f"without the +1 bias:        {f_control.mean():.3f}")
assert f_first.mean() > f_control.mean() + 0.1
assert np.all(f_first > f_control)

# %%
# How the four blocks are used at each step (the LSTM equations, and a NumPy
# loop that reproduces the layer from exactly these blocks) is on
# :ref:`sphx_glr_auto_examples_cell_plot_numpy_lstm.py`.
#
# The seed notebook's formula is SimpleRNN's
# ------------------------------------------
# :math:`h_t = \tanh(b + W h_{t-1} + U x_t)` has no gates and no cell state:
# one block, so ``SimpleRNN`` has a kernel ``(3, 5)``, a recurrent kernel
# ``(5, 5)`` and a bias ``(5,)``, and this loop reproduces it.
rnn = keras.layers.SimpleRNN(units, name="simple_rnn")
rnn_output = rnn(data).numpy()
rnn_kernel, rnn_recurrent, rnn_bias = rnn.get_weights()
print("SimpleRNN:", rnn_kernel.shape, rnn_recurrent.shape, rnn_bias.shape)
assert rnn_kernel.shape == (features, units)
assert rnn_recurrent.shape == (units, units)
# one state (h), where the LSTM's cell carries two (h and c)
print(
    "state sizes: SimpleRNN",
    rnn.cell.state_size,
    " LSTM",
    lstm.cell.state_size,
)
assert rnn.cell.state_size == units and lstm.cell.state_size == [units, units]

h_rnn = np.zeros((batch_size, units), dtype="float32")
for t in range(timesteps):
    h_rnn = np.tanh(rnn_bias + h_rnn @ rnn_recurrent + data[:, t] @ rnn_kernel)
np.testing.assert_allclose(h_rnn, rnn_output, rtol=1e-5, atol=1e-6)

# %%
# The same loop with the LSTM's weights does not run: its matrices have 20
# columns, not 5, so after one step ``h`` has 20 numbers and no longer fits
# the recurrent kernel's 5 rows.
try:
    h_wrong = np.zeros((batch_size, units), dtype="float32")
    for t in range(timesteps):
        h_wrong = np.tanh(
            bias + h_wrong @ recurrent_kernel + data[:, t] @ kernel
        )
except ValueError as err:
    message = str(err)
    print(f"failed at step {t}: {message}")
assert t == 1 and "mismatch" in message

# %%
# The LSTM needs the four blocks and its own equations.
#
# The picture: three arrays, four blocks each
# -------------------------------------------
# Each array drawn with its columns split into the four gate blocks. The bias
# row shows the forget block at 1.
arrays = [
    (kernel, "kernel W\n(features, 4u)", "input\nfeature"),
    (recurrent_kernel, "recurrent\nkernel U\n(units, 4u)", "previous\nunit"),
    (bias[np.newaxis], "bias b\n(4u,)", ""),
]
limit = max(np.abs(values).max() for values, _, _ in arrays)
fig, axes = plt.subplots(
    3,
    1,
    figsize=(5.3, 6),
    sharex=True,
    layout="constrained",
    gridspec_kw={"height_ratios": [3, 5, 1.4]},
)
for ax, (values, name, ylabel) in zip(axes, arrays):
    image = ax.imshow(
        values, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto"
    )
    ax.set_yticks(range(values.shape[0]))
    if ylabel:
        ax.set_ylabel(f"{name}\n\n{ylabel}", fontsize=10)
    else:
        ax.set_yticks([])
        ax.set_ylabel(name, fontsize=10)
    for k in range(1, 4):
        ax.axvline(k * u - 0.5, color="black", linewidth=2)
gate_names = [
    "input\ngate i",
    "forget\ngate f",
    "candidate\ng",
    "output\ngate o",
]
for k, name in enumerate(gate_names):
    middle = k * u + (u - 1) / 2
    axes[0].text(middle, -0.7, name, ha="center", va="bottom", fontsize=10)
axes[0].set_ylim(features - 0.5, -2)
axes[-1].set_xticks(range(0, 4 * u, u))  # first column of each block
axes[-1].set_xticks(range(4 * u), minor=True)
axes[-1].set_xlabel("column = gate block * units + unit")
colorbar = fig.colorbar(
    image, ax=axes, label="weight value", location="bottom"
)
colorbar.ax.xaxis.set_major_locator(plt.MultipleLocator(0.5))  # wider ticks
fig.suptitle(
    "LSTM(5) weights on 3 features, in gate blocks i, f, g, o", fontsize=11
)
plt.show()

# %%
# How many parameters
# -------------------
# Each of the 4 blocks has ``units * features`` input weights, ``units *
# units`` recurrent weights and ``units`` biases:
#
# .. math::
#
#    4 \times (\text{units} \times (\text{features} + \text{units}) + \text{units})
#    = 4 \times (5 \times (3 + 5) + 5) = 180
n_params = 4 * (units * (features + units) + units)
print("4 * (units * (features + units) + units) =", n_params)
assert n_params == kernel.size + recurrent_kernel.size + bias.size == 180
assert lstm.count_params() == model.count_params() == n_params
assert rnn.count_params() == units * (features + units) + units == 45
# the LSTM(5) on 2 features of the CNN -> LSTM page
assert 4 * (units * (2 + units) + units) == 160

# %%
# The same formula gives the parameter counts on
# :ref:`sphx_glr_auto_examples_seed_plot_cnn_lstm.py` (160 for an LSTM on 2
# features) and :ref:`sphx_glr_auto_examples_seed_plot_lstm_cnn.py` (180).
# The next section, starting with
# :ref:`sphx_glr_auto_examples_cell_plot_numpy_lstm.py`, takes the cell apart
# step by step.
#
# Exercises
# ---------
# **1. Predict the shapes.** What are the shapes of the three weight arrays of
# an ``LSTM(8)`` on 4 features, and how many parameters does it have?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# ``4 * units = 32`` columns each: ``(4, 32)``, ``(8, 32)``, ``(32,)``, and
# ``4 * (8 * (4 + 8) + 8) = 416`` parameters.
layer = keras.layers.LSTM(8)
layer.build((None, timesteps, 4))
shapes = [w.shape for w in layer.get_weights()]
print(shapes, layer.count_params())
assert shapes == [(4, 32), (8, 32), (32,)]
assert layer.count_params() == 416

# %%
# .. raw:: html
#
#    </details>
#
# **2. Find the block.** Which columns of that layer's bias hold the forget
# gate, and what values do they start with?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# The second block of ``units = 8`` columns, ``bias[8:16]``, all 1.
forget_bias = layer.get_weights()[2][8:16]
print(forget_bias)
np.testing.assert_array_equal(forget_bias, np.ones(8))

# %%
# .. raw:: html
#
#    </details>
