"""
Stateful LSTM: carrying the state from one call to the next
===========================================================

**In short:** give the model a fixed batch size
(``keras.Input(batch_size=..., shape=...)``) and ``LSTM(...,
stateful=True)`` starts each call from the ``h`` and ``c`` the previous
call left behind: two half-sequence calls give exactly the outputs of one
whole-sequence call. Call ``layer.reset_state()`` before new sequences; a
batch of another size is refused.

Normally an LSTM starts every call from zero states, so each batch is read as
brand-new sequences. With ``stateful=True`` the layer keeps its final ``h``
and ``c`` in variables and starts the next call from them: a long sequence can
be fed in chunks, and the result is the same as reading it in one go.

This page shows what Keras 3 needs for that (a fixed batch size), checks that
two half-sequence calls equal one whole-sequence call, and resets the state.
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
# Keras' messages alone: without this, an error raised inside a layer's
# call() also lists the call's arguments, with bold codes for a terminal.
keras.config.disable_traceback_filtering()

# %%
# The data: 2 sequences of 12 steps with 3 features, in two chunks
# ----------------------------------------------------------------
batch = 2
timesteps = 12
features = 3
units = 4
split = 6  # the first chunk is steps 0-5, the second steps 6-11

data = np.random.normal(0, 1, size=(batch, timesteps, features)).astype(
    "float32"
)
first, second = data[:, :split], data[:, split:]
print(
    "whole:",
    data.shape,
    " first chunk:",
    first.shape,
    " second chunk:",
    second.shape,
)
assert first.shape == second.shape == (batch, split, features)

# %%
# A stateful layer needs a fixed batch size
# -----------------------------------------
# The state is one ``(units,)`` vector per sequence in the batch, stored in a
# variable of shape ``(batch, units)``, so the batch size must be known when
# the layer is built. ``keras.Input(shape=...)`` leaves it open (``None``),
# and Keras refuses:
try:
    loose = keras.Input(shape=(None, features))
    keras.layers.LSTM(units, stateful=True)(loose)
except ValueError as err:
    print("ValueError:", err)
    message = str(err)
assert "the batch size must be static" in message

# %%
# ``keras.Input(batch_size=2, shape=...)`` fixes it (so does
# ``keras.Input(batch_shape=(2, None, 3))``). The time axis can stay ``None``,
# so chunks of any length fit. (Keras 3 has no ``batch_input_shape=`` layer
# argument for this any more.)
inputs = keras.Input(batch_size=batch, shape=(None, features), name="chunk")
lstm = keras.layers.LSTM(
    units, stateful=True, return_sequences=True, name="stateful_lstm"
)
model = keras.Model(inputs, lstm(inputs))
print("model input:", model.inputs[0].shape)
assert tuple(model.inputs[0].shape) == (batch, None, features)
assert len(lstm.states) == 2  # h and c, as variables
for state in lstm.states:
    assert tuple(state.shape) == (batch, units)
    assert not np.any(state.numpy())  # they start at zero
print(
    "state variables (h, c):",
    [tuple(s.shape) for s in lstm.states],
    "all zero",
)

# %%
# Two chunks equal one whole sequence
# -----------------------------------
# Call the stateful model on the first chunk, then on the second. The second
# call starts from the ``h`` and ``c`` the first call left behind.
out_first = model(first).numpy()
h_after_first = lstm.states[0].numpy()
np.testing.assert_allclose(
    h_after_first, out_first[:, -1], rtol=1e-5, atol=1e-6
)
out_second = model(second).numpy()
chunked = np.concatenate([out_first, out_second], axis=1)
print("two calls, joined:", chunked.shape)
assert out_first.shape == out_second.shape == (batch, split, units)
assert chunked.shape == (batch, timesteps, units)

# %%
# The reference: an ordinary (stateless) LSTM with the same weights, called
# once on all 12 steps.
whole_lstm = keras.layers.LSTM(units, return_sequences=True)
whole_lstm.build((None, timesteps, features))
whole_lstm.set_weights(lstm.get_weights())
whole = whole_lstm(data).numpy()
np.testing.assert_allclose(chunked, whole, rtol=1e-5, atol=1e-6)
print("chunk by chunk == all at once")
print("h at step 11, sample 0:", chunked[0, -1])

# %%
# Resetting the state
# -------------------
# ``reset_state()`` sets ``h`` and ``c`` back to zero; do it whenever the next
# call starts new sequences (between epochs, say). ``reset_states()``, the
# Keras 2 name, still works in Keras 3 as an alias of it (Keras source:
# ``keras/src/layers/rnn/rnn.py``).
assert np.any(lstm.states[0].numpy())  # carrying the state of step 11 now
lstm.reset_state()
assert not any(np.any(s.numpy()) for s in lstm.states)
print(
    "after reset_state():",
    lstm.states[0].numpy()[0],
    lstm.states[1].numpy()[0],
)

model(first)
lstm.reset_states()  # the compatibility alias
assert not any(np.any(s.numpy()) for s in lstm.states)
print("reset_states() zeroes them too")

# %%
# With a reset between the chunks, the second chunk is read as a new sequence:
# its output equals a stateless LSTM on those 6 steps alone, and no longer the
# continuation of the first chunk.
model(first)
lstm.reset_state()
restarted = model(second).numpy()
np.testing.assert_allclose(
    restarted, whole_lstm(second).numpy(), rtol=1e-5, atol=1e-6
)
gap = np.abs(restarted - whole[:, split:]).max()
print(f"largest difference from the true continuation: {gap:.4f}")
assert gap > 0.01

# %%
# The batch size is fixed for the life of the layer: another batch size is
# refused at call time.
lstm.reset_state()
try:
    model(np.zeros((3, split, features), dtype="float32"))
except ValueError as err:
    print("ValueError:")
    for line in str(err).splitlines():
        print(line.rstrip())  # one line of it ends with a space
    message = str(err)
assert "Expected batch size: 2" in message
assert "Received batch size: 3" in message

# %%
# The picture: the hidden state of sample 0, unit by unit. The two chunked
# calls (dots) lie on the one-call curve; resetting before the second chunk
# (dashed) starts it over from zero.
fig, axes = plt.subplots(
    2, 2, figsize=(5.5, 5.8), sharex=True, sharey=True, layout="constrained"
)
steps = np.arange(timesteps)
for unit, ax in enumerate(axes.flat):
    ax.axhline(0, color="0.8", lw=0.8)
    ax.axvline(split - 0.5, color="0.5", ls=":", lw=1)
    ax.plot(
        steps, whole[0, :, unit], color="C0", lw=2, label="one call, 12 steps"
    )
    ax.plot(
        steps,
        chunked[0, :, unit],
        "o",
        color="C1",
        ms=5,
        label="two stateful calls",
    )
    ax.plot(
        steps[split:],
        restarted[0, :, unit],
        "--",
        color="C3",
        label="reset between calls",
    )
    ax.set_title(f"unit {unit}", fontsize=10)
    ax.set_xticks(steps)
for ax in axes[1]:
    ax.set_xlabel("time step")
for ax in axes[:, 0]:
    ax.set_ylabel("hidden state h")
fig.legend(
    *axes[0, 0].get_legend_handles_labels(),
    loc="outside lower center",
    ncols=2,
    fontsize=10,
)
fig.suptitle("Stateful LSTM, sample 0:\ntwo chunks (6 + 6 steps) vs one call")
plt.show()

# %%
# To start a layer from a state *you* choose, rather than the previous
# call's, see :ref:`sphx_glr_auto_examples_beyond_plot_initial_state.py`.
# For what the states ``h`` and ``c`` are, see
# :ref:`sphx_glr_auto_examples_seed_plot_return_state.py`.

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_beyond_plot_common_errors.py` - the
#   stateful batch-size error and others.
