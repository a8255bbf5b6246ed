"""
Video frames into an LSTM: 5-D inputs, ``TimeDistributed`` and ``ConvLSTM2D``
===============================================================================

**In short:** clips are ``(batch, frames, rows, cols, channels)``.
``TimeDistributed`` CNN layers keep the frame axis and turn each frame into
features for an ``LSTM``; ``ConvLSTM2D`` reads the clip as it is and keeps a
state with the frame's layout. The 1-D version of the first idea, a CNN on
sub-sequences of a series, is
:ref:`sphx_glr_auto_examples_seed_plot_cnn_subsequences.py`.

A clip of images is a sequence too, but each step is a whole image, so a batch
of clips is **5-D**: ``(batch, frames, rows, cols, channels)``. An ``LSTM``
reads only 3-D ``(batch, timesteps, features)`` (Keras source:
``InputSpec(ndim=3)`` in ``keras/src/layers/rnn/lstm.py``). There are two
ways in:

* run the same small CNN on every frame with ``TimeDistributed`` and give the
  LSTM one feature vector per frame;
* use ``ConvLSTM2D``, an LSTM whose gates are convolutions, so that its state
  is an image too.

This page follows the shapes through both, checks ``ConvLSTM2D``'s parameter
count against its formula, trains a model to tell in which direction a bright
square moves, and shows the two classic 5-D shape errors.
"""

# sphinx_gallery_start_ignore
# Hidden on the page, kept in the download (see the gallery's front page):
# quiet TensorFlow, no oneDNN reordering, the TensorFlow backend.
import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ["KERAS_BACKEND"] = "tensorflow"
# sphinx_gallery_end_ignore
import textwrap

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(313)
tf.config.experimental.enable_op_determinism()
np.set_printoptions(precision=4, suppress=True)

# %%
# The clips: a square moving in one of four directions
# ----------------------------------------------------
# Each clip has 8 frames of 16 x 16 pixels and 1 channel (grey levels). A
# 3 x 3 bright square starts at a random place and moves one pixel per frame,
# always in the same direction: up, down, left or right. That direction is
# the label. A little noise is added to every pixel.
frames, rows, cols, channels = 8, 16, 16, 1
directions = ["up", "down", "left", "right"]
moves = np.array([(-1, 0), (1, 0), (0, -1), (0, 1)])  # (row, col) per frame
size = 3
rng = np.random.default_rng(0)
travel = frames - 1  # pixels moved from the first to the last frame


def start_positions(move, length):
    """Starts along one axis from which the square stays inside the frame."""
    low = travel if move < 0 else 0
    high = length - size - (travel if move > 0 else 0)
    return np.arange(low, high + 1)


def make_clips(count):
    labels = rng.integers(0, len(directions), size=count)
    clips = 0.1 * rng.random(
        (count, frames, rows, cols, channels), dtype="float32"
    )
    for clip, label in zip(clips, labels):
        d_row, d_col = moves[label]
        starts_row = start_positions(d_row, rows)
        starts_col = start_positions(d_col, cols)
        row = rng.integers(starts_row[0], starts_row[-1] + 1)
        col = rng.integers(starts_col[0], starts_col[-1] + 1)
        for t in range(frames):
            r, c = row + t * d_row, col + t * d_col
            clip[t, r : r + size, c : c + size, 0] = 1.0
    return clips, labels


x_test, y_test = make_clips(256)
x_train, y_train = make_clips(256)
print("x_train:", x_train.shape, "= (batch, frames, rows, cols, channels)")
print("y_train:", y_train.shape, " labels:", np.bincount(y_train))
assert x_train.shape == (256, frames, rows, cols, channels)
assert y_train.shape == (256,)


# %%
# Four clips from the training set, frame by frame (the frames are tiled into
# one image, with a white gap between them):
def tile(images, gap=2):
    """(clips, frames, rows, cols) -> one grid image, NaN in the gaps."""
    n_clips, n_frames, height, width = images.shape
    grid = np.full(
        (n_clips * (height + gap) - gap, n_frames * (width + gap) - gap),
        np.nan,
    )
    for i in range(n_clips):
        for j in range(n_frames):
            grid[
                i * (height + gap) : i * (height + gap) + height,
                j * (width + gap) : j * (width + gap) + width,
            ] = images[i, j]
    return grid


def label_tiles(ax, n_clips, n_frames, row_labels, size=16, gap=2):
    ax.set_xticks(
        np.arange(n_frames) * (size + gap) + size / 2 - 0.5,
        range(n_frames),
    )
    ax.set_yticks(
        np.arange(n_clips) * (size + gap) + size / 2 - 0.5, row_labels
    )
    ax.tick_params(length=0, labeltop=True, labelbottom=False)
    ax.xaxis.set_label_position("top")
    ax.set_xlabel("frame")
    for side in ax.spines.values():
        side.set_visible(False)


gray = plt.get_cmap("gray").with_extremes(bad="white")
fig, ax = plt.subplots(figsize=(5.5, 3.1), layout="constrained")
image = ax.imshow(tile(x_train[:4, ..., 0]), cmap=gray, vmin=0, vmax=1)
label_tiles(ax, 4, frames, [directions[label] for label in y_train[:4]])
fig.colorbar(image, ax=ax, label="pixel value", shrink=0.8)
fig.suptitle(
    "Training clips (batch, 8, 16, 16, 1):\n"
    "one row per clip, label on the left"
)
plt.show()

# %%
# 1. ``TimeDistributed`` CNN, then an LSTM
# ----------------------------------------
# ``TimeDistributed(layer)`` applies the same ``layer`` (the same weights) to
# every frame: the wrapped layer sees 4-D images ``(batch, rows, cols,
# channels)``, one frame index at a time, and the results are stacked back
# along the frame axis (Keras source:
# ``keras/src/layers/rnn/time_distributed.py``). So the CNN sees single
# images, and the frame axis survives every layer.
# After ``Flatten`` each frame is one vector, and the LSTM reads
# ``(batch, frames, features)``.
L = keras.layers
inputs = keras.Input(shape=(frames, rows, cols, channels), name="clips")
conv = L.TimeDistributed(L.Conv2D(4, 3, activation="relu"), name="td_conv")(
    inputs
)
pooled = L.TimeDistributed(L.MaxPooling2D(2), name="td_pool")(conv)
flat = L.TimeDistributed(L.Flatten(), name="td_flatten")(pooled)
hidden = L.LSTM(16, name="lstm")(flat)
probs = L.Dense(len(directions), activation="softmax", name="direction")(
    hidden
)
cnn_lstm = keras.Model(inputs, probs, name="cnn_lstm")

for name, tensor in [
    ("input", inputs),
    ("TimeDistributed(Conv2D)", conv),
    ("TimeDistributed(MaxPooling2D)", pooled),
    ("TimeDistributed(Flatten)", flat),
    ("LSTM", hidden),
    ("Dense", probs),
]:
    print(f"{name:<30}{tuple(tensor.shape)}")
assert tuple(conv.shape) == (None, frames, 14, 14, 4)  # 3 x 3 kernel, "valid"
assert tuple(pooled.shape) == (None, frames, 7, 7, 4)
assert tuple(flat.shape) == (None, frames, 7 * 7 * 4)
assert tuple(hidden.shape) == (None, 16)
assert tuple(probs.shape) == (None, len(directions))

# the same Conv2D on frame 3 alone gives frame 3 of the TimeDistributed output
td_conv = cnn_lstm.get_layer("td_conv")
np.testing.assert_allclose(
    td_conv(x_train[:2]).numpy()[:, 3],
    td_conv.layer(x_train[:2, 3]).numpy(),
    rtol=1e-5,
    atol=1e-6,
)

# %%
# The LSTM reads 8 time steps of 196 features: one step per frame, one feature
# per pixel and filter of the pooled feature map.
#
# How much does one frame tell?
# -----------------------------
# One frame shows only where the square is. Because the square must stay
# inside the frame, that place hints at the direction (a square in the top
# rows of the first frame cannot be moving up), so one frame is better than
# chance, 0.25. How much better can be computed exactly from the recipe
# above: for each frame, the probability of every (direction, position)
# pair, and the accuracy of always guessing the likeliest direction for the
# position seen. That is the best any classifier of one frame can do.
best_single = []
for t in range(frames):
    joint = np.zeros((len(directions), rows, cols))
    for label, (d_row, d_col) in enumerate(moves):
        r0 = start_positions(d_row, rows) + t * d_row
        c0 = start_positions(d_col, cols) + t * d_col
        r, c = np.meshgrid(r0, c0, indexing="ij")
        joint[label, r, c] += 1 / len(directions) / r.size
    best_single.append(joint.max(axis=0).sum())
best_single = np.array(best_single)
print("best accuracy from frame 0..7 alone:")
print(best_single.round(3))
assert 0.25 < best_single.min() and best_single.max() <= 0.5 + 1e-9
assert best_single.argmax() in (0, frames - 1)  # the first or last frame
np.testing.assert_allclose(best_single[0], best_single[-1])

# %%
# At most 0.50, from the first or the last frame. Above that, a model must
# combine frames; the clips played backwards, below, show that this one
# reads their order.
#
# Train it
# --------
# A few epochs are enough. Before training, the untrained model is the
# control: it is near chance.
cnn_lstm.compile(
    optimizer=keras.optimizers.Adam(1e-2),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
# sphinx_gallery_start_ignore
# build speed only: create Adam's slots now, so that fit() compiles its step
# once, not twice
cnn_lstm.optimizer.build(cnn_lstm.trainable_variables)
# sphinx_gallery_end_ignore
untrained = cnn_lstm(x_test, training=False).numpy()
untrained_accuracy = float((untrained.argmax(axis=1) == y_test).mean())
print(f"untrained: held-out accuracy {untrained_accuracy:.3f}")
assert untrained_accuracy < 0.4
history = cnn_lstm.fit(x_train, y_train, epochs=8, batch_size=64, verbose=0)
for epoch in (0, 3, 7):
    loss = history.history["loss"][epoch]
    accuracy = history.history["accuracy"][epoch]
    print(f"epoch {epoch + 1}: loss {loss:.4f}  accuracy {accuracy:.3f}")
# one forward pass on the held-out clips
test_probs = cnn_lstm(x_test, training=False).numpy()
test_accuracy = float((test_probs.argmax(axis=1) == y_test).mean())
print(f"held-out clips: accuracy {test_accuracy:.3f} (chance: 0.25)")
assert test_accuracy > 0.9 > best_single.max() + 0.3

# %%
# The order of the frames is what it reads: the same held-out clips played
# backwards are clips of the opposite direction (up <-> down, left <->
# right), and the model reads them as such.
opposite = np.array([1, 0, 3, 2])[y_test]  # up->down, down->up, ...
backwards = cnn_lstm(x_test[:, ::-1], training=False).numpy().argmax(axis=1)
print(f"played backwards: accuracy {(backwards == y_test).mean():.3f}")
print(f"  as the opposite direction: {(backwards == opposite).mean():.3f}")
assert (backwards == y_test).mean() < 0.1
assert (backwards == opposite).mean() > 0.9

# %%
# 2. ``ConvLSTM2D``: the state is an image
# ----------------------------------------
# ``ConvLSTM2D`` reads the 5-D clip directly. It is an LSTM in which every
# matrix product of the gates (``i``, ``f``, ``o`` and the candidate ``g``) is
# a 2-D convolution (Keras source: ``input_conv`` and ``recurrent_conv`` in
# ``keras/src/layers/rnn/conv_lstm.py``), so ``h`` and ``c`` are
# ``(rows, cols, filters)`` images instead of vectors. Like ``LSTM``, it
# returns the last step unless ``return_sequences=True``, which keeps the
# frame axis.
filters = 4
for return_sequences in (True, False):
    for padding in ("same", "valid"):
        layer = L.ConvLSTM2D(
            filters, 3, padding=padding, return_sequences=return_sequences
        )
        shape = tuple(layer(inputs).shape)
        print(f"sequences={return_sequences!s:<5} {padding:<5} -> {shape}")
        spatial = (rows, cols) if padding == "same" else (rows - 2, cols - 2)
        expected = (
            (None, frames, *spatial, filters)
            if return_sequences
            else (None, *spatial, filters)
        )
        assert shape == expected

# %%
# ``padding="same"`` keeps the 16 x 16 frame; ``"valid"`` loses one pixel on
# each side per 3 x 3 kernel, 14 x 14. (The padding applies to the input
# convolution; the state convolution always uses ``"same"`` and keeps the
# state's size. Keras source: ``recurrent_conv`` in
# ``keras/src/layers/rnn/conv_lstm.py``.)
#
# The parameter count
# -------------------
# Each of the 4 gates has a ``kh x kw`` kernel from the input channels to the
# filters, one from the previous state ``h`` (``filters`` channels) to the
# filters, and a bias per filter:
# ``4 * (kh * kw * (channels + filters) * filters + filters)``, the LSTM
# formula ``4 * ((features + units) * units + units)`` with every weight
# replaced by a ``kh x kw`` kernel
# (:ref:`sphx_glr_auto_examples_cell_plot_parameter_count.py`).
conv_lstm = L.ConvLSTM2D(
    filters, 3, padding="same", return_sequences=True, name="conv_lstm"
)
states = conv_lstm(inputs)
kh, kw = conv_lstm.kernel_size
formula = 4 * (kh * kw * (channels + filters) * filters + filters)
kernel, recurrent_kernel, bias = (w.shape for w in conv_lstm.get_weights())
print(
    "kernel:", kernel, " recurrent kernel:", recurrent_kernel, " bias:", bias
)
terms = f"{kh}*{kw}*({channels} + {filters})*{filters} + {filters}"
print(f"4 * ({terms}) = {formula}")
print("count_params():", conv_lstm.count_params())
assert kernel == (kh, kw, channels, 4 * filters)
assert recurrent_kernel == (kh, kw, filters, 4 * filters)
assert bias == (4 * filters,)
assert conv_lstm.count_params() == formula == 736

# %%
# What a ``ConvLSTM2D`` state looks like
# --------------------------------------
# Run this (untrained, randomly initialised) layer on one test clip and look at
# one filter of its hidden state ``h`` after each frame, all on one colour
# scale. Because the gates are convolutions, the state is a map with the
# layout of the frame: away from the square's path it is small (its median
# is printed below as the background), and because the cell state ``c`` is
# carried from frame to frame, it keeps a trail along the square's path that
# fades back towards the start.
clip = 0
h_seq = conv_lstm(x_test[clip : clip + 1]).numpy()[0]  # (frames, rows, ...)
print("hidden states of one clip:", h_seq.shape)
assert h_seq.shape == (frames, rows, cols, filters)
channel = int(np.argmax(np.abs(h_seq).max(axis=(0, 1, 2))))
limit = float(np.abs(h_seq[..., channel]).max())

# the trail, checked: |h| after the last frame, at the square's centre in
# frames 0..6, grows from the oldest position to the newest, and even the
# oldest is well above the background (the median over the frame)
last = np.abs(h_seq[-1, :, :, channel])
centres = [
    np.argwhere(x_test[clip, t, :, :, 0] == 1).mean(axis=0).astype(int)
    for t in range(frames)
]
trail = np.array([last[row, col] for row, col in centres[:-1]])
background = float(np.median(last))
print("|h| after frame 7, at the centre of the square in frames 0..6:")
print(trail)
print(f"background (median |h|): {background:.4f}")
assert (np.diff(trail) > 0).all()
assert trail[0] > 3 * background

fig, axes = plt.subplots(2, 1, figsize=(5.5, 3.2), layout="constrained")
frames_image = axes[0].imshow(
    tile(x_test[clip : clip + 1, ..., 0]), cmap=gray, vmin=0, vmax=1
)
fig.colorbar(frames_image, ax=axes[0], label="pixel value", shrink=0.9)
label_tiles(axes[0], 1, frames, ["input"])
diverging = plt.get_cmap("RdBu_r").with_extremes(bad="white")
state = axes[1].imshow(
    tile(h_seq[None, ..., channel]), cmap=diverging, vmin=-limit, vmax=limit
)
label_tiles(axes[1], 1, frames, [f"h, filter {channel}"])
axes[1].tick_params(labeltop=False)
axes[1].set_xlabel("")  # the frame numbers are over the input row
fig.colorbar(state, ax=axes[1], label="hidden state h", shrink=0.9)
fig.suptitle(
    f"A '{directions[y_test[clip]]}' clip,\none ConvLSTM2D state map per frame"
)
plt.show()

# %%
# Common mistake: the wrong number of axes
# ----------------------------------------
# **Frames without a channel axis.** Grey-level frames are often stored as
# ``(batch, frames, rows, cols)``. ``ConvLSTM2D`` needs the channel axis too,
# even when there is only one:
grey = x_test[:2, ..., 0]  # (2, 8, 16, 16): the channel axis dropped
try:
    L.ConvLSTM2D(filters, 3)(grey)
except ValueError as error:
    message = str(error)
    print(textwrap.fill(f"ValueError: {message}", width=60))
assert "expected ndim=5, found ndim=4" in message

# %%
# **Fix:** add the axis back, ``grey[..., None]``, shape ``(2, 8, 16, 16, 1)``.
fixed = L.ConvLSTM2D(filters, 3)(grey[..., None])
print("input:", grey[..., None].shape, " output:", tuple(fixed.shape))
assert tuple(fixed.shape) == (2, 14, 14, filters)

# %%
# **A plain ``Conv2D`` on the clips.** ``Conv2D`` expects 4-D images
# ``(batch, rows, cols, channels)``; given 5-D clips it fails, because its
# kernel has one axis fewer than the input:
try:
    L.Conv2D(4, 3)(x_test[:2])
except ValueError as error:
    message = str(error)
    print(textwrap.fill(f"ValueError: {message}", width=60))
assert "Kernel shape must have the same length as input" in message

# %%
# **Fix:** wrap it in ``TimeDistributed``, which gives it one frame at a time:
fixed = L.TimeDistributed(L.Conv2D(4, 3))(x_test[:2])
print("input:", x_test[:2].shape, " output:", tuple(fixed.shape))
assert tuple(fixed.shape) == (2, frames, 14, 14, 4)

# %%
# Exercises
# ---------
# **1. Predict the shape.** Colour clips of 10 frames of 32 x 32 pixels,
# ``(batch, 10, 32, 32, 3)``, go into
# ``ConvLSTM2D(8, 3, padding="valid", return_sequences=True)``. What shape
# comes out, and how many parameters does the layer have?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# ``"valid"`` loses one pixel on each side (30 x 30), the frame axis stays,
# and the parameter formula above gives ``4 * (3*3*(3 + 8)*8 + 8) = 3200``.
colour = keras.Input(shape=(10, 32, 32, 3))
layer = L.ConvLSTM2D(8, 3, padding="valid", return_sequences=True)
print("output:", tuple(layer(colour).shape), " params:", layer.count_params())
assert tuple(layer(colour).shape) == (None, 10, 30, 30, 8)
assert layer.count_params() == 4 * (3 * 3 * (3 + 8) * 8 + 8) == 3200

# %%
# .. raw:: html
#
#    </details>
#
# **2. Fix this error.** ``L.MaxPooling2D(2)(x_test[:2])`` fails on the 5-D
# clips, like ``Conv2D`` above. Make it pool every frame.
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# It fails because ``MaxPooling2D`` expects 4-D images; wrap it in
# ``TimeDistributed``: each 16 x 16 frame is pooled to 8 x 8, and the frame
# axis stays.
try:
    L.MaxPooling2D(2)(x_test[:2])
except ValueError as error:
    message = str(error)
    print(textwrap.fill(f"ValueError: {message}", width=60))
assert "expected ndim=4, found ndim=5" in message
pooled_clips = L.TimeDistributed(L.MaxPooling2D(2))(x_test[:2])
print("input:", x_test[:2].shape, " output:", tuple(pooled_clips.shape))
assert tuple(pooled_clips.shape) == (2, frames, 8, 8, 1)

# %%
# .. raw:: html
#
#    </details>

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_seed_plot_cnn_subsequences.py` -
#   ``TimeDistributed`` on a 1-D series.
# * :ref:`sphx_glr_auto_examples_cell_plot_parameter_count.py` - the LSTM
#   parameter formula.
# * :ref:`sphx_glr_auto_examples_beyond_plot_common_errors.py` - more shape
#   errors and their fixes.

# sphinx_gallery_thumbnail_number = 2
