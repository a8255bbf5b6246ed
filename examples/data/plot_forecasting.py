"""
Forecasting several steps ahead: direct or recursive?
=====================================================

**In short:** for a direct forecast, ``y`` has the shape of the model's
output, ``(batch, horizon)`` or ``(batch, horizon, features)``, and one LSTM
with a ``Dense(horizon)`` head gives it; for a recursive one, train on
``(batch, 1)`` and loop. On this page every model's error is less than half
the naive forecast's; the recursive error is lowest at step 1 and higher at
every later step, while the direct error has no such upward trend.

You have one long series and want the next 8 values, not just the next one.
There are two ways to get them from an LSTM:

* **direct**: the model outputs all 8 at once, a ``Dense(horizon)`` head, so
  ``y`` is ``(batch, horizon)`` (or ``(batch, horizon, features)`` for several
  series at once);
* **recursive**: a one-step model predicts the next value, the prediction is
  appended to the input window, and the model runs again, 8 times.

This page trains all three on one synthetic series made below, compares them
on windows the models never saw with the mean absolute error (MAE), and checks
that each one beats the naive forecast "repeat the last value".
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
from numpy.lib.stride_tricks import sliding_window_view

keras.utils.set_random_seed(313)
tf.config.experimental.enable_op_determinism()
np.set_printoptions(precision=4, suppress=True)

# %%
# One series, cut into windows
# ----------------------------
# Two seasonal patterns (periods of 20 and 7 steps) plus a little noise. The
# first 791 steps are for training (768 windows: 6 full batches of 128), the
# last 209 for testing: test windows come from later in time, as real
# forecasts do, and share no step with the training windows.
#
# Each sample is a window of ``lookback = 16`` past values, and its target the
# ``horizon = 8`` values that follow. Both come from
# ``sliding_window_view`` over ``lookback + horizon`` steps, split in two
# (:ref:`sphx_glr_auto_examples_data_plot_windows.py` shows how windows are
# made, step by step).
lookback, horizon = 16, 8
steps = np.arange(1000)
rng = np.random.default_rng(0)
series = (
    np.sin(2 * np.pi * steps / 20)
    + 0.5 * np.sin(2 * np.pi * steps / 7)
    + 0.1 * rng.normal(size=steps.size)
).astype("float32")
split = 791


def lookback_and_horizon(values):
    """(steps, ...) -> x (windows, lookback, ...), y (windows, horizon, ...)"""
    windows = sliding_window_view(values, lookback + horizon, axis=0)
    windows = np.moveaxis(windows, -1, 1)  # the window's steps on axis 1
    return windows[:, :lookback], windows[:, lookback:]


x_train, y_train = lookback_and_horizon(series[:split])
x_test, y_test = lookback_and_horizon(series[split:])
x_train, x_test = x_train[..., None], x_test[..., None]  # one feature
print("x_train:", x_train.shape, " y_train:", y_train.shape)
print("x_test: ", x_test.shape, " y_test: ", y_test.shape)
assert x_train.shape == (split - lookback - horizon + 1, lookback, 1)
assert len(x_train) == 768 == 6 * 128  # 6 full batches of 128
assert y_train.shape == (x_train.shape[0], horizon)
assert y_test.shape == (x_test.shape[0], horizon)

# %%
# The naive baseline
# ------------------
# "Tomorrow is like today": repeat the last value seen, for all 8 steps.
# Treat a model that does not beat this as having learnt nothing useful.
naive = np.repeat(x_test[:, -1, :], horizon, axis=1)
assert naive.shape == y_test.shape


def mae(prediction):
    return float(np.abs(prediction - y_test).mean())


errors = {"naive (repeat last value)": mae(naive)}
print(
    f"naive MAE on the test windows: {errors['naive (repeat last value)']:.4f}"
)


# %%
# 1. Direct: ``Dense(horizon)``, ``y`` is ``(batch, 8)``
# ------------------------------------------------------
# The LSTM reads the window and returns its last hidden state
# ``(batch, units)``; a ``Dense(horizon)`` layer turns it into 8 numbers, one
# per future step. So ``y`` must have the shape of that output,
# ``(batch, 8)``.
def lstm_model(outputs, name, features=1):
    inputs = keras.Input(shape=(lookback, features), name="window")
    hidden = keras.layers.LSTM(16, name="lstm")(inputs)
    return keras.Model(
        inputs, keras.layers.Dense(outputs, name="head")(hidden), name=name
    )


def fit_quietly(model, x, y, epochs=10):
    model.compile(optimizer=keras.optimizers.Adam(2e-2), loss="mse")
    # sphinx_gallery_start_ignore
    # build speed only: create Adam's slots now, so that fit() compiles its
    # step once, not twice
    model.optimizer.build(model.trainable_variables)
    # sphinx_gallery_end_ignore
    history = model.fit(x, y, epochs=epochs, batch_size=128, verbose=0)
    losses = history.history["loss"]
    shown = ", ".join(f"{losses[epoch - 1]:.4f}" for epoch in (1, 4, epochs))
    print(f"{model.name}, training MSE at epochs 1, 4, {epochs}:")
    print(f"  {shown}")
    assert losses[-1] < 0.2 * losses[0]  # it learnt
    return losses


direct = lstm_model(horizon, "direct")
print("output shape:", direct.output.shape)
assert tuple(direct.output.shape) == (None, horizon)
direct_losses = fit_quietly(direct, x_train, y_train)
direct_pred = direct(x_test, training=False).numpy()  # (batch, 8)
assert direct_pred.shape == y_test.shape == (x_test.shape[0], horizon)
errors["direct"] = mae(direct_pred)


# %%
# 2. Recursive: a one-step model, run 8 times
# -------------------------------------------
# The same network with ``Dense(1)``, trained on the first target step only
# (``y_train[:, :1]``, shape ``(batch, 1)``). To forecast 8 steps it runs 8
# times: each prediction is appended to the window and the oldest step is
# dropped, so from the second step on the model reads values it made itself,
# and its errors feed into the next steps.
one_step = lstm_model(1, "one_step")
one_step_losses = fit_quietly(one_step, x_train, y_train[:, :1])

window = x_test.copy()
recursive_pred = []
for step in range(horizon):
    next_value = one_step(window, training=False).numpy()  # (batch, 1)
    recursive_pred.append(next_value[:, 0])
    window = np.concatenate([window[:, 1:], next_value[:, None, :]], axis=1)
    assert window.shape == x_test.shape  # still (batch, lookback, 1)
recursive_pred = np.stack(recursive_pred, axis=1)
print("recursive forecast:", recursive_pred.shape)
assert recursive_pred.shape == y_test.shape
errors["recursive"] = mae(recursive_pred)

# %%
# 3. Two series: ``y`` is ``(batch, 8, 2)``
# -----------------------------------------
# Add a second series: a slower wave (period 50) plus 0.3 times the first
# series. The windows now have 2 features, and the target is 8 steps
# of both: ``(batch, 8, 2)``.
#
# ``Dense(horizon * features)`` followed by ``Reshape((horizon, features))``
# gives that shape. It is a simple head: the 16 numbers come straight from
# the last hidden state, like the univariate direct model, with one set of
# weights per (step, feature). The other common choice,
# ``RepeatVector(horizon)`` + ``LSTM(return_sequences=True)`` +
# ``Dense(features)``, is a small decoder that shares its weights across the
# steps; consider it for long horizons, at the cost of a second LSTM to
# train (:ref:`sphx_glr_auto_examples_data_plot_encoder_decoder.py`).
features = 2
second = (0.8 * np.sin(2 * np.pi * steps / 50) + 0.3 * series).astype(
    "float32"
)
both = np.stack([series, second], axis=-1)  # (steps, features)
xm_train, ym_train = lookback_and_horizon(both[:split])
xm_test, ym_test = lookback_and_horizon(both[split:])
print("x:", xm_train.shape, " y:", ym_train.shape)
assert xm_train.shape == (x_train.shape[0], lookback, features)
assert ym_train.shape == (x_train.shape[0], horizon, features)

inputs = keras.Input(shape=(lookback, features), name="window")
hidden = keras.layers.LSTM(16, name="lstm")(inputs)
flat = keras.layers.Dense(horizon * features, name="head")(hidden)
outputs = keras.layers.Reshape((horizon, features), name="reshape")(flat)
multi = keras.Model(inputs, outputs, name="direct_multi")
print("Dense output:", flat.shape, "  Reshape output:", outputs.shape)
assert tuple(flat.shape) == (None, horizon * features)
assert tuple(outputs.shape) == (None, horizon, features)
multi_losses = fit_quietly(multi, xm_train, ym_train)
multi_pred = multi(xm_test, training=False).numpy()
assert (
    multi_pred.shape == ym_test.shape == (xm_test.shape[0], horizon, features)
)

# %%
# Its error is measured on both series; the naive forecast is again the
# last value of each.
multi_naive = np.repeat(xm_test[:, -1:, :], horizon, axis=1)
multi_mae = float(np.abs(multi_pred - ym_test).mean())
multi_naive_mae = float(np.abs(multi_naive - ym_test).mean())

# %%
# The errors, side by side
# ------------------------
# MAE on the held-out test windows, averaged over the 8 steps (and, for the
# last row, over both series, against its own naive forecast).
rows = [
    (name, value, errors["naive (repeat last value)"])
    for name, value in errors.items()
    if not name.startswith("naive")
]
rows.append(("direct, 2 series", multi_mae, multi_naive_mae))
print(f"{'method':<18}{'MAE':>8}{'naive MAE':>11}")
for name, value, baseline in rows:
    print(f"{name:<18}{value:>8.4f}{baseline:>11.4f}")

# %%
# Each model beats its naive baseline by a wide margin: its MAE is less
# than half the naive one.
for name, value, baseline in rows:
    assert value < 0.5 * baseline, (name, value, baseline)

# %%
# Error by step ahead
# -------------------
# The MAE of each method at each of the 8 steps, and the slope of a straight
# line fitted to those 8 errors (MAE per step ahead).
steps_ahead = np.arange(1, horizon + 1)
by_step = {
    "naive": np.abs(naive - y_test).mean(axis=0),
    "direct": np.abs(direct_pred - y_test).mean(axis=0),
    "recursive": np.abs(recursive_pred - y_test).mean(axis=0),
}
slope = {
    name: np.polyfit(steps_ahead, values, 1)[0]
    for name, values in by_step.items()
}
for name, values in by_step.items():
    print(f"{name:<10}", values.round(3))
    print(f"{'':<10} fitted slope {slope[name]:+.4f} per step")

# %%
# * The **naive** error grows with every step ahead: the further ahead, the
#   further the series has moved from the last value seen.
# * The **recursive** error is lowest at step 1, the only step where the
#   model reads true values only, and every later step is worse than step 1:
#   from step 2 on the model reads its own earlier predictions. It is not a
#   steady climb (it dips at some steps), but its fitted line rises.
# * The **direct** model has its own output weights for each step: its
#   errors go up and down with no such trend, a fitted slope less than half
#   the recursive one. At step 1 the one-step model beats it.
naive_step, direct_step, recursive_step = by_step.values()
assert np.all(np.diff(naive_step) > 0)  # grows with every step
assert np.all(recursive_step[1:] > recursive_step[0])
assert slope["recursive"] > 0 and (np.diff(recursive_step) < 0).any()
direct_diff = np.diff(direct_step)  # up and down
assert (direct_diff > 0).any() and (direct_diff < 0).any()
assert abs(slope["direct"]) < 0.5 * slope["recursive"]
assert recursive_step[0] < direct_step[0]

# %%
# The forecasts against the truth
# -------------------------------
# Two test windows: the last 16 values the models read (grey), the 8 true
# values that followed (black), and each method's forecast in its own colour
# and line style.
styles = {
    "truth": dict(color="black", linestyle="-", marker="o", markersize=4),
    "naive": dict(color="tab:gray", linestyle=":", marker="x", markersize=5),
    "direct": dict(color="tab:blue", linestyle="--", marker="s", markersize=4),
    "recursive": dict(
        color="tab:orange", linestyle="-.", marker="^", markersize=4
    ),
}
past = np.arange(-lookback + 1, 1)
future = np.arange(1, horizon + 1)
fig, axes = plt.subplots(
    2, 1, figsize=(5.5, 6.6), sharex=True, layout="constrained"
)
for ax, sample in zip(axes, (40, 150)):
    ax.plot(
        past,
        x_test[sample, :, 0],
        color="0.6",
        linewidth=1.5,
        label="input window",
    )
    ax.plot(future, y_test[sample], label="truth", **styles["truth"])
    ax.plot(future, naive[sample], label="naive", **styles["naive"])
    ax.plot(future, direct_pred[sample], label="direct", **styles["direct"])
    ax.plot(
        future,
        recursive_pred[sample],
        label="recursive",
        **styles["recursive"],
    )
    ax.axvline(0.5, color="0.8", linewidth=1)
    ax.set_title(f"test window {sample}", fontsize=10)
    ax.set_ylabel("value")
axes[-1].set_xlabel("time step (0 = last value read, 1..8 = forecast)")
# one legend under the panels, so that it hides no data
fig.legend(
    *axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=3
)
fig.suptitle("8-step forecasts on held-out windows:\ndirect, recursive, naive")
plt.show()

# %%
# The series with two features: the truth (solid) and the direct forecast
# (dashed) of each, for one test window.
sample = 40
fig, axes = plt.subplots(
    1, features, figsize=(5.5, 3.8), sharey=True, layout="constrained"
)
for feature, ax in enumerate(axes):
    ax.plot(
        past,
        xm_test[sample, :, feature],
        color="0.6",
        linewidth=1.5,
        label="input window",
    )
    ax.plot(
        future, ym_test[sample, :, feature], label="truth", **styles["truth"]
    )
    ax.plot(
        future,
        multi_pred[sample, :, feature],
        label="direct (2 series)",
        **styles["direct"],
    )
    ax.set_title(f"feature {feature}", fontsize=10)
    ax.set_xlabel("time step")
axes[0].set_ylabel("value")
fig.legend(
    *axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=3
)
fig.suptitle("Output (batch, 8, 2): both series\nforecast at once (window 40)")
plt.show()

# %%
# Common mistake: ``y`` is only the next value
# --------------------------------------------
# The direct model outputs ``(batch, 8)``. Giving it the one-step target
# ``(batch,)``, for example ``series[lookback:]`` as in a one-step tutorial,
# fails inside the loss, where Keras subtracts the prediction from ``y``
# (Keras source: ``y_true - y_pred`` in ``mean_squared_error``,
# ``keras/src/losses/losses.py``):
wrong_y = y_train[:, 0]  # (batch,)
wrong = lstm_model(horizon, "wrong")
wrong.compile(optimizer="adam", loss="mse")
try:
    wrong.fit(x_train[:256], wrong_y[:256], epochs=1, batch_size=64, verbose=0)
except ValueError as error:
    message = str(error)
    key = re.search(
        r"Dimensions must be equal, but are \d+ and \d+", message
    ).group(0)
    shapes = re.search(r"input shapes: \S+, \S+\]", message).group(0)
    print(textwrap.fill(f"ValueError: {key} ... with {shapes}", width=60))
assert "Dimensions must be equal, but are 64 and 8" in message
assert "input shapes: [64], [64,8]" in message

# %%
# The batch of 64 targets ``[64]`` is lined up against the 8 outputs
# ``[64,8]``. **Fix:** take the targets from the same windows as the inputs,
# 8 values per sample, ``y.shape == (batch, horizon)``, as
# ``lookback_and_horizon`` does above.
#
# ``y`` of shape ``(batch, 1)`` is worse: Keras' loss accepts it with **no**
# error. It broadcasts the one target across all 8 outputs, so the model
# would be trained to forecast the next value 8 times. The loss computed by
# Keras is exactly that:
y_one = y_train[:64, :1]  # (64, 1)
prediction = direct(x_train[:64], training=False).numpy()  # (64, 8)
keras_loss = float(keras.losses.MeanSquaredError()(y_one, prediction))
broadcast = float(((prediction - y_one) ** 2).mean())
print(f"Keras MSE with y (64, 1): {keras_loss:.4f}")
print(f"the same, broadcast by hand: {broadcast:.4f}")
np.testing.assert_allclose(keras_loss, broadcast, rtol=1e-5)

# %%
# So check ``y.shape`` against ``model.output.shape`` before ``fit``:
assert y_train.shape[1:] == tuple(direct.output.shape)[1:]
assert ym_train.shape[1:] == tuple(multi.output.shape)[1:]
print("y_train:", y_train.shape[1:], "==", tuple(direct.output.shape)[1:])
print("ym_train:", ym_train.shape[1:], "==", tuple(multi.output.shape)[1:])

# %%
# Exercises
# ---------
# **1. Predict the shapes.** Three series instead of two, and a horizon of
# 12 steps. For a direct model with the ``Dense`` + ``Reshape`` head above,
# how many units does the ``Dense`` layer need, and what shapes do the model
# output and ``y`` have?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# ``12 * 3 = 36`` units, reshaped to ``(batch, 12, 3)``; ``y`` has that
# shape too, one value per step ahead and series.
steps_3, features_3 = 12, 3
inputs_3 = keras.Input(shape=(lookback, features_3))
hidden_3 = keras.layers.LSTM(16)(inputs_3)
head_3 = keras.layers.Dense(steps_3 * features_3)
flat_3 = head_3(hidden_3)
out_3 = keras.layers.Reshape((steps_3, features_3))(flat_3)
print("Dense units:", head_3.units, " output:", out_3.shape)
assert head_3.units == 36 and tuple(out_3.shape) == (None, 12, 3)

# %%
# .. raw:: html
#
#    </details>

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_data_plot_windows.py` - cutting a series into
#   windows.
# * :ref:`sphx_glr_auto_examples_data_plot_targets.py` - the ``y`` that each
#   output pattern needs.
# * :ref:`sphx_glr_auto_examples_data_plot_encoder_decoder.py` - a decoder LSTM
#   for the horizon.
