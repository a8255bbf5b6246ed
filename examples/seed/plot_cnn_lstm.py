"""
CNN -> LSTM: a ``Conv1D`` front end feeding an LSTM
====================================================

**In short:** ``Conv1D`` turns features into filters and (with
``padding="same"``) keeps the time axis, pooling shortens the time axis, and
the LSTM reads the result as ``(batch, timesteps=5, features=2)``. The seed
notebook's next idea, running the CNN on sub-sequences, is on
:ref:`sphx_glr_auto_examples_seed_plot_cnn_subsequences.py`.

A layer can sit in front of an LSTM when what it outputs is what an LSTM
reads: a 3-D array ``(batch, timesteps, features)``. A ``Conv1D`` layer
followed by ``MaxPooling1D`` outputs exactly that.

This page builds the seed notebook's CNN -> LSTM model, follows the shape of
the data through every layer, counts the parameters, and corrects one sentence
of the notebook: the LSTM's input is **not** ``(batch_size, num_inputs,
timestepsgth)``. The pooled sequence is read as 5 time steps of 2 features.
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
# Convolution, then pooling
# -------------------------
# ``Conv1D(filters=2, kernel_size=2, padding="same")`` slides a window two time
# steps wide along the time axis. At every step it computes one number per
# filter, so the 3 input features are replaced by 2 filter outputs, and
# ``padding="same"`` keeps all 9 steps.
filters = 2
inputs = keras.Input(shape=(timesteps, features), name="sequence")
conv = keras.layers.Conv1D(
    filters=filters, kernel_size=2, padding="same", name="conv1d"
)
conv_out = conv(inputs)
print("Conv1D output:      ", conv_out.shape)
assert tuple(conv_out.shape) == (None, timesteps, filters)

# %%
# ``MaxPooling1D`` (default ``pool_size=2``, and strides equal to the pool
# size; Keras source: keras/src/layers/pooling/max_pooling1d.py) keeps the
# larger of every two neighbouring steps, so it halves the time axis. With
# ``padding="same"`` the ninth step, which has no partner, gets a window of
# its own: ``ceil(9 / 2) = 5`` steps. The filters are untouched.
pool = keras.layers.MaxPooling1D(padding="same", name="max_pool")
pooled = pool(conv_out)
print("MaxPooling1D output:", pooled.shape)
print("pool_size:", pool.pool_size, " strides:", pool.strides)
assert pool.pool_size == pool.strides == (2,)
assert tuple(pooled.shape) == (None, 5, 2)
assert pooled.shape[1] == int(np.ceil(timesteps / 2))

# %%
# The shape matches what an LSTM reads, so the LSTM goes on top:
outputs = keras.layers.LSTM(units, name="lstm")(pooled)
model = keras.Model(inputs=inputs, outputs=outputs, name="cnn_lstm")
print("LSTM output:        ", outputs.shape)
assert tuple(outputs.shape) == (None, units)

# %%
# What the LSTM reads: 5 time steps of 2 features
# -----------------------------------------------
# The seed notebook said the layer before an LSTM must output ``(batch_size,
# num_inputs, seq_length)``. That is the wrong way round. An LSTM reads
# ``(batch, timesteps, features)`` (Keras source:
# keras/src/layers/rnn/lstm.py, "Call arguments"): here the pooled tensor
# ``(None, 5, 2)`` is **5 time steps** (pooling halved the time axis) of **2
# features** (one per convolution filter).
#
# The LSTM's own weights show it. Its kernel multiplies the features of one
# step, so it has one row per feature: 2 rows, the size of the last axis.
lstm = model.get_layer("lstm")
kernel = lstm.get_weights()[0]
print("LSTM kernel shape:", kernel.shape, "= (features, 4 * units)")
assert kernel.shape == (pooled.shape[-1], 4 * units) == (2, 20)

# %%
# Had the LSTM read the 5 as features (the notebook's order, with the two
# axes swapped by ``Permute``), its kernel would have 5 rows:
swapped = keras.layers.Permute((2, 1))(pooled)
other_lstm = keras.layers.LSTM(units)
other_lstm(swapped)
print("on (None, 2, 5):", other_lstm.get_weights()[0].shape)
assert other_lstm.get_weights()[0].shape == (5, 4 * units)

# %%
# Checking the two layers by hand
# -------------------------------
# Run the first two layers on the data and redo their arithmetic with NumPy.
# With ``kernel_size=2``, the filter output at step ``t`` is
# ``x[t] @ w[0] + x[t + 1] @ w[1] + b``; ``padding="same"`` adds one step of
# zeros after the end, so the last step only sees ``x[8] @ w[0] + b``.
features_model = keras.Model(inputs=inputs, outputs=[conv_out, pooled])
conv_values, pooled_values = (t.numpy() for t in features_model(data))
w, b = conv.get_weights()
print("Conv1D kernel:", w.shape, "= (kernel_size, features, filters)")
print("Conv1D bias:  ", b.shape, "= (filters,)")

zeros = np.zeros((batch_size, 1, features), dtype="float32")
# 10 steps, the last all zero
padded = np.concatenate([data, zeros], axis=1)
by_hand = padded[:, :-1] @ w[0] + padded[:, 1:] @ w[1] + b
np.testing.assert_allclose(conv_values, by_hand, rtol=1e-5, atol=1e-6)

# %%
# Pooled step ``k`` is the larger of conv steps ``2k`` and ``2k + 1``; the last
# pooled step only has conv step 8.
pooled_by_hand = np.stack(
    [conv_values[:, 2 * k : 2 * k + 2].max(axis=1) for k in range(5)], axis=1
)
np.testing.assert_allclose(pooled_values, pooled_by_hand, rtol=1e-5, atol=1e-6)
print("sample 0 after Conv1D, (time step, filter):")
print(conv_values[0])
print("sample 0 after MaxPooling1D, (pooled step, filter):")
print(pooled_values[0])

# %%
# The picture for sample 0: 9 steps of 3 features become 9 steps of 2 filter
# outputs, then 5 pooled steps. Each pooled row is drawn across the two time
# steps it comes from (the last one covers step 8 and the padding).
panels = [
    (data[0], "input (9, 3)", "feature"),
    (conv_values[0], "Conv1D (9, 2)", "filter"),
    (pooled_values[0], "MaxPooling1D (5, 2)", "filter"),
]
limit = max(np.abs(values).max() for values, _, _ in panels)
fig, axes = plt.subplots(
    1,
    3,
    figsize=(5.2, 4.6),
    sharey=True,
    layout="constrained",
    gridspec_kw={"width_ratios": [3, 2, 2]},
)
for ax, (values, title, xlabel) in zip(axes, panels):
    steps = values.shape[0]
    height = 2 if steps == 5 else 1
    extent = (-0.5, values.shape[1] - 0.5, steps * height - 0.5, -0.5)
    image = ax.imshow(
        values,
        cmap="RdBu_r",
        vmin=-limit,
        vmax=limit,
        aspect="auto",
        extent=extent,
    )
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel)
    ax.set_xticks(range(values.shape[1]))
axes[0].set_ylabel("time step")
axes[0].set_yticks(range(timesteps))
axes[0].set_ylim(timesteps + 0.5, -0.5)
for ax in axes[:2]:  # the step past the end that "same" padding adds
    ax.axhspan(
        timesteps - 0.5,
        timesteps + 0.5,
        facecolor="none",
        edgecolor="0.6",
        hatch="//",
    )
    middle = sum(ax.get_xlim()) / 2
    ax.text(middle, timesteps, "padding", ha="center", va="center")
pooled_axis = axes[2].twinx()
pooled_axis.set_ylim(axes[0].get_ylim())
pooled_axis.set_yticks([2 * k + 0.5 for k in range(5)], labels=range(5))
pooled_axis.set_ylabel("pooled step")
fig.colorbar(image, ax=axes, label="value", location="bottom")
fig.suptitle(
    "Sample 0: time steps 9 -> 9 -> 5, features 3 -> filters 2 -> 2",
    fontsize=10,
)
plt.show()

# %%
# The model summary and its 174 parameters
# ----------------------------------------
# The same total as the seed notebook's summary, 174, split like this:
#
# * ``Conv1D``: a ``(kernel_size, features, filters)`` kernel plus one bias
#   per filter, ``2 * 3 * 2 + 2 = 14``;
# * ``MaxPooling1D``: nothing to learn, 0;
# * ``LSTM``: four gate blocks, each with weights for the 2 input features and
#   the 5 previous outputs plus a bias, ``4 * (5 * (2 + 5) + 5) = 160``.
model.summary(line_length=80, print_fn=print)

conv_params = 2 * features * filters + filters
lstm_params = 4 * (units * (filters + units) + units)
total = conv_params + lstm_params
print("Conv1D:", conv_params, " LSTM:", lstm_params, " total:", total)
assert conv.count_params() == conv_params == 14
assert pool.count_params() == 0
assert lstm.count_params() == lstm_params == 160
assert model.count_params() == 174

# %%
# The whole model runs on the batch and gives one 5-number output per sample:
output = model(data).numpy()
print("output shape is", output.shape)
print(output)
assert output.shape == (batch_size, units)

# %%
# Exercises
# ---------
# **1. Predict the shape.** With ``MaxPooling1D(pool_size=3,
# padding="same")`` instead of the default pool size, what shape does the
# LSTM read, and how many parameters does the LSTM have?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# ``ceil(9 / 3) = 3`` steps of the same 2 filters, ``(None, 3, 2)``. The
# LSTM's weights do not depend on the number of steps: still 160.
pooled_3 = keras.layers.MaxPooling1D(pool_size=3, padding="same")(conv_out)
lstm_3 = keras.layers.LSTM(units)
lstm_3(pooled_3)
print(tuple(pooled_3.shape), lstm_3.count_params())
assert tuple(pooled_3.shape) == (None, 3, 2)
assert lstm_3.count_params() == 160

# %%
# .. raw:: html
#
#    </details>
#
# **2. Predict the parameter count.** With ``Conv1D(filters=4, ...)``, how
# many parameters does the LSTM(5) on top have?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# The LSTM now reads 4 features: ``4 * (5 * (4 + 5) + 5) = 200``.
conv_4 = keras.layers.Conv1D(filters=4, kernel_size=2, padding="same")
pooled_4 = keras.layers.MaxPooling1D(padding="same")(conv_4(inputs))
lstm_4 = keras.layers.LSTM(units)
lstm_4(pooled_4)
print(tuple(pooled_4.shape), lstm_4.count_params())
assert lstm_4.count_params() == 4 * (units * (4 + units) + units) == 200

# %%
# .. raw:: html
#
#    </details>
#
# See also
# --------
# * :ref:`sphx_glr_auto_examples_seed_plot_lstm_input.py` - the (batch, timesteps, features) input in detail.
# * :ref:`sphx_glr_auto_examples_seed_plot_lstm_cnn.py` - the other way round: a Conv1D after the LSTM.
