"""
Common LSTM shape errors, and their fixes
=========================================

**In short:** of the eight mistakes on this page, three are an input that is
not a 3-D ``(batch, timesteps, features)`` batch (``expected ndim=3, found
ndim=2`` or ``ndim=4``: sections 1, 3 and 8), two are tf.keras 2 arguments
that Keras 3 removed (``Unrecognized keyword arguments``: sections 5 and 7),
one is a stateful layer given another batch size (section 4), one only warns
(``input_shape=`` on a layer, section 6), and one gives no error at all:
``Dense`` after ``return_sequences=True`` predicts once per step (section
2). The table at the end lists each message with its cause and fix, made
from the messages printed above it.

Each section runs the mistake, prints the message Keras 3 gives (when this
page is built), names the cause, and runs the fix. Search the page for the
words of your message.
"""

# sphinx_gallery_start_ignore
# Hidden on the page, kept in the download (see the gallery's front page):
# quiet TensorFlow, no oneDNN reordering, the TensorFlow backend.
import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ["KERAS_BACKEND"] = "tensorflow"
# sphinx_gallery_end_ignore
import warnings

import keras
import matplotlib.pyplot as plt
import numpy as np

keras.utils.set_random_seed(313)
np.set_printoptions(precision=4, suppress=True)
# Keras' messages alone: without this, an error raised inside a layer's
# call() also lists the call's arguments, with bold codes for a terminal.
keras.config.disable_traceback_filtering()

batch, timesteps, features, units = 2, 9, 3, 5
x = np.random.normal(0, 1, size=(batch, timesteps, features)).astype("float32")
L = keras.layers
said = {}  # section -> the message Keras gave (for the table at the end)

# %%
# 1. ``expected ndim=3, found ndim=2``
# ------------------------------------
# **Cause:** the array given to the LSTM is 2-D. Either it is one sequence
# ``(timesteps, features)`` without the batch axis, or it is a table
# ``(samples, features)`` that was never cut into time steps.
try:
    L.LSTM(units)(x[0])  # one sequence, (timesteps, features)
except ValueError as err:
    print(err)
    said[1] = str(err)
assert "expected ndim=3, found ndim=2. Full shape received: (9, 3)" in said[1]

# %%
# **Fix:** add the batch axis for one sequence; reshape a flat table into
# ``(samples, timesteps, features)`` when each row holds ``timesteps *
# features`` numbers in time order. See
# :ref:`sphx_glr_auto_examples_seed_plot_lstm_input.py`.
one = x[0][np.newaxis]
table = x.reshape(batch, timesteps * features)  # a flat table, (2, 27)
cut = table.reshape(batch, timesteps, features)
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
assert L.LSTM(units)(cut).shape == (batch, units)
np.testing.assert_array_equal(cut, x)

# %%
# 2. ``Dense`` after ``return_sequences=True``: no error, surprising shape
# ------------------------------------------------------------------------
# **Cause:** in Keras 3, ``Dense`` on a 3-D input applies to the **last axis
# only**, with the same weights at every time step. So an LSTM returning
# sequences followed by ``Dense(1)`` gives one number *per step*,
# ``(batch, timesteps, 1)``, not one per sequence - and nothing complains:
# not the model, and not the loss either (below).
model = keras.Sequential(
    [
        keras.Input(shape=(timesteps, features)),
        L.LSTM(units, return_sequences=True),
        L.Dense(1),
    ]
)
y_pred = model(x).numpy()
print("expected (batch, 1) =", (batch, 1), "but got", y_pred.shape)
assert y_pred.shape == (batch, timesteps, 1)
said[2] = f"no error: model(x).shape == {y_pred.shape}"

# %%
# The Dense layer really is applied step by step:
sequence = model.layers[0](x).numpy()
dense = model.layers[1]
for t in range(timesteps):
    np.testing.assert_allclose(
        y_pred[:, t], dense(sequence[:, t]).numpy(), rtol=1e-5, atol=1e-6
    )
print(
    "Dense(1) on (batch, timesteps, units) == Dense(1) on each (batch, units)"
)

# %%
# Given targets ``y`` of shape ``(batch, 1)``, a Keras loss accepts the 3-D
# prediction without an error: it compares **every step's** prediction with
# the sequence's target and averages (checked below). So ``fit()`` would train
# every step to predict the sequence's label, and no error says so.
y = np.array([[1.0], [-1.0]], dtype="float32")
loss = float(keras.losses.MeanSquaredError()(y, y_pred))
per_step = float(np.mean((y_pred - y[:, np.newaxis, :]) ** 2))
print(
    f"MSE loss: {loss:.4f}\n"
    f"mean over all steps of (y_pred[:, t] - y)**2: {per_step:.4f}"
)
np.testing.assert_allclose(loss, per_step, rtol=1e-5)

# %%
# The picture: each sequence's 9 per-step predictions, all compared with the
# one target the loss is given for the whole sequence.
fig, ax = plt.subplots(figsize=(5.5, 4.6), layout="constrained")
steps = np.arange(1, timesteps + 1)
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
fig.legend(loc="outside lower center", fontsize=10)
fig.suptitle(
    "Dense after return_sequences=True:\n"
    "one prediction per step, not per sequence"
)
plt.show()

# %%
# **Fix:** for one prediction per sequence, let the last LSTM return only its
# final output (drop ``return_sequences``), or pool over time first. See
# :ref:`sphx_glr_auto_examples_seed_plot_return_sequences.py`.
fixed = keras.Sequential(
    [keras.Input(shape=(timesteps, features)), L.LSTM(units), L.Dense(1)]
)
pooled = keras.Sequential(
    [
        keras.Input(shape=(timesteps, features)),
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
assert fixed(x).shape == pooled(x).shape == (batch, 1)

# %%
# 3. Stacking LSTMs: ``found ndim=2. Full shape received: (None, 5)``
# -------------------------------------------------------------------
# **Cause:** the first LSTM returns only its last output, ``(batch, units)``,
# but the second LSTM needs a sequence.
try:
    keras.Sequential(
        [
            keras.Input(shape=(timesteps, features)),
            L.LSTM(units),
            L.LSTM(units),
        ]
    )
except ValueError as err:
    print(err)
    said[3] = str(err)
assert (
    "expected ndim=3, found ndim=2. Full shape received: (None, 5)" in said[3]
)

# %%
# **Fix:** ``return_sequences=True`` on every LSTM except the last. See
# :ref:`sphx_glr_auto_examples_beyond_plot_stacked_lstm.py`.
stacked = keras.Sequential(
    [
        keras.Input(shape=(timesteps, features)),
        L.LSTM(units, return_sequences=True),
        L.LSTM(units),
    ]
)
print("stacked:", tuple(stacked(x).shape))
assert stacked(x).shape == (batch, units)

# %%
# 4. Stateful LSTM: ``Expected batch size: 2 - Received batch size: 3``
# ---------------------------------------------------------------------
# **Cause:** a ``stateful=True`` layer keeps one state row per sample, so its
# batch size is fixed by ``keras.Input(batch_shape=...)``; a batch of another
# size is refused.
stateful = keras.Sequential(
    [
        keras.Input(batch_shape=(batch, timesteps, features)),
        L.LSTM(units, stateful=True),
    ]
)
three = np.random.normal(0, 1, size=(3, timesteps, features)).astype("float32")
try:
    stateful(three)
except ValueError as err:
    for line in str(err).splitlines():
        print(line.rstrip())  # one line of it ends with a space
    said[4] = str(err)
assert "Expected batch size: 2" in said[4]
assert "Received batch size: 3" in said[4]

# %%
# **Fix:** feed batches of exactly that size (pad the last one), or copy the
# weights into a non-stateful twin to run other batch sizes. See
# :ref:`sphx_glr_auto_examples_beyond_plot_stateful.py`.
print("batch of 2:", tuple(stateful(x).shape))
assert stateful(x).shape == (batch, units)
twin = keras.Sequential(
    [keras.Input(shape=(timesteps, features)), L.LSTM(units)]
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
try:
    L.LSTM(units, time_major=True)
except ValueError as err:
    print(err)
    said[5] = str(err)
assert "passed to LSTM: {'time_major': True}" in said[5]

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
assert batch_major.shape == (batch, timesteps, features)

# %%
# 6. ``UserWarning: Do not pass an `input_shape`/`input_dim` argument``
# ---------------------------------------------------------------------
# **Cause:** ``LSTM(units, input_shape=(timesteps, features))`` still works in
# Keras 3 but warns. The warning is caught here and printed.
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    old_style = keras.Sequential(
        [L.LSTM(units, input_shape=(timesteps, features))]
    )
for warning in caught:
    print(f"{warning.category.__name__} (the code runs): {warning.message}")
said[6] = str(caught[0].message)
assert "Do not pass an `input_shape`/`input_dim` argument" in said[6]
assert old_style(x).shape == (batch, units)

# %%
# **Fix:** start the model with ``keras.Input(shape=...)`` - no warning.
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    new_style = keras.Sequential(
        [keras.Input(shape=(timesteps, features)), L.LSTM(units)]
    )
print("warnings:", len(caught), " output:", tuple(new_style(x).shape))
assert len(caught) == 0 and new_style(x).shape == (batch, units)

# %%
# 7. ``Unrecognized keyword arguments ... {'batch_input_shape': ...}``
# --------------------------------------------------------------------
# **Cause:** tf.keras 2.x code fixed the batch size (usually for a stateful
# LSTM) with ``batch_input_shape=``. Keras 3 does not accept it on a layer at
# all - unlike ``input_shape``, this one is an error.
try:
    L.LSTM(
        units,
        stateful=True,
        batch_input_shape=(batch, timesteps, features),
    )
except ValueError as err:
    print(err)
    said[7] = str(err)
assert "passed to LSTM: {'batch_input_shape': (2, 9, 3)}" in said[7]

# %%
# **Fix:** ``keras.Input(batch_shape=(batch, timesteps, features))``, as in
# section 4:
print("model input:", stateful.inputs[0].shape)
assert tuple(stateful.inputs[0].shape) == (batch, timesteps, features)

# %%
# 8. ``expected ndim=3, found ndim=4`` after ``Input(shape=x.shape)``
# -------------------------------------------------------------------
# **Cause:** ``keras.Input(shape=...)`` takes the shape of **one sample**;
# Keras adds the batch axis itself. Passing the whole array's shape gives a
# 4-D input.
try:
    L.LSTM(units)(keras.Input(shape=x.shape))
except ValueError as err:
    print(err)
    said[8] = str(err)
assert "found ndim=4. Full shape received: (None, 2, 9, 3)" in said[8]

# %%
# **Fix:** ``keras.Input(shape=x.shape[1:])``.
inputs = keras.Input(shape=x.shape[1:])
print(
    "Input(shape=x.shape[1:]):",
    inputs.shape,
    "->",
    L.LSTM(units)(inputs).shape,
)
assert tuple(inputs.shape) == (None, timesteps, features)

# %%
# All the messages in one table
# -----------------------------
# One row per section. Each message cell is a phrase of the message Keras
# printed above (checked), or the symptom when there is no message.
CASES = [
    (
        1,
        "expected ndim=3, found ndim=2",
        "2-D input",
        "x[np.newaxis], or reshape",
    ),
    (
        2,
        "no error: model(x).shape == (2, 9, 1)",
        "Dense after 3-D output",
        "drop return_sequences",
    ),
    (
        3,
        "found ndim=2. Full shape received: (None, 5)",
        "stacked LSTM, no sequence",
        "return_sequences=True below",
    ),
    (
        4,
        "Expected batch size: 2",
        "stateful, other batch size",
        "same batch size, or a twin",
    ),
    (
        5,
        "Unrecognized keyword arguments passed to LSTM: {'time_major': True}",
        "tf.keras 2 argument",
        "transpose to (batch, time, feat)",
    ),
    (
        6,
        "Do not pass an `input_shape`/`input_dim` argument to a layer",
        "input_shape= on a layer",
        "keras.Input(shape=...)",
    ),
    (
        7,
        "keyword arguments passed to LSTM: {'batch_input_shape': (2, 9, 3)}",
        "tf.keras 2 argument",
        "Input(batch_shape=...)",
    ),
    (
        8,
        "found ndim=4. Full shape received: (None, 2, 9, 3)",
        "Input(shape=x.shape)",
        "Input(shape=x.shape[1:])",
    ),
]
rows = []
for section, phrase, cause, fix in CASES:
    assert phrase in said[section], (section, phrase)
    rows.append((f"{section}. {phrase}", cause, fix))
assert sorted(said) == [section for section, *_ in CASES]
# the counts in the "In short" paragraph
messages = list(said.values())
assert sum("expected ndim=3" in m for m in messages) == 3
assert sum("Unrecognized keyword arguments" in m for m in messages) == 2

# %%
# .. raw:: html
#
#    <details><summary>The table helper (same on every table page)</summary>
import re
import sys
from html import escape


class Table:
    """An HTML table on the page and in Jupyter, plain text in a script.

    Cells are shown as code. A row whose first cell is "" continues the
    row above it (that first cell spans both).
    """

    def __init__(self, header, rows):
        self.header, self.rows = header, rows

    def _repr_html_(self):
        top = ' style="text-align: left; vertical-align: top"'

        def code(cell):
            # phone width: a cell wraps at its spaces, after = _ . , and a
            # call's "(", inside CamelCase names and, if it must, anywhere
            text = re.sub(r"([=_.,]|(?<! )\()", r"\1<wbr>", escape(cell))
            text = re.sub(r"(?<=[a-z])(?=[A-Z])", "<wbr>", text)
            return f'<code style="overflow-wrap: anywhere">{text}</code>'

        body = ""
        for n, row in enumerate(self.rows):
            cells = "".join(f"<td{top}>{code(cell)}</td>" for cell in row[1:])
            if row[0]:
                later = [
                    k for k, r in enumerate(self.rows[n + 1 :], 1) if r[0]
                ]
                span = later[0] if later else len(self.rows) - n
                first = f'<td rowspan="{span}"{top}>{code(row[0])}</td>'
                cells = first + cells
            body += f"<tr>{cells}</tr>"
        head = "".join(f"<th{top}>{escape(name)}</th>" for name in self.header)
        return (
            '<table style="width: 100%">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )

    def __str__(self):
        columns = range(1, len(self.header))
        widths = [
            max(len(row[k]) for row in [self.header, *self.rows])
            for k in columns
        ]
        lines = []
        for row in [self.header, *self.rows]:
            if row[0]:
                lines += ["", row[0]]
            cells = [row[k].ljust(width) for k, width in zip(columns, widths)]
            lines.append(("    " + "  ".join(cells)).rstrip())
        return "\n".join(lines).strip("\n")


def show_table(table):
    """The page (or Jupyter) draws the table; a script prints it."""
    if not {"sphinx_gallery", "ipykernel"} & sys.modules.keys():
        print(table)
    return table


# %%
# .. raw:: html
#
#    </details>

show_table(Table(("message / symptom", "cause", "fix"), rows))

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_beyond_plot_shape_cheatsheet.py` - every
#   shape in one place.
# * :ref:`sphx_glr_auto_examples_beyond_plot_keras2_migration.py` - Keras 2
#   code that Keras 3 refuses (batch_input_shape, time_major, reset_states,
#   CuDNNLSTM).
