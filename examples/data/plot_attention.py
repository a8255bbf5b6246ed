"""
Attention over an LSTM's outputs: which step did the model look at?
===================================================================

**In short:** keys and values ``(batch, timesteps, dim)``, query
``(batch, 1, units)`` from ``h``; ``Attention`` returns a context
``(batch, 1, dim_value)`` and weights ``(batch, 1, timesteps)``,
``MultiHeadAttention`` weights ``(batch, heads, 1, timesteps)``. A 2-D query
raises no error and gives wrong shapes: add the time axis of length 1.

An LSTM with ``return_sequences=True`` gives one output vector per time step;
with ``return_state=True`` also its final state ``h``. An attention layer
compares a **query** (here ``h``) with every step's **key** (here the LSTM's
outputs), turns the scores into weights that sum to 1 over the steps, and
returns the weighted sum of the **values**. The weights say which steps the
model used.

The one shape rule to remember: the query needs a time axis too. ``h`` is
``(batch, units)``; the query must be ``(batch, 1, units)``, one query step.
This page wires ``keras.layers.Attention`` and ``MultiHeadAttention`` to an
LSTM, asserts every shape, trains on a task where the right step is known, and
checks that the weights point at it.
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
from matplotlib.patches import Rectangle

keras.utils.set_random_seed(313)
tf.config.experimental.enable_op_determinism()
np.set_printoptions(precision=4, suppress=True, linewidth=60)

# %%
# The task: recall the value at the marked step
# ---------------------------------------------
# Each sequence has 12 steps of 2 features: a random value in [-1, 1], and a
# marker that is 1 at exactly one random step and 0 elsewhere. The target is
# the value at the marked step. So we know which step a good model must look
# at.
timesteps, units = 12, 16
rng = np.random.default_rng(0)


def make_data(count):
    values = rng.uniform(-1, 1, size=(count, timesteps)).astype("float32")
    marked = rng.integers(0, timesteps, size=count)
    marker = np.zeros((count, timesteps), dtype="float32")
    marker[np.arange(count), marked] = 1.0
    x = np.stack([values, marker], axis=-1)  # (count, timesteps, 2)
    return x, values[np.arange(count), marked], marked


x_train, y_train, marked_train = make_data(1024)
x_test, y_test, marked_test = make_data(512)
print("x:", x_train.shape, " y:", y_train.shape)
print("sample 0, (value, marker) per step:")
print(x_train[0].T)
print("its target:", y_train[0], " (step", marked_train[0], ")")
assert x_train.shape == (1024, timesteps, 2) and y_train.shape == (1024,)
assert (x_train[..., 1].sum(axis=1) == 1).all()  # one marker per sequence

# %%
# The shapes: LSTM outputs as keys and values, ``h`` as the query
# ---------------------------------------------------------------
# ``Attention()([query, value])`` uses ``value`` as the key too (Keras
# source: ``keras/src/layers/attention/attention.py``). Give the layer 3-D
# tensors: the query ``(batch, query_steps, dim)`` against the value
# ``(batch, timesteps, dim)``. ``h`` gets a time axis of length 1 with
# ``Reshape((1, units))``.
L = keras.layers
inputs = keras.Input(shape=(timesteps, 2), name="sequence")
outputs, state_h, state_c = L.LSTM(
    units, return_sequences=True, return_state=True, name="lstm"
)(inputs)
query = L.Reshape((1, units), name="query")(state_h)
context, scores = L.Attention(name="attention")(
    [query, outputs], return_attention_scores=True
)
for name, tensor in [
    ("LSTM outputs (value, key)", outputs),
    ("state_h", state_h),
    ("query", query),
    ("context", context),
    ("attention scores", scores),
]:
    print(f"{name:<27}{tuple(tensor.shape)}")
assert tuple(outputs.shape) == (None, timesteps, units)
assert tuple(state_h.shape) == (None, units)
assert tuple(query.shape) == (None, 1, units)
assert tuple(context.shape) == (
    None,
    1,
    units,
)  # one weighted sum per query step
assert tuple(scores.shape) == (None, 1, timesteps)  # one weight per step

# %%
# The "scores" Keras returns are the weights after the softmax: for each
# query step, ``timesteps`` numbers between 0 and 1 that sum to 1.
probe = keras.Model(inputs, [context, scores])
context_values, weights = (t.numpy() for t in probe(x_test[:4]))
print("weights of 4 untrained samples:")
print(weights[:, 0])
np.testing.assert_allclose(weights.sum(axis=-1), 1, rtol=1e-5)
np.testing.assert_allclose(  # the context is the weighted sum of the values
    context_values[:, 0],
    np.einsum(
        "bt,btu->bu",
        weights[:, 0],
        keras.Model(inputs, outputs)(x_test[:4]).numpy(),
    ),
    rtol=1e-4,
    atol=1e-6,
)

# %%
# Untrained, the weights are close to uniform, ``1/12 = 0.083`` each (all
# within 0.02 of it):
print(f"largest gap from 1/12: {np.abs(weights - 1 / 12).max():.4f}")
assert np.abs(weights - 1 / 12).max() < 0.02

# %%
# The model we train
# ------------------
# Attention takes a third input: ``[query, value, key]``. For training we keep
# the LSTM outputs as the **keys** and use the raw value feature as the
# **value**, ``(batch, 12, 1)``. The prediction is then the weighted average
# of the 12 values, so it can only be right if the weight sits on the marked
# step: training has to make the marked step's key score highest against
# ``h``. ``use_scale=True`` adds one trainable factor, initialised to 1, that
# multiplies the scores before the softmax (Keras source:
# ``keras/src/layers/attention/attention.py``); a larger factor makes the
# weights sharper.
value = inputs[:, :, :1]  # (batch, 12, 1): the value feature
context, scores = L.Attention(use_scale=True, name="attention")(
    [query, value, outputs], return_attention_scores=True
)
prediction = L.Flatten(name="prediction")(context)  # (batch, 1)
model = keras.Model(inputs, prediction, name="lstm_attention")
weights_model = keras.Model(inputs, scores)
print("context:", tuple(context.shape), " scores:", tuple(scores.shape))
print("prediction:", tuple(prediction.shape))
assert tuple(context.shape) == (None, 1, 1)
assert tuple(scores.shape) == (None, 1, timesteps)

# %%
# The control: the same model before training, on the held-out sequences.


def recall_scores(predicted, weights):
    """MAE of the recalled value, share of argmax hits, weight on the mark."""
    mae = float(np.abs(predicted - y_test).mean())
    hit_rate = float((weights.argmax(axis=1) == marked_test).mean())
    on_marked = weights[np.arange(len(x_test)), marked_test]
    return mae, hit_rate, on_marked


untrained_mae, untrained_hits, untrained_on = recall_scores(
    model(x_test).numpy()[:, 0], weights_model(x_test).numpy()[:, 0]
)
print(f"untrained: MAE {untrained_mae:.4f}, hits {untrained_hits:.1%}")
print(f"  mean weight on the marked step {untrained_on.mean():.3f}")

model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
# sphinx_gallery_start_ignore
# build speed only: create Adam's slots now, so that fit() compiles its step
# once, not twice
model.optimizer.build(model.trainable_variables)
# sphinx_gallery_end_ignore
history = model.fit(x_train, y_train, epochs=10, batch_size=64, verbose=0)
losses = history.history["loss"]
for epoch in (1, 4, 7, 10):
    print(f"epoch {epoch:>2}: training MSE {losses[epoch - 1]:.4f}")
assert losses[-1] < 0.02

# %%
# On held-out sequences, the predictions and the weights, trained, next to
# the untrained control above:
predicted = model(x_test).numpy()[:, 0]
weights = weights_model(x_test).numpy()[:, 0]
mae, hit_rate, on_marked = recall_scores(predicted, weights)
scale = float(model.get_layer("attention").scale.numpy())
print(f"MAE of the recalled value: {mae:.4f} (untrained {untrained_mae:.4f})")
print(f"marked step has the largest weight: {hit_rate:.1%} of samples")
print(f"  (untrained: {untrained_hits:.1%})")
print(f"mean weight on the marked step: {on_marked.mean():.3f}")
print(f"  (untrained: {untrained_on.mean():.3f}, uniform: 0.083)")
print(f"learnt score scale: {scale:.2f} (initial value 1)")
assert weights.shape == (len(x_test), timesteps)
assert mae < 0.1 < 0.3 < untrained_mae
assert hit_rate >= 0.9 > 0.5 > untrained_hits
assert on_marked.mean() > 0.8 > 0.2 > untrained_on.mean()
assert scale > 1

# %%
# The weights, sample by sample
# -----------------------------
# Twenty held-out sequences: one row each, one column per time step, the
# marked step outlined. In every row shown, more than half of the weight is
# in its box (the smallest share is printed).
shown = 20
print(f"smallest weight in the box: {on_marked[:shown].min():.3f}")
assert on_marked[:shown].min() > 0.5
fig, ax = plt.subplots(figsize=(5.5, 5.6), layout="constrained")
image = ax.imshow(
    weights[:shown], cmap="viridis", vmin=0, vmax=1, aspect="auto"
)
for row, step in enumerate(marked_test[:shown]):
    ax.add_patch(
        Rectangle(
            (step - 0.5, row - 0.5),
            1,
            1,
            fill=False,
            edgecolor="white",
            linewidth=2,
        )
    )
    ax.add_patch(
        Rectangle(
            (step - 0.45, row - 0.45),
            0.9,
            0.9,
            fill=False,
            edgecolor="black",
            linewidth=1,
        )
    )
ax.set_xticks(range(timesteps))
ax.set_yticks(range(0, shown, 2))
ax.set_xlabel("time step")
ax.set_ylabel("held-out sample")
fig.colorbar(image, ax=ax, label="attention weight")
ax.set_title("Attention weights after training\n(box: the marked step)")
plt.show()

# %%
# ``MultiHeadAttention`` with the same query and keys
# ---------------------------------------------------
# ``MultiHeadAttention(num_heads, key_dim)`` projects query, key and value
# into ``num_heads`` smaller spaces of ``key_dim`` numbers, attends in each,
# and projects the result back to the query's last dimension (Keras source:
# ``keras/src/layers/attention/multi_head_attention.py``). Its call takes
# ``(query, value, key)`` as separate arguments, and its scores have one row
# of weights per head: ``(batch, heads, query_steps, timesteps)``.
heads = 2
mha = L.MultiHeadAttention(num_heads=heads, key_dim=8, name="mha")
mha_context, mha_scores = mha(
    query, outputs, outputs, return_attention_scores=True
)
mha_model = keras.Model(inputs, [mha_context, mha_scores])
real_context, real_scores = (t.numpy() for t in mha_model(x_test[:4]))
print("MultiHeadAttention context:", real_context.shape)
print("MultiHeadAttention scores:", real_scores.shape)
print("  = (batch, heads, 1, timesteps)")
assert real_context.shape == (4, 1, units)
assert real_scores.shape == (4, heads, 1, timesteps)
np.testing.assert_allclose(real_scores.sum(axis=-1), 1, rtol=1e-5)
print("sums per head:", real_scores.sum(axis=-1)[:, :, 0].ravel())

# %%
# Check the arrays, not only the symbolic shapes: in Keras 3.15 the symbolic
# scores tensor of ``MultiHeadAttention`` claims the query length twice,
# ``(batch, heads, 1, 1)`` here, while the arrays it returns are
# ``(batch, heads, 1, 12)`` as above. (``keras.Model`` still works; the model
# outputs the real arrays.)
print("symbolic context:", tuple(mha_context.shape))
print("symbolic scores: ", tuple(mha_scores.shape))
assert tuple(mha_context.shape) == (None, 1, units)
assert tuple(mha_scores.shape) == (None, heads, 1, 1)

# %%
# Unlike ``Attention``, it has weights of its own: a query, key and value
# projection ``(dim, heads, key_dim)`` with a bias ``(heads, key_dim)`` each,
# and an output projection ``(heads, key_dim, dim)`` with a bias ``(dim,)``.
projection = units * heads * 8 + heads * 8
expected = 3 * projection + heads * 8 * units + units
print("MultiHeadAttention parameters:", mha.count_params(), "=", expected)
assert mha.count_params() == expected
plain = L.Attention()  # the default, use_scale=False
plain([query, outputs])
print("Attention() parameters:", plain.count_params())
assert plain.count_params() == 0

# %%
# Common mistake: a 2-D query
# ---------------------------
# ``state_h`` is ``(batch, units)``. Passed to ``Attention`` as it is, there is
# **no error**: the matrix product broadcasts, and the whole batch of ``h``
# vectors is taken as a sequence of query steps for every sample. Four
# samples give a ``(4, 4, 16)`` context instead of ``(4, 1, 16)``: row ``j`` of
# sample ``i`` is sample ``j``'s query on sample ``i``'s outputs.
lstm_part = keras.Model(inputs, [outputs, state_h])
seq4, h4 = (t.numpy() for t in lstm_part(x_test[:4]))
wrong_context, wrong_scores = L.Attention()(
    [h4, seq4], return_attention_scores=True
)
print(
    "2-D query",
    h4.shape,
    "-> context",
    tuple(wrong_context.shape),
    " scores",
    tuple(wrong_scores.shape),
)
assert tuple(wrong_context.shape) == (4, 4, units)
assert tuple(wrong_scores.shape) == (4, 4, timesteps)

# %%
# **Fix:** give ``h`` a time axis of length 1, ``h[:, None, :]`` (or
# ``Reshape((1, units))`` in a model, as above). Each sample's own query is
# the diagonal of the wrong result.
right_context, right_scores = L.Attention()(
    [h4[:, None, :], seq4], return_attention_scores=True
)
print(
    "3-D query",
    h4[:, None, :].shape,
    "-> context",
    tuple(right_context.shape),
    " scores",
    tuple(right_scores.shape),
)
assert tuple(right_context.shape) == (4, 1, units)
diagonal = wrong_scores.numpy()[np.arange(4), np.arange(4)]
np.testing.assert_allclose(
    right_scores.numpy()[:, 0], diagonal, rtol=1e-5, atol=1e-7
)

# %%
# And every row of the wrong result, checked by hand: row ``j`` of sample
# ``i`` is the softmax of sample ``j``'s ``h`` dotted with sample ``i``'s
# outputs.
logits = np.einsum("ju,itu->ijt", h4, seq4)
by_hand = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
np.testing.assert_allclose(wrong_scores.numpy(), by_hand, rtol=1e-4)
print("wrong scores == by hand, for all", h4.shape[0] ** 2, "(i, j) pairs")

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_seed_plot_sequences_and_states.py` -
#   ``return_sequences`` and ``return_state`` together.
# * :ref:`sphx_glr_auto_examples_data_plot_encoder_decoder.py` - an
#   encoder-decoder, a model attention is often added to.
# * :ref:`sphx_glr_auto_examples_beyond_plot_masking.py` - padded sequences and
#   masks.
