"""
Why can an LSTM remember what a SimpleRNN forgets?
==================================================

The task: read 50 numbers and say whether the **first** one was positive. The
first number is +1 or -1; the 49 after it are noise, three times as large,
with nothing to say about the answer. An LSTM learns it; a SimpleRNN with a
few more weights, trained the same way, stays at chance. Inside the trained
LSTM a memory unit picks up the sign at step 0 and keeps its forget gate near
1, so its cell state :math:`c_t` carries the sign to the end. The SimpleRNN has no such gate, and the gradient that should
teach it to look at step 0 fades away on its way back through 50 steps.
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

keras.utils.set_random_seed(1)
tf.config.experimental.enable_op_determinism()
np.set_printoptions(precision=3, suppress=True)

# sphinx_gallery_thumbnail_number = 2

# %%
# The sequences
# -------------
# Two features per step: the value, and a flag that is 1 at step 0 only (it
# marks where the sequence starts). The target is 1 if the first value is
# +1, 0 if it is -1.
seq_len = 50  # timesteps
noise = 3.0


def first_sign_sequences(n):
    first = np.random.choice([-1.0, 1.0], size=n)
    x = np.zeros((n, seq_len, 2), dtype="float32")
    x[:, :, 0] = np.random.normal(0, noise, size=(n, seq_len))
    x[:, 0, 0] = first
    x[:, 0, 1] = 1.0
    return x, (first > 0).astype("float32")


x_train, y_train = first_sign_sequences(1000)
x_test, y_test = first_sign_sequences(300)
print("input:", x_train.shape, " target:", y_train.shape)
print("first 6 values of two sequences:\n", x_test[:2, :6, 0])
print("their targets:", y_test[:2])
assert x_train.shape == (1000, seq_len, 2)

# %%
# Two models, the same budget
# ---------------------------
# An LSTM with 8 units and a SimpleRNN with 18 units, each followed by one
# sigmoid unit. The SimpleRNN gets slightly more weights.
#
# One change to Keras's defaults, for the LSTM: its forget-gate bias will
# start at 3 instead of 1. With a bias of 1 the forget gate starts near
# :math:`\sigma(1) \approx 0.73`, and :math:`0.73^{49}` is about
# :math:`10^{-7}`: almost nothing of step 0 reaches the answer. A bias of 3
# starts it near 0.95. The next section shows what this changes.


def classifier(recurrent_layer):
    inputs = keras.Input(shape=(seq_len, 2), name="sequence")
    outputs = keras.layers.Dense(
        1, activation="sigmoid", name="first_positive"
    )(recurrent_layer(inputs))
    return keras.Model(inputs, outputs)


units = 8
lstm_layer = keras.layers.LSTM(units, name="lstm")
lstm_model = classifier(lstm_layer)
rnn_model = classifier(keras.layers.SimpleRNN(18, name="simple_rnn"))
print(f"LSTM parameters:      {lstm_model.count_params()}")
print(f"SimpleRNN parameters: {rnn_model.count_params()}")
assert rnn_model.count_params() >= lstm_model.count_params()

# %%
# What training can hear at the start
# -----------------------------------
# Training changes the weights along the gradient of the loss. The gradient
# with respect to each *input step* says how much that step can teach the
# model: a step whose gradient is tiny is a step the model cannot learn to
# use. For the three untrained models (the LSTM with Keras's forget bias of
# 1, the same LSTM with 3, the SimpleRNN), on the held-out sequences. The
# bias blocks are in the order i, f, c, o
# (:ref:`sphx_glr_auto_examples_seed_plot_lstm_weights.py`).
loss_fn = keras.losses.BinaryCrossentropy()


def input_gradient_norms(model, x, y):
    """Norm of d(loss)/d(x_t) at each step t, averaged over the sequences."""
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = loss_fn(y, model(x))
    return (
        tf.norm(tape.gradient(loss, x), axis=-1).numpy().mean(axis=0)
    )  # (steps,)


bias = lstm_layer.cell.bias.numpy()
print("Keras's forget-gate bias:", bias[units : 2 * units])
grads = {
    "LSTM, forget bias 1": input_gradient_norms(lstm_model, x_test, y_test)
}
bias[units : 2 * units] = 3.0
lstm_layer.cell.bias.assign(bias)
grads["LSTM, forget bias 3"] = input_gradient_norms(lstm_model, x_test, y_test)
grads["SimpleRNN"] = input_gradient_norms(rnn_model, x_test, y_test)
ratio = {name: grad[0] / grad[-1] for name, grad in grads.items()}
for name, grad in grads.items():
    print(
        f"{name:19s} step 0: {grad[0]:.1e}  step 49: {grad[-1]:.1e}  "
        f"ratio {ratio[name]:.1e}"
    )
assert ratio["SimpleRNN"] < 1e-3
assert ratio["LSTM, forget bias 1"] < 1e-3
assert ratio["LSTM, forget bias 3"] > 0.1

steps = np.arange(seq_len)
fig, ax = plt.subplots(figsize=(8, 3.8), layout="constrained")
for (name, grad), marker in zip(grads.items(), ("o", "^", "s")):
    ax.semilogy(steps, grad, marker=marker, markersize=3, label=name)
ax.set_xlabel("input time step t")
ax.set_ylabel("|d loss / d x_t| (mean)")
ax.legend(loc="lower right", fontsize="small")
fig.suptitle(
    "Untrained models: how much each input step can move the loss (log scale)"
)
plt.show()

# %%
# For the SimpleRNN the gradient at step 0, the only step that matters, is
# orders of magnitude smaller than at the last step: each step back
# multiplies it by the recurrent weights and a ``tanh`` slope, and 49 such
# factors shrink it to almost nothing. Along an LSTM's cell state each step
# back multiplies it by :math:`f_t` instead: with :math:`f_t \approx 0.73`
# it fades just as fast, with :math:`f_t \approx 0.95` a good part of it
# arrives. The SimpleRNN has no gate to start open; that is the whole
# difference, and training confirms it.
#
# Train both
# ----------
# The same data, optimiser, epochs and batch size for both models.
# (``train_on_batch`` on shuffled mini-batches of 100 is what ``fit()``
# does; it only starts faster.)
batches = [
    np.split(np.random.permutation(len(x_train)), len(x_train) // 100)
    for epoch in range(7)
]
for name, model in (("LSTM", lstm_model), ("SimpleRNN", rnn_model)):
    model.compile(
        optimizer=keras.optimizers.Adam(0.02), loss="binary_crossentropy"
    )
    # create Adam's slots now: train_on_batch() then compiles its step once, not twice
    model.optimizer.build(model.trainable_variables)
    losses = [
        np.mean([model.train_on_batch(x_train[b], y_train[b]) for b in epoch])
        for epoch in batches
    ]
    print(f"{name} loss per epoch:\n", np.round(losses, 3))

accuracy = {
    name: np.mean((model.predict_on_batch(x_test)[:, 0] > 0.5) == y_test)
    for name, model in (("LSTM", lstm_model), ("SimpleRNN", rnn_model))
}
for name, value in accuracy.items():
    print(f"{name:9s} held-out accuracy: {value:.3f}")
assert accuracy["LSTM"] >= 0.95
assert accuracy["SimpleRNN"] <= 0.7

# %%
# The LSTM answers almost every held-out sequence correctly; the SimpleRNN
# does little better than a coin. (A SimpleRNN *could* hold one bit, with a
# unit whose strong self-loop locks it at +1 or -1, but gradient descent has
# to find that unit first, and its gradient barely reaches step 0.)
#
# The memory unit
# ---------------
# To see what the LSTM does, compute its gates at every step of the held-out
# sequences, in NumPy from the trained weights (the equations and the loop
# are those of :ref:`sphx_glr_auto_examples_cell_plot_numpy_lstm.py`).
kernel, recurrent_kernel, bias = lstm_layer.get_weights()


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def lstm_steps(x):
    """i, f, g, o, c, h at every step: each (batch, steps, units)."""
    h = np.zeros((len(x), units), dtype="float32")
    c = np.zeros((len(x), units), dtype="float32")
    out = {name: [] for name in ("i", "f", "g", "o", "c", "h")}
    for t in range(x.shape[1]):
        z_i, z_f, z_g, z_o = np.split(
            x[:, t] @ kernel + h @ recurrent_kernel + bias, 4, axis=-1
        )
        i, f, g, o = sigmoid(z_i), sigmoid(z_f), np.tanh(z_g), sigmoid(z_o)
        c = f * c + i * g
        h = o * np.tanh(c)
        for name, value in zip(out, (i, f, g, o, c, h)):
            out[name].append(value)
    return {name: np.stack(values, axis=1) for name, values in out.items()}


states = lstm_steps(x_test)
np.testing.assert_allclose(
    states["h"][:, -1], lstm_layer(x_test).numpy(), rtol=1e-4, atol=1e-5
)

# %%
# The memory unit is the one whose final cell state best tells the two
# answers apart (correlation of :math:`c_{49}` with the first value). Several
# units carry the sign (the correlations near +1 or -1); we follow the
# clearest.
first = np.where(y_test > 0, 1.0, -1.0)
corr = np.array(
    [np.corrcoef(states["c"][:, -1, j], first)[0, 1] for j in range(units)]
)
memory = int(np.argmax(np.abs(corr)))
print("corr(c_49, first value) per unit:\n", corr)
print(f"memory unit: {memory}")
assert (np.abs(corr) >= 0.9).sum() >= 2

# %%
# It keeps its forget gate open, near 1, from step 1 to the end, so
# :math:`c_t = f_t c_{t-1} + i_t g_t` loses almost nothing of what it holds,
# and the sign of its :math:`c_t` matches the first value at (almost) every
# step of every sequence:
f_mem = states["f"][:, 1:, memory]
orientation = np.sign(corr[memory])  # the unit may store +1 as a negative c
agree = (
    np.sign(states["c"][:, :, memory]) == orientation * first[:, np.newaxis]
)
print(
    f"mean f_t of unit {memory}, steps 1-49:  {f_mem.mean():.3f} (lowest {f_mem.min():.3f})"
)
print(f"sign of c_t matches the first value: {agree.mean():.1%} of all steps")
print(f"|corr(c_49, first value)|: {abs(corr[memory]):.3f}")
assert f_mem.mean() >= 0.9
assert agree.mean() >= 0.95
assert abs(corr[memory]) >= 0.9

# %%
# 20 held-out sequences: the memory unit's cell state (top, red when the first
# value was +1, blue when it was -1) and its forget gate (bottom: the mean
# over all 300 sequences, and the lowest value at each step).
shown = 20
fig, axes = plt.subplots(
    2,
    1,
    figsize=(8, 5.6),
    sharex=True,
    layout="constrained",
    gridspec_kw={"height_ratios": [1.6, 1]},
)
for s in range(shown):
    axes[0].plot(
        steps,
        states["c"][s, :, memory],
        linewidth=1,
        color="tab:red" if first[s] > 0 else "tab:blue",
    )
c_limit = np.abs(states["c"][:shown, :, memory]).max() * 1.05
axes[0].set_ylim(-c_limit, c_limit)
axes[0].axhline(0, color="black", linewidth=0.8)
axes[0].set_ylabel(f"c_t, unit {memory}")
axes[0].set_title(
    "cell state (red: first value +1, blue: -1)", loc="left", fontsize="medium"
)
axes[1].plot(steps, states["f"][:, :, memory].mean(axis=0), label="mean")
axes[1].plot(
    steps,
    states["f"][:, :, memory].min(axis=0),
    linestyle="--",
    label="lowest",
)
axes[1].set_ylim(0, 1.02)
axes[1].set_ylabel(f"f_t, unit {memory}")
axes[1].set_title(
    "forget gate (1 = keep everything)", loc="left", fontsize="medium"
)
axes[1].set_xlabel("time step")
axes[1].legend(loc="center right", fontsize="small")
fig.suptitle(
    f"Trained LSTM, memory unit {memory}: the sign of step 0, kept for 49 steps"
)
plt.show()

# %%
# The unit does not write once and then shut its input gate: its cell state
# keeps growing, away from zero, in the direction step 0 chose. Its candidate
# :math:`g_t` is computed from :math:`h_{t-1}`, which has the sign of
# :math:`c_{t-1}`, so each step adds a little more of the same sign, and the
# noise, three times larger than the first value, cannot turn it around. The
# forget gate near 1 is what makes this possible: nothing already stored
# leaks away.
c_mem = states["c"][:, :, memory]
g_mem = states["g"][:, 1:, memory]
same_sign = np.sign(g_mem) == np.sign(c_mem[:, :-1])
print(
    f"mean |c_t| of unit {memory}: step 1 {np.abs(c_mem[:, 1]).mean():.2f}, "
    f"step 49 {np.abs(c_mem[:, -1]).mean():.2f}"
)
print(f"g_t has the sign of c_(t-1): {same_sign.mean():.1%} of steps 1-49")
assert np.abs(c_mem[:, -1]).mean() > 5 * np.abs(c_mem[:, 1]).mean()
assert same_sign.mean() >= 0.9

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_cell_plot_numpy_lstm.py` - the LSTM equations and the NumPy loop used here.
# * :ref:`sphx_glr_auto_examples_beyond_plot_gru_simplernn.py` - GRU and SimpleRNN next to the LSTM.
# * :ref:`sphx_glr_auto_examples_trained_plot_trained_gates.py` - gates that open and close on events.
