"""
Common LSTM shape errors, and their fixes
=========================================

The messages people paste into a search box, each reproduced here with the
real message Keras 3 prints (captured when this page is built), its cause,
and the fix - which is run too. The table first: find your message there,
then its section below shows the code that raised it, the whole message, the
cause and the fix.

Keras formats some messages for a terminal (bold text); the code that
captures them removes those escape codes and trailing spaces and wraps long
lines at 78 characters before printing, nothing else.
"""

# sphinx_gallery_start_ignore
# Hidden on the page, kept in the download (see the gallery's front page):
# quiet TensorFlow, no oneDNN reordering, the TensorFlow backend.
import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ["KERAS_BACKEND"] = "tensorflow"
# sphinx_gallery_end_ignore
import inspect
import re
import sys
import textwrap
import warnings
from html import escape

import keras
import matplotlib.pyplot as plt
import numpy as np

keras.utils.set_random_seed(313)
np.set_printoptions(precision=4, suppress=True)

# %%
# The messages, their causes and fixes
# ------------------------------------
# One row per section below. Each message cell is a phrase of the message
# Keras really gave when this page was built (checked), or the symptom when
# there is no message. The code runs every failing call once, on a batch
# ``x`` of shape ``(batch, timesteps, features) = (2, 9, 3)`` and LSTMs of
# ``units = 5``; each section then shows its call and the whole message.
#
# .. raw:: html
#
#    <details><summary>The code that makes each mistake and draws the table</summary>

batch_size, seq_len, in_features, units = 2, 9, 3, 5
x = np.random.normal(0, 1, size=(batch_size, seq_len, in_features)).astype(
    "float32"
)
L = keras.layers


# The mistakes, one small function each (run once, just below).
def one_sequence():
    return L.LSTM(units)(x[0])


def dense_after_sequences():
    return keras.Sequential(
        [
            keras.Input(shape=(seq_len, in_features)),
            L.LSTM(units, return_sequences=True),
            L.Dense(1),
        ]
    )


def stacked_without_sequences():
    return keras.Sequential(
        [
            keras.Input(shape=(seq_len, in_features)),
            L.LSTM(units),
            L.LSTM(units),
        ]
    )


def stateful_other_batch():
    stateful = keras.Sequential(
        [
            keras.Input(batch_shape=(batch_size, seq_len, in_features)),
            L.LSTM(units, stateful=True),
        ]
    )
    three = np.zeros((3, seq_len, in_features), "float32")
    return stateful(three)


def time_major():
    return L.LSTM(units, time_major=True)


def input_shape_on_layer():
    return keras.Sequential(
        [L.LSTM(units, input_shape=(seq_len, in_features))]
    )


def batch_input_shape():
    return L.LSTM(
        units,
        stateful=True,
        batch_input_shape=(batch_size, seq_len, in_features),
    )


def input_of_whole_array():
    inputs = keras.Input(shape=x.shape)
    return L.LSTM(units)(inputs)


# Each mistake with phrases of its message for the table (each checked to be
# part of the real message), its cause and its fix.
CASES = [
    (
        one_sequence,
        ["expected ndim=3, found ndim=2"],
        "2-D input",
        "x[np.newaxis] / reshape to 3-D",
    ),
    (
        dense_after_sequences,
        ["no error: model(x).shape == (2, 9, 1)"],
        "Dense after 3-D output",
        "drop return_sequences",
    ),
    (
        stacked_without_sequences,
        ["found ndim=2. Full shape received: (None, 5)"],
        "stacked LSTM, no sequence",
        "return_sequences=True below",
    ),
    (
        stateful_other_batch,
        ["Expected batch size: 2", "Received batch size: 3"],
        "stateful, other batch size",
        "same batch size or twin",
    ),
    (
        time_major,
        [
            "Unrecognized keyword arguments passed to LSTM: {'time_major': True}"
        ],
        "tf.keras 2 argument",
        "transpose to (batch, time, feat)",
    ),
    (
        input_shape_on_layer,
        ["Do not pass an `input_shape`/`input_dim` argument to a layer"],
        "input_shape= on a layer",
        "keras.Input(shape=...)",
    ),
    (
        batch_input_shape,
        ["keyword arguments passed to LSTM: {'batch_input_shape': (2, 9, 3)}"],
        "tf.keras 2 argument",
        "Input(batch_shape=...)",
    ),
    (
        input_of_whole_array,
        ["found ndim=4. Full shape received: (None, 2, 9, 3)"],
        "Input(shape=x.shape)",
        "Input(shape=x.shape[1:])",
    ),
]


def clean(text):
    """A message without terminal escape codes and trailing spaces."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(text))
    return "\n".join(line.rstrip() for line in text.splitlines())


def attempt(case):
    """Call ``case``; return (what Keras says, what the call returned).

    What Keras says: the error raised, else the warnings given (captured, so
    nothing reaches the console), else - for a model - the shape it returns
    for ``x``.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = case()
        except ValueError as error:
            return f"{type(error).__name__}: {clean(error)}", None
    if caught:
        warned = [
            f"{w.category.__name__} (captured): {clean(w.message)}"
            for w in caught
        ]
        return "\n".join(warned), value
    return f"no error: model(x).shape == {tuple(value(x).shape)}", value


said = {case: attempt(case) for case, *_ in CASES}  # every mistake, run once


def show(case):
    """Print the code of ``case`` and what Keras said; return (message, value)."""
    print(inspect.getsource(case).rstrip(), end="\n\n")
    message, value = said[case]
    for line in message.splitlines():
        print(
            textwrap.fill(line, 78, subsequent_indent="    ") if line else ""
        )
    return message, value


def quote(message, phrase):
    """``phrase``, checked to be part of the real ``message`` (for the table)."""
    assert phrase in message, (phrase, message)
    return phrase


class Table:
    """An HTML table on this page and in Jupyter, text when run as a script.

    A row whose first cell is empty continues the row above it.
    """

    def __init__(self, header, rows):
        self.header, self.rows = header, rows

    def _repr_html_(self):
        left = ' style="text-align: left; vertical-align: top"'

        def code(cell, message=False):
            # so that the table fits a phone's width: a message may break
            # anywhere, a cause or fix after "(", "=", "_" or "."
            if message:
                return f'<code style="overflow-wrap: anywhere">{escape(cell)}</code>'
            return (
                "<code>"
                + re.sub(r"([(=_.])", r"\1<wbr>", escape(cell))
                + "</code>"
            )

        body = ""
        for n, row in enumerate(self.rows):
            cells = "".join(f"<td{left}>{code(cell)}</td>" for cell in row[1:])
            if row[0]:
                span = next(
                    (k for k, r in enumerate(self.rows[n + 1 :], 1) if r[0]),
                    len(self.rows) - n,
                )
                cells = (
                    f'<td rowspan="{span}"{left}>{code(row[0], message=True)}</td>'
                    + cells
                )
            body += f"<tr>{cells}</tr>"
        head = "".join(
            f"<th{left}>{escape(name)}</th>" for name in self.header
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def __str__(self):
        widths = [
            max(len(row[k]) for row in [self.header, *self.rows])
            for k in (1, 2)
        ]
        lines = []
        for row in [self.header, *self.rows]:
            if row[0]:
                lines += ["", row[0]]
            lines.append(
                "    "
                + "  ".join(
                    c.ljust(w) for c, w in zip(row[1:], widths)
                ).rstrip()
            )
        return "\n".join(lines).strip("\n")


def show_table(table):
    """Return the table for this page (or Jupyter) to draw; a script prints it."""
    if not {"sphinx_gallery", "ipykernel"} & sys.modules.keys():
        print(table)
    return table


rows = [
    (", ".join(quote(said[case][0], phrase) for phrase in phrases), cause, fix)
    for case, phrases, cause, fix in CASES
]

# %%
# .. raw:: html
#
#    </details>
show_table(Table(("message / symptom", "cause", "fix"), rows))


# %%
# 1. ``expected ndim=3, found ndim=2``
# ------------------------------------
# **Cause:** the array given to the LSTM is 2-D. Either it is one sequence
# ``(timesteps, features)`` without the batch axis, or it is a table
# ``(samples, features)`` that was never cut into time steps.
message, _ = show(one_sequence)
assert "expected ndim=3, found ndim=2. Full shape received: (9, 3)" in message

# %%
# **Fix:** add the batch axis for one sequence; reshape a flat table into
# ``(samples, timesteps, features)`` when each row holds ``timesteps *
# features`` numbers in time order. See
# :ref:`sphx_glr_auto_examples_seed_plot_lstm_input.py`.
one = x[0][np.newaxis]
table = x.reshape(batch_size, seq_len * in_features)  # a flat table, (2, 27)
cut = table.reshape(batch_size, seq_len, in_features)
print(
    "one sequence:",
    x[0].shape,
    "->",
    one.shape,
    "->",
    tuple(L.LSTM(units)(one).shape),
)
print(
    "flat table:  ",
    table.shape,
    "->",
    cut.shape,
    "->",
    tuple(L.LSTM(units)(cut).shape),
)
assert L.LSTM(units)(one).shape == (1, units)
assert L.LSTM(units)(cut).shape == (batch_size, units)
np.testing.assert_array_equal(cut, x)

# %%
# 2. ``Dense`` after ``return_sequences=True``: no error, surprising shape
# ------------------------------------------------------------------------
# **Cause:** in Keras 3, ``Dense`` on a 3-D input applies to the **last axis
# only**, with the same weights at every time step. So an LSTM returning
# sequences followed by ``Dense(1)`` gives one number *per step*,
# ``(batch, timesteps, 1)``, not one per sequence - and nothing complains:
# not the model, and not the loss either (below).
message, model = show(dense_after_sequences)
y_pred = model(x).numpy()
print("expected (batch, 1) =", (batch_size, 1), "but got", y_pred.shape)
assert y_pred.shape == (batch_size, seq_len, 1)

# %%
# The Dense layer really is applied step by step:
sequence = model.layers[0](x).numpy()
dense = model.layers[1]
for t in range(seq_len):
    np.testing.assert_allclose(
        y_pred[:, t], dense(sequence[:, t]).numpy(), rtol=1e-5, atol=1e-6
    )
print(
    "Dense(1) on (batch, timesteps, units) == Dense(1) on each (batch, units)"
)

# %%
# Given targets ``y`` of shape ``(batch, 1)``, a Keras loss accepts the 3-D
# prediction without an error: it compares **every step's** prediction with
# the sequence's target and averages. Training would then teach every step to
# predict the label, a bug that shows up only as poor results.
y = np.array([[1.0], [-1.0]], dtype="float32")
loss = float(keras.losses.MeanSquaredError()(y, y_pred))
per_step = float(np.mean((y_pred - y[:, np.newaxis, :]) ** 2))
print(
    f"MSE loss: {loss:.4f}  (= mean over all steps of (y_pred[:, t] - y)**2: {per_step:.4f})"
)
np.testing.assert_allclose(loss, per_step, rtol=1e-5)

# %%
# The picture: each sequence's 9 per-step predictions, all compared with the
# one target the loss is given for the whole sequence.
fig, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
steps = np.arange(1, seq_len + 1)
for sample, colour in enumerate(["tab:blue", "tab:orange"]):
    ax.plot(
        steps,
        y_pred[sample, :, 0],
        "o-",
        color=colour,
        label=f"sequence {sample}: prediction at each step",
    )
    ax.axhline(
        y[sample, 0],
        color=colour,
        linestyle="--",
        label=f"sequence {sample}: its one target, {y[sample, 0]:+.0f}",
    )
ax.set_xlabel("time step")
ax.set_ylabel("Dense(1) output")
ax.set_xticks(steps)
ax.legend(loc="center right", fontsize=9)
fig.suptitle(
    "Dense after return_sequences=True: one prediction per step, not per sequence"
)
plt.show()

# %%
# **Fix:** for one prediction per sequence, let the last LSTM return only its
# final output (drop ``return_sequences``), or pool over time first. See
# :ref:`sphx_glr_auto_examples_seed_plot_return_sequences.py`.
fixed = keras.Sequential(
    [keras.Input(shape=(seq_len, in_features)), L.LSTM(units), L.Dense(1)]
)
pooled = keras.Sequential(
    [
        keras.Input(shape=(seq_len, in_features)),
        L.LSTM(units, return_sequences=True),
        L.GlobalAveragePooling1D(),
        L.Dense(1),
    ]
)
print(
    "without return_sequences:",
    tuple(fixed(x).shape),
    " pooled:",
    tuple(pooled(x).shape),
)
assert fixed(x).shape == pooled(x).shape == (batch_size, 1)

# %%
# 3. Stacking LSTMs: ``found ndim=2. Full shape received: (None, 5)``
# -------------------------------------------------------------------
# **Cause:** the first LSTM returns only its last output, ``(batch, units)``,
# but the second LSTM needs a sequence.
message, _ = show(stacked_without_sequences)
assert (
    "expected ndim=3, found ndim=2. Full shape received: (None, 5)" in message
)

# %%
# **Fix:** ``return_sequences=True`` on every LSTM except the last. See
# :ref:`sphx_glr_auto_examples_beyond_plot_stacked_lstm.py`.
stacked = keras.Sequential(
    [
        keras.Input(shape=(seq_len, in_features)),
        L.LSTM(units, return_sequences=True),
        L.LSTM(units),
    ]
)
print("stacked:", tuple(stacked(x).shape))
assert stacked(x).shape == (batch_size, units)

# %%
# 4. Stateful LSTM: ``Expected batch size: 2 - Received batch size: 3``
# ---------------------------------------------------------------------
# **Cause:** a ``stateful=True`` layer keeps one state row per sample, so its
# batch size is fixed by ``keras.Input(batch_shape=...)``; a batch of another
# size is refused.
message, _ = show(stateful_other_batch)
assert (
    "Expected batch size: 2" in message and "Received batch size: 3" in message
)

# %%
# **Fix:** feed batches of exactly that size (pad the last one), or copy the
# weights into a non-stateful twin to run other batch sizes. See
# :ref:`sphx_glr_auto_examples_beyond_plot_stateful.py`.
stateful = keras.Sequential(
    [
        keras.Input(batch_shape=(batch_size, seq_len, in_features)),
        L.LSTM(units, stateful=True),
    ]
)
three = np.random.normal(0, 1, size=(3, seq_len, in_features)).astype(
    "float32"
)
print("batch of 2:", tuple(stateful(x).shape))
assert stateful(x).shape == (batch_size, units)
twin = keras.Sequential(
    [keras.Input(shape=(seq_len, in_features)), L.LSTM(units)]
)
twin.set_weights(stateful.get_weights())
print("non-stateful twin, batch of 3:", tuple(twin(three).shape))
assert twin(three).shape == (3, units)
stateful.layers[0].reset_states()  # forget the state of the batch above
np.testing.assert_allclose(
    twin(x).numpy(), stateful(x).numpy(), rtol=1e-5, atol=1e-6
)

# %%
# 5. ``Unrecognized keyword arguments passed to LSTM: {'time_major': True}``
# --------------------------------------------------------------------------
# **Cause:** code written for tf.keras 2.x (like the seed notebook). There
# ``time_major=True`` made the layer read ``(timesteps, batch, features)``.
# Keras 3 removed the argument.
message, _ = show(time_major)
assert (
    "Unrecognized keyword arguments passed to LSTM: {'time_major': True}"
    in message
)

# %%
# **Fix:** drop the argument and, if the data really is time-major, swap its
# first two axes. See :ref:`sphx_glr_auto_examples_seed_plot_time_major.py`.
time_major_data = x.transpose(1, 0, 2)  # (timesteps, batch, features)
batch_major = np.transpose(time_major_data, (1, 0, 2))
print(
    "time-major",
    time_major_data.shape,
    "-> batch-major",
    batch_major.shape,
    "->",
    tuple(L.LSTM(units)(batch_major).shape),
)
assert batch_major.shape == (batch_size, seq_len, in_features)

# %%
# 6. ``UserWarning: Do not pass an `input_shape`/`input_dim` argument``
# ---------------------------------------------------------------------
# **Cause:** ``LSTM(units, input_shape=(timesteps, features))`` still works in
# Keras 3 but warns. The warning is captured here (so nothing reaches the
# console) and printed.
message, old_style = show(input_shape_on_layer)
assert "Do not pass an `input_shape`/`input_dim` argument" in message
assert old_style(x).shape == (batch_size, units)

# %%
# **Fix:** start the model with ``keras.Input(shape=...)`` - no warning.
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    new_style = keras.Sequential(
        [keras.Input(shape=(seq_len, in_features)), L.LSTM(units)]
    )
print("warnings:", len(caught), " output:", tuple(new_style(x).shape))
assert len(caught) == 0 and new_style(x).shape == (batch_size, units)

# %%
# 7. ``Unrecognized keyword arguments passed to LSTM: {'batch_input_shape': ...}``
# --------------------------------------------------------------------------------
# **Cause:** tf.keras 2.x code fixed the batch size (usually for a stateful
# LSTM) with ``batch_input_shape=``. Keras 3 does not accept it on a layer at
# all - unlike ``input_shape``, this one is an error.
message, _ = show(batch_input_shape)
assert (
    "Unrecognized keyword arguments passed to LSTM: {'batch_input_shape': (2, 9, 3)}"
    in message
)

# %%
# **Fix:** ``keras.Input(batch_shape=(batch, timesteps, features))``, as in
# section 4:
print("model input:", stateful.inputs[0].shape)
assert tuple(stateful.inputs[0].shape) == (batch_size, seq_len, in_features)

# %%
# 8. ``expected ndim=3, found ndim=4`` after ``Input(shape=x.shape)``
# -------------------------------------------------------------------
# **Cause:** ``keras.Input(shape=...)`` takes the shape of **one sample**;
# Keras adds the batch axis itself. Passing the whole array's shape gives a
# 4-D input.
message, _ = show(input_of_whole_array)
assert (
    "expected ndim=3, found ndim=4. Full shape received: (None, 2, 9, 3)"
    in message
)

# %%
# **Fix:** ``keras.Input(shape=x.shape[1:])``.
inputs = keras.Input(shape=x.shape[1:])
print(
    "Input(shape=x.shape[1:]):",
    inputs.shape,
    "->",
    L.LSTM(units)(inputs).shape,
)
assert tuple(inputs.shape) == (None, seq_len, in_features)

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_beyond_plot_shape_cheatsheet.py` - every shape in one place.
# * :ref:`sphx_glr_auto_examples_beyond_plot_keras2_migration.py` - Keras 2 code that Keras 3 refuses (batch_input_shape, time_major, reset_states, CuDNNLSTM).
