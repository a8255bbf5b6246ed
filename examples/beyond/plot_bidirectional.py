"""
Bidirectional LSTM: two layers, one output
==========================================

**In short:** ``Bidirectional(LSTM(units))`` runs a forward and a backward
copy of the LSTM and joins their outputs: ``(batch, 2*units)`` with the
default ``merge_mode="concat"``, ``(batch, units)`` for ``"sum"``, ``"mul"``
and ``"ave"``, two separate arrays for ``None``. With ``return_state=True``
on the *inner* LSTM it returns five tensors, ``[output, forward_h,
forward_c, backward_h, backward_c]``, and with ``return_sequences=True`` the
backward outputs are put back in input time order.

``keras.layers.Bidirectional(LSTM(units))`` runs two LSTMs over the same
input: a *forward* copy that reads the steps first to last and a *backward*
copy that reads them last to first. ``merge_mode`` decides how their outputs
become one: joined side by side (``"concat"``, the default, ``2 * units``
values), added, multiplied, averaged, or not merged at all (``None``).

This page checks the shape of every merge mode, how each is computed from the
two directions, the five tensors of ``return_state=True``, and where in time
the backward layer's outputs are placed.
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
units = 4

data = np.random.normal(0, 1, size=(batch, timesteps, features)).astype(
    "float32"
)
print("input shape is", data.shape)
assert data.shape == (batch, timesteps, features)

# %%
# The shape of each ``merge_mode``
# --------------------------------
# Each wrapper holds two LSTMs, ``forward_layer`` and ``backward_layer`` (the
# latter a copy with ``go_backwards=True``). Calling them directly gives the
# two outputs the wrapper merges, so each mode can be checked against its
# formula. Without ``return_sequences`` each direction returns its last
# hidden state, ``(batch, units)``.
formulas = {
    "concat": lambda fw, bw: np.concatenate([fw, bw], axis=-1),
    "sum": lambda fw, bw: fw + bw,
    "mul": lambda fw, bw: fw * bw,
    "ave": lambda fw, bw: (fw + bw) / 2,
}
print(f"{'merge_mode':>10} | output shape")
for mode in ["concat", "sum", "mul", "ave", None]:
    bidi = keras.layers.Bidirectional(
        keras.layers.LSTM(units), merge_mode=mode
    )
    merged = bidi(data)
    fw = bidi.forward_layer(data).numpy()
    bw = bidi.backward_layer(data).numpy()
    assert (
        bidi.backward_layer.go_backwards
        and not bidi.forward_layer.go_backwards
    )
    if mode is None:
        # no merging: a pair (forward, backward), each (batch, units)
        assert isinstance(merged, tuple) and len(merged) == 2
        shape = " and ".join(str(tuple(part.shape)) for part in merged)
        np.testing.assert_allclose(merged[0].numpy(), fw, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(merged[1].numpy(), bw, rtol=1e-5, atol=1e-6)
    else:
        shape = str(tuple(merged.shape))
        expected = (batch, 2 * units) if mode == "concat" else (batch, units)
        assert tuple(merged.shape) == expected
        np.testing.assert_allclose(
            merged.numpy(), formulas[mode](fw, bw), rtol=1e-5, atol=1e-6
        )
    print(f"{str(mode):>10} | {shape}")

# %%
# Only ``"concat"`` doubles the width; ``"sum"``, ``"mul"`` and ``"ave"`` keep
# ``units`` values; ``None`` returns two separate arrays, a ``tuple`` in
# Keras 3. The next layer must expect that width (a ``Dense`` after a
# ``"concat"`` wrapper has ``2 * units`` inputs).
#
# ``return_state=True``: five tensors
# -----------------------------------
# (For a single LSTM's three tensors see
# :ref:`sphx_glr_auto_examples_seed_plot_return_state.py`.)
#
# ``return_state`` is an argument of the wrapped LSTM, not of
# ``Bidirectional`` (which refuses it as an unknown keyword). The wrapper then
# returns the merged output followed by each direction's states:
# ``[output, forward_h, forward_c, backward_h, backward_c]``.
bidi = keras.layers.Bidirectional(keras.layers.LSTM(units, return_state=True))
output, fw_h, fw_c, bw_h, bw_c = (t.numpy() for t in bidi(data))
for name, value in [
    ("output", output),
    ("forward_h", fw_h),
    ("forward_c", fw_c),
    ("backward_h", bw_h),
    ("backward_c", bw_c),
]:
    print(f"{name:>10}: {value.shape}")
assert output.shape == (batch, 2 * units)
for state in (fw_h, fw_c, bw_h, bw_c):
    assert state.shape == (batch, units)
# with merge_mode="concat" the output is exactly the two final hidden states
np.testing.assert_allclose(
    output, np.concatenate([fw_h, bw_h], axis=-1), rtol=1e-5, atol=1e-6
)
print("output == concat(forward_h, backward_h)")

# %%
# The same wrapper with ``Bidirectional(LSTM(units), return_state=True)``
# fails:
try:
    keras.layers.Bidirectional(keras.layers.LSTM(units), return_state=True)
except ValueError as err:
    print("ValueError:", err)
    message = str(err)
assert "Unrecognized keyword arguments passed to Bidirectional" in message

# %%
# Where in time is the backward output?
# -------------------------------------
# With ``return_sequences=True`` each direction returns one hidden state per
# step. The backward LSTM produces them in *reading* order, last input step
# first. Keras 3's ``Bidirectional`` flips that sequence back, so that step
# ``t`` of both halves lines up with input step ``t``.
bidi_seq = keras.layers.Bidirectional(
    keras.layers.LSTM(units, return_sequences=True), merge_mode=None
)
fw_seq, bw_seq = (t.numpy() for t in bidi_seq(data))
print("forward sequence:", fw_seq.shape, " backward sequence:", bw_seq.shape)
assert fw_seq.shape == bw_seq.shape == (batch, timesteps, units)

# the backward LSTM on its own
reading_order = bidi_seq.backward_layer(data).numpy()
np.testing.assert_allclose(
    bw_seq, reading_order[:, ::-1], rtol=1e-5, atol=1e-6
)
print("backward output == backward LSTM's own output reversed in time")

# %%
# So the forward layer's final state sits at the **last** step and the
# backward layer's final state at the **first** step (input step 0, the last
# one it read):
forward_last = bidi_seq.forward_layer(data).numpy()[:, -1]
np.testing.assert_allclose(fw_seq[:, -1], forward_last, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(
    bw_seq[:, 0], reading_order[:, -1], rtol=1e-5, atol=1e-6
)
print("forward final state  = step", timesteps - 1, ":", fw_seq[0, -1])
print("backward final state = step 0:", bw_seq[0, 0])

# %%
# A test of that alignment: change only input step 0. Every forward state
# changes (step 0 is the first thing it reads), but the backward states at
# steps 1 to 8 do not, because at step ``t`` the backward layer has read only
# steps ``8, 7, ..., t``.
changed = data.copy()
changed[:, 0] += 1.0
fw_new, bw_new = (t.numpy() for t in bidi_seq(changed))
fw_moved = np.abs(fw_new - fw_seq).max(axis=(0, 2)) > 1e-6
bw_moved = np.abs(bw_new - bw_seq).max(axis=(0, 2)) > 1e-6
print("forward states that changed, by step: ", fw_moved.astype(int))
print("backward states that changed, by step:", bw_moved.astype(int))
assert fw_moved.all()
assert bw_moved[0] and not bw_moved[1:].any()

# %%
# The two halves over time for the first sequence. Both are drawn on the input
# time axis; the boxes mark the state each direction ends with, the one
# ``return_sequences=False`` (and ``return_state``) would give.
sample = 0
limit = max(np.abs(fw_seq[sample]).max(), np.abs(bw_seq[sample]).max())
fig, axes = plt.subplots(
    1, 2, figsize=(5.5, 4.4), sharey=True, layout="constrained"
)
for ax, seq, title, final_step in [
    (axes[0], fw_seq, "forward layer\n(reads step 0 -> 8)", timesteps - 1),
    (axes[1], bw_seq, "backward layer\n(reads step 8 -> 0)", 0),
]:
    image = ax.imshow(
        seq[sample], cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto"
    )
    ax.add_patch(
        plt.Rectangle(
            (-0.5, final_step - 0.5),
            units,
            1,
            fill=False,
            edgecolor="black",
            lw=2,
        )
    )
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("unit")
    ax.set_xticks(range(units))
axes[0].set_ylabel("input time step")
axes[0].set_yticks(range(timesteps))
fig.colorbar(image, ax=axes, label="hidden state h")
fig.suptitle(
    "Bidirectional LSTM: forward and backward\nhidden states, input time order"
)
plt.show()

# %%
# The default ``"concat"`` output with ``return_sequences=True`` puts these two
# side by side (exercise 1): at every step, what came before and what comes
# after. Stacking works as on
# :ref:`sphx_glr_auto_examples_beyond_plot_stacked_lstm.py`.
#
# Exercises
# ---------
# **1. Predict the shape.** What does
# ``Bidirectional(LSTM(4, return_sequences=True))`` (``merge_mode="concat"``,
# the default) return for ``data`` of shape ``(2, 9, 3)``, and what is at
# step ``t``?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# ``(2, 9, 8)``: at each step the 4 forward values, then the 4 backward
# values of that same step.
concat_seq = keras.layers.Bidirectional(
    keras.layers.LSTM(units, return_sequences=True)
)
both = concat_seq(data).numpy()
print("concat with return_sequences:", both.shape)
assert both.shape == (2, 9, 8)
fw_part = concat_seq.forward_layer(data).numpy()
bw_part = concat_seq.backward_layer(data).numpy()[:, ::-1]
np.testing.assert_allclose(both[..., :units], fw_part, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(both[..., units:], bw_part, rtol=1e-5, atol=1e-6)

# %%
# .. raw:: html
#
#    </details>
#
# **2. Count the parameters.** How many parameters has a ``Dense(1)`` after
# ``Bidirectional(LSTM(4))``, and how many has the ``Bidirectional`` layer
# on 3 features?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# The ``Dense`` reads ``2 * 4 = 8`` values: ``8 + 1 = 9``. The wrapper holds
# two LSTMs of ``4 * (4 * (3 + 4) + 4) = 128`` each: 256.
classifier = keras.Sequential(
    [
        keras.Input(shape=(timesteps, features)),
        keras.layers.Bidirectional(keras.layers.LSTM(units)),
        keras.layers.Dense(1),
    ]
)
wrapper_params, dense_params = (
    layer.count_params() for layer in classifier.layers
)
print("Bidirectional:", wrapper_params, " Dense(1):", dense_params)
assert (wrapper_params, dense_params) == (256, 9)

# %%
# .. raw:: html
#
#    </details>
#
# See also
# --------
# * :ref:`sphx_glr_auto_examples_cell_plot_numpy_lstm.py` - what
#   ``go_backwards=True`` does to one layer.
# * :ref:`sphx_glr_auto_examples_beyond_plot_shape_cheatsheet.py` -
#   Bidirectional's shapes next to the others.
