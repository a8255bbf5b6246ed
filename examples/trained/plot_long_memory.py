"""
Why can an LSTM remember what a SimpleRNN forgets?
==================================================

**In short:** an LSTM can carry one fact across 49 noisy steps because its
cell state is passed on through a forget gate, and a gate can start almost
open. Here an LSTM whose forget-gate bias starts at 3 (Keras' default is 1)
learns to tell the sign of step 0 from 50 steps; the same LSTM with Keras'
default bias, and a SimpleRNN with a few more weights, trained the same way,
stay near chance. Before training, the gradient that could teach a model to
use step 0 is orders of magnitude weaker than at the last step, except in
the LSTM with bias 3.

The task: read 50 numbers and say whether the **first** one was positive. The
first number is +1 or -1; the 49 after it are noise, three times as large,
with nothing to say about the answer. Inside the trained LSTM, the unit that
carries the sign most clearly picks it up at step 0 and keeps its forget
gate near 1, so its cell state :math:`c_t` carries the sign to the end.
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
timesteps = 50
features = 2
noise = 3.0


def first_sign_sequences(n):
    first = np.random.choice([-1.0, 1.0], size=n)
    x = np.zeros((n, timesteps, features), dtype="float32")
    x[:, :, 0] = np.random.normal(0, noise, size=(n, timesteps))
    x[:, 0, 0] = first
    x[:, 0, 1] = 1.0
    return x, (first > 0).astype("float32")


x_train, y_train = first_sign_sequences(1000)
x_test, y_test = first_sign_sequences(300)
print("input:", x_train.shape, " target:", y_train.shape)
print("first 6 values of two sequences:\n", x_test[:2, :6, 0])
print("their targets:", y_test[:2])
assert x_train.shape == (1000, timesteps, features)

# %%
# Three models, the same budget
# -----------------------------
# An LSTM with 8 units and a SimpleRNN with 18 units, each followed by one
# sigmoid unit. The SimpleRNN gets slightly more weights.
#
# One change to Keras' defaults, for the LSTM: its forget-gate bias will
# start at 3 instead of 1. With a bias of 1, and the rest of its input near
# 0, the forget gate is :math:`\sigma(1) \approx 0.73`, and
# :math:`0.73^{49}` is about :math:`10^{-7}` (printed below): almost nothing
# of step 0 would reach the answer through the cell state. A bias of 3 moves
# it to :math:`\sigma(3) \approx 0.95`. The third model is the control:
# the same LSTM, with the same initial weights, and Keras' forget-gate bias
# of 1.


def classifier(recurrent_layer):
    inputs = keras.Input(shape=(timesteps, features), name="sequence")
    outputs = keras.layers.Dense(
        1, activation="sigmoid", name="first_positive"
    )(recurrent_layer(inputs))
    return keras.Model(inputs, outputs)


units = 8
lstm_layer = keras.layers.LSTM(units, name="lstm")
lstm_model = classifier(lstm_layer)
default_layer = keras.layers.LSTM(units, name="lstm")
default_model = classifier(default_layer)
default_model.set_weights(lstm_model.get_weights())  # same start
rnn_model = classifier(keras.layers.SimpleRNN(18, name="simple_rnn"))
print(f"LSTM parameters:      {lstm_model.count_params()}")
print(f"SimpleRNN parameters: {rnn_model.count_params()}")
assert rnn_model.count_params() >= lstm_model.count_params()
print(
    f"sigma(1) = {1 / (1 + np.exp(-1)):.2f}, sigma(3) = "
    f"{1 / (1 + np.exp(-3)):.2f}, 0.73**49 = {0.73**49:.0e}"
)

# %%
# The bias blocks are in the order i, f, g, o
# (:ref:`sphx_glr_auto_examples_seed_plot_lstm_weights.py`), so the forget
# gate's are ``bias[units : 2 * units]``:
bias = lstm_layer.cell.bias.numpy()
print("Keras' forget-gate bias:", bias[units : 2 * units])
assert np.all(bias[units : 2 * units] == 1.0)
bias[units : 2 * units] = 3.0
lstm_layer.cell.bias.assign(bias)
print("the page's forget bias: ", bias[units : 2 * units])

# %%
# What training can hear at the start
# -----------------------------------
# Training changes the weights along the gradient of the loss. The gradient
# with respect to each *input step* says how much that step can teach the
# model: a step whose gradient is tiny is a step the model can hardly learn
# to use. For the three untrained models, on the held-out sequences:
loss_fn = keras.losses.BinaryCrossentropy()


def input_gradient_norms(model, x, y):
    """Norm of d(loss)/d(x_t) at each step t, averaged over sequences."""
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = loss_fn(y, model(x))
    grad = tape.gradient(loss, x)  # (batch, timesteps, features)
    return tf.norm(grad, axis=-1).numpy().mean(axis=0)  # (timesteps,)


models = {
    "LSTM bias 3": lstm_model,
    "LSTM bias 1": default_model,
    "SimpleRNN": rnn_model,
}
grads = {
    name: input_gradient_norms(model, x_test, y_test)
    for name, model in models.items()
}
ratio = {name: grad[0] / grad[-1] for name, grad in grads.items()}
print("gradient at step 0 / at step 49:")
for name, grad in grads.items():
    print(f"  {name:11s} {grad[0]:.1e} / {grad[-1]:.1e} = {ratio[name]:.1e}")
assert ratio["SimpleRNN"] < 1e-3
assert ratio["LSTM bias 1"] < 1e-3
assert ratio["LSTM bias 3"] > 0.1

# %%
# The same gradients at every step, on a log scale:
steps = np.arange(timesteps)
fig, ax = plt.subplots(figsize=(5, 3.8), layout="constrained")
for (name, grad), marker in zip(grads.items(), ("^", "o", "s")):
    ax.semilogy(steps, grad, marker=marker, markersize=3, label=name)
ax.set_xlabel("input time step t")
ax.set_ylabel("|d loss / d x_t| (mean)")
ax.legend(loc="lower right")
fig.suptitle("Untrained models:\nhow much each input step can move the loss")
plt.show()

# %%
# For the SimpleRNN the gradient at step 0, the only step that matters, is
# less than :math:`10^{-9}` of the gradient at the last step (the ratio
# printed above): each step back multiplies it by the recurrent weights and a
# ``tanh`` slope, and 49 such factors shrink it to almost nothing. Along an
# LSTM's cell state each step back multiplies it by :math:`f_t` instead:
# with Keras' bias of 1 (:math:`f_t` near 0.73) it also fades to about
# :math:`10^{-6}`, with a bias of 3 (:math:`f_t` near 0.95) a good part
# of it arrives. The SimpleRNN has no gate that could start open.
assert ratio["SimpleRNN"] < 1e-9
assert 1e-7 < ratio["LSTM bias 1"] < 1e-5

# %%
# Train all three
# ---------------
# The same data, optimiser, epochs and batch size for the three models.
# If a training's loss jumps back up, try a smaller learning rate and
# ``clipnorm``, which clips each weight's gradient to that norm (here
# 0.05) before Adam uses it (Keras source:
# ``keras/src/optimizers/base_optimizer.py``); this page uses both.
history = {}
for name, model in models.items():
    model.compile(
        optimizer=keras.optimizers.Adam(0.01, clipnorm=0.05),
        loss="binary_crossentropy",
    )
    # sphinx_gallery_start_ignore
    # Build speed: Adam's slots made now, so fit() traces its step once.
    model.optimizer.build(model.trainable_variables)
    # sphinx_gallery_end_ignore
    fit = model.fit(x_train, y_train, batch_size=100, epochs=10, verbose=0)
    history[name] = fit.history["loss"]
    print(f"{name} loss per epoch:\n", np.round(history[name], 3))

accuracy = {
    name: np.mean((model.predict_on_batch(x_test)[:, 0] > 0.5) == y_test)
    for name, model in models.items()
}
majority = max(y_test.mean(), 1 - y_test.mean())
print(f"always the same answer: {majority:.3f} (chance)")
for name, value in accuracy.items():
    print(f"{name:11s} held-out accuracy: {value:.3f}")
assert history["LSTM bias 3"][-1] < 0.1
assert accuracy["LSTM bias 3"] >= 0.9
assert abs(accuracy["LSTM bias 1"] - 0.5) <= 0.1
assert abs(accuracy["SimpleRNN"] - 0.5) <= 0.1

# %%
# The LSTM with a forget bias of 3 answers (nearly) every held-out sequence
# correctly. The same LSTM with Keras' default bias, and the SimpleRNN, stay
# within 0.1 of a coin: in these 10 epochs, training does not find step 0
# through a gradient that barely reaches it.
#
# The memory unit
# ---------------
# To see what the LSTM does, compute its gates at every step of the held-out
# sequences, in NumPy from the trained weights (the equations and the loop
# are those of :ref:`sphx_glr_auto_examples_cell_plot_numpy_lstm.py`).
kernel, recurrent_kernel, bias = lstm_layer.get_weights()


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def lstm_steps(x, weights):
    """i, f, g, o, c, h at every step: each (batch, timesteps, units)."""
    kernel, recurrent_kernel, bias = weights
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


states = lstm_steps(x_test, lstm_layer.get_weights())
np.testing.assert_allclose(
    states["h"][:, -1], lstm_layer(x_test).numpy(), rtol=1e-4, atol=1e-5
)

# %%
# The memory unit is the one whose final cell state best tells the two
# answers apart (correlation of :math:`c_{49}` with the first value). Several
# units carry the sign (the correlations near +1 or -1); we follow the
# clearest, and the figures below show that unit only.
first = np.where(y_test > 0, 1.0, -1.0)
corr = np.array(
    [np.corrcoef(states["c"][:, -1, j], first)[0, 1] for j in range(units)]
)
memory = int(np.argmax(np.abs(corr)))
print("corr(c_49, first value) per unit:\n", corr)
print(f"memory unit: {memory}")
print(f"units with |corr| >= 0.9: {(np.abs(corr) >= 0.9).sum()} of {units}")
assert (np.abs(corr) >= 0.9).sum() >= 2

# %%
# It keeps its forget gate near 1 at every step from 1 to the end (the mean
# over the sequences is above 0.9 at each step), so
# :math:`c_t = f_t c_{t-1} + i_t g_t` keeps most of what it holds from one
# step to the next, and the sign of its :math:`c_t` matches the first value
# at most steps of the sequences (the share is printed):
f_mem = states["f"][:, 1:, memory]
orientation = np.sign(corr[memory])  # the unit may store +1 as a negative c
agree = (
    np.sign(states["c"][:, :, memory]) == orientation * first[:, np.newaxis]
)
f_per_step = f_mem.mean(axis=0)  # mean over the sequences, steps 1-49
print(f"mean f_t of unit {memory}, steps 1-49: {f_mem.mean():.3f}")
print(
    f"  lowest per-step mean {f_per_step.min():.3f}, lowest {f_mem.min():.3f}"
)
print(f"sign of c_t matches the first value: {agree.mean():.1%}")
print(f"|corr(c_49, first value)|: {abs(corr[memory]):.3f}")
assert f_per_step.min() >= 0.9
assert agree.mean() >= 0.9
assert abs(corr[memory]) >= 0.9

# %%
# 20 held-out sequences: the memory unit's cell state (top, red when the first
# value was +1, blue when it was -1) and its forget gate (bottom: the mean
# over all 300 sequences, and the lowest value at each step).
shown = 20
fig, axes = plt.subplots(
    2,
    1,
    figsize=(5, 5.6),
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
axes[1].legend(loc="center right")
fig.suptitle(
    f"Trained LSTM, unit {memory}:\nthe sign of step 0, kept for 49 steps"
)
plt.show()

# %%
# The unit does not write once and then shut its input gate: its cell state
# grows away from zero, in the direction step 0 chose (its mean size grows
# at every step). Its candidate :math:`g_t` is computed from :math:`x_t` and
# :math:`h_{t-1}`, and the unit's own part of
# :math:`h_{t-1} = o_{t-1} \tanh(c_{t-1})` has the sign of :math:`c_{t-1}`.
# :math:`g_t` has that sign at most steps, so each step adds a little more
# of the same sign, and the noise, three times larger than the first value,
# turns it around only at a few steps. The forget gate alone would not keep
# the sign: with no new input, the product :math:`f_2 f_3 \cdots f_{49}` is
# the share of what the cell held at step 1 that is left at step 49, and it
# is a small fraction (printed below). The forget gate near 1 *and* the
# input that keeps adding the same sign carry the sign to the end.
c_mem = states["c"][:, :, memory]
kept = np.prod(states["f"][:, 2:, memory], axis=1)  # f_2 * ... * f_49
print(f"f_2 * f_3 * ... * f_49, mean: {kept.mean():.2f}")
assert 0.05 < kept.mean() < 0.5
g_mem = states["g"][:, 1:, memory]
same_sign = np.sign(g_mem) == np.sign(c_mem[:, :-1])
print(
    f"mean |c_t| of unit {memory}: step 1 {np.abs(c_mem[:, 1]).mean():.2f}, "
    f"step 49 {np.abs(c_mem[:, -1]).mean():.2f}"
)
i_mem = states["i"][:, 1:, memory]
print(f"g_t has the sign of c_(t-1): {same_sign.mean():.1%} of steps 1-49")
print(f"mean i_t, steps 1-49: {i_mem.mean():.2f} (0 = input shut)")
assert i_mem.mean() > 0.2
mean_abs_c = np.abs(c_mem).mean(axis=0)  # per step
grows = np.diff(mean_abs_c[1:]) > 0
print(f"mean |c_t| grows at {grows.sum()} of {grows.size} steps 2-49")
assert np.abs(c_mem[:, -1]).mean() > 5 * np.abs(c_mem[:, 1]).mean()
assert grows.all()
assert same_sign.mean() >= 0.9

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_cell_plot_numpy_lstm.py` - the LSTM
#   equations and the NumPy loop used here.
# * :ref:`sphx_glr_auto_examples_beyond_plot_gru_simplernn.py` - GRU and
#   SimpleRNN next to the LSTM.
# * :ref:`sphx_glr_auto_examples_trained_plot_trained_gates.py` - gates that
#   open and close on events.
