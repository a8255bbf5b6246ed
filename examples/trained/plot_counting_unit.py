"""
Do LSTM cells learn to count?
=============================

Train a small LSTM to answer, at every step of a string of brackets, "is a
bracket still open here?". It is never shown the nesting depth, only a yes or
a no. Yet to answer it must count: one more for ``(``, one less for ``)``,
and the answer is "no" only when the count is back at zero. After training,
the count is there to read in the cell states: one unit's :math:`c_t` follows
the depth almost exactly (correlation above 0.9), while the same unit before
training does not. This is the "counting cell" that Karpathy, Johnson and
Fei-Fei found in character models (*Visualizing and Understanding Recurrent
Networks*, 2015), reproduced in a few seconds.
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
seq_len = 30  # timesteps
max_depth = 5
tokens = np.array(["(", ")", "x"])


def bracket_strings(n):
    """Random well-formed prefixes: token ids (n, 30) and the depth after each."""
    ids = np.zeros((n, seq_len), dtype=int)
    depth = np.zeros((n, seq_len), dtype=int)
    draws = np.random.random((n, seq_len))
    for s in range(n):
        d = 0
        for t in range(seq_len):
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
    "share of steps with depth 0..5:",
    np.bincount(depth_train.ravel(), minlength=max_depth + 1)
    / depth_train.size,
)
assert x_train.shape == (1200, seq_len, 3) and y_train.shape == (
    1200,
    seq_len,
    1,
)

# %%
# Train
# -----
# An LSTM with 8 units and ``return_sequences=True`` (one answer per step),
# then a ``Dense`` sigmoid per step. We keep a copy of the weights before
# training, to look at the same units untrained afterwards.
units = 8
inputs = keras.Input(shape=(seq_len, 3), name="brackets")
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
# create Adam's slots now: fit() then compiles its step once, not twice
model.optimizer.build(model.trainable_variables)
history = model.fit(x_train, y_train, epochs=12, batch_size=100, verbose=0)
for epoch in (0, 3, 7, 11):
    print(
        f"epoch {epoch + 1:2d}: loss {history.history['loss'][epoch]:.4f}, "
        f"accuracy {history.history['accuracy'][epoch]:.4f}"
    )
test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"held-out strings: loss {test_loss:.4f}, accuracy {test_accuracy:.4f}")
assert test_accuracy >= 0.99

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


def states_at_every_step(cell, x):
    """Step ``cell`` through x (batch, steps, features): h and c at each step."""
    h, c = cell.get_initial_state(batch_size=x.shape[0])
    hs, cs = [], []
    for t in range(x.shape[1]):
        _, (h, c) = cell(x[:, t], [h, c])
        hs.append(h.numpy())
        cs.append(c.numpy())
    return np.stack(hs, axis=1), np.stack(
        cs, axis=1
    )  # (batch, steps, units) each


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
assert abs(corr_after[counter]) >= 0.9

# %%
# More than one unit has learned something depth-like (several correlations
# are far from zero): the count is spread over the units, and one of them
# carries it almost exactly. The sign is arbitrary: a unit that goes *down*
# with every ``(`` counts just as well.
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
assert abs(corr_before[counter]) <= 0.6
assert abs(corr_after[counter]) - abs(corr_before[counter]) >= 0.3

# %%
# An untrained unit is not blind to brackets: its :math:`c_t` is a leaky
# sum of whatever its random weights make of the tokens, so it goes up and
# down with them a little. But its forget gate lets old brackets fade, so it
# cannot tell depth 1 from depth 4 after a long stretch of ``x``.
#
# The picture
# -----------
# The held-out string printed above: the depth on top, then :math:`c_t` and :math:`h_t` of
# all 8 units (one colour scale for both, centred on 0, set by the counting
# unit's range: a unit that goes beyond it is drawn in full colour), and the
# counting unit's :math:`c_t` alone, on the same time axis.
c_seq, h_seq = c_after[sample], h_after[sample]
limit = np.abs(c_seq[:, counter]).max()
steps = np.arange(seq_len)

fig, axes = plt.subplots(
    4,
    1,
    figsize=(8, 7.4),
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
            seq_len,
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
    f"unit {counter} alone (correlation with depth {corr_after[counter]:+.3f})",
    loc="left",
    fontsize="medium",
)
axes[3].set_xticks(
    steps, labels=tokens[ids_test[sample]], fontfamily="monospace"
)
axes[3].set_xlabel("token (time step)")
fig.suptitle(
    f"Trained LSTM on a bracket string: unit {counter}'s cell state counts the depth"
)
plt.show()

# %%
# The boxed row is the counting unit: its colour steps with each ``(`` and
# back with each ``)``, and holds still across the ``x`` tokens. In the
# :math:`h_t` panel the same row is fainter and flatter: :math:`h_t` is
# squeezed through ``tanh`` and the output gate, so the count is read most
# cleanly from :math:`c_t`.
#
# Before and after, every held-out step
# -------------------------------------
# Each dot is one step of one held-out string: the depth across, the unit's
# :math:`c_t` up (one y scale for both panels), before and after training.
jitter = np.random.uniform(-0.15, 0.15, depth_test.size)
fig, axes = plt.subplots(
    1, 2, figsize=(8, 3.6), sharey=True, layout="constrained"
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
    ax.set_xlabel("nesting depth")
    ax.set_xticks(range(max_depth + 1))
axes[0].set_ylabel(f"c_t of unit {counter}")
fig.suptitle(
    f"Unit {counter}'s cell state against the depth, before and after training"
)
plt.show()

# %%
# Before training the unit's values pile up near zero at every depth; after
# training each depth has its own level. Nobody told the model to count: the
# count is simply the cheapest way to answer the question it was trained on.

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_cell_plot_cell_stepping.py` - stepping ``layer.cell`` to get :math:`c_t` at every step.
# * :ref:`sphx_glr_auto_examples_trained_plot_long_memory.py` - a unit that holds one value for 50 steps.
# * :ref:`sphx_glr_auto_examples_cell_plot_gates_over_time.py` - the same heatmaps for an untrained layer.
