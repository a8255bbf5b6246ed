"""
Variable-length sequences: padding and masking
===============================================

**In short:** pad to one length, mask the padding (``Masking`` or
``Embedding(mask_zero=True)``), and the LSTM's final state is the state of
the real steps alone, for post- and pre-padding on a CPU; on a GPU (cuDNN)
only for post-padding. At masked steps the per-step output repeats the
previous one (zeros before the first real step), unless
``zero_output_for_mask=True``; cuDNN writes zeros there
(:ref:`sphx_glr_auto_examples_beyond_plot_gpu_cudnn.py`). Without a mask,
padding changes the final state.

An LSTM reads a rectangular array ``(batch, timesteps, features)``, so
sequences of different lengths are **padded** to a common length first. A
**mask** then tells the layer which steps are padding. This page shows, with
real Keras 3 outputs:

* ``keras.utils.pad_sequences`` with post- and pre-padding;
* ``keras.layers.Masking(mask_value=0.0)`` for float features and
  ``keras.layers.Embedding(mask_zero=True)`` for token ids;
* what the per-step output and the states do at a masked step (they are
  **carried over** from the previous step);
* that the final state of a padded, masked sequence equals the state of the
  same sequence without padding - and that without a mask it does not.
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
from matplotlib.patches import Rectangle

keras.utils.set_random_seed(313)
np.set_printoptions(precision=4, suppress=True)

# %%
# Three sequences of different lengths
# ------------------------------------
# Three sequences with 3 features per step and 9, 6 and 3 steps. As a Python
# list of 2-D arrays they cannot be stacked into one 3-D array.
features = 3
units = 5
lengths = [9, 6, 3]
sequences = [
    np.random.normal(0, 1, size=(n, features)).astype("float32")
    for n in lengths
]
for seq in sequences:
    print("sequence shape:", seq.shape)
assert [seq.shape for seq in sequences] == [(n, features) for n in lengths]

# %%
# ``keras.utils.pad_sequences`` (still in Keras 3) pads them to the longest
# length. For float features pass ``dtype="float32"``: the default is
# ``"int32"``, meant for token ids, and would truncate the values.
# ``padding="post"`` appends the zeros, ``padding="pre"`` (the default!)
# puts them in front.
post = keras.utils.pad_sequences(
    sequences, padding="post", dtype="float32", value=0.0
)
pre = keras.utils.pad_sequences(
    sequences, padding="pre", dtype="float32", value=0.0
)
print("post-padded batch:", post.shape)
print("pre-padded batch: ", pre.shape)
print("sample 2 (3 steps), post-padded:")
print(post[2])
assert post.shape == pre.shape == (3, 9, features)
np.testing.assert_array_equal(post[2, :3], sequences[2])
np.testing.assert_array_equal(post[2, 3:], 0.0)
np.testing.assert_array_equal(pre[2, -3:], sequences[2])
np.testing.assert_array_equal(pre[2, :-3], 0.0)
# the defaults: pre-padding, and int32 (floats would be truncated)
default = keras.utils.pad_sequences(sequences)
assert default.dtype == np.int32
np.testing.assert_array_equal(default, pre.astype(np.int32))

# %%
# The mask
# --------
# ``Masking(mask_value=0.0)`` marks a step as padding when **all** its
# features equal ``mask_value``. It passes the values through unchanged and
# attaches a boolean mask of shape ``(batch, timesteps)``; the next layer
# receives it automatically. (A real step whose features are all exactly 0
# is masked too - checked below - so pick a ``mask_value`` your data never
# takes.)
masking = keras.layers.Masking(mask_value=0.0)
post_mask = masking.compute_mask(post).numpy()
pre_mask = masking.compute_mask(pre).numpy()
print("post-padding mask (True = real step):")
print(post_mask.astype(int))
print("pre-padding mask:")
print(pre_mask.astype(int))
steps = np.arange(9)
expected_post = steps[np.newaxis, :] < np.array(lengths)[:, np.newaxis]
assert post_mask.shape == (3, 9)
np.testing.assert_array_equal(post_mask, expected_post)
np.testing.assert_array_equal(pre_mask, expected_post[:, ::-1])
real_zero_step = post[:1].copy()
real_zero_step[0, 4] = 0.0  # a real step whose features are all 0
assert not masking.compute_mask(real_zero_step).numpy()[0, 4]

# %%
# What the LSTM does at a masked step
# -----------------------------------
# One LSTM layer, asked for the whole output sequence and the final states.
# The same layer object (same weights) is used for every run on this page.
# (``use_cudnn=False``: the generic kernel, as on any CPU, also on a GPU.)
lstm = keras.layers.LSTM(
    units, return_sequences=True, return_state=True, use_cudnn=False
)
seq_post, h_post, c_post = (t.numpy() for t in lstm(masking(post)))
print(
    "output sequence:",
    seq_post.shape,
    " h:",
    h_post.shape,
    " c:",
    c_post.shape,
)
assert seq_post.shape == (3, 9, units)
assert h_post.shape == c_post.shape == (3, units)

# %%
# With post-padding, the masked steps come after the real ones. At a masked
# step Keras does not update the states; it **copies** the previous step's
# output and states forward. So the output sequence of sample 2 repeats its
# step-2 value until the end, and the returned ``h`` is that value:
print("sample 2 outputs, steps 2..8:")
print(seq_post[2, 2:])
for sample, n in enumerate(lengths):
    for t in range(n, 9):
        np.testing.assert_array_equal(
            seq_post[sample, t], seq_post[sample, n - 1]
        )
    np.testing.assert_array_equal(h_post[sample], seq_post[sample, n - 1])

# %%
# The final state equals the unpadded run
# ---------------------------------------
# Run each sequence alone, without padding, as a batch of one. Its final
# ``h`` and ``c`` equal the padded, masked batch's - the padding changed
# nothing.
for sample, seq in enumerate(sequences):
    _, h_alone, c_alone = (t.numpy() for t in lstm(seq[np.newaxis]))
    np.testing.assert_allclose(
        h_post[sample], h_alone[0], rtol=1e-5, atol=1e-6
    )
    np.testing.assert_allclose(
        c_post[sample], c_alone[0], rtol=1e-5, atol=1e-6
    )
    print(f"sample {sample} ({lengths[sample]} steps):")
    print("  padded + masked h == unpadded h")

# %%
# A picture of ``h_t`` for every step. The hatched rows are padding: there
# the rows repeat the last real row.
limit = np.abs(seq_post).max()


def plot_outputs(outputs, mask, title):
    fig, axes = plt.subplots(
        3, 1, figsize=(5.5, 9), sharey=True, layout="constrained"
    )
    for sample, ax in enumerate(axes):
        image = ax.imshow(
            outputs[sample],
            cmap="RdBu_r",
            vmin=-limit,
            vmax=limit,
            aspect="auto",
        )
        for t in np.flatnonzero(~mask[sample]):
            ax.add_patch(
                Rectangle(
                    (-0.5, t - 0.5),
                    units,
                    1,
                    fill=False,
                    hatch="///",
                    edgecolor="0.35",
                    linewidth=0,
                )
            )
        ax.set_title(
            f"sample {sample}: {lengths[sample]} real steps", fontsize=10
        )
        ax.set_xlabel("unit")
        ax.set_xticks(range(units))
    fig.supylabel("time step (hatched = padding)")
    axes[0].set_yticks(range(9))
    fig.colorbar(image, ax=axes, label="output $h_t$")
    fig.suptitle(title)
    plt.show()


plot_outputs(
    seq_post,
    post_mask,
    "Post-padding + mask:\npadded steps repeat the last real h_t",
)

# %%
# Pre-padding
# -----------
# With pre-padding the masked steps come **first**. The layer carries its
# initial state (zeros) through them, so their outputs are zeros, and the
# real steps start from exactly the state an unpadded run starts from.
# The final state again equals the unpadded run - and equals the post-padded
# result. This holds for the generic kernel, which is what a CPU runs. On a
# GPU, where ``LSTM`` uses the cuDNN kernel, a pre-padded mask is refused:
# ``model.fit``/``predict`` fail with an ``InvalidArgumentError``, so pad with
# ``padding="post"`` there, or pass ``use_cudnn=False`` (Keras source:
# ``keras/src/backend/tensorflow/rnn.py``; the check itself is run on
# :ref:`sphx_glr_auto_examples_beyond_plot_gpu_cudnn.py`).
seq_pre, h_pre, c_pre = (t.numpy() for t in lstm(masking(pre)))
print("sample 2 outputs, steps 0..8:")
print(seq_pre[2])
for sample, n in enumerate(lengths):
    np.testing.assert_array_equal(seq_pre[sample, : 9 - n], 0.0)
    np.testing.assert_allclose(
        seq_pre[sample, 9 - n :], seq_post[sample, :n], rtol=1e-5, atol=1e-6
    )
np.testing.assert_allclose(h_pre, h_post, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(c_pre, c_post, rtol=1e-5, atol=1e-6)
print("final h and c: pre-padded == post-padded == unpadded")

# %%
plot_outputs(
    seq_pre, pre_mask, "Pre-padding + mask:\npadded steps output zeros"
)

# %%
# Without a mask, padding changes the answer
# ------------------------------------------
# Feed the padded batch straight to the LSTM, with no mask. The zero steps are
# now real inputs. With post-padding they come after the real steps and move
# the states away; only the full-length sample 0 is unaffected:
_, h_post_nomask, _ = (t.numpy() for t in lstm(post))
_, h_pre_nomask, _ = (t.numpy() for t in lstm(pre))
print(
    "max |h difference| per sample, post-padding, no mask:",
    np.abs(h_post_nomask - h_post).max(axis=1),
)
np.testing.assert_allclose(h_post_nomask[0], h_post[0], rtol=1e-5, atol=1e-6)
for sample in (1, 2):
    assert np.abs(h_post_nomask[sample] - h_post[sample]).max() > 5e-3

# %%
# Pre-padding without a mask *looks* harmless on this fresh layer:
print(
    "max |h difference| per sample, pre-padding, no mask: ",
    np.abs(h_pre_nomask - h_post).max(axis=1),
)
np.testing.assert_allclose(h_pre_nomask, h_post, rtol=1e-5, atol=1e-6)

# %%
# That is a coincidence of untrained weights. A new LSTM's biases are zero
# except the forget gate's (printed below), so from ``h = c = 0`` a zero
# input gives a zero candidate ``g``, hence ``c`` and ``h`` stay exactly zero
# through the leading zeros. Training makes the biases non-zero. Give the
# same layer random biases (as training would) and pre-padding without a mask
# goes wrong too, while the masked result still equals the unpadded run:
kernel, recurrent_kernel, bias = lstm.get_weights()
print("fresh bias, one block of", units, "per gate:")
for gate, block in zip("ifgo", np.split(bias, 4)):
    print(f"  {gate}: {block}")
i_bias, f_bias, g_bias, o_bias = np.split(bias, 4)
assert np.all(i_bias == 0) and np.all(g_bias == 0) and np.all(o_bias == 0)
assert np.all(f_bias == 1)  # unit_forget_bias=True
trained_like = keras.layers.LSTM(units, return_state=True)
trained_like.build(post.shape)
trained_like.set_weights(
    [
        kernel,
        recurrent_kernel,
        np.random.normal(0, 0.5, size=bias.shape).astype("float32"),
    ]
)
_, h_masked, _ = (t.numpy() for t in trained_like(masking(pre)))
_, h_unmasked, _ = (t.numpy() for t in trained_like(pre))
_, h_alone, _ = (t.numpy() for t in trained_like(sequences[2][np.newaxis]))
print(
    "max |h difference| per sample, pre-padding, no mask: ",
    np.abs(h_unmasked - h_masked).max(axis=1),
)
np.testing.assert_allclose(h_masked[2], h_alone[0], rtol=1e-5, atol=1e-6)
for sample in (1, 2):
    assert np.abs(h_unmasked[sample] - h_masked[sample]).max() > 5e-3

# %%
# Zeros instead of copies: ``zero_output_for_mask=True``
# ------------------------------------------------------
# If something after the LSTM reads the whole output sequence, the repeated
# values at post-padded steps may be unwanted. ``zero_output_for_mask=True``
# writes zeros there instead. Only the output sequence changes; the states
# are still carried, so the final ``h`` and ``c`` are unchanged.
# (``Bidirectional`` turns this on for its inner layers when they return
# sequences; Keras source: ``keras/src/layers/rnn/bidirectional.py``.)
lstm_zero = keras.layers.LSTM(
    units, return_sequences=True, return_state=True, zero_output_for_mask=True
)
lstm_zero.build(post.shape)
lstm_zero.set_weights(lstm.get_weights())
seq_zero, h_zero, c_zero = (t.numpy() for t in lstm_zero(masking(post)))
print("sample 2 outputs, steps 2..8:")
print(seq_zero[2, 2:])
np.testing.assert_array_equal(seq_zero[~post_mask], 0.0)
np.testing.assert_allclose(
    seq_zero[post_mask], seq_post[post_mask], rtol=1e-5, atol=1e-6
)
np.testing.assert_allclose(h_zero, h_post, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(c_zero, c_post, rtol=1e-5, atol=1e-6)

# %%
# Token ids: ``Embedding(mask_zero=True)``
# ----------------------------------------
# For text, sequences are lists of integer token ids. ``pad_sequences`` pads
# them with 0 (its default ``dtype="int32"`` is right here), and
# ``Embedding(mask_zero=True)`` makes the mask itself: id 0 means padding.
# Id 0 is then reserved, so ``input_dim`` is the vocabulary size **plus one**.
vocab_size = 10
token_lists = [[3, 7, 1, 9, 4, 2], [5, 8], [6, 6, 2, 1]]
tokens = keras.utils.pad_sequences(token_lists, padding="post")
print("padded token ids:", tokens.shape, tokens.dtype)
print(tokens)
assert tokens.shape == (3, 6)

embedding = keras.layers.Embedding(
    input_dim=vocab_size + 1, output_dim=features, mask_zero=True
)
vectors = embedding(tokens)
token_mask = embedding.compute_mask(tokens).numpy()
print("embedded:", tuple(vectors.shape), " mask:", token_mask.shape)
print(token_mask.astype(int))
assert tuple(vectors.shape) == (3, 6, features)
np.testing.assert_array_equal(token_mask, tokens != 0)

# %%
# The LSTM after the embedding receives that mask, and each sample's final
# state again equals the run on its unpadded token list.
lstm_tokens = keras.layers.LSTM(units, return_state=True)
last, h_tok, c_tok = (t.numpy() for t in lstm_tokens(vectors))
assert last.shape == h_tok.shape == c_tok.shape == (3, units)
for sample, ids in enumerate(token_lists):
    alone = embedding(np.array([ids]))
    _, h_alone, c_alone = (t.numpy() for t in lstm_tokens(alone))
    np.testing.assert_allclose(h_tok[sample], h_alone[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(c_tok[sample], c_alone[0], rtol=1e-5, atol=1e-6)
print("each padded token sequence ends in the state of its unpadded run")

# %%
# The same in a model
# -------------------
# Inside ``keras.Sequential`` (or a functional model) the mask flows from
# layer to layer the same way:
model = keras.Sequential(
    [
        keras.Input(shape=(None,), dtype="int32"),
        embedding,
        lstm_tokens,
    ]
)
h_model = model(tokens)[1].numpy()
np.testing.assert_allclose(h_model, h_tok, rtol=1e-5, atol=1e-6)
print("model output h:", h_model.shape)

# %%
# Exercises
# ---------
# **1. Predict the mask.** What mask does ``Embedding(11, 3,
# mask_zero=True)`` attach to ``keras.utils.pad_sequences([[4, 2], [7, 1,
# 3]], padding="post")``?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# ``pad_sequences`` pads to the longest length, 3, with a 0 after ``[4, 2]``;
# id 0 is the padding, so the mask is ``[[1, 1, 0], [1, 1, 1]]``.
ids = keras.utils.pad_sequences([[4, 2], [7, 1, 3]], padding="post")
mask = keras.layers.Embedding(11, 3, mask_zero=True).compute_mask(ids)
print(mask.numpy().astype(int))
np.testing.assert_array_equal(mask.numpy(), [[1, 1, 0], [1, 1, 1]])

# %%
# .. raw:: html
#
#    </details>
#
# **2. Fix this padding.** ``x = keras.utils.pad_sequences(sequences)``
# gives a ``(3, 9, 3)`` array, but not the one an LSTM should read for this
# page's float sequences. What are the two mistakes, and what is the fix?
#
# .. raw:: html
#
#    <details><summary>Solution</summary>
#
# The default ``dtype="int32"`` truncates the float features, and no mask
# marks the (front) padding. Pad as floats, and mask:
x = keras.utils.pad_sequences(sequences)
assert x.shape == (3, 9, 3) and x.dtype == np.int32
assert not np.allclose(x[0], sequences[0])  # the values were truncated
x = keras.utils.pad_sequences(sequences, padding="post", dtype="float32")
_, h_fixed, _ = (t.numpy() for t in lstm(keras.layers.Masking()(x)))
for sample, seq in enumerate(sequences):
    _, h_alone, _ = (t.numpy() for t in lstm(seq[np.newaxis]))
    np.testing.assert_allclose(h_fixed[sample], h_alone[0], atol=1e-6)
print("float, post-padded, masked: every h equals its unpadded run")

# %%
# .. raw:: html
#
#    </details>
#
# See also
# --------
# * :ref:`sphx_glr_auto_examples_seed_plot_return_sequences.py` and
#   :ref:`sphx_glr_auto_examples_seed_plot_return_state.py` - the output and
#   the states without padding.
# * :ref:`sphx_glr_auto_examples_beyond_plot_bidirectional.py` - masking in
#   both directions.
# * :ref:`sphx_glr_auto_examples_beyond_plot_shape_cheatsheet.py` - every
#   shape in one place.
