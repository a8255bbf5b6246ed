"""
``initial_state``: starting an LSTM from another LSTM's states
==============================================================

**In short:** ``decoder(x, initial_state=[state_h, state_c])`` starts an
LSTM from the final states of another LSTM (``return_state=True``), in
that order. The two sequences may differ in length and features; only the
``units`` must agree, and a mismatch is caught only when data flows, not
when the model is built. Zeros as initial state are the same as none.

An LSTM starts from ``h = 0`` and ``c = 0`` unless it is told otherwise.
``layer(x, initial_state=[h, c])`` starts it from given states instead. The
classic use is an encoder-decoder: one LSTM reads a sequence and returns its
final ``[state_h, state_c]`` (``return_state=True``), and a second LSTM reads
another sequence starting from them.

The two sequences may have different lengths and different features; only the
number of units must agree, because a state is ``(batch, units)``.
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

keras.utils.set_random_seed(313)
np.set_printoptions(precision=4, suppress=True)
# Keras' messages alone: without this, an error raised inside a layer's
# call() also lists the call's arguments, with bold codes for a terminal.
keras.config.disable_traceback_filtering()

# %%
# Two different sequences
# -----------------------
# The encoder reads 9 steps of 3 features; the decoder reads 5 steps of 2
# features. Both LSTMs have 4 units.
batch = 2
enc_steps, enc_features = 9, 3
dec_steps, dec_features = 5, 2
units = 4

enc_data = np.random.normal(
    0, 1, size=(batch, enc_steps, enc_features)
).astype("float32")
dec_data = np.random.normal(
    0, 1, size=(batch, dec_steps, dec_features)
).astype("float32")
print("encoder input:", enc_data.shape, " decoder input:", dec_data.shape)
assert enc_data.shape == (batch, enc_steps, enc_features)
assert dec_data.shape == (batch, dec_steps, dec_features)

# %%
# The encoder-decoder model
# -------------------------
# ``return_state=True`` makes the encoder return ``[output, state_h,
# state_c]``; the decoder receives ``initial_state=[state_h, state_c]``, in
# that order.
enc_inputs = keras.Input(shape=(enc_steps, enc_features), name="enc_in")
dec_inputs = keras.Input(shape=(dec_steps, dec_features), name="dec_in")
encoder = keras.layers.LSTM(units, return_state=True, name="encoder")
decoder = keras.layers.LSTM(units, return_sequences=True, name="decoder")

enc_out, state_h, state_c = encoder(enc_inputs)
dec_seq = decoder(dec_inputs, initial_state=[state_h, state_c])
model = keras.Model([enc_inputs, dec_inputs], dec_seq, name="encoder_decoder")
model.summary(line_length=80, print_fn=print)

# the shapes in the summary, checked
assert (
    tuple(enc_out.shape)
    == tuple(state_h.shape)
    == tuple(state_c.shape)
    == (None, units)
)
assert tuple(dec_seq.shape) == (None, dec_steps, units)
print("state_h:", tuple(state_h.shape), " state_c:", tuple(state_c.shape))

# %%
# In the "Connected to" column the decoder is fed by ``dec_in`` (its input) and
# by
# ``encoder[0][1]`` and ``encoder[0][2]``, the encoder's second and third
# outputs: ``state_h`` and ``state_c``.
#
# The decoder's output has the **decoder's** number of steps (5), not the
# encoder's (9): the encoder passes on a summary of its sequence, two
# ``(batch, units)`` arrays, not the sequence itself.
#
# Why the units must match
# ------------------------
# The decoder's input kernel has one row per decoder feature, but its
# recurrent kernel has one row per unit: at each step it multiplies the state
# ``h`` by it. So the state must have ``units`` columns.
dec_kernel, dec_recurrent, dec_bias = (w.shape for w in decoder.get_weights())
print(
    "decoder kernel:",
    dec_kernel,
    " recurrent kernel:",
    dec_recurrent,
    " bias:",
    dec_bias,
)
assert dec_kernel == (dec_features, 4 * units)
assert dec_recurrent == (units, 4 * units)
assert dec_bias == (4 * units,)

# %%
# A decoder with 5 units given the 4-unit encoder's states is *not* caught
# when the model is built: Keras accepts the graph and reports an output
# shape.
wrong_decoder = keras.layers.LSTM(
    5, return_sequences=True, name="wrong_decoder"
)
wrong_seq = wrong_decoder(dec_inputs, initial_state=[state_h, state_c])
wrong_model = keras.Model([enc_inputs, dec_inputs], wrong_seq)
print("built without complaint, output shape:", wrong_seq.shape)
assert tuple(wrong_seq.shape) == (None, dec_steps, 5)

# %%
# It fails when data flows, inside TensorFlow's matrix product of ``h``
# ``(batch=2, units=4)`` with the recurrent kernel ``(5, 4 * 5)``. (The
# message also names the device and the operation.)
try:
    wrong_model([enc_data, dec_data])
except tf.errors.InvalidArgumentError as err:
    print("InvalidArgumentError:", err.message.strip())
    message = err.message
assert "Matrix size-incompatible: In[0]: [2,4], In[1]: [5,20]" in message

# %%
# Zeros as initial state == no initial state
# ------------------------------------------
# Without ``initial_state`` an LSTM starts from zeros, so passing zeros
# explicitly changes nothing:
h, c = (t.numpy() for t in encoder(enc_data)[1:])
zeros = np.zeros((batch, units), dtype="float32")
with_state = decoder(dec_data, initial_state=[h, c]).numpy()
with_zeros = decoder(dec_data, initial_state=[zeros, zeros]).numpy()
without = decoder(dec_data).numpy()
np.testing.assert_allclose(with_zeros, without, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(
    with_state, model([enc_data, dec_data]).numpy(), rtol=1e-5, atol=1e-6
)
print("initial_state=[zeros, zeros] == no initial_state")

# %%
# The encoder's state, by contrast, changes every decoder step:
change = np.abs(with_state - without).max(axis=(0, 2))
print("largest change by decoder step:", change)
assert with_state.shape == without.shape == (batch, dec_steps, units)
assert (change > 1e-3).all()

# %%
# The decoder's hidden states for the first sequence, started from the
# encoder's state and from zeros, and their difference. The two runs read the
# same decoder input.
sample = 0
panels = [
    (with_state[sample], "from encoder [h, c]"),
    (without[sample], "from zeros\n(no initial_state)"),
    (with_state[sample] - without[sample], "difference"),
]
limit = max(np.abs(values).max() for values, _ in panels)
fig, axes = plt.subplots(
    3, 1, figsize=(5.5, 8), sharey=True, layout="constrained"
)
for ax, (values, title) in zip(axes, panels):
    image = ax.imshow(
        values, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto"
    )
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("unit")
    ax.set_xticks(range(units))
fig.supylabel("decoder time step")
axes[0].set_yticks(range(dec_steps))
fig.colorbar(image, ax=axes, label="hidden state h")
fig.suptitle(
    "Decoder hidden states with and without\nthe encoder's state (sample 0)"
)
plt.show()

# %%
# The states that feed ``initial_state`` come from ``return_state=True``,
# explained on :ref:`sphx_glr_auto_examples_seed_plot_return_state.py`.
# Carrying a layer's *own* state from one call to the next is
# :ref:`sphx_glr_auto_examples_beyond_plot_stateful.py`.

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_beyond_plot_stateful.py` - carrying the
#   state from one call to the next.
# * :ref:`sphx_glr_auto_examples_beyond_plot_keras_vs_pytorch.py` - the
#   shapes of the states in PyTorch.
