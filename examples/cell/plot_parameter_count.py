"""
Counting an LSTM's parameters
=============================

**In short:** an LSTM layer with ``units`` units reading ``features``
features per step has

.. math::

   4 \\times \\bigl(\\text{units} \\times (\\text{features} + \\text{units})
   + \\text{units}\\bigr)

trainable numbers (with Keras' default ``use_bias=True``), whatever the batch
size and the number of time steps. This page derives the formula from the
weight shapes and checks it against Keras' ``count_params()`` for a grid of
sizes.
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
from matplotlib.colors import LogNorm

keras.utils.set_random_seed(313)
np.set_printoptions(precision=4, suppress=True)

# %%
# Where the formula comes from
# ----------------------------
# Each of the four gate blocks (i, f, g, o) has a kernel block
# ``(features, units)``, a recurrent block ``(units, units)`` and a bias block
# ``(units,)``. The seed notebook's layer, 3 features and 5 units:
features, units = 3, 5
layer = keras.layers.LSTM(units)
layer.build((None, None, features))  # batch and timesteps do not matter
for weight in layer.weights:
    size = int(np.prod(weight.shape))
    print(f"{weight.path:31s} {str(tuple(weight.shape)):7s} {size:4d}")
print("count_params():", layer.count_params())

kernel, recurrent_kernel, bias = layer.get_weights()
assert kernel.size == features * 4 * units == 60
assert recurrent_kernel.size == units * 4 * units == 100
assert bias.size == 4 * units == 20
assert layer.count_params() == 60 + 100 + 20 == 180

# %%
# Summing the three: :math:`4uf + 4u^2 + 4u = 4\,(u\,(f + u) + u)` with
# :math:`u` units and :math:`f` features.


def lstm_params(features, units):
    return 4 * (units * (features + units) + units)


assert lstm_params(3, 5) == 180

# %%
# The batch size and the number of steps do not appear: the same weights are
# used at every step of every sample (Keras source:
# ``keras/src/layers/rnn/lstm.py``, where ``LSTMCell.build`` makes the three
# weights from ``input_shape[-1]`` and ``units`` only).
for timesteps in (1, 9, 100):
    fixed = keras.layers.LSTM(units)
    fixed.build((32, timesteps, features))
    assert fixed.count_params() == 180
print("180 parameters for 1, 9 and 100 steps, batch of 32")

# %%
# Checked over a grid
# -------------------
# Build one layer per (features, units) pair and compare ``count_params()``
# with the formula. The table is computed when this page is built.
feature_sizes = [1, 3, 8, 32, 128]
unit_sizes = [1, 5, 16, 64, 256]
counts = np.zeros((len(feature_sizes), len(unit_sizes)), dtype=int)
for row, f in enumerate(feature_sizes):
    for col, u in enumerate(unit_sizes):
        grid_layer = keras.layers.LSTM(u)
        grid_layer.build((None, None, f))
        counts[row, col] = grid_layer.count_params()
        assert counts[row, col] == lstm_params(f, u), (f, u)

header = "features \\ units |" + "".join(f"{u:>9d}" for u in unit_sizes)
print(header)
print("-" * len(header))
for f, row_counts in zip(feature_sizes, counts):
    print(f"{f:>16d} |" + "".join(f"{n:>9,d}" for n in row_counts))
print(f"all {counts.size} layers: count_params() matches the formula")

# %%
# The units term is squared, the features term is not: four times as many
# units (64 to 256) makes the layer more than 14 times bigger, sixteen times
# as many features (8 to 128) not even three times bigger.
print(
    "256 vs 64 units, 8 features:", f"{counts[2, 4] / counts[2, 3]:.1f} times"
)
print(
    "128 vs 8 features, 64 units:", f"{counts[4, 3] / counts[2, 3]:.1f} times"
)
assert counts[2, 4] / counts[2, 3] > 14
assert counts[4, 3] / counts[2, 3] < 3

# %%
# The same table as a picture, on a logarithmic colour scale:
fig, ax = plt.subplots(figsize=(5, 4.4), layout="constrained")
image = ax.imshow(counts, cmap="viridis", norm=LogNorm(), aspect="auto")
for row in range(len(feature_sizes)):
    for col in range(len(unit_sizes)):
        shade = image.norm(counts[row, col])
        ax.text(
            col,
            row,
            f"{counts[row, col]:,}",
            ha="center",
            va="center",
            color="black" if shade > 0.6 else "white",
            fontsize=10,
        )
ax.set_xticks(range(len(unit_sizes)), labels=unit_sizes)
ax.set_yticks(range(len(feature_sizes)), labels=feature_sizes)
ax.set_xlabel("units")
ax.set_ylabel("features")
fig.colorbar(image, ax=ax, label="trainable parameters (log scale)")
fig.suptitle("LSTM parameters =\n4 * (units * (features + units) + units)")
plt.show()

# %%
# In a model summary
# ------------------
# ``model.summary()`` shows the same number in its ``Param #`` column:
model = keras.Sequential(
    [keras.Input(shape=(9, features)), keras.layers.LSTM(units, name="lstm")]
)
model.summary(line_length=60, print_fn=print)
print("model.count_params():", model.count_params())
assert model.count_params() == 180

# %%
# Without a bias (``use_bias=False``) the ``+ units`` term goes:
no_bias = keras.layers.LSTM(units, use_bias=False)
no_bias.build((None, None, features))
print("use_bias=False:", no_bias.count_params())
assert no_bias.count_params() == 4 * units * (features + units) == 160

# %%
# :ref:`sphx_glr_auto_examples_cell_plot_gates_over_time.py` shows where these
# numbers sit in the kernel, recurrent kernel and bias.

# %%
# Exercises
# ---------
# **1. Predict the count.** How many trainable parameters has
# ``keras.layers.LSTM(32)`` reading 10 features per step, in batches of 64
# sequences of 200 steps?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# :math:`4 \times (32 \times (10 + 32) + 32) = 5504`; the batch size and the
# 200 steps do not change it.

answer = 4 * (32 * (10 + 32) + 32)
check = keras.layers.LSTM(32)
check.build((64, 200, 10))
print(answer, check.count_params())
assert check.count_params() == answer == 5504

# %%
# .. raw:: html
#
#    </details>
#
# **2. Two stacked layers.** What does ``count_params()`` say for this model?
#
# .. code-block:: python
#
#    stacked = keras.Sequential([
#        keras.Input(shape=(None, 4)),
#        keras.layers.LSTM(16, return_sequences=True),
#        keras.layers.LSTM(8),
#    ])
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# The second LSTM reads the first one's 16 outputs per step, so its
# ``features`` is 16: :math:`4 (16 (4 + 16) + 16) + 4 (8 (16 + 8) + 8) =
# 1344 + 800 = 2144`.

stacked = keras.Sequential(
    [
        keras.Input(shape=(None, 4)),
        keras.layers.LSTM(16, return_sequences=True),
        keras.layers.LSTM(8),
    ]
)
print(stacked.count_params())
assert stacked.count_params() == lstm_params(4, 16) + lstm_params(16, 8)
assert stacked.count_params() == 2144

# %%
# .. raw:: html
#
#    </details>

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_seed_plot_lstm_weights.py` - the matrices
#   behind the count.
# * :ref:`sphx_glr_auto_examples_beyond_plot_gru_simplernn.py` - the same
#   count for GRU and SimpleRNN.
