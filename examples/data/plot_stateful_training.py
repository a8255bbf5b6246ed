"""
Stateful training: how to cut the data so the state means something
====================================================================

**In short:** split the series into as many parallel streams as the batch
has rows, cut every stream into chunks, and put chunk ``k`` of every stream
into batch ``k``; then train with ``shuffle=False``, a batch size fixed in
the model that divides the number of samples, and ``reset_state()``
whenever a new set of sequences starts (here: before each epoch).

With ``stateful=True`` an LSTM starts each batch from the ``h`` and ``c``
the previous batch ended with. That only helps if **row i of the next batch
continues row i of this batch**. How do you cut a long series into batches
so that it does, and what else does ``fit()`` need? This page does it with a
real model, checks that the carried state helps, then predicts one step at
a time with a stateful copy of a stateless model.
"""

# sphinx_gallery_start_ignore
# Hidden on the page, kept in the download (see the gallery's front page):
# quiet TensorFlow, no oneDNN reordering, the TensorFlow backend.
import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ["KERAS_BACKEND"] = "tensorflow"
# sphinx_gallery_end_ignore
import re

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(313)
tf.config.experimental.enable_op_determinism()
np.set_printoptions(precision=4, suppress=True)

# %%
# One long series
# ---------------
# 1,280 steps of a signal made of two sines. The task: at every step,
# predict the **next** value. From one value alone that is ambiguous (is the
# curve going up or down?), so the model needs memory of the steps before -
# across chunk borders too, which is what the carried state gives it.
# (:ref:`sphx_glr_auto_examples_beyond_plot_stateful.py` shows the mechanism
# on an untrained layer: two chunk calls equal one whole call.)
n_steps = 1280
t = np.arange(n_steps + 1)
signal = (
    0.7 * np.sin(2 * np.pi * t / 40) + 0.3 * np.sin(2 * np.pi * t / 13)
).astype("float32")
series, next_value = signal[:-1], signal[1:]  # input and target
print("series:", series.shape, " target:", next_value.shape)

# %%
# Cutting it into batches
# -----------------------
# A batch of ``rows = 8`` sequences, each a chunk of ``chunk = 16`` steps.
# The series is split into 8 **streams** of 160 consecutive steps (stream
# ``i`` becomes batch row ``i``), each stream is cut into 10 chunks, and batch
# ``k`` holds chunk ``k`` of every stream. Laid out as one array of samples,
# batch ``k`` is samples ``8k .. 8k+7``: ``fit(batch_size=8, shuffle=False)``
# then hands the model exactly these batches, in this order (Keras source:
# ``keras/src/trainers/data_adapters/array_data_adapter.py`` batches
# ``range(num_samples)`` in order unless it shuffles).
rows, chunk = 8, 16


def stateful_batches(values, rows, chunk):
    """(steps,) -> (batches * rows, chunk, 1); sample k*rows + i is chunk k
    of stream i."""
    per_stream = len(values) // rows // chunk * chunk  # drop a ragged tail
    streams = values[: rows * per_stream].reshape(
        rows, per_stream // chunk, chunk
    )
    return streams.transpose(1, 0, 2).reshape(-1, chunk, 1)


x = stateful_batches(series, rows, chunk)
y = stateful_batches(next_value, rows, chunk)
n_batches = len(x) // rows
print("x:", x.shape, " y:", y.shape, f" -> {n_batches} batches of {rows} rows")
assert x.shape == y.shape == (n_batches * rows, chunk, 1) and n_batches == 10

# %%
# The rule, checked for every batch and row: the first step of row ``i`` in
# batch ``k + 1`` is the step that follows the last step of row ``i`` in
# batch ``k``.
stream_len = n_batches * chunk
for k in range(n_batches - 1):
    for i in range(rows):
        # the position in `series` of row i's last step in batch k
        last_step = i * stream_len + k * chunk + chunk - 1
        assert x[k * rows + i, -1, 0] == series[last_step]
        assert x[(k + 1) * rows + i, 0, 0] == series[last_step + 1]
print("row i of batch k+1 continues row i of batch k: all k, i")

# %%
# Which steps go where: each stream in its own colour, and the batch grid
# with the first step of every chunk. Reading a row of the grid from left to
# right walks through one stream without a gap.
fig, (top, grid) = plt.subplots(
    2,
    1,
    figsize=(5.5, 7),
    layout="constrained",
    gridspec_kw={"height_ratios": [1, 1.5]},
)
colors = plt.cm.tab10(np.arange(rows))
for i in range(rows):
    steps = np.arange(i * stream_len, (i + 1) * stream_len)
    top.plot(steps, series[steps], color=colors[i], lw=1.2)
    top.text(
        steps[stream_len // 2],
        1.12,
        f"row {i}",
        ha="center",
        color=colors[i],
    )
top.set_ylim(-1.25, 1.35)
top.set_xlabel("time step of the long series")
top.set_ylabel("value")
top.set_title("The series, split into 8 streams (one per batch row)")

first_step = (
    np.arange(rows)[:, None] * stream_len
    + np.arange(n_batches)[None, :] * chunk
)
grid.imshow(
    np.tile(colors[:, None, :3], (1, n_batches, 1)), aspect="auto", alpha=0.35
)
for i in range(rows):
    for k in range(n_batches):
        grid.text(k, i, str(first_step[i, k]), ha="center", va="center")
grid.set_xticks(range(n_batches))
grid.set_yticks(range(rows))
grid.set_xlabel("batch k (fed in this order, shuffle=False)")
grid.set_ylabel("batch row i")
grid.set_title(f"First time step of each {chunk}-step chunk")
fig.suptitle(
    "Stateful batches: row i of every batch\ncontinues the same stream"
)
plt.show()

# %%
# A stateful model with a fixed batch size
# ----------------------------------------
# The state is a ``(rows, units)`` variable, so the batch size is part of the
# model: ``keras.Input(batch_shape=(rows, None, 1))``. (``keras.Input(
# batch_size=rows, shape=(None, 1))`` gives the same shape, checked below.)
# The time axis can stay ``None``.
units = 16


def build_model(batch_size, stateful):
    inputs = keras.Input(batch_shape=(batch_size, None, 1), name="chunk")
    hidden = keras.layers.LSTM(
        units, return_sequences=True, stateful=stateful, name="lstm"
    )(inputs)
    return keras.Model(
        inputs, keras.layers.Dense(1, name="next_value")(hidden)
    )


same = keras.Input(batch_size=rows, shape=(None, 1))
assert same.shape == keras.Input(batch_shape=(rows, None, 1)).shape

model = build_model(rows, stateful=True)
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
# sphinx_gallery_start_ignore
# build speed only: create Adam's slots now, so that fit() compiles its step
# once, not twice
model.optimizer.build(model.trainable_variables)
# sphinx_gallery_end_ignore
lstm = model.get_layer("lstm")
print(
    "input:", model.inputs[0].shape, " state h:", tuple(lstm.states[0].shape)
)
assert tuple(lstm.states[0].shape) == (rows, units)

# %%
# Resetting the state between epochs
# ----------------------------------
# ``fit()`` never resets the state by itself (Keras source: ``fit`` in
# ``keras/src/backend/tensorflow/trainer.py`` resets only the metrics): at
# the end of an epoch it holds the end of every stream, which is not where
# the next epoch starts. A small callback sets it back to zero before each
# epoch. (It also records the state at that point: zero before the first
# epoch, not zero before every later one, so the reset is needed.)


class ResetStatesEachEpoch(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.state_before_reset = []

    def on_epoch_begin(self, epoch, logs=None):
        stateful_layers = [
            layer
            for layer in self.model.layers
            if getattr(layer, "stateful", False)
        ]
        self.state_before_reset.append(
            np.abs(stateful_layers[0].states[0].numpy()).max()
        )
        for layer in stateful_layers:
            layer.reset_state()


# %%
# Training
# --------
# ``shuffle=False`` keeps the batches in order (and rows within them: the
# default ``shuffle=True`` shuffles the samples' indices across the whole
# array, Keras source: ``keras/src/trainers/data_adapters/
# array_data_adapter.py``, which breaks the rule above). ``batch_size``
# equals the model's.
reset = ResetStatesEachEpoch()
epochs = 12
history = model.fit(
    x,
    y,
    batch_size=rows,
    epochs=epochs,
    shuffle=False,
    callbacks=[reset],
    verbose=0,
)
losses = history.history["loss"]
for epoch in [1, 4, 8, 12]:
    print(f"epoch {epoch:2d}: loss {losses[epoch - 1]:.5f}")
assert losses[-1] < 0.005, losses[-1]
assert losses[-1] < losses[0] / 10
# the state carried the end of the last stream into every new epoch
assert (
    reset.state_before_reset[0] == 0
    and min(reset.state_before_reset[1:]) > 0.01
)

# %%
# Does the carried state help?
# ----------------------------
# The control: the trained model, run over the 10 batches in their order,
# once carrying the state from batch to batch as in training, and once
# resetting it before every batch, so that each 16-step chunk starts from
# zeros. Carrying the state must give less than half the error.


def error_over_batches(reset_every_batch):
    lstm.reset_state()
    errors = []
    for k in range(n_batches):
        if reset_every_batch:
            lstm.reset_state()
        batch = slice(k * rows, (k + 1) * rows)
        errors.append(np.mean((model(x[batch]).numpy() - y[batch]) ** 2))
    lstm.reset_state()
    return float(np.mean(errors))


carried, restarted = error_over_batches(False), error_over_batches(True)
print(f"MSE, state carried between batches: {carried:.5f}")
print(f"MSE, state reset before each batch: {restarted:.5f}")
assert carried < 0.5 * restarted

# %%
# The common mistake: a batch size that does not divide the data
# ---------------------------------------------------------------
# Stateful training needs every batch full: the state has exactly ``rows``
# rows. Drop two samples so that ``len(x)`` is not a multiple of 8, and the
# last batch has only 6 rows. Keras does not check this up front; the
# training step fails when it meets the short batch: a 6-row batch against
# the 8-row state. (The rest of each shape depends on which operation meets
# the short batch first, so only the batch sizes are printed.)
try:
    model.fit(
        x[:-2], y[:-2], batch_size=rows, epochs=1, shuffle=False, verbose=0
    )
except tf.errors.InvalidArgumentError as error:
    message = str(error)
    shapes = re.search(
        r"Incompatible shapes: \[(\d+),[^\]]*\] vs\. \[(\d+),", message
    )
    name = type(error).__name__
    print(f"{name}: Incompatible shapes:")
    print(f"  [{shapes[1]},...] vs. [{shapes[2]},...]")
assert shapes and shapes.groups() == ("6", "8")

# %%
# The fix: cut the data so that every batch is full (``stateful_batches``
# above drops a ragged tail for this reason), or choose a batch size that
# divides the number of samples. Here: 78 samples, keep the 72 that make 9
# full batches.
n_keep = len(x[:-2]) // rows * rows
model.fit(
    x[:n_keep], y[:n_keep], batch_size=rows, epochs=1, shuffle=False, verbose=0
)
print(f"{len(x) - 2} samples -> {n_keep} = {n_keep // rows} full batches")
assert n_keep == 72

# %%
# Train stateless, predict stateful
# ---------------------------------
# A common pattern: train an ordinary (stateless) model on windows, then
# run it one chunk at a time - here a batch of one sequence - carrying the
# state between calls. The stateless model has the same layers, so its
# weights copy straight into a stateful model built for batch size 1.
starts = range(0, n_steps - 32, 8)
windows = np.stack([series[s : s + 32] for s in starts])[..., None]
targets = np.stack([next_value[s : s + 32] for s in starts])[..., None]
stateless = build_model(None, stateful=False)
stateless.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
# sphinx_gallery_start_ignore
# build speed only: create Adam's slots now, so that fit() compiles its step
# once, not twice
stateless.optimizer.build(stateless.trainable_variables)
# sphinx_gallery_end_ignore
fit = stateless.fit(windows, targets, batch_size=26, epochs=10, verbose=0)
first, last = fit.history["loss"][0], fit.history["loss"][-1]
print(f"stateless, {len(windows)} windows of 32 steps:")
print(f"  loss {first:.4f} -> {last:.4f}")
print(f"  predicting the mean: {targets.var():.4f}")  # the control
assert len(windows) == 6 * 26  # 6 full batches
assert last < 0.015 < 0.1 * targets.var()

streamer = build_model(1, stateful=True)
streamer.set_weights(stateless.get_weights())

# %%
# Feed 96 steps to the stateful copy in six calls of 16 steps, and compare
# with the stateless model reading the 96 steps in one call. The outputs are
# the same numbers. Both start from zero states at step 1000, hence the poor
# first predictions: the error of the first 8 steps is more than 3 times that
# of the other 88.
test = series[None, 1000:1096, None]
pieces = [streamer(test[:, s : s + 16]).numpy() for s in range(0, 96, 16)]
chunked = np.concatenate(pieces, axis=1)
whole = stateless(test).numpy()
gap = np.abs(chunked - whole).max()
print(f"chunk by chunk vs one call, largest difference: {gap:.2e}")
np.testing.assert_allclose(chunked, whole, rtol=1e-5, atol=1e-5)
step_error = (whole[0, :, 0] - next_value[1000:1096]) ** 2
early, later = step_error[:8].mean(), step_error[8:].mean()
print(f"MSE, steps 1000-1007: {early:.4f}  steps 1008-1095: {later:.4f}")
assert early > 3 * later
streamer.get_layer("lstm").reset_state()  # before the next, unrelated sequence

# %%
fig, ax = plt.subplots(figsize=(5.5, 4.2), layout="constrained")
steps = np.arange(1000, 1096)
ax.plot(steps, next_value[steps], color="0.6", lw=3, label="true next value")
ax.plot(steps, whole[0, :, 0], color="C0", lw=1.5, label="stateless, one call")
ax.plot(
    steps,
    chunked[0, :, 0],
    "o",
    color="C1",
    ms=3,
    label="stateful, 6 calls of 16 steps",
)
for s in range(1016, 1096, 16):
    ax.axvline(s - 0.5, color="0.5", ls=":", lw=1)
ax.set_xlabel("time step (dotted: chunk borders)")
ax.set_ylabel("predicted next value")
ax.set_ylim(-1.3, 1.0)
# every plotted value lies inside these limits
assert -1.3 < min(next_value[steps].min(), whole.min(), chunked.min())
assert max(next_value[steps].max(), whole.max(), chunked.max()) < 1.0
ax.legend(loc="lower center", ncols=2)
fig.suptitle("Stateful batch-1 copy, chunk by chunk\n= stateless, one call")
plt.show()

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_beyond_plot_stateful.py` - what the state
#   variables are, and two chunks = one call, on an untrained layer.
# * :ref:`sphx_glr_auto_examples_beyond_plot_keras2_migration.py` -
#   ``model.reset_states()`` and ``batch_input_shape`` from Keras 2.
# * :ref:`sphx_glr_auto_examples_beyond_plot_common_errors.py` - the
#   stateful batch-size error at build time.

# sphinx_gallery_thumbnail_number = 1
