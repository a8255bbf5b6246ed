"""
Do LSTM cells learn to count?
=============================

**In short:** yes, here. Trained only to say, at every step of a string of
brackets, whether a bracket is still open, a small LSTM ends up with cell
states that follow the nesting depth: several units' :math:`c_t` correlate
with the depth above 0.9 (the best at 0.99), while before training no unit
reaches 0.9.

The model is never shown the depth, only a yes or a no. Yet to answer it
must count: one more for ``(``, one less for ``)``, and the answer is "no"
only when the count is back at zero. This is the "counting cell" that
Karpathy, Johnson and Fei-Fei found in character models (source:
*Visualizing and Understanding Recurrent Networks*, 2015,
https://arxiv.org/abs/1506.02078), reproduced at build time.
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
import tensorflow as tf

keras.utils.set_random_seed(4)
tf.config.experimental.enable_op_determinism()
np.set_printoptions(precision=3, suppress=True)

# sphinx_gallery_thumbnail_number = 1

# %%
# Bracket strings
# ---------------
# Each sample is 30 tokens, each one of ``(``, ``)`` or ``x`` (anything
# else), one-hot encoded: 3 features. The strings are well formed as far as
# they go: a ``)`` only comes when a bracket is open, and the depth stays at
# most 5. The target at each step is 1 if a bracket is open after that token
# (depth > 0), else 0: a yes/no question, not the depth.
timesteps = 30
features = 3  # one-hot: "(", ")", "x"
max_depth = 5
tokens = np.array(["(", ")", "x"])


def bracket_strings(n):
    """Well-formed prefixes: token ids (n, 30), depth after each."""
    ids = np.zeros((n, timesteps), dtype=int)
    depth = np.zeros((n, timesteps), dtype=int)
    draws = np.random.random((n, timesteps))
    for s in range(n):
        d = 0
        for t in range(timesteps):
            if draws[s, t] < 0.35 and d < max_depth:
                ids[s, t], d = 0, d + 1  # "("
            elif draws[s, t] < 0.7 and d > 0:
                ids[s, t], d = 1, d - 1  # ")"
            else:
                ids[s, t] = 2  # "x"
            depth[s, t] = d
    return np.eye(3, dtype="float32")[ids], ids, depth


x_train, _, depth_train = bracket_strings(1200)
x_test, ids_test, depth_test = bracket_strings(300)
y_train = (depth_train > 0).astype("float32")[..., np.newaxis]
y_test = (depth_test > 0).astype("float32")[..., np.newaxis]
print("input:", x_train.shape, " target:", y_train.shape)
# a held-out string that visits every depth from 0 to 5, to show below
sample = next(
    s
    for s in range(len(depth_test))
    if len(set(depth_test[s])) == max_depth + 1
)
print(f"held-out string {sample}:", "".join(tokens[ids_test[sample]]))
print("its depth:          ", "".join(str(d) for d in depth_test[sample]))
print(
    "target (open?):     ", "".join(str(int(v)) for v in y_test[sample, :, 0])
)
print(
    "share of steps with depth 0..5:\n",
    np.bincount(depth_train.ravel(), minlength=max_depth + 1)
    / depth_train.size,
)
assert x_train.shape == (1200, timesteps, features)
assert y_train.shape == (1200, timesteps, 1)

# %%
# Train
# -----
# An LSTM with 8 units and ``return_sequences=True`` (one answer per step),
# then a ``Dense`` sigmoid per step. We keep a copy of the weights before
# training, to look at the same units untrained afterwards.
units = 8
inputs = keras.Input(shape=(timesteps, features), name="brackets")
lstm = keras.layers.LSTM(units, return_sequences=True, name="lstm")
outputs = keras.layers.Dense(1, activation="sigmoid", name="open")(
    lstm(inputs)
)
model = keras.Model(inputs, outputs, name="bracket_model")
weights_before = lstm.get_weights()

model.compile(
    optimizer=keras.optimizers.Adam(0.02),
    loss="binary_crossentropy",
    metrics=["accuracy"],
)
# sphinx_gallery_start_ignore
# Build speed: Adam's slots made now, so fit() traces its step once.
model.optimizer.build(model.trainable_variables)
# sphinx_gallery_end_ignore
history = model.fit(x_train, y_train, epochs=12, batch_size=100, verbose=0)
for epoch in (0, 3, 7, 11):
    print(
        f"epoch {epoch + 1:2d}: loss {history.history['loss'][epoch]:.4f}, "
        f"accuracy {history.history['accuracy'][epoch]:.4f}"
    )
test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"held-out: loss {test_loss:.4f}, accuracy {test_accuracy:.4f}")
always_open = max(y_test.mean(), 1 - y_test.mean())
print(f"always the commoner answer: accuracy {always_open:.4f}")
assert test_accuracy >= 0.99 > always_open + 0.2

# %%
# The task is solved on strings the model never saw. Answering "no" after
# ``(()x)`` but "yes" after ``(()x`` takes a count of the open brackets:
# where is it?
#
# The cell state at every step
# ----------------------------
# The layer returns :math:`h_t` at every step but :math:`c_t` only at the
# last one, so we step its own cell through the held-out strings and keep
# both (how and why: :ref:`sphx_glr_auto_examples_cell_plot_cell_stepping.py`).


def states_at_every_step(cell, data):
    """Step ``cell`` through ``data`` from zero states; h and c per step."""
    h = c = np.zeros((data.shape[0], cell.units), dtype="float32")
    h_steps, c_steps = [], []
    for t in range(data.shape[1]):
        _, (h, c) = cell(data[:, t], [h, c])
        h_steps.append(np.asarray(h))
        c_steps.append(np.asarray(c))
    # each stacked to (batch, timesteps, units)
    return np.stack(h_steps, axis=1), np.stack(c_steps, axis=1)


h_after, c_after = states_at_every_step(lstm.cell, x_test)
np.testing.assert_allclose(
    h_after, model.get_layer("lstm")(x_test).numpy(), rtol=1e-4, atol=1e-5
)
print("c at every step:", c_after.shape)

# %%
# Which unit counts?
# ------------------
# For each unit, the correlation between its :math:`c_t` and the depth, over
# all 300 x 30 held-out steps:


def depth_correlations(c):
    return np.array(
        [
            np.corrcoef(c[..., j].ravel(), depth_test.ravel())[0, 1]
            for j in range(units)
        ]
    )


corr_after = depth_correlations(c_after)
counter = int(np.argmax(np.abs(corr_after)))
print("corr(c_t, depth) per unit, trained:\n", corr_after)
print(f"best unit: {counter}, correlation {corr_after[counter]:+.3f}")
counting = np.flatnonzero(np.abs(corr_after) >= 0.9)
print(f"units with |corr| >= 0.9: {counting.tolist()}")
assert abs(corr_after[counter]) >= 0.99
assert len(counting) >= 2 and corr_after[counting].min() < 0

# %%
# More than one unit has learned something depth-like: the count is spread
# over several units (those printed), and the best of them carries it almost
# exactly. The sign is arbitrary: a unit whose correlation is negative goes
# *down* with every ``(``, and counts just as well. We follow the best one.
#
# The same unit before training
# -----------------------------
# The weights from before ``fit``, same seed, same strings:
trained_weights = lstm.get_weights()
lstm.set_weights(weights_before)
h_before, c_before = states_at_every_step(lstm.cell, x_test)
lstm.set_weights(trained_weights)
corr_before = depth_correlations(c_before)
print("corr(c_t, depth) per unit, untrained:\n", corr_before)
print(
    f"unit {counter}: {corr_before[counter]:+.3f} before training, "
    f"{corr_after[counter]:+.3f} after"
)
print(f"untrained, largest |corr|: {np.abs(corr_before).max():.3f}")
assert abs(corr_before[counter]) <= 0.7
assert np.abs(corr_before).max() < 0.8
assert abs(corr_after[counter]) - abs(corr_before[counter]) >= 0.3

# %%
# An untrained unit is not blind to brackets: its :math:`c_t` is a leaky
# sum (:math:`c_t = f_t c_{t-1} + i_t g_t`) of whatever its random weights
# make of the tokens, so it goes up and down with them somewhat (the
# untrained correlations above), but no untrained unit comes near the
# trained units' correlations.
#
# The picture
# -----------
# The held-out string printed above: the depth on top, then :math:`c_t` and
# :math:`h_t` of all 8 units (one colour scale for both, centred on 0, set
# by the counting
# unit's range: a unit that goes beyond it is drawn in full colour), and the
# counting unit's :math:`c_t` alone, on the same time axis.
c_seq, h_seq = c_after[sample], h_after[sample]
limit = np.abs(c_seq[:, counter]).max()
steps = np.arange(timesteps)

fig, axes = plt.subplots(
    4,
    1,
    figsize=(5, 8),
    sharex=True,
    layout="constrained",
    gridspec_kw={"height_ratios": [1, 2.2, 2.2, 1.4]},
)
axes[0].step(steps, depth_test[sample], where="mid", color="black")
axes[0].set_ylabel("depth")
axes[0].set_yticks(range(0, max_depth + 1, 2))
axes[0].set_title(
    "the string and its nesting depth", loc="left", fontsize="medium"
)
for ax, values, name in (
    (axes[1], c_seq, "cell state c_t"),
    (axes[2], h_seq, "hidden state h_t"),
):
    image = ax.imshow(
        values.T, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto"
    )
    ax.set_ylabel("unit")
    ax.set_yticks(range(units))
    ax.set_title(name, loc="left", fontsize="medium")
    ax.add_patch(
        plt.Rectangle(
            (-0.5, counter - 0.5),
            timesteps,
            1,
            fill=False,
            edgecolor="black",
            linewidth=1.5,
        )
    )
fig.colorbar(
    image, ax=axes[1:3], label="state value (shared scale)", extend="both"
)
axes[3].plot(
    steps,
    c_seq[:, counter],
    marker="o",
    markersize=3,
    color="tab:red",
    label=f"c_t of unit {counter}",
)
axes[3].axhline(0, color="0.6", linewidth=0.8)
axes[3].set_ylabel(f"c_t, unit {counter}")
axes[3].set_title(
    f"unit {counter} alone (corr. with depth {corr_after[counter]:+.3f})",
    loc="left",
    fontsize="medium",
)
axes[3].set_xticks(
    steps, labels=tokens[ids_test[sample]], fontfamily="monospace"
)
axes[3].set_xlabel("token (time step)")
fig.suptitle(
    f"Trained LSTM on a bracket string:\nunit {counter}'s c_t counts the depth"
)
plt.show()

# %%
# The boxed row is the counting unit: on average over all held-out steps its
# :math:`c_t` steps one way with each ``(`` and back with each ``)``, and
# changes much less across the ``x`` tokens (the mean changes are printed
# below). :math:`h_t` is squeezed through ``tanh`` and the output gate, and
# the same unit's :math:`h_t` follows the depth less closely than its
# :math:`c_t`:
sign = np.sign(corr_after[counter])
change = np.diff(c_after[..., counter], axis=1, prepend=0.0) * sign
token_ids = ids_test
mean_change = {
    tok: change[token_ids == k].mean() for k, tok in enumerate(tokens)
}
abs_change = {
    tok: np.abs(change[token_ids == k]).mean() for k, tok in enumerate(tokens)
}
print("mean change of c_t (in the direction of depth):")
print("  " + ", ".join(f"{t} {v:+.2f}" for t, v in mean_change.items()))
corr_h = np.corrcoef(h_after[..., counter].ravel(), depth_test.ravel())[0, 1]
print(
    f"unit {counter}: corr with depth, c_t {corr_after[counter]:+.3f}, "
    f"h_t {corr_h:+.3f}"
)
assert mean_change["("] > 0 > mean_change[")"]
assert abs_change["x"] < 0.3 * min(abs_change["("], abs_change[")"])
assert abs(corr_h) < abs(corr_after[counter])
#
# Before and after, every held-out step
# -------------------------------------
# Each dot is one step of one held-out string: the depth across, the unit's
# :math:`c_t` up (one y scale for both panels), before and after training.
jitter = np.random.uniform(-0.15, 0.15, depth_test.size)
fig, axes = plt.subplots(
    2, 1, figsize=(5, 5.6), sharex=True, sharey=True, layout="constrained"
)
for ax, c, r, when in (
    (axes[0], c_before, corr_before, "before training"),
    (axes[1], c_after, corr_after, "after training"),
):
    ax.scatter(
        depth_test.ravel() + jitter,
        c[..., counter].ravel(),
        s=3,
        alpha=0.3,
        color="tab:red",
        rasterized=True,
    )
    ax.axhline(0, color="0.6", linewidth=0.8)
    ax.set_title(f"{when}: correlation {r[counter]:+.3f}", fontsize="medium")
    ax.set_ylabel(f"c_t of unit {counter}")
axes[-1].set_xlabel("nesting depth")
axes[-1].set_xticks(range(max_depth + 1))
fig.suptitle(
    f"Unit {counter}'s cell state against the depth,\n"
    "before and after training"
)
plt.show()

# %%
# Before training the unit's mean levels at the six depths lie close
# together; after training they are spread out, and the level at each depth
# is further along than at the depth below it (printed). Nobody told the
# model to count: its targets are only yes and no.
levels = {
    when: np.array(
        [c[..., counter][depth_test == d].mean() for d in range(max_depth + 1)]
    )
    * sign
    for when, c in (("before", c_before), ("after", c_after))
}
for when, level in levels.items():
    print(f"mean c_t per depth, {when}:\n", level)
assert np.all(np.diff(levels["after"]) > 0)
spread = {w: np.ptp(l) for w, l in levels.items()}
print(
    f"span of the levels: before {spread['before']:.2f}, "
    f"after {spread['after']:.2f}"
)
assert spread["before"] < 0.5 * spread["after"]

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_cell_plot_cell_stepping.py` - stepping
#   ``layer.cell`` to get :math:`c_t` at every step.
# * :ref:`sphx_glr_auto_examples_trained_plot_long_memory.py` - a unit that
#   holds one value for 50 steps.
# * :ref:`sphx_glr_auto_examples_cell_plot_gates_over_time.py` - the same
#   heatmaps for an untrained layer.
