"""
Cheat sheet: every output shape of the recurrent layers
=======================================================

**In short:** an ``LSTM`` returns ``(batch, units)``, or ``(batch,
timesteps, units)`` with ``return_sequences=True``; ``return_state=True``
adds the final ``h`` and ``c``, each ``(batch, units)`` (``h`` only for GRU
and SimpleRNN); ``Bidirectional`` doubles ``units`` unless ``merge_mode``
says otherwise, and returns four states. The table below has every case,
made by calling the real layers (the rules under it are asserted).

For your own numbers (rows, features, timesteps, layers), the shape
explorer computes the same shapes: :doc:`/shape_explorer`.

Nothing in the table is typed by hand: every row is made by calling Keras
on a real batch when this page is built, and the sizes are turned back into
names. The sizes are all different so each number names one thing:
**batch = 2, timesteps = 9, features = 3, units = 5** (so ``2*units`` = 10).

Most rows are called on ``x``, a ``(batch, timesteps, features)`` batch. The
first rows start from a pandas ``DataFrame`` of ``rows = 20`` rows and
``features`` columns. The rows that start with ``clips ->`` are called on
video-like clips, ``(batch, timesteps, height, width, channels)`` with
height = 6, width = 7, channels = 8 (and ``filters`` = 11). The attention
rows use an LSTM's outputs: ``sequence, h, c = LSTM(units,
return_sequences=True, return_state=True)(x)`` and ``query = h[:, None]``,
the final ``h`` as a sequence of one step.
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
import pandas as pd
import tensorflow as tf

keras.utils.set_random_seed(313)
np.set_printoptions(precision=4, suppress=True)

# %%
# The table
# ---------
# (The code that makes it follows the table.)
#
# .. raw:: html
#
#    <details><summary>The code that calls each configuration</summary>

batch, timesteps, features, units, horizon = 2, 9, 3, 5, 4
height, width, channels, filters, heads = 6, 7, 8, 11, 12
x = np.random.normal(0, 1, size=(batch, timesteps, features)).astype("float32")
clips = np.random.normal(
    0, 1, size=(batch, timesteps, height, width, channels)
).astype("float32")
rows = 20  # a table of data: one row per time step, one column per feature
df = pd.DataFrame(
    np.random.normal(0, 1, size=(rows, features)).astype("float32"),
    columns=["a", "b", "c"],
)
sequence, h, c = keras.layers.LSTM(
    units, return_sequences=True, return_state=True
)(x)
query = h[:, None]  # (batch, 1, units)
NAMES = {
    batch: "batch",
    timesteps: "timesteps",
    features: "features",
    units: "units",
    2 * units: "2*units",
    horizon: "horizon",
    1: "1",
    height: "height",
    width: "width",
    channels: "channels",
    filters: "filters",
    heads: "heads",
    height * width * filters: "height*width*filters",
    rows: "rows",
}
assert len(NAMES) == 14, (
    "the sizes must all differ, or a number would name two things"
)

# One line per row: the layers to call on x (" -> " chains them; any name in
# keras.layers works; a chain that starts with "clips" is called on the clips;
# a part that is a whole call, such as "Attention()([query, sequence])", is its
# own result; a dataset stands for its first batch) and names for what the
# last one returns.
BI = "output h_forward c_forward h_backward c_backward"
WINDOWS = (
    "timeseries_dataset_from_array(df.to_numpy(), None,"
    " sequence_length=timesteps, batch_size=batch)"
)
ROWS = [
    ("df.to_numpy()", "array"),
    (WINDOWS, "x"),
    ("LSTM(units)", "output"),
    ("LSTM(units, return_sequences=True)", "output"),
    ("LSTM(units, return_state=True)", "output h c"),
    ("LSTM(units, return_sequences=True, return_state=True)", "output h c"),
    ("Bidirectional(LSTM(units))", "output"),
    ("Bidirectional(LSTM(units), merge_mode='sum')", "output"),
    ("Bidirectional(LSTM(units, return_sequences=True))", "output"),
    ("Bidirectional(LSTM(units, return_state=True))", BI),
    (
        "Bidirectional(LSTM(units, return_sequences=True, return_state=True))",
        BI,
    ),
    ("LSTM(units, return_sequences=True) -> LSTM(units)", "output"),
    ("LSTM(units, return_sequences=True) -> Dense(1)", "output"),
    (
        "LSTM(units, return_sequences=True) -> TimeDistributed(Dense(1))",
        "output",
    ),
    ("LSTM(units) -> Dense(1)", "output"),
    (
        "LSTM(units) -> RepeatVector(timesteps)"
        " -> LSTM(units, return_sequences=True)",
        "output",
    ),
    ("LSTM(units) -> Dense(horizon)", "output"),
    (
        "LSTM(units) -> Dense(horizon * features)"
        " -> Reshape((horizon, features))",
        "output",
    ),
    ("GRU(units, return_state=True)", "output h"),
    ("SimpleRNN(units, return_state=True)", "output h"),
    ("clips -> ConvLSTM2D(filters, 3, padding='same')", "output"),
    (
        "clips -> ConvLSTM2D(filters, 3, padding='same',"
        " return_sequences=True)",
        "output",
    ),
    (
        "clips -> ConvLSTM2D(filters, 3, padding='same', return_state=True)",
        "output h c",
    ),
    ("clips -> TimeDistributed(Conv2D(filters, 3, padding='same'))", "output"),
    (
        "clips -> TimeDistributed(Conv2D(filters, 3, padding='same'))"
        " -> TimeDistributed(Flatten()) -> LSTM(units)",
        "output",
    ),
    ("Attention()([query, sequence])", "context"),
    (
        "Attention()([query, sequence], return_attention_scores=True)",
        "context scores",
    ),
    ("MultiHeadAttention(heads, key_dim=units)(query, sequence)", "context"),
    (
        "MultiHeadAttention(heads, key_dim=units)(query, sequence,"
        " return_attention_scores=True)",
        "context scores",
    ),
]


def symbolic(shape):
    """(2, 9, 5) -> '(batch, timesteps, units)'."""
    return "(" + ", ".join(NAMES[int(size)] for size in shape) + ")"


def call(config, inputs):
    """Fresh layers from ``config``, called on ``inputs``; a list."""
    names = {
        **vars(keras.layers),
        "units": units,
        "timesteps": timesteps,
        "features": features,
        "batch": batch,
        "df": df,
        "timeseries_dataset_from_array": (
            keras.utils.timeseries_dataset_from_array
        ),
        "horizon": horizon,
        "filters": filters,
        "heads": heads,
        "clips": clips,
        "query": query,
        "sequence": sequence,
    }
    for part in config.split(" -> "):
        result = eval(part, names)
        if isinstance(result, tf.data.Dataset):
            result = next(iter(result))  # its first batch
        # a layer is called on what came before; anything else is a result
        inputs = (
            result(inputs)
            if isinstance(result, keras.layers.Layer)
            else result
        )
    return list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]


shapes = {}  # configuration -> {returned name: symbolic shape}
table_rows = []
for config, names in ROWS:
    outputs = call(config, x)
    assert len(outputs) == len(names.split()), (config, len(outputs))
    shapes[config] = {
        name: symbolic(out.shape) for name, out in zip(names.split(), outputs)
    }
    for n, (name, shape) in enumerate(shapes[config].items()):
        table_rows.append(("" if n else config, f"{name} {shape}"))

# %%
# .. raw:: html
#
#    </details>


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

show_table(Table(("code (called on x)", "returns (shape)"), table_rows))

# %%
# The rules the table follows
# ---------------------------
# These are checked against the generated rows, so the sentences below stay
# true (a Keras change that breaks one stops the build):
#
# * a ``DataFrame`` of ``rows`` rows and ``features`` columns gives
#   ``df.to_numpy()`` of ``(rows, features)``;
#   ``keras.utils.timeseries_dataset_from_array`` cuts it into
#   ``rows - timesteps + 1`` overlapping windows, in batches of
#   ``(batch, timesteps, features)``: the ``x`` an LSTM reads (reading such a
#   ``DataFrame`` from a CSV file, step by step:
#   :ref:`sphx_glr_auto_examples_data_plot_csv.py`);
# * without ``return_sequences`` the output is ``(batch, units)``, with it
#   ``(batch, timesteps, units)``;
# * ``return_state=True`` appends the final states, each ``(batch, units)``:
#   two for LSTM (``h``, ``c``), one for GRU and SimpleRNN (``h``); for an LSTM
#   the first output without ``return_sequences`` *is* ``h``;
# * ``Bidirectional`` concatenates the two directions (``2*units``) unless
#   ``merge_mode`` says otherwise, and returns four states, never merged;
# * ``Dense`` after a 3-D output acts on the last axis only;
# * ``ConvLSTM2D`` keeps each frame's layout:
#   ``(batch, height, width, filters)``,
#   with the ``timesteps`` axis after ``batch`` when ``return_sequences=True``,
#   and states of the same shape as one frame of output;
# * ``TimeDistributed`` keeps the ``timesteps`` axis and applies the layer to
#   each step; after ``TimeDistributed(Flatten())`` an LSTM reads one vector
#   per frame;
# * attention returns one context vector per query step, ``(batch, 1,
#   units)`` for the final ``h`` as query, and a weight per (query step,
#   input step): ``(batch, 1, timesteps)``, with a ``heads`` axis for
#   ``MultiHeadAttention``.
one, seq = "(batch, units)", "(batch, timesteps, units)"
assert shapes["df.to_numpy()"]["array"] == "(rows, features)"
assert shapes[WINDOWS]["x"] == "(batch, timesteps, features)"
windows = keras.utils.timeseries_dataset_from_array(
    df.to_numpy(), None, sequence_length=timesteps, batch_size=batch
)
every = [window.numpy() for window in windows.unbatch()]
assert len(every) == rows - timesteps + 1
for k, window in enumerate(every):
    np.testing.assert_array_equal(window, df.to_numpy()[k : k + timesteps])
assert shapes["LSTM(units)"]["output"] == one
assert shapes["LSTM(units, return_sequences=True)"]["output"] == seq
for config in (
    "LSTM(units, return_state=True)",
    "LSTM(units, return_sequences=True, return_state=True)",
):
    assert shapes[config]["h"] == shapes[config]["c"] == one
assert shapes["Bidirectional(LSTM(units))"]["output"] == "(batch, 2*units)"
assert shapes["Bidirectional(LSTM(units), merge_mode='sum')"]["output"] == one
assert (
    shapes["Bidirectional(LSTM(units, return_sequences=True))"]["output"]
    == "(batch, timesteps, 2*units)"
)
for config, names in ROWS:
    if names == BI:
        assert all(shapes[config][state] == one for state in BI.split()[1:])
assert (
    shapes["LSTM(units, return_sequences=True) -> LSTM(units)"]["output"]
    == one
)
assert (
    shapes["LSTM(units, return_sequences=True) -> Dense(1)"]["output"]
    == "(batch, timesteps, 1)"
)
for config in (
    "GRU(units, return_state=True)",
    "SimpleRNN(units, return_state=True)",
):
    assert shapes[config]["h"] == one
frame = "(batch, height, width, filters)"
assert (
    shapes["clips -> ConvLSTM2D(filters, 3, padding='same')"]["output"]
    == frame
)
conv_sequences = (
    "clips -> ConvLSTM2D(filters, 3, padding='same', return_sequences=True)"
)
assert (
    shapes[conv_sequences]["output"]
    == "(batch, timesteps, height, width, filters)"
)
states = shapes[
    "clips -> ConvLSTM2D(filters, 3, padding='same', return_state=True)"
]
assert states["output"] == states["h"] == states["c"] == frame
assert (
    shapes["clips -> TimeDistributed(Conv2D(filters, 3, padding='same'))"][
        "output"
    ]
    == "(batch, timesteps, height, width, filters)"
)
for config, names in ROWS:
    if config.startswith(("Attention", "MultiHeadAttention")):
        assert shapes[config]["context"] == "(batch, 1, units)"
        if "scores" in names:
            head_axis = "heads, " if config.startswith("Multi") else ""
            assert (
                shapes[config]["scores"] == f"(batch, {head_axis}1, timesteps)"
            )
# the first output of LSTM(return_state=True) equals h
out, h, c = call("LSTM(units, return_state=True)", x)
np.testing.assert_allclose(out.numpy(), h.numpy(), rtol=1e-6, atol=1e-7)
print(
    sum(map(len, shapes.values())), "arrays from", len(ROWS), "configurations;"
)
print("all rules hold")

# %%
# The four output shapes, drawn
# -----------------------------
# The first sample's output of four configurations, one square per number, on
# one colour scale: a row of ``units`` (or ``2*units``) numbers for the last
# step only, a grid of ``timesteps`` rows when ``return_sequences=True``.
drawn = {
    config: call(config, x)[0].numpy()[0]
    for config in (
        "LSTM(units)",
        "LSTM(units, return_sequences=True)",
        "Bidirectional(LSTM(units))",
        "Bidirectional(LSTM(units, return_sequences=True))",
    )
}
limit = max(np.abs(values).max() for values in drawn.values())
fig, axes = plt.subplots(
    2,
    2,
    figsize=(5.5, 4.8),
    layout="constrained",
    gridspec_kw={"width_ratios": [5, 10], "height_ratios": [1, 9]},
)
for ax, (config, values) in zip(axes.T.flat, drawn.items()):
    values = values.reshape(-1, values.shape[-1])
    image = ax.imshow(values, cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_title(shapes[config]["output"].replace(", ", ",\n"), fontsize=11)
    ax.set_xlabel("output value")
    ax.set_xticks([])
    ax.set_yticks(range(len(values)) if len(values) > 1 else [])
axes[1, 0].set_ylabel("time step")
fig.colorbar(image, ax=axes, label="value (sample 0)", shrink=0.8)
fig.suptitle("Output of LSTM, return_sequences=True,\nBidirectional, and both")
plt.show()

# %%
# Where each row is explained:
# :ref:`sphx_glr_auto_examples_beyond_plot_masking.py` keeps these shapes
# for padded sequences,
# :ref:`sphx_glr_auto_examples_beyond_plot_keras_vs_pytorch.py` gives the
# PyTorch equivalents, and
# :ref:`sphx_glr_auto_examples_beyond_plot_common_errors.py` shows the errors
# you get when a shape does not fit. The ``clips`` rows are trained on
# :ref:`sphx_glr_auto_examples_data_plot_video_frames.py`, the attention rows
# on :ref:`sphx_glr_auto_examples_data_plot_attention.py`.
