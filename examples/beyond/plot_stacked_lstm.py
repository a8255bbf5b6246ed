"""
Stacking LSTMs: the lower layer must return sequences
=====================================================

**In short:** give every LSTM that feeds another LSTM
``return_sequences=True``, so that it hands over ``(batch, timesteps,
units)``, one hidden state per step; only the top LSTM decides whether the
model ends with a sequence or with one ``(batch, units)`` vector. Without
it, building the model fails with ``expected ndim=3, found ndim=2``.

An LSTM reads a 3-D array ``(batch, timesteps, features)``. By default it
returns only its last hidden state, a 2-D array ``(batch, units)``. To put a
second LSTM on top of a first one, the first must hand over a whole sequence:
``return_sequences=True`` gives ``(batch, timesteps, units)``, one hidden
state per step, and that is a valid LSTM input.

This page shows the error you get without it, the working stack with every
shape, and a picture of the sequence that flows from the lower layer into the
upper one.
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

keras.utils.set_random_seed(313)
np.set_printoptions(precision=4, suppress=True)

# %%
# The data: 2 sequences of 9 steps with 3 features
# -------------------------------------------------
batch = 2
timesteps = 9
features = 3
lower_units = 6
upper_units = 4

data = np.random.normal(0, 1, size=(batch, timesteps, features)).astype(
    "float32"
)
print("input shape is", data.shape)
assert data.shape == (batch, timesteps, features)

# %%
# Without ``return_sequences=True``: the upper LSTM gets a 2-D array
# ------------------------------------------------------------------
# The lower LSTM returns ``(batch, units)``: the time axis is gone. The upper
# LSTM checks the number of axes of what it receives and refuses it while the
# model is being built, before any data flows.
try:
    keras.Sequential(
        [
            keras.Input(shape=(timesteps, features)),
            keras.layers.LSTM(lower_units, name="lower"),
            keras.layers.LSTM(upper_units, name="upper"),
        ]
    )
except ValueError as err:
    print("ValueError:", err)
    message = str(err)
assert "of layer 'upper' is incompatible with the layer" in message
assert "expected ndim=3, found ndim=2" in message
assert f"Full shape received: (None, {lower_units})" in message

# %%
# The full shape in the message, ``(None, 6)``, is the lower layer's output:
# a batch of 6-number vectors, one per sequence, with no time axis left.

# %%
# The working stack
# -----------------
# Only the lower layer changes. The upper (last) LSTM keeps the default
# ``return_sequences=False`` when the next layer wants one vector per sequence
# (a ``Dense`` classifier, say).
inputs = keras.Input(shape=(timesteps, features), name="sequence")
lower_seq = keras.layers.LSTM(
    lower_units, return_sequences=True, name="lower"
)(inputs)
upper_last = keras.layers.LSTM(upper_units, name="upper")(lower_seq)
model = keras.Model(inputs=inputs, outputs=upper_last, name="stacked_lstm")
model.summary(line_length=80, print_fn=print)

# the summary's shapes and parameter counts, checked
assert tuple(lower_seq.shape) == (None, timesteps, lower_units)
assert tuple(upper_last.shape) == (None, upper_units)
lower, upper = model.get_layer("lower"), model.get_layer("upper")
# parameters: 4 gate blocks, each with input weights, recurrent weights, bias
assert lower.count_params() == 4 * (
    lower_units * (features + lower_units) + lower_units
)
assert upper.count_params() == 4 * (
    upper_units * (lower_units + upper_units) + upper_units
)
print(
    "lower kernel:",
    tuple(lower.weights[0].shape),
    " upper kernel:",
    tuple(upper.weights[0].shape),
)
assert tuple(lower.weights[0].shape) == (features, 4 * lower_units)
assert tuple(upper.weights[0].shape) == (lower_units, 4 * upper_units)

# %%
# The upper layer's "features" are the lower layer's units: its kernel has
# ``lower_units = 6`` rows, where the lower layer's has ``features = 3``.
#
# Following the data through
# --------------------------
# A second model with both outputs lets us look at the sequence between the
# two layers. Calling the upper layer on that sequence gives the stack's
# output; the lower sequence's last step is what the lower LSTM alone (without
# ``return_sequences``) would have returned.
probe = keras.Model(inputs=inputs, outputs=[lower_seq, upper_last])
between, out = (t.numpy() for t in probe(data))
print("between the layers:", between.shape, " stack output:", out.shape)
assert between.shape == (batch, timesteps, lower_units)
assert out.shape == (batch, upper_units)
np.testing.assert_allclose(out, model(data).numpy(), rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(out, upper(between).numpy(), rtol=1e-5, atol=1e-6)

lower_alone = keras.layers.LSTM(lower_units)
lower_alone.build((None, timesteps, features))
lower_alone.set_weights(lower.get_weights())
np.testing.assert_allclose(
    lower_alone(data).numpy(), between[:, -1], rtol=1e-5, atol=1e-6
)
print("lower layer alone == last step of its sequence:")
print(between[0, -1])

# %%
# The picture for the first sequence: 9 steps of 3 features go in, the lower
# LSTM turns them into 9 steps of 6 hidden values, and the upper LSTM reads
# those 9 steps and keeps only its final 4 values. The input and the hidden
# states have their own colour scales (hidden states lie in (-1, 1), since
# ``h = o * tanh(c)``; checked).
assert np.abs(between).max() < 1 and np.abs(out).max() < 1
sample = 0
in_limit = np.abs(data[sample]).max()
h_limit = max(np.abs(between[sample]).max(), np.abs(out[sample]).max())
fig, axes = plt.subplots(
    3,
    1,
    figsize=(5.5, 9),
    layout="constrained",
    gridspec_kw={"height_ratios": [9, 9, 2]},
)
in_image = axes[0].imshow(
    data[sample], cmap="RdBu_r", vmin=-in_limit, vmax=in_limit, aspect="auto"
)
axes[0].set_title("input\n(9 steps x 3 features)", fontsize=10)
axes[0].set_xlabel("feature")
axes[0].set_xticks(range(features))
h_image = axes[1].imshow(
    between[sample], cmap="RdBu_r", vmin=-h_limit, vmax=h_limit, aspect="auto"
)
axes[1].set_title("lower LSTM sequence\n(9 steps x 6 units)", fontsize=10)
axes[1].set_xlabel("unit")
axes[1].set_xticks(range(lower_units))
for ax in axes[:2]:
    ax.set_ylabel("time step")
    ax.set_yticks(range(timesteps))
axes[2].imshow(
    out[sample][np.newaxis],
    cmap="RdBu_r",
    vmin=-h_limit,
    vmax=h_limit,
    aspect="auto",
)
axes[2].set_box_aspect(1 / upper_units)  # a one-row strip
axes[2].set_title("upper LSTM output\n(last state, 4 units)", fontsize=10)
axes[2].set_xlabel("unit")
axes[2].set_xticks(range(upper_units))
axes[2].set_yticks([0], labels=["after\nstep 8"])
fig.colorbar(in_image, ax=axes[0], label="input value")
fig.colorbar(h_image, ax=axes[1:], label="hidden state h")
fig.suptitle(
    "Stacked LSTMs: the lower layer's sequence\nis the upper layer's input"
    " (sample 0)"
)
plt.show()

# %%
# More layers work the same way: every LSTM that feeds another LSTM needs
# ``return_sequences=True`` (exercise 1 checks it on three layers); only the
# top one decides whether the model ends with a sequence or with one vector.
#
# Exercises
# ---------
# **1. Fix this error.** A stack of three LSTMs fails to build:
#
# .. code-block:: python
#
#    keras.Sequential([
#        keras.Input(shape=(timesteps, features)),
#        keras.layers.LSTM(8),
#        keras.layers.LSTM(8),
#        keras.layers.LSTM(4),
#    ])
#
# Which layers need ``return_sequences=True``, and what shape comes out?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# The two lower LSTMs each feed an LSTM, so both return sequences; the top
# one returns ``(batch, 4)``.
try:  # the broken stack, as in the question
    keras.Sequential(
        [
            keras.Input(shape=(timesteps, features)),
            keras.layers.LSTM(8),
            keras.layers.LSTM(8),
            keras.layers.LSTM(4),
        ]
    )
except ValueError as err:
    broken = str(err)
assert "expected ndim=3, found ndim=2" in broken

three = keras.Sequential(
    [
        keras.Input(shape=(timesteps, features)),
        keras.layers.LSTM(8, return_sequences=True),
        keras.layers.LSTM(8, return_sequences=True),
        keras.layers.LSTM(4),
    ]
)
print("three layers:", three.output_shape)
assert three.output_shape == (None, 4)

# %%
# .. raw:: html
#
#    </details>
#
# **2. Predict the shape.** If the upper LSTM of this page also gets
# ``return_sequences=True``, what does ``model(data)`` return for ``data`` of
# shape ``(2, 9, 3)``? And how many parameters has the upper layer?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# One 4-number state per step, ``(2, 9, 4)``; the parameters do not depend on
# ``return_sequences``: ``4 * (4 * (6 + 4) + 4) = 176``.
both = keras.Sequential(
    [
        keras.Input(shape=(timesteps, features)),
        keras.layers.LSTM(lower_units, return_sequences=True),
        keras.layers.LSTM(upper_units, return_sequences=True),
    ]
)
print("both return sequences:", tuple(both(data).shape))
print("upper layer parameters:", both.layers[1].count_params())
assert tuple(both(data).shape) == (2, 9, 4)
assert both.layers[1].count_params() == upper.count_params() == 176

# %%
# .. raw:: html
#
#    </details>
#
# See also
# --------
# * :ref:`sphx_glr_auto_examples_seed_plot_lstm_input.py` - the input shape
#   rules.
# * :ref:`sphx_glr_auto_examples_seed_plot_return_sequences.py` - what
#   ``return_sequences`` returns.
# * :ref:`sphx_glr_auto_examples_beyond_plot_bidirectional.py` - two
#   directions at once.
