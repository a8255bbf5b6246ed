"""
An LSTM in plain NumPy that matches Keras
=========================================

**In short:** an LSTM layer is ``get_weights()`` plus the six lines of the
loop on this page. Run in NumPy with the weights of a Keras ``LSTM`` layer,
the loop gives the same numbers as Keras, to float32 rounding: the whole
output sequence, the final hidden state and the final cell state, for a
batch of several samples, reading forwards and with ``go_backwards=True``.
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
# A layer and a batch
# -------------------
# Three sequences of 7 steps with 4 features each, and a layer with 5 units
# that returns everything it can: the hidden state at every step
# (``return_sequences=True``) and the final hidden and cell states
# (``return_state=True``).
batch_size = 3
timesteps = 7
features = 4
units = 5

x = np.random.normal(0, 1, size=(batch_size, timesteps, features))
x = x.astype("float32")
layer = keras.layers.LSTM(units, return_sequences=True, return_state=True)
keras_seq, keras_h, keras_c = (tensor.numpy() for tensor in layer(x))
print("input:          ", x.shape)
print("output sequence:", keras_seq.shape)
print("final h:        ", keras_h.shape)
print("final c:        ", keras_c.shape)
assert keras_seq.shape == (batch_size, timesteps, units)
assert keras_h.shape == keras_c.shape == (batch_size, units)

# %%
# The weights, and where each gate's part is
# ------------------------------------------
# ``get_weights()`` returns three arrays. Each has ``4 * units`` columns: the
# columns of the four gate blocks side by side, in Keras' order **i** (input
# gate), **f** (forget gate), **g** (the candidate) and **o** (output gate).
# Keras' source calls the candidate ``c`` (Keras source:
# ``keras/src/layers/rnn/lstm.py``, ``x_i, x_f, x_c, x_o``); this site calls
# it :math:`g`, because :math:`c` is the cell state.
kernel, recurrent_kernel, bias = layer.get_weights()
print("kernel:          ", kernel.shape, "= (features, 4 * units)")
print("recurrent kernel:", recurrent_kernel.shape, "= (units, 4 * units)")
print("bias:            ", bias.shape, "= (4 * units,)")
assert kernel.shape == (features, 4 * units)
assert recurrent_kernel.shape == (units, 4 * units)
assert bias.shape == (4 * units,)

W_i, W_f, W_g, W_o = np.split(kernel, 4, axis=1)
U_i, U_f, U_g, U_o = np.split(recurrent_kernel, 4, axis=1)
b_i, b_f, b_g, b_o = np.split(bias, 4)
assert W_i.shape == (features, units) and U_i.shape == (units, units)
assert b_i.shape == (units,)

# %%
# The forget-gate bias starts at 1 and the other biases at 0: that is Keras'
# default ``unit_forget_bias=True`` (Keras source:
# ``keras/src/layers/rnn/lstm.py``). Where the rest of its input is near 0,
# a fresh forget gate is then near :math:`\sigma(1) \approx 0.73`.
print("b_f:", b_f)
np.testing.assert_array_equal(b_f, np.ones(units))
np.testing.assert_array_equal(
    np.concatenate([b_i, b_g, b_o]), np.zeros(3 * units)
)

# %%
# The equations
# -------------
# Keras multiplies row vectors from the left: the input at step :math:`t` of
# one sample is a row :math:`x_t` of ``features`` numbers, the states
# :math:`h_t` and :math:`c_t` are rows of ``units`` numbers. With
# :math:`h_0 = c_0 = 0`, for :math:`t = 1, \dots, T`:
#
# .. math::
#
#    i_t &= \sigma(x_t W_i + h_{t-1} U_i + b_i) \\
#    f_t &= \sigma(x_t W_f + h_{t-1} U_f + b_f) \\
#    g_t &= \tanh(x_t W_g + h_{t-1} U_g + b_g) \\
#    o_t &= \sigma(x_t W_o + h_{t-1} U_o + b_o) \\
#    c_t &= f_t \odot c_{t-1} + i_t \odot g_t \\
#    h_t &= o_t \odot \tanh(c_t)
#
# where :math:`\sigma(z) = 1 / (1 + e^{-z})` is the logistic sigmoid
# (``recurrent_activation="sigmoid"``, the default), :math:`\tanh` is
# ``activation="tanh"`` (the default, used twice) and :math:`\odot` multiplies
# element by element. The output sequence is :math:`h_1, \dots, h_T`; the
# returned states are :math:`h_T` and :math:`c_T`.
#
# The code is the equations, line for line, for a whole batch at once (each
# row of ``x_t`` is one sample):


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def numpy_lstm(x, go_backwards=False):
    """(all h_t, final h, final c) for x: (batch, timesteps, features)."""
    steps = range(x.shape[1])
    if go_backwards:
        steps = reversed(steps)
    h = np.zeros((x.shape[0], units), dtype="float32")
    c = np.zeros((x.shape[0], units), dtype="float32")
    hs = []
    for t in steps:
        x_t = x[:, t]
        i = sigmoid(x_t @ W_i + h @ U_i + b_i)
        f = sigmoid(x_t @ W_f + h @ U_f + b_f)
        g = np.tanh(x_t @ W_g + h @ U_g + b_g)
        o = sigmoid(x_t @ W_o + h @ U_o + b_o)
        c = f * c + i * g
        h = o * np.tanh(c)
        hs.append(h)
    return np.stack(hs, axis=1), h, c


# %%
# Same numbers as Keras
# ---------------------
# The differences are of the size of float32 rounding: below ten times
# float32's machine epsilon (1.2e-07).
np_seq, np_h, np_c = numpy_lstm(x)
print(f"max |diff|, sequence: {np.abs(np_seq - keras_seq).max():.1e}")
print(f"max |diff|, final h:  {np.abs(np_h - keras_h).max():.1e}")
print(f"max |diff|, final c:  {np.abs(np_c - keras_c).max():.1e}")
eps = np.finfo("float32").eps
assert np.abs(np_seq - keras_seq).max() < 10 * eps
assert np.abs(np_c - keras_c).max() < 10 * eps
np.testing.assert_allclose(np_seq, keras_seq, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(np_h, keras_h, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(np_c, keras_c, rtol=1e-5, atol=1e-6)

# %%
# The final hidden state is the last row of the sequence, and the final cell
# state appears nowhere in the sequence: it is only returned as a state.
np.testing.assert_array_equal(keras_h, keras_seq[:, -1])
assert not any(np.allclose(keras_c, keras_seq[:, t]) for t in range(timesteps))

# %%
# Each sample is its own sequence: running the samples one at a time gives the
# same rows as running the batch.
for sample in range(batch_size):
    one_seq, _, _ = numpy_lstm(x[sample : sample + 1])
    np.testing.assert_allclose(
        one_seq[0], keras_seq[sample], rtol=1e-5, atol=1e-6
    )
print("each sample alone gives the same rows as the batch")

# %%
# The picture for the first sample: Keras' :math:`h_t`, NumPy's, and their
# difference on its own much finer colour scale.
limit = np.abs(keras_seq[0]).max()
diff = np_seq[0] - keras_seq[0]
diff_limit = max(np.abs(diff).max(), np.finfo("float32").eps)
fig, axes = plt.subplots(
    3, 1, figsize=(5, 8), sharex=True, sharey=True, layout="constrained"
)
panels = [
    ("Keras h_t", keras_seq[0], limit),
    ("NumPy h_t", np_seq[0], limit),
    ("NumPy - Keras", diff, diff_limit),
]
for ax, (title, values, lim) in zip(axes, panels):
    image = ax.imshow(
        values, cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto"
    )
    ax.set_title(title)
    ax.set_ylabel("time step")
    if title == "Keras h_t":
        fig.colorbar(image, ax=axes[:2], label="hidden state value")
axes[-1].set_xlabel("unit")
axes[-1].set_xticks(range(units))
axes[0].set_yticks(range(timesteps))
fig.colorbar(image, ax=axes[2], label="difference", format="%.1e")
fig.suptitle(
    "Hidden states of sample 0: Keras and NumPy\nagree to float32 rounding"
)
plt.show()

# %%
# ``go_backwards=True``
# ---------------------
# A layer with ``go_backwards=True`` reads each sequence from its last step to
# its first. Give it the same weights (``set_weights``) and compare.
backwards = keras.layers.LSTM(
    units, return_sequences=True, return_state=True, go_backwards=True
)
backwards.build(x.shape)
backwards.set_weights(layer.get_weights())
back_seq, back_h, back_c = (tensor.numpy() for tensor in backwards(x))

np_back_seq, np_back_h, np_back_c = numpy_lstm(x, go_backwards=True)
print(f"max |diff|, sequence: {np.abs(np_back_seq - back_seq).max():.1e}")
print(f"max |diff|, final h:  {np.abs(np_back_h - back_h).max():.1e}")
print(f"max |diff|, final c:  {np.abs(np_back_c - back_c).max():.1e}")
np.testing.assert_allclose(np_back_seq, back_seq, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(np_back_h, back_h, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(np_back_c, back_c, rtol=1e-5, atol=1e-6)

# %%
# The order of the returned sequence is the order of **reading**, not the order
# of the input: row 0 is the state after the layer has read only the *last*
# input step, and the last row is the state after it has read everything
# (it equals the final state). So ``go_backwards=True`` is exactly a forward
# LSTM on the time-reversed input, ``x[:, ::-1]``.
print(f"output row 0 has read input step {timesteps - 1} only")
print(f"output row {timesteps - 1} has read steps {timesteps - 1} down to 0")
forward_on_reversed, _, _ = numpy_lstm(x[:, ::-1])
np.testing.assert_allclose(back_seq, forward_on_reversed, rtol=1e-5, atol=1e-6)
np.testing.assert_array_equal(back_h, back_seq[:, -1])

# %%
# Keras does not flip the sequence back. To line the outputs up with the input
# steps (row ``t`` = state just after reading input step ``t``), reverse it
# yourself with ``back_seq[:, ::-1]`` (``Bidirectional`` does this to its
# backward half; Keras source: ``keras/src/layers/rnn/bidirectional.py``,
# ``ops.flip(y_rev, axis=1)``).
aligned = back_seq[:, ::-1]
assert not np.allclose(back_seq, aligned)
print(
    "row 0 of back_seq[:, ::-1] is the final state:",
    np.allclose(aligned[:, 0], back_h),
)
np.testing.assert_array_equal(aligned[:, 0], back_h)

# %%
# The next page, :ref:`sphx_glr_auto_examples_cell_plot_cell_stepping.py`,
# gets the same numbers from Keras' own cell, one step at a time.

# %%
# Exercises
# ---------
# **1. Keep the cell state.** Change ``numpy_lstm`` so that it also returns
# :math:`c_t` at every step, shape ``(batch, timesteps, units)``, and check
# that its last step is Keras' final ``c``.
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# Collect ``c`` next to ``h`` inside the loop and stack it the same way.


def numpy_lstm_with_c(x):
    h = np.zeros((x.shape[0], units), dtype="float32")
    c = np.zeros((x.shape[0], units), dtype="float32")
    hs, cs = [], []
    for t in range(x.shape[1]):
        x_t = x[:, t]
        i = sigmoid(x_t @ W_i + h @ U_i + b_i)
        f = sigmoid(x_t @ W_f + h @ U_f + b_f)
        g = np.tanh(x_t @ W_g + h @ U_g + b_g)
        o = sigmoid(x_t @ W_o + h @ U_o + b_o)
        c = f * c + i * g
        h = o * np.tanh(c)
        hs.append(h)
        cs.append(c)
    return np.stack(hs, axis=1), np.stack(cs, axis=1)


all_h, all_c = numpy_lstm_with_c(x)
print("c at every step:", all_c.shape)
assert all_c.shape == (batch_size, timesteps, units)
np.testing.assert_allclose(all_c[:, -1], keras_c, rtol=1e-5, atol=1e-6)

# %%
# .. raw:: html
#
#    </details>
#
# **2. Predict the shapes.** What does this layer return for ``x`` (3
# sequences, 7 steps, 4 features)?
#
# .. code-block:: python
#
#    keras.layers.LSTM(5, return_state=True)(x)
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# Without ``return_sequences`` the output is the last :math:`h_t` only, so
# the three arrays (output, :math:`h_T`, :math:`c_T`) all have shape
# ``(batch, units)``.

out, h_T, c_T = keras.layers.LSTM(5, return_state=True)(x)
print(tuple(out.shape), tuple(h_T.shape), tuple(c_T.shape))
assert tuple(out.shape) == tuple(h_T.shape) == tuple(c_T.shape) == (3, 5)

# %%
# .. raw:: html
#
#    </details>

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_seed_plot_lstm_weights.py` - where the
#   weight shapes come from.
# * :ref:`sphx_glr_auto_examples_cell_plot_gates_over_time.py` - the gates
#   of this computation, drawn over time.
# * :ref:`sphx_glr_auto_examples_beyond_plot_keras_vs_pytorch.py` - the same
#   equations in PyTorch's weight layout.
