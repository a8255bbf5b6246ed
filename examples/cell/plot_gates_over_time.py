"""
The gates over time, for one sequence
=====================================

**In short:** at every step an LSTM computes three gates :math:`i_t, f_t,
o_t` (each between 0 and 1) and a candidate :math:`g_t` (between -1 and 1)
from the current input and the previous hidden state, then updates the cell
state :math:`c_t` and the hidden state :math:`h_t`. Computed in NumPy from
the layer's own weights, all six match what the layer returns. In a fresh
layer the forget gate's bias of 1 keeps :math:`f_t` above one half on
average, and the cell state changes less from step to step than the
candidate.

This page draws the six quantities over time for one sequence, and shows
where each gate's numbers sit in the weight matrices (gate blocks
i, f, g, o).
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

# sphinx_gallery_thumbnail_number = 2

# %%
# One smooth sequence
# -------------------
# One sample of 20 steps with 2 features: a slow sine and a faster cosine.
# Smooth input makes it easy to follow each gate from step to step. These
# weights are untrained, so what the gates respond to is arbitrary; for
# gates that learned a job, see
# :ref:`sphx_glr_auto_examples_trained_plot_trained_gates.py`.
timesteps = 20
features = 2
units = 8

steps = np.arange(timesteps)
x = np.stack(
    [
        2.0 * np.sin(2 * np.pi * steps / timesteps),
        2.0 * np.cos(2 * np.pi * steps / 7),
    ],
    axis=-1,
)[np.newaxis].astype("float32")  # batch of one: (1, 20, 2)
print("input:", x.shape)
assert x.shape == (1, timesteps, features)

fig, ax = plt.subplots(figsize=(5, 3.4), layout="constrained")
ax.plot(steps, x[0, :, 0], marker="o", label="feature 0: 2 sin(2 pi t / 20)")
ax.plot(steps, x[0, :, 1], marker="s", label="feature 1: 2 cos(2 pi t / 7)")
ax.axhline(0, color="0.6", linewidth=0.8)
ax.set_xlabel("time step")
ax.set_ylabel("input value")
ax.set_xticks(steps[::2])
fig.legend(loc="outside lower center", ncols=1)
fig.suptitle("The input sequence\n(one sample, 20 steps, 2 features)")
plt.show()

# %%
# The layer (untrained, freshly initialised) with 8 units:
layer = keras.layers.LSTM(units, return_sequences=True, return_state=True)
keras_seq, keras_h, keras_c = (tensor.numpy() for tensor in layer(x))
kernel, recurrent_kernel, bias = layer.get_weights()
print(
    "kernel",
    kernel.shape,
    " recurrent kernel",
    recurrent_kernel.shape,
    " bias",
    bias.shape,
)

# %%
# Every gate at every step
# ------------------------
# The loop of :ref:`sphx_glr_auto_examples_cell_plot_numpy_lstm.py` (where
# the equations are explained), keeping all six quantities at every step: the
# gates :math:`i_t, f_t, o_t` between 0 and 1, the candidate :math:`g_t`, the
# cell state :math:`c_t` and the hidden state :math:`h_t`. The forget gate
# decides how much of the old cell state is kept, the input gate how much of
# the candidate is written, the output gate how much of the squashed cell
# state is shown as :math:`h_t`.
W_i, W_f, W_g, W_o = np.split(kernel, 4, axis=1)
U_i, U_f, U_g, U_o = np.split(recurrent_kernel, 4, axis=1)
b_i, b_f, b_g, b_o = np.split(bias, 4)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


h = np.zeros(units, dtype="float32")
c = np.zeros(units, dtype="float32")
history = {name: [] for name in ("i", "f", "g", "o", "c", "h")}
for t in range(timesteps):
    x_t = x[0, t]
    i = sigmoid(x_t @ W_i + h @ U_i + b_i)
    f = sigmoid(x_t @ W_f + h @ U_f + b_f)
    g = np.tanh(x_t @ W_g + h @ U_g + b_g)
    o = sigmoid(x_t @ W_o + h @ U_o + b_o)
    c = f * c + i * g
    h = o * np.tanh(c)
    for name, value in zip(history, (i, f, g, o, c, h)):
        history[name].append(value)
# each (timesteps, units)
history = {name: np.stack(values) for name, values in history.items()}
for name, values in history.items():
    low, high = values.min(), values.max()
    print(f"{name}_t: {values.shape}, from {low:+.3f} to {high:+.3f}")

# %%
# These are the layer's numbers: the :math:`h_t` rows are its output sequence
# and the last :math:`h_t`, :math:`c_t` are its final states.
diff_seq = np.abs(history["h"] - keras_seq[0]).max()
diff_c = np.abs(history["c"][-1] - keras_c[0]).max()
print(f"max |diff|, sequence: {diff_seq:.1e}")
print(f"max |diff|, final c:  {diff_c:.1e}")
np.testing.assert_allclose(history["h"], keras_seq[0], rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(history["h"][-1], keras_h[0], rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(history["c"][-1], keras_c[0], rtol=1e-5, atol=1e-6)
for name in ("i", "f", "o"):
    assert np.all((history[name] > 0) & (history[name] < 1)), name
for name in ("g", "h"):
    assert np.all(np.abs(history[name]) < 1), name

# %%
# The picture
# -----------
# One panel per quantity, time step across, unit down. The top row holds the
# gates, which are between 0 and 1 (one colour scale, dark = closed, bright =
# open). The bottom row holds the signed quantities on one scale centred on
# zero. A fresh layer's forget-gate bias is 1, and :math:`f_t` is above
# :math:`\sigma(0) = 0.5` at most steps (the share is printed below); the
# cell state changes less from step to step than the candidate that feeds
# it.
gates = [
    ("i", "input gate i_t"),
    ("f", "forget gate f_t"),
    ("o", "output gate o_t"),
]
signed = [
    ("g", "candidate g_t"),
    ("c", "cell state c_t"),
    ("h", "hidden state h_t"),
]
limit = max(np.abs(history[name]).max() for name, _ in signed)

fig, axes = plt.subplots(
    6, 1, figsize=(5, 10.5), sharex=True, sharey=True, layout="constrained"
)
axes = axes.reshape(2, 3)  # row 0: the gates, row 1: g, c, h
for ax, (name, title) in zip(axes[0], gates):
    gate_image = ax.imshow(
        history[name].T, cmap="viridis", vmin=0, vmax=1, aspect="auto"
    )
    ax.set_title(title)
for ax, (name, title) in zip(axes[1], signed):
    signed_image = ax.imshow(
        history[name].T, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto"
    )
    ax.set_title(title)
for ax in axes.flat:
    ax.set_ylabel("unit")
    ax.set_yticks(range(0, units, 2))
axes[1, 2].set_xlabel("time step")
axes[1, 2].set_xticks(range(0, timesteps, 3))
fig.colorbar(gate_image, ax=axes[0], label="gate value (0 to 1)")
fig.colorbar(signed_image, ax=axes[1], label="value")
fig.suptitle(
    "LSTM gates and states over time\nfor one sample (8 units, 20 steps)"
)
plt.show()

# %%
# The forget gate's mean is above one half here, as its bias of 1 suggests,
print(
    f"mean f_t: {history['f'].mean():.3f}, mean i_t: {history['i'].mean():.3f}"
)
print(f"share of f_t above 0.5: {(history['f'] > 0.5).mean():.2f}")
assert history["f"].mean() > 0.5
assert (history["f"] > 0.5).mean() > 0.5

# %%
# and the cell state moves less from one step to the next than the candidate:
step_c = np.abs(np.diff(history["c"], axis=0)).mean()
step_g = np.abs(np.diff(history["g"], axis=0)).mean()
print(f"mean |c_t - c_(t-1)|: {step_c:.3f}")
print(f"mean |g_t - g_(t-1)|: {step_g:.3f}")
assert step_c < step_g

# %%
# Where each gate lives in the weights
# ------------------------------------
# The kernel has one row per input feature and the recurrent kernel one row
# per unit; both have ``4 * units = 32`` columns, in four blocks of 8: columns
# 0-7 are :math:`W_i` / :math:`U_i`, 8-15 :math:`W_f` / :math:`U_f`, 16-23
# :math:`W_g` / :math:`U_g` and 24-31 :math:`W_o` / :math:`U_o`. The bias has
# the same four blocks (the forget block is the one full of ones; Keras'
# source calls the candidate's block ``c``, this site calls it ``g``).
blocks = ["i", "f", "g", "o"]
for k, name in enumerate(blocks):
    columns = slice(k * units, (k + 1) * units)
    np.testing.assert_array_equal(kernel[:, columns], (W_i, W_f, W_g, W_o)[k])
    np.testing.assert_array_equal(
        recurrent_kernel[:, columns], (U_i, U_f, U_g, U_o)[k]
    )
    print(f"block {name}: columns {columns.start:2d}-{columns.stop - 1:2d}")
    print("  bias", bias[columns])
    assert np.all(bias[columns] == (1.0 if name == "f" else 0.0))

fig, axes = plt.subplots(
    3,
    1,
    figsize=(5, 6.5),
    sharex=True,
    layout="constrained",
    gridspec_kw={"height_ratios": [features, units, 1]},
)
weight_limit = max(
    np.abs(kernel).max(), np.abs(recurrent_kernel).max(), np.abs(bias).max()
)
panels = [
    (kernel, "kernel (features, 4 * units)", "input feature"),
    (
        recurrent_kernel,
        "recurrent kernel (units, 4 * units)",
        "unit of h at t-1",
    ),
    (bias[np.newaxis], "bias (4 * units,)", ""),
]
for ax, (matrix, title, ylabel) in zip(axes, panels):
    image = ax.imshow(
        matrix,
        cmap="RdBu_r",
        vmin=-weight_limit,
        vmax=weight_limit,
        aspect="auto",
    )
    ax.set_title(title, loc="left", fontsize="medium")
    ax.set_ylabel(ylabel)
    ax.set_yticks(range(matrix.shape[0]))
    for k in range(1, 4):
        ax.axvline(k * units - 0.5, color="black", linewidth=1.5)
axes[2].set_yticks([])
secondary = axes[0].secondary_xaxis("top")
secondary.set_xticks(
    [k * units + (units - 1) / 2 for k in range(4)], labels=blocks
)
secondary.tick_params(length=0, labelsize="large")
axes[-1].set_xlabel("column (gate block, then unit\nwithin the block)")
axes[-1].set_xticks(range(0, 4 * units, 4))
fig.colorbar(image, ax=axes, label="weight value")
fig.suptitle("The 4 * units columns:\ngate blocks i, f, g, o side by side")
plt.show()

# %%
# Reading the figure: column ``k * units + j`` holds the weights that feed
# unit ``j`` of gate block ``k``. The next page,
# :ref:`sphx_glr_auto_examples_cell_plot_parameter_count.py`, counts these
# numbers.

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_seed_plot_lstm_weights.py` - the weight
#   shapes and the gate blocks.
# * :ref:`sphx_glr_auto_examples_cell_plot_numpy_lstm.py` - the same
#   equations as a full NumPy forward pass.
# * :ref:`sphx_glr_auto_examples_cell_plot_cell_stepping.py` - the layer's
#   own cell stepped by hand.
# * :ref:`sphx_glr_auto_examples_trained_plot_trained_gates.py` - what does
#   this look like after training?
