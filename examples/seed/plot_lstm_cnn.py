"""
LSTM -> CNN: a ``Conv1D`` on top of the LSTM's sequence
=======================================================

**In short:** with ``return_sequences=True`` the LSTM's output is a sequence
``(batch, 9, 5)``, so sequence layers can follow it; a valid ``Conv1D`` with
a window of 2 gives 8 positions, pooling halves them, and ``Flatten`` gives
``(batch, 256)``. Why the LSTM has 180 parameters is on
:ref:`sphx_glr_auto_examples_seed_plot_lstm_weights.py`.

An LSTM with ``return_sequences=True`` outputs one vector per time step,
``(batch, timesteps, units)``. That is again a sequence, so a ``Conv1D`` can
read it and combine neighbouring steps, and ``MaxPooling1D`` and ``Flatten``
can turn the result into one flat vector per sample.

This page follows the seed notebook's LSTM -> 1D CNN model shape by shape:
``(None, 9, 5)``, ``(None, 8, 64)``, ``(None, 4, 64)``, ``(None, 256)``, and
drops the notebook's ``input_shape=`` argument, which Keras 3 warns about and
ignores here.
"""

# sphinx_gallery_start_ignore
# Hidden on the page, kept in the download (see the gallery's front page):
# quiet TensorFlow, no oneDNN reordering, the TensorFlow backend.
import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ["KERAS_BACKEND"] = "tensorflow"
# sphinx_gallery_end_ignore
import warnings

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
# The model, shape by shape
# -------------------------
# The LSTM keeps every time step (``return_sequences=True``): 9 steps of 5
# units.
inputs = keras.Input(shape=(timesteps, features), name="sequence")
lstm = keras.layers.LSTM(units, return_sequences=True, name="lstm")
lstm_out = lstm(inputs)
print("LSTM output:        ", lstm_out.shape)
assert tuple(lstm_out.shape) == (None, timesteps, units)

# %%
# ``Conv1D(filters=64, kernel_size=2)`` slides a two-step window along the 9
# steps. Without padding (the default, ``padding="valid"``) the window fits
# ``9 - 2 + 1 = 8`` times, and each position gives 64 numbers, one per filter.
filters = 64
conv = keras.layers.Conv1D(
    filters=filters, kernel_size=2, activation="relu", name="conv1d"
)
conv_out = conv(lstm_out)
print("Conv1D output:      ", conv_out.shape, " padding:", conv.padding)
assert conv.padding == "valid"
assert tuple(conv_out.shape) == (None, timesteps - 2 + 1, filters)
assert tuple(conv_out.shape) == (None, 8, 64)

# %%
# ``MaxPooling1D(pool_size=2)`` keeps the larger of each pair of steps, 8 -> 4,
# and ``Flatten`` lays the ``(4, 64)`` table out as one row of 256 numbers.
pool = keras.layers.MaxPooling1D(pool_size=2, name="max_pool")
pooled = pool(conv_out)
flat = keras.layers.Flatten(name="flatten")(pooled)
print("MaxPooling1D output:", pooled.shape)
print("Flatten output:     ", flat.shape)
assert tuple(pooled.shape) == (None, 4, 64)
assert tuple(flat.shape) == (None, 4 * 64) == (None, 256)

model = keras.Model(inputs=inputs, outputs=flat, name="lstm_cnn")
output = model(data).numpy()
print("output shape is", output.shape)
assert output.shape == (batch_size, 256)

# %%
# Don't pass ``input_shape=`` to the ``Conv1D``
# ---------------------------------------------
# The seed notebook wrote ``Conv1D(..., input_shape=(seq_len, units))``. In
# Keras 3 a ``Sequential`` model reads that argument from its first layer
# only (Keras source: keras/src/models/sequential.py); every layer given it
# warns (Keras source: keras/src/layers/layer.py). Here it is given a shape
# that is plainly wrong, ``(100, 7)``, and the layer does not care: it takes
# its input shape from the tensor it is called on.
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    ignored = keras.layers.Conv1D(
        filters, 2, activation="relu", input_shape=(100, 7)
    )
for warning in caught:
    print(f"{warning.category.__name__} caught: {warning.message}")
assert any("Do not pass an `input_shape`" in str(w.message) for w in caught)
print("Conv1D with input_shape=(100, 7), output:", ignored(lstm_out).shape)
assert tuple(ignored(lstm_out).shape) == (None, 8, 64)

# %%
# What the convolution computes
# -----------------------------
# At step ``t`` each filter looks at the LSTM outputs of steps ``t`` and
# ``t + 1``: ``relu(h[t] @ w[0] + h[t + 1] @ w[1] + b)``. Checked with NumPy on
# the LSTM's real outputs:
inner = keras.Model(inputs=inputs, outputs=[lstm_out, conv_out, pooled])
h, conv_values, pooled_values = (t.numpy() for t in inner(data))
w, b = conv.get_weights()
print("Conv1D kernel:", w.shape, "= (kernel_size, units, filters)")
print("Conv1D bias:  ", b.shape, "= (filters,)")
by_hand = np.maximum(h[:, :-1] @ w[0] + h[:, 1:] @ w[1] + b, 0)
np.testing.assert_allclose(conv_values, by_hand, rtol=1e-5, atol=1e-6)

# %%
# The ReLU makes every value zero or positive, and the pooling and
# ``Flatten`` only pick and rearrange those values:
zero_share = np.mean(conv_values == 0)
print(f"smallest Conv1D output: {conv_values.min():.4f}")
print(f"share of Conv1D outputs that are exactly zero: {zero_share:.0%}")
assert conv_values.min() >= 0
pooled_by_hand = np.maximum(conv_values[:, 0::2], conv_values[:, 1::2])
np.testing.assert_array_equal(pooled_values, pooled_by_hand)
np.testing.assert_array_equal(output, pooled_values.reshape(batch_size, 256))

# %%
# The picture for sample 0: the LSTM's 9 x 5 sequence on the left, the 64
# filters' responses at the 8 window positions on the right. Row ``t`` on the
# right is computed from rows ``t`` and ``t + 1`` on the left. Grey cells are
# exactly zero, where the ReLU switched the filter off.
fig, axes = plt.subplots(
    1,
    2,
    figsize=(5.2, 4.4),
    layout="constrained",
    gridspec_kw={"width_ratios": [1.2, 2]},
)
limit = np.abs(h[0]).max()
image = axes[0].imshow(
    h[0], cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto"
)
axes[0].set_title("LSTM output (9, 5)", fontsize=10)
axes[0].set_xlabel("unit")
axes[0].set_xticks(range(units))
axes[0].set_ylabel("time step")
axes[0].set_yticks(range(timesteps))
colorbar = fig.colorbar(
    image, ax=axes[0], label="LSTM output", location="bottom"
)
colorbar.ax.xaxis.set_major_locator(plt.MaxNLocator(3))  # fewer, wider ticks
# the zeros are masked and drawn grey
reds = plt.get_cmap("Reds").with_extremes(bad="#b0b0b0")
image = axes[1].imshow(
    np.ma.masked_equal(conv_values[0], 0), cmap=reds, vmin=0, aspect="auto"
)
axes[1].set_title("Conv1D + ReLU output (8, 64)", fontsize=10)
axes[1].set_xlabel("filter")
axes[1].set_xticks(range(0, filters, 8))
axes[1].set_ylabel("window position")
axes[1].set_yticks(range(8))
fig.colorbar(
    image,
    ax=axes[1],
    label="filter output (ReLU, > 0; grey: exactly 0)",
    location="bottom",
)
fig.suptitle(
    "Sample 0: LSTM sequence -> 64 Conv1D filters at 8 positions",
    fontsize=10,
)
plt.show()

# %%
# The model summary
# -----------------
# The parameter counts:
#
# * ``LSTM`` on 3 features: ``4 * (5 * (3 + 5) + 5) = 180``;
# * ``Conv1D`` on 5 input channels: ``kernel_size * units * filters + filters
#   = 2 * 5 * 64 + 64 = 704``;
# * pooling and ``Flatten``: 0.
model.summary(line_length=80, print_fn=print)

lstm_params = 4 * (units * (features + units) + units)
conv_params = 2 * units * filters + filters
total = lstm_params + conv_params
print("LSTM:", lstm_params, " Conv1D:", conv_params, " total:", total)
assert lstm.count_params() == lstm_params == 180
assert conv.count_params() == conv_params == 704
assert model.count_params() == 884

# %%
# Exercises
# ---------
# **1. Predict the shape.** Give the ``Conv1D`` ``padding="same"`` and keep
# the rest. What shape does ``Flatten`` return?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# The convolution keeps all 9 positions, ``(None, 9, 64)``. ``MaxPooling1D``
# keeps its default ``padding="valid"``, so the ninth position is dropped:
# ``9 // 2 = 4`` steps, and ``Flatten`` still gives ``(None, 256)``.
same = keras.layers.Conv1D(filters, 2, activation="relu", padding="same")
same_out = same(lstm_out)
pool_2 = keras.layers.MaxPooling1D(2)
same_flat = keras.layers.Flatten()(pool_2(same_out))
print(tuple(same_out.shape), "->", tuple(same_flat.shape))
assert pool_2.padding == "valid"
assert tuple(same_out.shape) == (None, 9, 64)
assert tuple(same_flat.shape) == (None, 256)

# %%
# .. raw:: html
#
#    </details>
#
# **2. Fix this error.** This model fails when the ``Conv1D`` is called. Why,
# and what is the fix?
#
# .. code-block:: python
#
#    h = keras.layers.LSTM(5)(inputs)
#    x = keras.layers.Conv1D(64, 2, activation="relu")(h)
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# Without ``return_sequences=True`` the LSTM returns ``(None, 5)``, with no
# time axis for the convolution to slide along. Keep the sequence:
h = keras.layers.LSTM(units)(inputs)
try:
    keras.layers.Conv1D(filters, 2, activation="relu")(h)
except ValueError as err:
    message = str(err)
    print(message)
assert "expected min_ndim=3, found ndim=2" in message
h = keras.layers.LSTM(units, return_sequences=True)(inputs)
x = keras.layers.Conv1D(filters, 2, activation="relu")(h)
print(tuple(x.shape))
assert tuple(x.shape) == (None, 8, 64)

# %%
# .. raw:: html
#
#    </details>
#
# See also
# --------
# * :ref:`sphx_glr_auto_examples_seed_plot_return_sequences.py` - the (batch, timesteps, units) output the Conv1D reads.
# * :ref:`sphx_glr_auto_examples_beyond_plot_common_errors.py` - the input_shape= warning and other common messages.
