"""
What is my ``y``? The target for each output pattern
====================================================

**In short:** make ``y`` exactly the shape of the model's output:
``(samples, 1)`` for many-to-one, ``(samples, timesteps, out_features)`` for
many-to-many and one-to-many; print ``model.output_shape`` and ``y.shape``
side by side before calling ``fit()``. A ``y`` of the wrong shape does not
always raise an error: ``(samples, 1)`` against a sequence output is
silently broadcast over the steps.

The shape of ``y`` that ``fit()`` wants is the shape of what the model
outputs. An LSTM can give one vector at the end of the sequence
(**many-to-one**) or one vector per time step (**many-to-many**,
``return_sequences=True``); a single input vector can also be turned into a
sequence (**one-to-many**, ``RepeatVector``). So the question "what is my
``y``?" is answered by choosing the pattern first.

This page builds the target of each pattern from one series, trains each
model for a few seconds (losses checked), shows where ``TimeDistributed`` is
still needed, and what Keras does with a ``y`` of the wrong shape.
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
import textwrap

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from matplotlib.patches import FancyBboxPatch
from numpy.lib.stride_tricks import sliding_window_view

keras.utils.set_random_seed(313)
tf.config.experimental.enable_op_determinism()
np.set_printoptions(precision=4, suppress=True, linewidth=60)

# %%
# One series for every pattern
# ----------------------------
# 396 steps of two cycles (24 and 8 steps long) plus noise. Windows of
# ``timesteps = 12`` steps, one feature, cut as on
# :ref:`sphx_glr_auto_examples_data_plot_windows.py`: 384 of them, 6 batches
# of 64. Predicting the series' mean every time gives a mean squared error
# within 5 % of its variance on the targets below, printed here: the
# control. Each trained model below must end with a loss under a fifth of
# it.
n_steps, timesteps, units = 396, 12, 16
t = np.arange(n_steps)
rng = np.random.default_rng(1)
series = (
    np.sin(2 * np.pi * t / 24)
    + 0.5 * np.sin(2 * np.pi * t / 8)
    + 0.1 * rng.normal(size=n_steps)
).astype("float32")
baseline = float(series.var())  # MSE of always predicting the mean
print(f"series: {series.shape}, variance {baseline:.3f}")
assert n_steps - timesteps == 384 == 6 * 64
mean_error = np.mean((series[timesteps:] - series.mean()) ** 2)
assert abs(mean_error - baseline) < 0.05 * baseline

# %%
# The diagrams below draw the three patterns. Each column is one time step:
# the input ``x`` at the bottom, the LSTM in the middle (its state flows to
# the right), the output at the top.
#
# .. raw:: html
#
#    <details><summary>The code that draws the diagrams (boxes and
#    arrows)</summary>


def draw_pattern(inputs, outputs, title, x_text, y_text, steps=5):
    """Boxes for one pattern; inputs/outputs: a label or None per step."""
    fig, ax = plt.subplots(figsize=(5.5, 3.4), layout="constrained")
    styles = {
        0: ("tab:blue", "#dbe9f6"),
        1: ("0.3", "#eeeeee"),
        2: ("tab:green", "#dff2df"),
    }
    arrow = {"arrowstyle": "->", "lw": 1.5}

    def box(col, row, text):
        edge, face = styles[row]
        shape = FancyBboxPatch(
            (col - 0.32, row - 0.28),
            0.64,
            0.56,
            boxstyle="round,pad=0.02",
            ec=edge,
            fc=face,
        )
        ax.add_patch(shape)
        ax.text(col, row, text, ha="center", va="center", fontsize=11)

    for col in range(steps):
        box(col, 1, "LSTM")
        if col:
            ax.annotate("", (col - 0.34, 1), (col - 0.66, 1), arrowprops=arrow)
        if inputs[col]:
            box(col, 0, inputs[col])
            ax.annotate("", (col, 0.7), (col, 0.3), arrowprops=arrow)
        if outputs[col]:
            box(col, 2, outputs[col])
            ax.annotate("", (col, 1.7), (col, 1.3), arrowprops=arrow)
    # the shapes go under the inputs and over the outputs (not beside them),
    # so the figure stays narrow enough for a phone
    middle = (steps - 1) / 2
    ax.text(middle, -0.4, x_text, ha="center", va="top", color="tab:blue")
    ax.text(middle, 2.4, y_text, ha="center", va="bottom", color="tab:green")
    ax.set_xlim(-0.5, steps - 0.5)
    ax.set_ylim(-0.75, 2.75)
    ax.set_xticks(range(steps), [f"t={k}" for k in range(steps)])
    ax.set_xlabel("time step")
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_title(title)
    plt.show()


# %%
# .. raw:: html
#
#    </details>


def train(model, x, y, epochs, lr=0.02):
    """Compile, fit quietly, print the loss every 5 epochs; return it."""
    model.compile(optimizer=keras.optimizers.Adam(lr), loss="mse")
    # sphinx_gallery_start_ignore
    # build speed only: create Adam's slots now, so that fit() compiles its
    # step once, not twice
    model.optimizer.build(model.trainable_variables)
    # sphinx_gallery_end_ignore
    losses = model.fit(x, y, epochs=epochs, batch_size=64, verbose=0).history[
        "loss"
    ]
    for epoch in range(0, epochs, 5):
        print(f"  epoch {epoch + 1:2d}: loss {losses[epoch]:.4f}")
    print(f"  epoch {epochs:2d}: loss {losses[-1]:.4f}")
    print(f"  predicting the mean: {baseline:.4f}")
    assert losses[-1] < 0.2 * baseline  # under a fifth of the control
    return losses


# %%
# Many-to-one: one ``y`` per window
# ---------------------------------
# The window's next value. ``x`` is ``(samples, timesteps, 1)``, ``y`` is
# ``(samples, 1)``: one number per sample, the shape of ``Dense(1)`` after an
# LSTM that returns only its last output. (Trained below; its final loss must
# be under 0.05.)
draw_pattern(
    ["x0", "x1", "x2", "x3", "x4"],
    [None, None, None, None, "y"],
    "Many-to-one: a sequence in, one value out",
    "x: (batch, timesteps, 1)",
    "y: (batch, 1)",
)

# %%
x = sliding_window_view(series[:-1], timesteps)[..., None]
y_one = series[timesteps:, None]
print("x:", x.shape, " y:", y_one.shape)
assert x.shape == (n_steps - timesteps, timesteps, 1)
assert y_one.shape == (n_steps - timesteps, 1)

many_to_one = keras.Sequential(
    [
        keras.Input(shape=(timesteps, 1)),
        keras.layers.LSTM(units),
        keras.layers.Dense(1),
    ]
)
print("output:", many_to_one.output_shape)
assert many_to_one.output_shape == (None, 1)
losses = train(many_to_one, x, y_one, epochs=10)
assert losses[-1] < 0.05

# %%
# Many-to-many, same length: one ``y`` per time step
# --------------------------------------------------
# At every step, the next value: ``y[i, t] = series[i + t + 1]``, the window
# shifted by one. ``y`` is ``(samples, timesteps, 1)``, like the output of
# ``return_sequences=True`` followed by ``Dense(1)``. (Final loss under 0.1:
# the early steps have little to go on, see below.)
draw_pattern(
    ["x0", "x1", "x2", "x3", "x4"],
    ["y0", "y1", "y2", "y3", "y4"],
    "Many-to-many: one output per input step",
    "x: (batch, timesteps, 1)",
    "y: (batch, timesteps, 1)",
)

# %%
y_seq = sliding_window_view(series[1:], timesteps)[..., None]
print("x:", x.shape, " y:", y_seq.shape)
assert y_seq.shape == x.shape
np.testing.assert_array_equal(
    y_seq[:, :-1], x[:, 1:]
)  # the window shifted by one
np.testing.assert_array_equal(
    y_seq[:, -1], y_one
)  # its last step is the many-to-one y

many_to_many = keras.Sequential(
    [
        keras.Input(shape=(timesteps, 1)),
        keras.layers.LSTM(units, return_sequences=True),
        keras.layers.Dense(1),
    ]
)
print("output:", many_to_many.output_shape)
assert many_to_many.output_shape == (None, timesteps, 1)
losses = train(many_to_many, x, y_seq, epochs=10)
assert losses[-1] < 0.1

# %%
# The first steps of each window have seen little of it: the error falls
# over the first five steps, and the first step's error is more than 1.5
# times the last step's.
error_by_step = np.mean((many_to_many(x).numpy() - y_seq) ** 2, axis=(0, 2))
print("MSE by step:\n", error_by_step)
assert np.all(np.diff(error_by_step[:5]) < 0)
assert error_by_step[0] > 1.5 * error_by_step[-1]

# %%
# ``Dense`` or ``TimeDistributed(Dense)``?
# ----------------------------------------
# In Keras, ``Dense`` acts on the **last axis** only (Keras source:
# ``keras/src/layers/core/dense.py``, a ``matmul`` with its kernel), so on a
# ``(batch, timesteps, units)`` tensor it already applies the same weights at
# every step. ``TimeDistributed(Dense)`` with the same weights gives the same
# numbers:
sequence = many_to_many.layers[0](x[:4]).numpy()
dense = many_to_many.layers[1]
wrapped = keras.layers.TimeDistributed(keras.layers.Dense(1))
wrapped.build(sequence.shape)
wrapped.set_weights(dense.get_weights())
np.testing.assert_allclose(
    dense(sequence).numpy(), wrapped(sequence).numpy(), rtol=1e-6, atol=1e-6
)
print(
    "Dense on",
    sequence.shape,
    "== TimeDistributed(Dense):",
    tuple(wrapped(sequence).shape),
)

# %%
# ``TimeDistributed`` is still needed for a layer that does **not** act on
# the last axis only, such as one applied to an image at each step
# (``(batch, timesteps, height, width, channels)``). ``Conv2D`` refuses the
# extra axis:
frames = np.random.normal(size=(2, timesteps, 8, 8, 1)).astype("float32")
try:
    keras.layers.Conv2D(4, 3)(frames)
except ValueError as error:
    message = str(error)
    print(textwrap.fill(f"ValueError: {message}", 60))
assert "Kernel shape must have the same length as input" in message
per_step = keras.layers.TimeDistributed(keras.layers.Conv2D(4, 3))(frames)
print("TimeDistributed(Conv2D):", frames.shape, "->", tuple(per_step.shape))
assert tuple(per_step.shape) == (2, timesteps, 6, 6, 4)

# %%
# ``Flatten`` is worse: it does not refuse, it silently flattens the time
# axis too, so the sequence is gone. Wrapped, it flattens each step:
flat = keras.layers.Flatten()(frames)
flat_per_step = keras.layers.TimeDistributed(keras.layers.Flatten())(frames)
print(
    "Flatten:",
    tuple(flat.shape),
    "  TimeDistributed(Flatten):",
    tuple(flat_per_step.shape),
)
assert tuple(flat.shape) == (2, timesteps * 64)
assert tuple(flat_per_step.shape) == (2, timesteps, 64)

# %%
# One-to-many: a sequence from one vector
# ---------------------------------------
# One input vector per sample, ``(samples, features)``, and a sequence out.
# Here the vector is where we are in the 24-step cycle, as
# ``[sin, cos]`` of the phase, and ``y`` is the next 12 values of the series,
# ``(samples, timesteps, 1)``. ``RepeatVector(timesteps)`` copies the vector
# to every step,
# so the LSTM has a sequence to read. (Final loss under 0.1.)
draw_pattern(
    ["v", "v", "v", "v", "v"],
    ["y0", "y1", "y2", "y3", "y4"],
    "One-to-many: one vector in (repeated), a sequence out",
    "x: (batch, 2)",
    "y: (batch, timesteps, 1)",
)

# %%
start = np.arange(n_steps - timesteps)
phase = 2 * np.pi * start / 24
x_vec = np.stack([np.sin(phase), np.cos(phase)], axis=1).astype("float32")
y_future = sliding_window_view(series[1:], timesteps)[..., None]
print("x:", x_vec.shape, " y:", y_future.shape)
assert x_vec.shape == (len(start), 2) and y_future.shape == (
    len(start),
    timesteps,
    1,
)

one_to_many = keras.Sequential(
    [
        keras.Input(shape=(2,)),
        keras.layers.RepeatVector(timesteps),
        keras.layers.LSTM(units, return_sequences=True),
        keras.layers.Dense(1),
    ]
)
print("after RepeatVector:", one_to_many.layers[0].output.shape)
print("output:", one_to_many.output_shape)
assert one_to_many.output_shape == (None, timesteps, 1)
losses = train(one_to_many, x_vec, y_future, epochs=10)
assert losses[-1] < 0.1

# %%
# A wrong ``y`` for a ``return_sequences`` model
# ----------------------------------------------
# What happens when ``y`` is 2-D? Two different cases, both without an
# error. First, ``(samples, timesteps)``, the targets without their feature
# axis of size 1: Keras' loss drops the output's size-1 axis to match them
# (Keras source: ``squeeze_or_expand_to_same_rank`` in
# ``keras/src/losses/loss.py``), and the loss is the same as with
# ``(samples, timesteps, 1)``:
pred = many_to_many(x).numpy()
mse = keras.losses.MeanSquaredError()
loss_2d = float(mse(y_seq[..., 0], pred))
loss_3d = float(mse(y_seq, pred))
print(f"y {y_seq[..., 0].shape}: loss {loss_2d:.4f}")
print(f"y {y_seq.shape}: loss {loss_3d:.4f}")
np.testing.assert_allclose(loss_2d, loss_3d, rtol=1e-6)

# %%
# Second, the real mistake: the many-to-one ``y``, ``(samples, 1)``, given
# to a model that returns a sequence. No error: the loss, which is what
# ``fit()`` minimises, compares **every** step's output with the one target
# (broadcasting it over the steps), so training would teach all 12 steps to
# predict the same value.
loss_wrong = float(mse(y_one, pred))
broadcast = float(np.mean((pred - y_one[:, None, :]) ** 2))
print(f"y {y_one.shape} against {pred.shape}: loss {loss_wrong:.4f}")
print(f"= mean over all steps of (output[:, t] - y)**2: {broadcast:.4f}")
np.testing.assert_allclose(loss_wrong, broadcast, rtol=1e-5)


# %%
# With more than one output per step the 2-D ``y`` does fail. A model that
# predicts 3 numbers per step outputs ``(samples, timesteps, 3)``; a ``y``
# of ``(samples, timesteps)`` cannot be matched to it:
three = keras.Sequential(
    [
        keras.Input(shape=(timesteps, 1)),
        keras.layers.LSTM(4, return_sequences=True),
        keras.layers.Dense(3),
    ]
)
three.compile(optimizer="adam", loss="mse")
try:
    three.fit(x, y_seq[..., 0], epochs=1, verbose=0)
except ValueError as error:
    message = str(error)
    shapes = re.search(r"input shapes: .*", message).group(0)
    print(
        textwrap.fill(f"ValueError: Dimensions must be equal ... {shapes}", 60)
    )
# a batch of 32 (fit()'s default): y (32, 12) against the output (32, 12, 3)
assert "input shapes: [32,12], [32,12,3]" in message

# %%
# **Fix:** make ``y`` exactly the shape of the output: ``(samples, 1)`` for
# many-to-one, ``(samples, timesteps, out_features)`` for many-to-many and
# one-to-many. Print ``model.output_shape`` and ``y.shape`` side by side
# before calling ``fit()``:
for name, model, target in [
    ("many-to-one", many_to_one, y_one),
    ("many-to-many", many_to_many, y_seq),
    ("one-to-many", one_to_many, y_future),
]:
    print(f"{name}: output {model.output_shape}, y {target.shape}")
    assert model.output_shape[1:] == target.shape[1:]

# %%
# A sequence out of a **different** length than the sequence in (read 24
# steps, predict the next 8) has two common answers: one LSTM with a
# ``Dense(8)`` head, ``y`` of shape ``(samples, 8)``
# (:ref:`sphx_glr_auto_examples_data_plot_forecasting.py`), or two LSTMs, an
# encoder and a decoder
# (:ref:`sphx_glr_auto_examples_data_plot_encoder_decoder.py`).

# %%
# Exercises
# ---------
# **1. Make this model return one output per step.** It returns one value
# per window, ``(None, 1)``. Change one argument so that it returns one value
# per time step, the shape of ``y_seq``:
#
# .. code-block:: python
#
#     model = keras.Sequential(
#         [
#             keras.Input(shape=(timesteps, 1)),
#             keras.layers.LSTM(units),
#             keras.layers.Dense(1),
#         ]
#     )
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# ``return_sequences=True`` keeps the time axis; ``Dense(1)`` then acts on
# every step.
model = keras.Sequential(
    [
        keras.Input(shape=(timesteps, 1)),
        keras.layers.LSTM(units, return_sequences=True),
        keras.layers.Dense(1),
    ]
)
print("output:", model.output_shape, " y_seq:", y_seq.shape)
assert model.output_shape == (None, timesteps, 1)
assert model.output_shape[1:] == y_seq.shape[1:]

# %%
# .. raw:: html
#
#    </details>
#
# **2. Predict the shape.** A many-to-many model predicts 3 numbers per
# step: ``LSTM(units, return_sequences=True)`` then ``Dense(3)``, on the
# windows ``x`` above. What shape must ``y`` have?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# The shape of the output with the batch axis replaced by the number of
# windows: ``(384, 12, 3)``, one row of 3 targets per step of every window.
model = keras.Sequential(
    [
        keras.Input(shape=(timesteps, 1)),
        keras.layers.LSTM(units, return_sequences=True),
        keras.layers.Dense(3),
    ]
)
y_shape = (len(x), *model.output_shape[1:])
print("output:", model.output_shape, " y:", y_shape)
assert y_shape == (384, 12, 3)

# %%
# .. raw:: html
#
#    </details>

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_data_plot_windows.py` - cutting a series
#   into windows and targets.
# * :ref:`sphx_glr_auto_examples_seed_plot_return_sequences.py` - what
#   ``return_sequences=True`` returns.
# * :ref:`sphx_glr_auto_examples_beyond_plot_common_errors.py` - more errors
#   and their fixes.
