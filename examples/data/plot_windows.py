"""
From a time series to ``(samples, timesteps, features)``
=========================================================

**In short:** windows ``x[i] = series[i : i + timesteps]``, target
``y[i] = series[i + timesteps + h - 1]`` (``h`` steps ahead); with
``timeseries_dataset_from_array``, data ``series[:-h]`` and targets
``series[timesteps + h - 1:]``; a feature axis of size 1 for one column;
split in time before windowing and fit the scaler on the training part only.

You have a series: a table with one row per time step and one column per
measured quantity. An LSTM wants a 3-D array ``(samples, timesteps,
features)`` and, to train, a target ``y`` for every sample. The answer is to
cut the table into **windows**: sample ``i`` is rows ``i`` to
``i + timesteps - 1`` (all columns), and its target is the row ``h`` steps
after the window's last one.

This page cuts windows two ways (NumPy's ``sliding_window_view`` and Keras's
``timeseries_dataset_from_array``) and checks that they agree, shows the
off-by-one that gives the wrong target, splits and scales the data without
leaking the validation part into training, shows the error an LSTM raises
on a 2-D array, and trains one against a copy-the-last-input baseline.
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
from numpy.lib.stride_tricks import sliding_window_view

keras.utils.set_random_seed(313)
tf.config.experimental.enable_op_determinism()
np.set_printoptions(precision=4, suppress=True)

# %%
# A series, one value per time step
# ---------------------------------
# 600 steps of a made-up signal: a slow upward trend, two cycles (50 and 11
# steps long) and some noise. One column, so 1 feature.
n_steps = 600
t = np.arange(n_steps)
rng = np.random.default_rng(0)
series = (
    0.002 * t
    + np.sin(2 * np.pi * t / 50)
    + 0.4 * np.sin(2 * np.pi * t / 11)
    + 0.1 * rng.normal(size=n_steps)
).astype("float32")
print("series:", series.shape, " first values:", series[:4])
assert series.shape == (n_steps,)

# %%
# Windows with NumPy
# ------------------
# ``sliding_window_view(series, timesteps)`` gives every run of
# ``timesteps`` consecutive values, one per row, without copying the data (a
# view of the series' memory, checked below): row ``i`` is
# ``series[i : i + timesteps]``. A series of ``N`` values has
# ``N - timesteps + 1`` windows.
timesteps = 24  # how many past steps the model sees
windows = sliding_window_view(series, timesteps)
print("windows:", windows.shape, "= (N - timesteps + 1, timesteps)")
assert windows.shape == (n_steps - timesteps + 1, timesteps)
np.testing.assert_array_equal(windows[7], series[7 : 7 + timesteps])
assert np.shares_memory(windows, series)  # a view, not a copy

# %%
# That is ``(samples, timesteps)``: the feature axis is missing. With one
# feature it has size 1, and ``[..., None]`` (or ``np.expand_dims(a, -1)``)
# adds it at the end. It is the same numbers, only the shape changes.
x_uni = windows[..., None]
print("with the feature axis:", x_uni.shape)
assert x_uni.shape == (n_steps - timesteps + 1, timesteps, 1)

# %%
# The target: the next step, or ``h`` steps ahead
# ------------------------------------------------
# Window ``i`` ends at step ``i + timesteps - 1``. Its "next step" target is
# ``series[i + timesteps]``, and its target ``h`` steps ahead is
# ``series[i + timesteps + h - 1]``. The last window must still have a
# target, so only the first ``N - timesteps - h + 1`` windows are used: the
# windows of ``series[:-h]``, and the targets ``series[timesteps + h - 1:]``.


def make_windows(values, timesteps, horizon):
    """x: windows of values[:-horizon]; y: the value horizon steps on."""
    x = sliding_window_view(values[:-horizon], timesteps, axis=0)
    y = values[timesteps + horizon - 1 :]
    return x, y


horizon = 5
x_next, y_next = make_windows(series, timesteps, 1)
x_ahead, y_ahead = make_windows(series, timesteps, horizon)
print("next step:      x", x_next.shape, " y", y_next.shape)
print(f"{horizon} steps ahead:  x", x_ahead.shape, " y", y_ahead.shape)
assert len(x_next) == len(y_next) == n_steps - timesteps
assert len(x_ahead) == len(y_ahead) == n_steps - timesteps - horizon + 1
for i in (0, 100, len(x_ahead) - 1):
    assert y_next[i] == series[i + timesteps]
    assert y_ahead[i] == series[i + timesteps + horizon - 1]

# %%
# The same windows with Keras
# ---------------------------
# ``keras.utils.timeseries_dataset_from_array(data, targets, timesteps)`` pairs
# the window that **starts** at row ``i`` with ``targets[i]``. So the targets
# must be passed already shifted: ``series[timesteps + h - 1:]``. It returns a
# ``tf.data.Dataset`` of batches, ready for ``fit()``; here we join the batches
# back into arrays to compare them with NumPy's.


def keras_windows(data, targets, timesteps):
    dataset = keras.utils.timeseries_dataset_from_array(
        data, targets, sequence_length=timesteps, batch_size=128, shuffle=False
    )
    xs, ys = zip(*((x.numpy(), y.numpy()) for x, y in dataset))
    return np.concatenate(xs), np.concatenate(ys)


for h, (x_np, y_np) in {
    1: (x_next, y_next),
    horizon: (x_ahead, y_ahead),
}.items():
    x_k, y_k = keras_windows(
        series[:-h], series[timesteps + h - 1 :], timesteps
    )
    np.testing.assert_array_equal(x_k, x_np)
    np.testing.assert_array_equal(y_k, y_np)
    print(f"h={h}: Keras {x_k.shape} {y_k.shape} == NumPy")

# %%
# The off-by-one
# --------------
# A common mistake, reported in tensorflow/tensorflow#40343, is to pass the
# same series as data and targets. Then the target of each window is its **own
# first value**, a value the model has already seen:
x_bad, y_bad = keras_windows(series, series, timesteps)
np.testing.assert_array_equal(y_bad, x_bad[:, 0])
print("targets=series: y[i] == x[i, 0], the window's first value")

# %%
# Shifting by ``timesteps - 1`` instead of ``timesteps`` is as bad: the target
# is then the window's **last** value, so "predict y" means "copy the last
# input". A model that copies it has zero error, which looks like a great
# model. The honest baseline, copying the last input to predict the real next
# step, has an error above 0.05.
x_bad, y_bad = keras_windows(series, series[timesteps - 1 :], timesteps)
np.testing.assert_array_equal(y_bad, x_bad[:, -1])
copy_bad = np.mean((x_bad[:, -1] - y_bad) ** 2)
copy_true = np.mean((x_next[:, -1] - y_next) ** 2)
print("copy the last input, MSE")
print(f"  on the target shifted by timesteps - 1: {copy_bad:.4f}")
print(f"  on the true next step:                  {copy_true:.4f}")
assert copy_bad == 0 and copy_true > 0.05

# %%
# The example in the Keras 2 docstring passed ``data`` without dropping its
# last ``h`` rows (keras-team/keras#14310). In Keras 3 that is harmless:
# there are only as many windows as targets, so the extra windows at the end
# are dropped (Keras source: ``num_seqs = min(num_seqs, len(targets))`` in
# ``keras/src/utils/timeseries_dataset_utils.py``; checked here).
x_k, y_k = keras_windows(series, series[timesteps:], timesteps)
np.testing.assert_array_equal(x_k, x_next)
np.testing.assert_array_equal(y_k, y_next)
print("data=series, targets=series[timesteps:]:")
print("  ", x_k.shape, y_k.shape, "(same as above)")

# %%
# Several columns
# ---------------
# A multivariate series is a table ``(N, features)``: here 3 related columns,
# say the quantity to forecast, a noisy copy of it lagged by 3 steps, and a
# known 24-step cycle. The target is the first column only.
table = np.stack(
    [
        series,
        np.roll(series, 3) + 0.2 * rng.normal(size=n_steps),
        np.cos(2 * np.pi * t / 24),
    ],
    axis=1,
).astype("float32")
print("table:", table.shape, "(N, features)")
assert table.shape == (n_steps, 3)

# %%
# ``sliding_window_view`` along the rows (``axis=0``) puts the window axis
# **last**: ``(samples, features, timesteps)``. Swap the last two axes to
# get ``(samples, timesteps, features)``.
raw = sliding_window_view(table[:-1], timesteps, axis=0)
x_multi = raw.transpose(0, 2, 1)
y_multi = table[timesteps:, 0]
print("sliding_window_view:", raw.shape, " -> transposed:", x_multi.shape)
assert raw.shape == (n_steps - timesteps, 3, timesteps)
assert x_multi.shape == (n_steps - timesteps, timesteps, 3)
np.testing.assert_array_equal(x_multi[7], table[7 : 7 + timesteps])

x_k, y_k = keras_windows(table[:-1], table[timesteps:, 0], timesteps)
np.testing.assert_array_equal(x_k, x_multi)
np.testing.assert_array_equal(y_k, y_multi)
print("Keras:", x_k.shape, y_k.shape, "== NumPy")

# %%
# Split first, then scale with the training part only
# ---------------------------------------------------
# Split the **series** in time (the first 70 % to train, the rest to
# validate), then window each part. Windowing first and splitting the windows
# afterwards would put the targets of the last training windows inside the
# first validation window. Checked on the step indices: split the windows of
# the whole series at 70 %, and the targets of the last ``timesteps``
# training windows are all steps the first validation window reads.
split_window = int(0.7 * len(x_next))
last_train_target = (split_window - 1) + timesteps  # its step index
first_valid_steps = range(split_window, split_window + timesteps)
assert first_valid_steps[-1] == last_train_target  # its last step
print("last training target is step", last_train_target)
print(
    f"first validation window reads steps {split_window}..{last_train_target}"
)
assert last_train_target in first_valid_steps
last_targets = [
    w + timesteps for w in range(split_window - timesteps, split_window)
]
assert all(step in first_valid_steps for step in last_targets)

# %%
# Scaling the same way: the mean and standard deviation come from the
# training part alone, because at prediction time the future is unknown.
# Computing them on the whole series lets the validation part leak into the
# scaler. With a trend that shows plainly:
split = int(0.7 * n_steps)
train, valid = series[:split], series[split:]
mean, std = train.mean(), train.std()
leak_mean, leak_std = series.mean(), series.std()
print(f"scaler from the training part: mean {mean:.3f}  std {std:.3f}")
print(
    f"scaler from the whole series:  mean {leak_mean:.3f}  std {leak_std:.3f}"
)

valid_scaled = (valid - mean) / std
valid_leaked = (valid - leak_mean) / leak_std
for name, values in [
    ("honestly scaled", valid_scaled),
    ("leaky scaler", valid_leaked),
]:
    print(f"validation, {name + ':':16s}", end=" ")
    print(f"mean {values.mean():.3f}  max {values.max():.3f}")
assert leak_mean - mean > 0.1 and leak_std > std
assert valid_scaled.mean() > valid_leaked.mean() + 0.15
assert round(float(valid_scaled.mean()), 1) == 0.6
assert 0 < valid_leaked.mean() < valid_scaled.mean()  # nearer 0

# %%
# Honestly scaled, the validation part is off-centre (its mean is 0.6) and
# reaches values above anything seen in training, because the trend went on:
# that is the real difficulty the model will meet. The leaky scaler pulls it
# towards 0, so validation looks better behaved than the future will be.
train_scaled = (train - mean) / std
print(f"largest scaled training value: {train_scaled.max():.3f}")
assert valid_scaled.max() > train_scaled.max() + 0.4
x_train, y_train = make_windows(train_scaled, timesteps, horizon)
x_valid, y_valid = make_windows(valid_scaled, timesteps, horizon)
x_train, x_valid = x_train[..., None], x_valid[..., None]
print(
    "train:",
    x_train.shape,
    y_train.shape,
    " valid:",
    x_valid.shape,
    y_valid.shape,
)

# %%
# A window and its targets
# ------------------------
# Top: the whole series, the split, and window ``i``. Bottom: that window
# close up, with its next-step target, its target 5 steps ahead, and the
# wrong targets of the off-by-one (the window's first and last values).
i = 380
fig, (top, bottom) = plt.subplots(
    2, 1, figsize=(5.5, 7.4), layout="constrained"
)
top.plot(t, series, color="0.55", lw=1, label="series")
top.axvspan(
    split, n_steps, color="tab:orange", alpha=0.12, label="validation part"
)
window = slice(i, i + timesteps)
top.plot(
    t[window], series[window], color="tab:blue", lw=2.5, label=f"window {i}"
)
top.set_xlabel("time step")
top.set_ylabel("value")
top.set_title("The series, split in time, and one window")
# legends below the axes, so that they hide none of the series
top.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=3)

steps = t[i - 4 : i + timesteps + horizon + 3]
bottom.plot(
    steps, series[steps], color="0.55", lw=1, marker=".", label="series"
)
bottom.plot(
    t[window],
    series[window],
    color="tab:blue",
    lw=2.5,
    marker="o",
    ms=4,
    label=f"x: {timesteps} steps",
)
next_step, ahead = i + timesteps, i + timesteps + horizon - 1
bottom.plot(
    next_step,
    series[next_step],
    "s",
    color="tab:green",
    ms=10,
    label="y, next step",
)
bottom.plot(
    ahead,
    series[ahead],
    "D",
    color="tab:purple",
    ms=9,
    label=f"y, {horizon} steps on",
)
wrong = [i, i + timesteps - 1]  # the window's first and last values
bottom.plot(
    wrong,
    series[wrong],
    "x",
    color="tab:red",
    ms=11,
    mew=2.5,
    label="wrong y (off by one)",
)
bottom.set_xlabel("time step")
bottom.set_ylabel("value")
bottom.set_title(f"Window {i} close up: x and its target y")
bottom.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2)
fig.suptitle("Cutting a series into windows and targets")
plt.show()

# %%
# The common mistake: a 2-D array into an LSTM
# --------------------------------------------
# Forgetting the feature axis: windows of shape ``(samples, timesteps)``
# given to ``fit()``. The LSTM accepts only 3 axes (Keras source:
# ``InputSpec(ndim=3)`` in ``keras/src/layers/rnn/lstm.py``), and refuses:
model = keras.Sequential([keras.layers.LSTM(8), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
try:
    model.fit(x_train[..., 0], y_train, epochs=1, verbose=0)
except ValueError as error:
    message = str(error)
    print(textwrap.fill(f"ValueError: {message}", 60))
assert "expected ndim=3, found ndim=2" in message

# %%
# **Fix:** give it ``(samples, timesteps, 1)``, the arrays with ``[..., None]``
# made above (their target is 5 steps ahead). A short training:
model = keras.Sequential(
    [
        keras.Input(shape=(timesteps, 1)),
        keras.layers.LSTM(16),
        keras.layers.Dense(1),
    ]
)
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
# sphinx_gallery_start_ignore
# build speed only: create Adam's slots now, so that fit() compiles its step
# once, not twice
model.optimizer.build(model.trainable_variables)
# sphinx_gallery_end_ignore
history = model.fit(
    x_train,
    y_train,
    validation_data=(x_valid, y_valid),
    epochs=12,
    batch_size=28,
    validation_batch_size=len(x_valid),
    verbose=0,
)
losses, val_losses = history.history["loss"], history.history["val_loss"]
for epoch in (0, 3, 7, 11):
    loss, val_loss = losses[epoch], val_losses[epoch]
    print(f"epoch {epoch + 1:2d}: loss {loss:.4f}  val_loss {val_loss:.4f}")
assert losses[-1] < 0.1

# %%
# The final validation loss is more than 3 times the final training loss;
# the validation values also reach above the training range (the trend went
# on), as the honest scaling showed. After the last epoch the model still
# beats the simplest forecast, "the value stays where it is" (copy the last
# input). Compare a model with such a baseline before trusting its loss.
baseline = np.mean((x_valid[:, -1, 0] - y_valid) ** 2)
print(f"validation MSE, model:               {val_losses[-1]:.4f}")
print(f"validation MSE, copy the last input: {baseline:.4f}")
assert 3 * losses[-1] < val_losses[-1] < baseline

# %%
# Exercises
# ---------
# **1. Predict the shapes.** A table of 1000 rows and 4 columns, windows of
# ``timesteps = 24``, the target the first column ``horizon = 10`` steps
# after each window's end. What are the shapes of ``x`` and ``y``?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# ``N - timesteps - horizon + 1 = 1000 - 24 - 10 + 1 = 967`` windows, each
# ``(24, 4)``, and one target per window. ``make_windows`` and Keras agree:
rows_4 = np.zeros((1000, 4), dtype="float32")
x_4, y_4 = make_windows(rows_4, 24, 10)
x_4, y_4 = x_4.transpose(0, 2, 1), y_4[:, 0]  # (samples, timesteps, features)
print("x:", x_4.shape, " y:", y_4.shape)
assert x_4.shape == (967, 24, 4) and y_4.shape == (967,)
x_k, y_k = keras_windows(rows_4[:-10], rows_4[24 + 10 - 1 :, 0], 24)
assert x_k.shape == x_4.shape and y_k.shape == y_4.shape

# %%
# .. raw:: html
#
#    </details>
#
# **2. Count the batches.** The same windows with ``batch_size=32``: how
# many batches does ``timeseries_dataset_from_array`` give per epoch, and
# how many windows are in the last one?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# ``ceil(967 / 32) = 31`` batches: 30 full ones and a last one of
# ``967 - 30 * 32 = 7`` windows.
dataset = keras.utils.timeseries_dataset_from_array(
    rows_4[:-10], rows_4[24 + 10 - 1 :, 0], sequence_length=24, batch_size=32
)
sizes = [len(y) for _, y in dataset]
print("batches:", len(sizes), " last batch:", sizes[-1])
assert len(sizes) == 31 and sizes[-1] == 7

# %%
# .. raw:: html
#
#    </details>

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_data_plot_csv.py` - the same steps on a
#   real CSV file, read with pandas.
# * :ref:`sphx_glr_auto_examples_data_plot_targets.py` - the ``y`` for each
#   output pattern.
# * :ref:`sphx_glr_auto_examples_seed_plot_lstm_input.py` - what each axis of
#   ``(batch, timesteps, features)`` means.
# * :ref:`sphx_glr_auto_examples_beyond_plot_common_errors.py` - more errors
#   and their fixes.
