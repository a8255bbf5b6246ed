"""
CNN on sub-sequences, then an LSTM
==================================

**In short:** ``Reshape`` cuts ``(9, 3)`` into ``(3, 3, 3)``, a
``TimeDistributed`` CNN turns each ``(3, 3)`` sub-sequence into 4 numbers,
and the LSTM reads the ``(3, 4)`` result as 3 time steps of 4 features.

The seed notebook's second CNN -> LSTM model does not convolve the whole
sequence at once (as in :ref:`sphx_glr_auto_examples_seed_plot_cnn_lstm.py`):
it cuts the sequence into short **sub-sequences**, runs the *same* small CNN
on each one, and lets the LSTM read one summary per sub-sequence.

This page builds that model: the 9 time steps are cut into 3 sub-sequences of
3 steps, a ``TimeDistributed`` CNN turns each sub-sequence into 4 numbers, and
the LSTM reads ``(batch, 3, 4)``: 3 time steps of 4 features.
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
# Step 1: cut the sequence into sub-sequences
# -------------------------------------------
# ``Reshape`` works on one sample at a time: its target shape leaves out the
# batch axis (Keras source: keras/src/layers/reshaping/reshape.py).
# ``(9, 3)`` becomes ``(3, 3, 3)``: 3 sub-sequences, each of 3 time steps with
# 3 features.
sub_sequences = 3
sub_len = timesteps // sub_sequences  # time steps per sub-sequence

inputs = keras.Input(shape=(timesteps, features), name="sequence")
reshape = keras.layers.Reshape(
    (sub_sequences, sub_len, features), name="reshape"
)
cut = reshape(inputs)
print("Reshape output:", cut.shape)
assert tuple(cut.shape) == (None, sub_sequences, sub_len, features)

# %%
# A reshape keeps the order of the numbers, so the cut is the obvious one:
# sub-sequence ``s`` holds time steps ``3s``, ``3s + 1`` and ``3s + 2``.
cut_values = reshape(data).numpy()
for s in range(sub_sequences):
    steps = list(range(s * sub_len, (s + 1) * sub_len))
    np.testing.assert_array_equal(cut_values[:, s], data[:, steps])
    print(f"sub-sequence {s} = time steps {steps}")

# %%
# Step 2: the same CNN on every sub-sequence
# ------------------------------------------
# ``TimeDistributed(layer)`` applies ``layer`` to each slice along axis 1
# (here: each sub-sequence) with **one** set of weights (checked below, and in
# the parameter count). The wrapped ``Conv1D`` sees a ``(3, 3)`` sub-sequence
# and outputs ``(3, 2)``; ``MaxPooling1D`` with ``padding="same"`` shortens 3
# steps to ``ceil(3 / 2) = 2``; ``Flatten`` makes the ``(2, 2)`` result one
# row of 4 numbers.
filters = 2
conv = keras.layers.TimeDistributed(
    keras.layers.Conv1D(filters=filters, kernel_size=2, padding="same"),
    name="td_conv1d",
)
pool = keras.layers.TimeDistributed(
    keras.layers.MaxPooling1D(padding="same"), name="td_max_pool"
)
flatten = keras.layers.TimeDistributed(
    keras.layers.Flatten(), name="td_flatten"
)

conv_out = conv(cut)
pooled = pool(conv_out)
flat = flatten(pooled)
print("TimeDistributed(Conv1D) output:      ", conv_out.shape)
print("TimeDistributed(MaxPooling1D) output:", pooled.shape)
print("TimeDistributed(Flatten) output:     ", flat.shape)
assert tuple(conv_out.shape) == (None, sub_sequences, sub_len, filters)
assert tuple(pooled.shape) == (None, sub_sequences, 2, filters)
assert tuple(flat.shape) == (None, 3, 4)

# %%
# "The same CNN" is meant literally. Running the wrapped ``Conv1D`` by itself
# on each sub-sequence gives exactly what ``TimeDistributed`` gives.
cnn = keras.Model(inputs=inputs, outputs=[conv_out, pooled, flat])
conv_values, pooled_values, flat_values = (t.numpy() for t in cnn(data))
for s in range(sub_sequences):
    alone = conv.layer(cut_values[:, s]).numpy()
    np.testing.assert_allclose(conv_values[:, s], alone, rtol=1e-5, atol=1e-6)
print("each sub-sequence through the one Conv1D: same numbers")

# %%
# The convolution does not look across the cut. The last step of a
# sub-sequence has no next step *inside its sub-sequence*, so
# ``padding="same"`` pairs it with zeros instead of with the first step of the
# next one: its output is ``x[last] @ w[0] + b``.
w, b = conv.layer.get_weights()
last_step = cut_values[:, :, -1]  # (batch, sub_sequences, features)
np.testing.assert_allclose(
    conv_values[:, :, -1], last_step @ w[0] + b, rtol=1e-5, atol=1e-6
)

# %%
# ``Flatten`` lays out the ``(pooled step, filter)`` table of each sub-sequence
# row by row: ``[step 0 filter 0, step 0 filter 1, step 1 filter 0, step 1
# filter 1]``.
flat_by_hand = pooled_values.reshape(batch_size, sub_sequences, 4)
np.testing.assert_array_equal(flat_values, flat_by_hand)
print("sample 0 as the LSTM reads it, (sub-sequence, CNN feature):")
print(flat_values[0])

# %%
# The picture for sample 0: each block of 3 time steps on the left becomes one
# row of 4 numbers on the right, and each row is one time step for the LSTM.
limit = max(np.abs(data[0]).max(), np.abs(flat_values[0]).max())
fig, axes = plt.subplots(
    1, 2, figsize=(5.2, 4.8), sharey=True, layout="constrained"
)
image = axes[0].imshow(
    data[0], cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto"
)
axes[0].set_title("input of sample 0, (9, 3)", fontsize=10)
axes[0].set_xlabel("feature")
axes[0].set_xticks(range(features))
axes[0].set_ylabel("time step")
axes[0].set_yticks(range(timesteps))
# each row spans its 3 time steps
extent = (-0.5, 3.5, timesteps - 0.5, -0.5)
axes[1].imshow(
    flat_values[0],
    cmap="RdBu_r",
    vmin=-limit,
    vmax=limit,
    aspect="auto",
    extent=extent,
)
axes[1].set_title("LSTM input of sample 0, (3, 4)", fontsize=10)
axes[1].set_xlabel("CNN feature (pooled step, filter)")
axes[1].set_xticks(
    range(4), labels=["(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)"], rotation=90
)
for ax in axes:
    for s in range(1, sub_sequences):
        ax.axhline(s * sub_len - 0.5, color="black", linewidth=2)
lstm_steps = axes[1].twinx()
lstm_steps.set_ylim(axes[0].get_ylim())
lstm_steps.set_yticks(
    [s * sub_len + 1 for s in range(sub_sequences)],
    labels=range(sub_sequences),
)
lstm_steps.set_ylabel("sub-sequence = LSTM time step")
fig.colorbar(image, ax=[axes[0], lstm_steps], label="value", location="bottom")
fig.suptitle(
    "9 time steps cut into 3 sub-sequences, each one LSTM step", fontsize=11
)
plt.show()

# %%
# Step 3: the LSTM reads 3 time steps of 4 features
# -------------------------------------------------
# Each sub-sequence is now one time step for the LSTM, described by the 4
# numbers the CNN made of it: ``(batch, timesteps=3, features=4)``. The LSTM's
# kernel has one row per feature, 4 of them.
outputs = keras.layers.LSTM(units, name="lstm")(flat)
model = keras.Model(inputs=inputs, outputs=outputs, name="cnn_lstm")
lstm = model.get_layer("lstm")
print("LSTM output:", outputs.shape)
print("LSTM kernel:", lstm.get_weights()[0].shape, "= (features, 4 * units)")
assert tuple(outputs.shape) == (None, units)
assert lstm.get_weights()[0].shape == (4, 4 * units)

# %%
# The model summary and its 214 parameters
# ----------------------------------------
# The seed notebook's summary has the same total, 214:
#
# * the ``Conv1D`` inside ``TimeDistributed``: ``2 * 3 * 2 + 2 = 14``, counted
#   once, because all three sub-sequences share it;
# * ``Reshape``, pooling and ``Flatten``: nothing to learn;
# * ``LSTM`` on 4 features: ``4 * (5 * (4 + 5) + 5) = 200``.
model.summary(line_length=80, print_fn=print)

conv_params = 2 * features * filters + filters
lstm_params = 4 * (units * (4 + units) + units)
total = conv_params + lstm_params
print("Conv1D:", conv_params, " LSTM:", lstm_params, " total:", total)
assert conv.count_params() == conv_params == 14
for layer in (reshape, pool, flatten):
    assert layer.count_params() == 0
assert lstm.count_params() == lstm_params == 200
assert model.count_params() == 214

# %%
# The whole model on the batch: one 5-number output per sample.
output = model(data).numpy()
print("output shape is", output.shape)
print(output)
assert output.shape == (batch_size, units)

# %%
# The cut must fit: 3 sub-sequences of 3 steps take exactly 9 steps. Asked
# for its output on 10 steps of 3 features (30 numbers, not 27), ``Reshape``
# refuses:
try:
    reshape.compute_output_shape((None, 10, features))
except ValueError as err:
    message = str(err)
    print(message)
assert "The total size of the tensor must be unchanged" in message

# %%
# Exercises
# ---------
# **1. Predict the shape.** The sequences have 12 steps of 3 features, cut
# into 4 sub-sequences of 3 steps, with the same ``TimeDistributed`` CNN.
# What shape does the LSTM read?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# One LSTM step per sub-sequence, each still summarised by 4 numbers:
# ``(None, 4, 4)``. (The CNN layers are new ones, with the same settings.)
inputs_12 = keras.Input(shape=(12, features))
x = keras.layers.Reshape((4, 3, features))(inputs_12)
x = keras.layers.TimeDistributed(
    keras.layers.Conv1D(filters=filters, kernel_size=2, padding="same")
)(x)
x = keras.layers.TimeDistributed(keras.layers.MaxPooling1D(padding="same"))(x)
x = keras.layers.TimeDistributed(keras.layers.Flatten())(x)
print(tuple(x.shape))
assert tuple(x.shape) == (None, 4, 4)

# %%
# .. raw:: html
#
#    </details>
#
# See also
# --------
# * :ref:`sphx_glr_auto_examples_seed_plot_lstm_cnn.py` - a Conv1D after the LSTM.
# * :ref:`sphx_glr_auto_examples_beyond_plot_shape_cheatsheet.py` - every recurrent output shape in one table.
