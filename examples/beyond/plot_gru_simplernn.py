"""
GRU and SimpleRNN next to LSTM: states, weights, parameters
===========================================================

**In short:** all three read ``(batch, timesteps, features)`` and return
``(batch, units)``, or ``(batch, timesteps, units)`` with
``return_sequences=True``. With ``return_state=True`` an LSTM returns
``output, h, c``, a GRU and a SimpleRNN only ``output, h``. Their weights
hold 4 gate blocks (LSTM), 3 (GRU) and 1 (SimpleRNN), so an LSTM has exactly
4 times the parameters of a SimpleRNN of the same size, and the default GRU
lies between 3/4 of the LSTM and the LSTM.

``keras.layers.GRU`` and ``keras.layers.SimpleRNN`` take the same input as
``LSTM``, ``(batch, timesteps, features)``, and return the same output,
``(batch, units)`` or, with ``return_sequences=True``,
``(batch, timesteps, units)``. They differ inside: how many states they carry,
how many gate blocks their weights hold, and therefore how many parameters
they have.

This page puts the three side by side and checks every number against Keras.
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
# The data: 2 sequences of 9 steps with 3 features
# -------------------------------------------------
batch = 2
timesteps = 9
features = 3
units = 4

data = np.random.normal(0, 1, size=(batch, timesteps, features)).astype(
    "float32"
)
print("input shape is", data.shape)
assert data.shape == (batch, timesteps, features)

# %%
# Same input, same output shape
# -----------------------------
layer_types = {
    "LSTM": keras.layers.LSTM,
    "GRU": keras.layers.GRU,
    "SimpleRNN": keras.layers.SimpleRNN,
}
for name, layer_type in layer_types.items():
    last = layer_type(units)(data)
    seq = layer_type(units, return_sequences=True)(data)
    print(f"{name:>9}: output {tuple(last.shape)},")
    print(f"{'':>9}  with return_sequences {tuple(seq.shape)}")
    assert tuple(last.shape) == (batch, units)
    assert tuple(seq.shape) == (batch, timesteps, units)

# %%
# How many states: LSTM 2, GRU 1, SimpleRNN 1
# -------------------------------------------
# With ``return_state=True`` each layer returns its output followed by its
# final states. An LSTM carries two, the hidden state ``h`` and the cell state
# ``c``; GRU and SimpleRNN carry only ``h``. In all three the output (without
# ``return_sequences``) *is* the final ``h`` (the LSTM case in detail:
# :ref:`sphx_glr_auto_examples_seed_plot_return_state.py`).
expected_states = {"LSTM": 2, "GRU": 1, "SimpleRNN": 1}
for name, layer_type in layer_types.items():
    output, *states = layer_type(units, return_state=True)(data)
    shapes = ", ".join(str(tuple(s.shape)) for s in states)
    print(
        f"{name:>9}: {1 + len(states)} tensors: output {tuple(output.shape)}"
    )
    print(f"{'':>9}  + states {shapes}")
    assert len(states) == expected_states[name]
    assert all(tuple(s.shape) == (batch, units) for s in states)
    np.testing.assert_allclose(
        output.numpy(), states[0].numpy(), rtol=1e-5, atol=1e-6
    )

# %%
# So ``output, h, c = LSTM(..., return_state=True)(x)`` but
# ``output, h = GRU(..., return_state=True)(x)``: unpacking three values from
# a GRU fails.
try:
    output, h, c = keras.layers.GRU(units, return_state=True)(data)
except ValueError as err:
    print("ValueError:", err)
    assert "not enough values to unpack" in str(err)

# %%
# Weight shapes: 4, 3 and 1 blocks
# --------------------------------
# Each layer has an input kernel (``features`` rows), a recurrent kernel
# (``units`` rows) and a bias. Their width is ``units`` times the number of
# blocks: 4 for the LSTM (gates i, f, candidate g, o), 3 for the GRU (update
# z, reset r, candidate h), 1 for SimpleRNN (Keras source:
# ``keras/src/layers/rnn/lstm.py`` and ``gru.py``). Keras's GRU defaults to
# ``reset_after=True``, which keeps two biases per block, one added to the
# input part and one to the recurrent part: bias shape ``(2, 3 * units)``.
variants = {
    "LSTM": keras.layers.LSTM(units),
    "GRU": keras.layers.GRU(units),
    "GRU reset_after=False": keras.layers.GRU(units, reset_after=False),
    "SimpleRNN": keras.layers.SimpleRNN(units),
}
u, f = units, features
expected_shapes = {
    "LSTM": [(f, 4 * u), (u, 4 * u), (4 * u,)],
    "GRU": [(f, 3 * u), (u, 3 * u), (2, 3 * u)],
    "GRU reset_after=False": [(f, 3 * u), (u, 3 * u), (3 * u,)],
    "SimpleRNN": [(f, u), (u, u), (u,)],
}
print(f"{'layer':>21} | {'kernel':>9} | {'recurrent':>9} | {'bias':>9}")
for name, layer in variants.items():
    layer.build((None, timesteps, features))
    shapes = [tuple(w.shape) for w in layer.weights]
    assert shapes == expected_shapes[name], (name, shapes)
    cells = [f"{str(shape):>9}" for shape in shapes]
    print(f"{name:>21} | " + " | ".join(cells))

# %%
# Parameter counts, by formula
# ----------------------------
# From the shapes, with ``f`` features and ``u`` units:
#
# * LSTM: :math:`4\,(u(f+u) + u)`
# * GRU (``reset_after=True``, the default): :math:`3\,(u(f+u) + 2u)`
# * GRU (``reset_after=False``): :math:`3\,(u(f+u) + u)`
# * SimpleRNN: :math:`u(f+u) + u`
#
# Each formula is checked against ``count_params()`` for several sizes.
formulas = {
    "LSTM": lambda f, u: 4 * (u * (f + u) + u),
    "GRU": lambda f, u: 3 * (u * (f + u) + 2 * u),
    "GRU reset_after=False": lambda f, u: 3 * (u * (f + u) + u),
    "SimpleRNN": lambda f, u: u * (f + u) + u,
}
makers = {
    "LSTM": lambda u: keras.layers.LSTM(u),
    "GRU": lambda u: keras.layers.GRU(u),
    "GRU reset_after=False": lambda u: keras.layers.GRU(u, reset_after=False),
    "SimpleRNN": lambda u: keras.layers.SimpleRNN(u),
}
sizes = [(3, 4), (3, 16), (10, 32)]
counts = {}
print(f"{'layer':>21} | " + " | ".join(f"f={f:<2} u={u:<2}" for f, u in sizes))
for name in formulas:
    row = []
    for f, u in sizes:
        layer = makers[name](u)
        layer.build((None, timesteps, f))
        assert layer.count_params() == formulas[name](f, u), (name, f, u)
        row.append(layer.count_params())
    counts[name] = row
    print(f"{name:>21} | " + " | ".join(f"{n:>9}" for n in row))

# %%
# For the same sizes an LSTM has exactly 4 times the parameters of a SimpleRNN
# and 4/3 of a GRU with ``reset_after=False`` (4 blocks against 1 and 3); the
# default GRU's second bias narrows that gap a little.
for i in range(len(sizes)):
    assert counts["LSTM"][i] == 4 * counts["SimpleRNN"][i]
    assert 3 * counts["LSTM"][i] == 4 * counts["GRU reset_after=False"][i]
    assert (
        counts["GRU reset_after=False"][i]
        < counts["GRU"][i]
        < counts["LSTM"][i]
    )

fig, ax = plt.subplots(figsize=(5.5, 4.6), layout="constrained")
bar_width = 0.2
positions = np.arange(len(sizes))
for i, (name, row) in enumerate(counts.items()):
    bars = ax.bar(
        positions + (i - 1.5) * bar_width, row, bar_width, label=name
    )
    ax.bar_label(bars, fontsize=10, padding=2, rotation=90)
ax.set_xticks(
    positions, labels=[f"features={f},\nunits={u}" for f, u in sizes]
)
ax.set_xlabel("layer size")
ax.set_ylabel("number of parameters")
ax.set_yscale("log")
ax.set_ylim(10, 200000)
ax.legend(loc="upper left", fontsize=10)
fig.suptitle(
    "Parameters of LSTM, GRU and SimpleRNN\n(log scale), from count_params()"
)
plt.show()

# %%
# SimpleRNN is the plain recurrence
# ---------------------------------
# The textbook RNN formula :math:`h_t = \tanh(x_t W + h_{t-1} U + b)` is
# exactly what ``SimpleRNN`` computes, with ``W`` the kernel, ``U`` the
# recurrent kernel and ``h_0 = 0``. A NumPy loop with its weights reproduces
# every step.
rnn = keras.layers.SimpleRNN(units, return_sequences=True)
keras_seq = rnn(data).numpy()
W, U, b = rnn.get_weights()
h = np.zeros((batch, units), dtype="float32")
numpy_seq = []
for t in range(timesteps):
    h = np.tanh(data[:, t] @ W + h @ U + b)
    numpy_seq.append(h)
numpy_seq = np.stack(numpy_seq, axis=1)
assert numpy_seq.shape == keras_seq.shape == (batch, timesteps, units)
np.testing.assert_allclose(numpy_seq, keras_seq, rtol=1e-5, atol=1e-6)
print("NumPy loop == SimpleRNN for all", timesteps, "steps")
print("last h of sample 0:", numpy_seq[0, -1])

# %%
# LSTM and GRU add gates around this recurrence (the LSTM also a separate cell
# state ``c``), which is where their extra weight blocks go. The LSTM's
# parameter count block by block is on
# :ref:`sphx_glr_auto_examples_cell_plot_parameter_count.py`, and its
# equations in NumPy on :ref:`sphx_glr_auto_examples_cell_plot_numpy_lstm.py`.
# LSTMs combined into bigger layers are on
# :ref:`sphx_glr_auto_examples_beyond_plot_bidirectional.py` and
# :ref:`sphx_glr_auto_examples_beyond_plot_stacked_lstm.py`.

# %%
# Exercises
# ---------
# **1. Predict the shapes.** What does
# ``keras.layers.GRU(8, return_sequences=True, return_state=True)`` return
# for ``data`` of shape ``(2, 9, 3)``?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# Two tensors: the output sequence ``(2, 9, 8)`` and the one state ``h``,
# ``(2, 8)``, which equals the sequence's last step.
gru_seq, gru_h = keras.layers.GRU(8, return_sequences=True, return_state=True)(
    data
)
print("output:", tuple(gru_seq.shape), " h:", tuple(gru_h.shape))
assert tuple(gru_seq.shape) == (2, 9, 8) and tuple(gru_h.shape) == (2, 8)
np.testing.assert_allclose(gru_seq[:, -1], gru_h, rtol=1e-5, atol=1e-6)

# %%
# .. raw:: html
#
#    </details>
#
# **2. Count the parameters.** How many parameters has ``GRU(8)`` (the
# default ``reset_after=True``) on 3 features?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# ``3 * (8 * (3 + 8) + 2 * 8) = 312``.
gru = keras.layers.GRU(8)
gru.build((None, timesteps, 3))
print("GRU(8) on 3 features:", gru.count_params())
assert gru.count_params() == 3 * (8 * (3 + 8) + 2 * 8) == 312

# %%
# .. raw:: html
#
#    </details>
