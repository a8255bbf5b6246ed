"""
The GPU rules: when ``LSTM`` uses cuDNN, and why masks must be right-padded
===========================================================================

**In short:** keep the defaults (``tanh``, ``sigmoid``, no
``recurrent_dropout``, no ``unroll``, a bias) and ``LSTM`` runs NVIDIA's
cuDNN kernel on a GPU; pad with ``padding="post"``, because cuDNN refuses a
mask that is not right-padded; and don't read the output sequence at padded
steps (cuDNN writes zeros there, from the source; the generic kernel
repeats the last output), or set ``zero_output_for_mask=True`` so that both
agree.

On a GPU, ``keras.layers.LSTM`` runs cuDNN instead of its generic
step-by-step loop - but only for some arguments, and with a mask only if
every sequence is **right-padded**. A model that trains on a laptop can
therefore fail on a GPU, or quietly run the generic kernel there. Which
arguments keep cuDNN, which masks does it accept, and does it return the
same numbers?

**What is computed here, and what is read.** This site is built on a
machine without a GPU. Everything printed below was run on a CPU at build
time, calling Keras' own functions - the ones the GPU path calls - on
concrete layers and masks. What the cuDNN kernel itself returns is taken
from reading Keras' source (``keras/src/backend/tensorflow/rnn.py``) and is
marked *from the source*; the repository's ``tests/test_gpu.py`` checks
those claims on a machine with a GPU.
"""

# sphinx_gallery_start_ignore
# Hidden on the page, kept in the download (see the gallery's front page):
# quiet TensorFlow, no oneDNN reordering, the TensorFlow backend.
import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ["KERAS_BACKEND"] = "tensorflow"
# sphinx_gallery_end_ignore
import importlib
import inspect

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(313)
np.set_printoptions(precision=4, suppress=True)
# Keras' messages alone: without this, an error raised inside a layer's
# call() also lists the call's arguments, with bold codes for a terminal.
keras.config.disable_traceback_filtering()

# Keras' TensorFlow RNN helpers (private: names as in Keras 3.15)
tf_rnn = importlib.import_module("keras.src.backend.tensorflow.rnn")
print(
    "Keras",
    keras.__version__,
    "| GPUs visible here:",
    len(tf.config.list_physical_devices("GPU")),
)

# %%
# Which arguments keep the cuDNN kernel
# -------------------------------------
# ``LSTM.call`` first asks the backend for the fused kernel, unless
# ``use_cudnn=False`` or ``recurrent_dropout`` is non-zero (both checked in
# ``LSTM.inner_loop``). The TensorFlow backend then takes cuDNN only if
# ``cudnn_ok(...)`` holds: a GPU is visible **and** this function, Keras' own,
# accepts the cell's arguments:
print(inspect.getsource(tf_rnn._do_lstm_arguments_support_cudnn).rstrip())

# %%
# Called on the arguments of a few layers (column "arguments"). The whole
# decision (column "cuDNN on a GPU") adds the layer's own two conditions,
# written out below as ``LSTM.inner_loop`` reads (Keras source:
# ``keras/src/layers/rnn/lstm.py``). The download of this page also checks
# each verdict (at its end) by running the layer through Keras' own code
# path with a GPU faked and the cuDNN kernel replaced by a stand-in (hidden
# here: it patches private Keras functions).


def cudnn_on_a_gpu(layer):
    """What ``layer`` runs on a GPU: "yes" (cuDNN), "no", or "ValueError"."""
    cell = layer.cell
    arguments_ok = tf_rnn._do_lstm_arguments_support_cudnn(
        activation=cell.activation,
        recurrent_activation=cell.recurrent_activation,
        unroll=layer.unroll,
        use_bias=cell.use_bias,
    )
    tried = layer.use_cudnn in ("auto", True) and not layer.recurrent_dropout
    if tried and arguments_ok:
        return "yes"
    return "ValueError" if layer.use_cudnn is True else "no"


x = np.random.normal(0, 1, size=(4, 6, 3)).astype("float32")
configurations = {
    "LSTM(8), the defaults": {},
    'activation="relu"': {"activation": "relu"},
    'recurrent_activation="hard_sigmoid"': {
        "recurrent_activation": "hard_sigmoid"
    },
    "recurrent_dropout=0.2": {"recurrent_dropout": 0.2},
    "dropout=0.2": {"dropout": 0.2},
    "unroll=True": {"unroll": True},
    "use_bias=False": {"use_bias": False},
    "use_cudnn=False": {"use_cudnn": False},
    "go_backwards=True, return_sequences=True": {
        "go_backwards": True,
        "return_sequences": True,
    },
    "stateful=True": {"stateful": True},
    'use_cudnn=True, activation="relu"': {
        "use_cudnn": True,
        "activation": "relu",
    },
}
table = []
for name, kwargs in configurations.items():
    layer = keras.layers.LSTM(8, **kwargs)
    cell = layer.cell
    arguments_ok = tf_rnn._do_lstm_arguments_support_cudnn(
        activation=cell.activation,
        recurrent_activation=cell.recurrent_activation,
        unroll=layer.unroll,
        use_bias=cell.use_bias,
    )
    table.append(
        (name, "yes" if arguments_ok else "no", cudnn_on_a_gpu(layer))
    )
verdict = {row[0]: row[2] for row in table}
assert [name for name, v in verdict.items() if v == "yes"] == [
    "LSTM(8), the defaults",
    "dropout=0.2",
    "go_backwards=True, return_sequences=True",
    "stateful=True",
]
assert verdict['use_cudnn=True, activation="relu"'] == "ValueError"
assert (
    dict((row[0], row[1]) for row in table)["recurrent_dropout=0.2"] == "yes"
)


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

show_table(Table(("layer", "arguments", "cuDNN on a GPU"), table))

# %%
# So: ``activation="tanh"``, ``recurrent_activation="sigmoid"``,
# ``recurrent_dropout=0``, ``unroll=False``, ``use_bias=True`` and
# ``use_cudnn`` left at ``"auto"`` (or ``True``). Input ``dropout``,
# ``go_backwards``, ``return_sequences`` and ``stateful`` do not matter.
# ``recurrent_dropout`` passes the argument check but is refused one level
# up, in the layer. Old code that spells out
# ``recurrent_activation="hard_sigmoid"`` (the default of ``tf.keras`` in
# TensorFlow 1.x; source:
# `TF 1.15 API docs <https://www.tensorflow.org/versions/r1.15/api_docs/python/tf/keras/layers/LSTM>`_)
# loses cuDNN.
#
# Without a GPU, ``use_cudnn=True`` is an error rather than a request (the
# cuDNN kernel is never available: ``cudnn_ok`` also requires a visible GPU;
# Keras source: ``keras/src/backend/tensorflow/rnn.py``); this is the real
# message on this machine:
try:
    keras.layers.LSTM(8, use_cudnn=True)(x)
except ValueError as err:
    print("ValueError:", err)
    reason = str(err)
assert "cuDNN is not supported for this layer configuration" in reason

# %%
# Masks: cuDNN needs right-padding
# --------------------------------
# cuDNN is given one length per sequence and reads the first that many
# steps, so a mask must be ``True`` on a contiguous run of steps at the
# **start** and ``False`` after it. ``keras.utils.pad_sequences`` pads at the
# **front** by default (``padding="pre"``). The masks that ``Masking`` or
# ``Embedding(mask_zero=True)`` make from both paddings:
sequences = [[5, 3, 8, 1, 9, 2], [7, 4, 6], [2, 9, 9, 4]]
masks = {
    padding: keras.utils.pad_sequences(sequences, padding=padding) != 0
    for padding in ("pre", "post")
}
for padding, mask in masks.items():
    right_padded = bool(tf_rnn._is_sequence_right_padded(mask))
    print(f'padding="{padding}": mask\n{mask.astype(int)}')
    print(f"  Keras' _is_sequence_right_padded: {right_padded}")
assert not tf_rnn._is_sequence_right_padded(masks["pre"])
assert tf_rnn._is_sequence_right_padded(masks["post"])

# %%
# Before it calls cuDNN, Keras runs ``_assert_valid_mask`` on the mask (the
# first line of ``_cudnn_lstm``). Here is that check, run on the
# pre-padded mask - the error a GPU gives:
try:
    tf_rnn._assert_valid_mask(masks["pre"])
except tf.errors.InvalidArgumentError as err:
    print("InvalidArgumentError:", err.message)
    said = err.message
assert "does not correspond to right-padded sequences" in said
assert "use_cudnn=False" in said
tf_rnn._assert_valid_mask(masks["post"])  # passes: no error
print('\npadding="post": the check passes')

# %%
# The same check also refuses a batch with an **empty** sequence (a row
# that is all padding, from ``_has_fully_masked_sequence``), even when
# right-padded:
empty_row = (
    keras.utils.pad_sequences([[5, 3], []], maxlen=3, padding="post") != 0
)
print("mask with an empty sequence:\n", empty_row.astype(int))
try:
    tf_rnn._assert_valid_mask(empty_row)
    refused = False
except tf.errors.InvalidArgumentError:
    refused = True
print("refused:", refused)
assert refused and tf_rnn._is_sequence_right_padded(empty_row)

# %%
fig, axes = plt.subplots(
    1, 2, figsize=(5.5, 3.4), sharey=True, layout="constrained"
)
for ax, (padding, mask) in zip(axes, masks.items()):
    ok = bool(tf_rnn._is_sequence_right_padded(mask))
    ax.imshow(mask, cmap="Greens", vmin=-0.3, vmax=1.2, aspect="auto")
    for (row, step), value in np.ndenumerate(mask):
        ax.text(
            step,
            row,
            "T" if value else "F",
            ha="center",
            va="center",
            fontsize=10,
            color="white" if value else "black",
        )
    verdict_text = (
        "right-padded: cuDNN accepts"
        if ok
        else "not right-padded: cuDNN refuses"
    )
    ax.set_title(f'padding="{padding}"\n{verdict_text}', fontsize=10)
    ax.set_xlabel("time step")
    ax.set_xticks(range(mask.shape[1]))
    ax.set_yticks(range(len(sequences)))
axes[0].set_ylabel("sequence")
fig.suptitle(
    "Masks from pad_sequences (T = real step):\nonly post-padding suits cuDNN"
)
plt.show()

# %%
# What happens with a left-padded mask on a GPU (*from the source*):
#
# * inside ``model.fit`` / ``predict`` / ``evaluate`` (a compiled
#   ``tf.function``) the check is an op in the graph, and the step fails with
#   the ``InvalidArgumentError`` above;
# * in an eager call, ``layer(x)``, the failed check is caught by
#   ``backend.lstm``, which turns it into ``NotImplementedError``, and
#   ``LSTM`` quietly falls back to the generic kernel (with ``use_cudnn=True``
#   it raises the ``ValueError`` shown earlier instead).
#
# The fixes: pad with ``padding="post"``, or keep pre-padding and pass
# ``use_cudnn=False`` (Keras' message above warns it may be slower on a GPU;
# it is what a CPU runs anyway).
#
# The outputs at masked steps differ
# ----------------------------------
# With a valid (right-padded) mask both kernels give the same final ``h`` and
# ``c``, but not the same **output sequence** at the padded steps:
#
# * the generic kernel copies the last real output forward (run below with
#   ``use_cudnn=False``, which forces it on any machine);
# * cuDNN writes **zeros** there. *From the source:* ``_cudnn_lstm`` passes
#   the lengths to ``CudnnRNNV3`` and comments that "the cudnn kernel will
#   fill zeros for the output"; Keras then takes the final ``h`` as the last
#   output, so ``return_sequences=False`` is unaffected.
#
# On the generic kernel, ``zero_output_for_mask=True`` gives that zero-filled
# sequence, so the right-hand picture is what a GPU returns.
features = np.random.normal(0, 1, size=(3, 6, 2)).astype("float32")
features[~masks["post"]] = 0.0
inputs = keras.Input(shape=(6, 2))
masked = keras.layers.Masking(mask_value=0.0)(inputs)
generic = keras.layers.LSTM(
    4, return_sequences=True, return_state=True, use_cudnn=False
)
zeroed = keras.layers.LSTM(
    4,
    return_sequences=True,
    return_state=True,
    use_cudnn=False,
    zero_output_for_mask=True,
)
models = {
    name: keras.Model(inputs, lstm(masked))
    for name, lstm in [("generic", generic), ("zeroed", zeroed)]
}
zeroed.set_weights(generic.get_weights())
(seq_g, h_g, c_g), (seq_z, h_z, c_z) = (
    [t.numpy() for t in models[name](features)]
    for name in ("generic", "zeroed")
)
lengths = masks["post"].sum(axis=1)
print("sequence 1 (3 real steps), outputs of the generic kernel:\n", seq_g[1])
print("the same, zero-filled as cuDNN returns them:\n", seq_z[1])
for row, n in enumerate(lengths):
    np.testing.assert_array_equal(
        seq_g[row, n:], np.repeat(seq_g[row, n - 1 : n], 6 - n, 0)
    )
    np.testing.assert_array_equal(seq_z[row, n:], 0.0)
    np.testing.assert_allclose(h_g[row], seq_g[row, n - 1], rtol=1e-6)
np.testing.assert_allclose(
    seq_z[masks["post"]], seq_g[masks["post"]], rtol=1e-6
)
np.testing.assert_allclose(h_z, h_g, rtol=1e-6)
np.testing.assert_allclose(c_z, c_g, rtol=1e-6)
print("real steps and final h, c: identical")

# %%
limit = np.abs(seq_g).max()
fig, axes = plt.subplots(
    1, 2, figsize=(5.5, 4.8), sharey=True, layout="constrained"
)
panels = [
    (
        seq_g[1],
        "generic kernel (CPU, run):\npadded steps repeat\nthe last output",
    ),
    (seq_z[1], "cuDNN (from the source):\npadded steps are zeros"),
]
for ax, (outputs, title) in zip(axes, panels):
    image = ax.imshow(
        outputs, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto"
    )
    ax.axhline(lengths[1] - 0.5, color="black", lw=1.5, ls="--")
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("unit")
    ax.set_xticks(range(4))
axes[0].set_ylabel("time step (below the line: padding)")
fig.colorbar(image, ax=axes, label="output $h_t$")
fig.suptitle(
    "Sequence 1 of the batch, right-padded:\nthe two kernels' output sequences"
)
plt.show()

# sphinx_gallery_start_ignore
# The check of each verdict of the table against Keras' own code path (kept
# in the download, hidden on the page; last, so that the layers it makes
# change no number above): Keras is made to believe a GPU is visible,
# and its cuDNN kernel is replaced by a stand-in that only records that it
# was chosen.
from unittest import mock  # noqa: E402


class CudnnChosen(Exception):
    """Raised by the stand-in kernel: Keras picked cuDNN for this layer."""


def _stand_in_kernel(*args, **kwargs):
    raise CudnnChosen


def keras_decides(layer, inputs):
    with (
        mock.patch.object(tf_rnn, "_is_gpu_available", return_value=True),
        mock.patch.object(tf_rnn, "_cudnn_lstm", _stand_in_kernel),
    ):
        try:
            layer(inputs, training=True)
        except CudnnChosen:
            return "yes"
        except ValueError as error:
            return "ValueError" if "use_cudnn=True" in str(error) else "?"
    return "no"


for name, kwargs in configurations.items():
    decided = keras_decides(keras.layers.LSTM(8, **kwargs), x)
    assert decided == verdict[name], (name, decided, verdict[name])
# sphinx_gallery_end_ignore

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_beyond_plot_masking.py` - padding and
#   masking on the generic kernel, step by step.
# * :ref:`sphx_glr_auto_examples_beyond_plot_keras2_migration.py` - where
#   ``CuDNNLSTM`` went.

# sphinx_gallery_thumbnail_number = 1
