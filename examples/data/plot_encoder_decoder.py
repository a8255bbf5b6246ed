"""
A sequence out of another length: encoder-decoder
=================================================

**In short:** the encoder's ``[h, c]`` are the decoder's ``initial_state``;
train with the target shifted by one step (after a start value) as the
decoder's input; forecast with a one-step decoder model that takes and
returns ``[h, c]``, feeding each output back as the next input. On this page
that forecast's error is under half that of repeating the last input.

Read 24 steps, predict the next 8: the output sequence has a different length
from the input, so ``return_sequences=True`` (one output per input step) does
not fit. One answer is a single LSTM with a ``Dense(8)`` head
(:ref:`sphx_glr_auto_examples_data_plot_forecasting.py`); this page shows the
other, two LSTMs. The **encoder** reads the input and
hands its final states ``[h, c]`` to the **decoder**, which starts from them
(``initial_state``) and produces the 8 outputs one step at a time, each step
reading the previous value.

This page trains such a model with *teacher forcing* (the decoder reads the
true previous values), then rebuilds the decoder as a one-step model that
carries its states by hand, checks that it gives the trained model's output
(to within float rounding), and lets it forecast freely from its own
predictions.
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
from matplotlib.patches import FancyBboxPatch
from numpy.lib.stride_tricks import sliding_window_view

keras.utils.set_random_seed(313)
tf.config.experimental.enable_op_determinism()
np.set_printoptions(precision=4, suppress=True)

# %%
# The pattern
# -----------
# The encoder (blue row) reads the input steps; only its final ``[h, c]`` go
# on. The decoder (green row) starts from them. At each step it reads the
# previous value (at the first step, a start value: here the last input
# value) and outputs the next one.
#
# .. raw:: html
#
#    <details><summary>The code that draws the diagram (boxes and
#    arrows)</summary>


def draw_encoder_decoder():
    """The pattern as boxes and arrows: the encoder, then the decoder."""
    fig, ax = plt.subplots(figsize=(5.5, 3), layout="constrained")

    def box(x, y, text, edge, face):
        shape = FancyBboxPatch(
            (x - 0.34, y - 0.26),
            0.68,
            0.52,
            boxstyle="round,pad=0.02",
            ec=edge,
            fc=face,
            lw=1.5,
        )
        ax.add_patch(shape)
        ax.text(x, y, text, ha="center", va="center", fontsize=10)

    def arrow(start, end, **style):
        ax.annotate(
            "", end, start, arrowprops={"arrowstyle": "->", "lw": 1.4, **style}
        )

    enc_cols, dec_cols = [0, 1, 2, 3], [4.6, 5.6, 6.6]
    for k, col in enumerate(enc_cols):
        box(col, 1, "enc", "tab:blue", "#dbe9f6")
        box(col, 0, ["x0", "x1", "...", "x23"][k], "tab:blue", "white")
        arrow((col, 0.27), (col, 0.73))
        if k:
            arrow((col - 0.64, 1), (col - 0.36, 1))
    arrow((3.36, 1), (4.24, 1))
    ax.text(3.8, 1.12, "[h, c]", ha="center", va="bottom", fontsize=10)
    for k, col in enumerate(dec_cols):
        box(col, 1, "dec", "tab:green", "#dff2df")
        box(col, 0, ["start", "y0", "y1"][k], "tab:green", "white")
        box(col, 2, f"y{k}", "tab:green", "white")
        arrow((col, 0.27), (col, 0.73))
        arrow((col, 1.27), (col, 1.73))
        if k:
            arrow((col - 0.64, 1), (col - 0.36, 1))
            # the previous output is the next step's input
            feedback = {
                "color": "tab:green",
                "ls": "--",
                "connectionstyle": "arc3,rad=-0.25",
            }
            arrow((col - 0.66, 1.8), (col - 0.38, 0.05), **feedback)
    ax.text(
        1.5,
        -0.6,
        "encoder: 24 input steps",
        ha="center",
        fontsize=10,
        color="tab:blue",
    )
    ax.text(
        5.6,
        -0.6,
        "decoder: 8 output steps",
        ha="center",
        fontsize=10,
        color="tab:green",
    )
    ax.set_xlim(-0.5, 7.1)
    ax.set_ylim(-0.85, 2.4)
    ax.axis("off")
    ax.set_title("Encoder-decoder: the encoder's [h, c] start the decoder")
    plt.show()


# %%
# .. raw:: html
#
#    </details>

draw_encoder_decoder()

# %%
# The series and its windows
# --------------------------
# 800 steps of two cycles (40 and 13 steps long), a slow trend and noise,
# split in time before windowing (see
# :ref:`sphx_glr_auto_examples_data_plot_windows.py`): training on the first
# 607 steps, testing on the rest. Each window of 32 steps gives the encoder
# input (24 steps) and the target (the 8 steps after): 576 training windows,
# 9 full batches of 64.
n_steps, split = 800, 607
enc_steps, dec_steps, units = 24, 8, 16
t = np.arange(n_steps)
rng = np.random.default_rng(2)
series = (
    np.sin(2 * np.pi * t / 40)
    + 0.5 * np.sin(2 * np.pi * t / 13)
    + 0.0005 * t
    + 0.05 * rng.normal(size=n_steps)
).astype("float32")


def make_samples(values):
    windows = sliding_window_view(values, enc_steps + dec_steps)[..., None]
    enc_in = windows[:, :enc_steps]  # (samples, 24, 1)
    target = windows[:, enc_steps:]  # (samples, 8, 1)
    # the decoder reads the target shifted right by one step, after a start
    dec_in = np.concatenate(
        [enc_in[:, -1:], target[:, :-1]], axis=1
    )  # (samples, 8, 1)
    return enc_in, dec_in, target


enc_train, dec_train, y_train = make_samples(series[:split])
enc_test, dec_test, y_test = make_samples(series[split:])
print("encoder input:", enc_train.shape, " decoder input:", dec_train.shape)
print("y:", y_train.shape)
print("test samples:", len(enc_test))
print(f"variance of the series: {series.var():.3f}")
assert len(enc_train) == 576 == 9 * 64  # 9 full batches of 64
assert 0.55 < series.var() < 0.65  # "about 0.6"
assert enc_train.shape[1:] == (enc_steps, 1) and y_train.shape[1:] == (
    dec_steps,
    1,
)
np.testing.assert_array_equal(
    dec_train[:, 1:], y_train[:, :-1]
)  # shifted by one
np.testing.assert_array_equal(dec_train[:, 0], enc_train[:, -1])  # start value

# %%
# Training with teacher forcing
# -----------------------------
# The encoder returns its states (``return_state=True``); the decoder starts
# from them (``initial_state=[h, c]``, see
# :ref:`sphx_glr_auto_examples_beyond_plot_initial_state.py`) and returns a
# sequence, mapped to one value per step by ``Dense(1)``. The decoder also
# returns its states: training does not use them, the step-by-step loop
# below does.
enc_inputs = keras.Input(shape=(enc_steps, 1), name="encoder_input")
dec_inputs = keras.Input(shape=(None, 1), name="decoder_input")
encoder = keras.layers.LSTM(units, return_state=True, name="encoder")
decoder = keras.layers.LSTM(
    units, return_sequences=True, return_state=True, name="decoder"
)
readout = keras.layers.Dense(1, name="readout")

_, enc_h, enc_c = encoder(enc_inputs)
dec_seq, _, _ = decoder(dec_inputs, initial_state=[enc_h, enc_c])
model = keras.Model(
    [enc_inputs, dec_inputs], readout(dec_seq), name="teacher_forced"
)
model.summary(line_length=80, print_fn=print)
print("[h, c] from the encoder:", tuple(enc_h.shape), tuple(enc_c.shape))
print("model output:", model.output_shape, "= (batch, decoder steps, 1)")
assert tuple(enc_h.shape) == tuple(enc_c.shape) == (None, units)
assert model.output_shape == (None, None, 1)

# %%
# ``fit()`` takes the two inputs as a list and the target
# ``(samples, 8, 1)``. The final loss must be below 0.02, under 4 % of the
# series' variance (about 0.6, printed above).
model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")
# sphinx_gallery_start_ignore
# build speed only: create Adam's slots now, so that fit() compiles its step
# once, not twice
model.optimizer.build(model.trainable_variables)
# sphinx_gallery_end_ignore
losses = model.fit(
    [enc_train, dec_train], y_train, epochs=12, batch_size=64, verbose=0
).history["loss"]
for epoch in (0, 3, 7, 11):
    print(f"epoch {epoch + 1:2d}: loss {losses[epoch]:.4f}")
assert losses[-1] < 0.02 < 0.04 * series.var()
teacher = model([enc_test, dec_test]).numpy()
teacher_mse = np.mean((teacher - y_test) ** 2)
print(f"test MSE, decoder fed the true previous values: {teacher_mse:.4f}")

# %%
# One decoder step at a time
# --------------------------
# To forecast, the true previous values are unknown: the decoder must read
# its own last output. So it has to run one step at a time, carrying its
# states by hand. Two models share the trained layers:
#
# * the encoder model: input sequence -> ``[h, c]``;
# * the decoder step: ``[x_t, h, c]`` -> ``[y_t, h, c]``, with ``x_t`` one
#   step ``(batch, 1, 1)``.
encoder_model = keras.Model(enc_inputs, [enc_h, enc_c], name="encoder_model")

step_input = keras.Input(shape=(1, 1), name="x_t")
h_input = keras.Input(shape=(units,), name="h")
c_input = keras.Input(shape=(units,), name="c")
step_seq, step_h, step_c = decoder(
    step_input, initial_state=[h_input, c_input]
)
decoder_step = keras.Model(
    [step_input, h_input, c_input],
    [readout(step_seq), step_h, step_c],
    name="decoder_step",
)
decoder_step.summary(line_length=80, print_fn=print)
print("decoder step outputs:", [tuple(o.shape) for o in decoder_step.outputs])
expected = [(None, 1, 1), (None, units), (None, units)]
assert [tuple(o.shape) for o in decoder_step.outputs] == expected


def decode(enc_in, first, next_input):
    """Run the decoder step by step; next_input(k, y_k): step k+1's input."""
    h, c = (state.numpy() for state in encoder_model(enc_in))
    x_t, outputs = first, []
    for k in range(dec_steps):
        y_t, h, c = (array.numpy() for array in decoder_step([x_t, h, c]))
        outputs.append(y_t)
        x_t = next_input(k, y_t)
    return np.concatenate(outputs, axis=1)


# %%
# Fed the true previous values, the loop is the trained model
# ------------------------------------------------------------
# Feeding the loop the same decoder inputs as in training (the true previous
# values) must give the teacher-forced output, to within float rounding
# (the largest difference is printed): the same layers, the same states,
# one step per call instead of 8 in one call.
start = dec_test[:, :1]  # the start value, (samples, 1, 1)
true_inputs = lambda k, y_k: (
    dec_test[:, k + 1 : k + 2] if k + 1 < dec_steps else None
)
stepped = decode(enc_test, start, true_inputs)
print("step by step:", stepped.shape, " teacher-forced:", teacher.shape)
np.testing.assert_allclose(stepped, teacher, rtol=1e-5, atol=1e-6)
print(f"largest difference: {np.abs(stepped - teacher).max():.1e}")

# %%
# Forecasting: the decoder reads its own predictions
# --------------------------------------------------
# Now each step's input is the previous step's **output**, errors included,
# so the free-running forecast is worse than the teacher-forced one (which
# is given the truth at every step), but it is the real forecast: it uses
# nothing after step 24. It is compared with "the value stays where it is"
# (repeat the last input), and must be at least twice as good.
free = decode(enc_test, start, lambda k, y_k: y_k)
free_mse = np.mean((free - y_test) ** 2)
repeat_mse = np.mean((enc_test[:, -1:] - y_test) ** 2)
print(f"test MSE, teacher-forced:        {teacher_mse:.4f}")
print(f"test MSE, free-running forecast: {free_mse:.4f}")
print(f"test MSE, repeat the last input: {repeat_mse:.4f}")
assert teacher_mse < free_mse < 0.5 * repeat_mse

# %%
# By forecast step: the error is lowest at step 1, where the decoder reads
# the start value, a true value, and every later step (which reads the
# decoder's own predictions) is at least twice as bad. It is not a steady
# climb: on this series the error rises at every step up to a peak, then
# falls at every step after it, staying above half the peak.
by_step = np.mean((free - y_test) ** 2, axis=(0, 2))
print("free-running MSE by step:\n", by_step)
print("largest at step", by_step.argmax() + 1)
assert np.all(by_step[1:] > 2 * by_step[0])
peak = by_step.argmax()
assert peak < dec_steps - 1  # the peak is before the last step
assert np.all(np.diff(by_step[: peak + 1]) > 0)  # rises up to it
assert np.all(np.diff(by_step[peak:]) < 0)  # falls after it
assert by_step[-1] > 0.5 * by_step[peak]

# %%
# Three test windows: the 24 input steps, the true next 8, and the forecast
# fed with its own predictions.
fig, axes = plt.subplots(
    3, 1, figsize=(5.5, 7.5), sharex=True, layout="constrained"
)
past, future = (
    np.arange(enc_steps),
    np.arange(enc_steps, enc_steps + dec_steps),
)
for ax, sample in zip(axes, (10, 70, 140)):
    ax.plot(
        past,
        enc_test[sample, :, 0],
        color="0.5",
        marker=".",
        label="input (24 steps)",
    )
    ax.plot(
        future, y_test[sample, :, 0], color="black", marker="o", label="truth"
    )
    ax.plot(
        future,
        free[sample, :, 0],
        color="tab:orange",
        marker="s",
        ls="--",
        label="forecast (own predictions)",
    )
    ax.axvline(enc_steps - 0.5, color="0.7", ls=":")
    error = np.mean((free[sample] - y_test[sample]) ** 2)
    ax.set_title(
        f"test window {sample}: forecast MSE {error:.4f}", fontsize=10
    )
    ax.set_ylabel("value")
# one legend under the panels, so that it hides no data
fig.legend(
    *axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2
)
axes[-1].set_xlabel("time step in the window")
fig.suptitle("Free-running encoder-decoder forecast of the next 8 steps")
plt.show()
# sphinx_gallery_thumbnail_number = 2

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_beyond_plot_initial_state.py` - what
#   ``initial_state`` does, untrained.
# * :ref:`sphx_glr_auto_examples_data_plot_targets.py` - the targets of the
#   other output patterns.
# * :ref:`sphx_glr_auto_examples_seed_plot_return_state.py` - the states
#   ``return_state=True`` returns.
