"""
Cheat sheet: every output shape of the recurrent layers
=======================================================

One table: a layer configuration on the left, what the call returns and the
shape of each returned array on the right. Nothing in it is typed by hand -
every row is made by calling the real Keras layer on a real batch when this
page is built, and the sizes are turned back into names.

The sizes are chosen all different so each number names one thing:
**batch = 2, timesteps = 9, features = 3, units = 5** (so ``2*units`` = 10).
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
# The batch and the size names
# ----------------------------
batch_size, seq_len, in_features, units = 2, 9, 3, 5
x = np.random.normal(0, 1, size=(batch_size, seq_len, in_features)).astype("float32")
assert x.shape == (batch_size, seq_len, in_features)

NAMES = {batch_size: "batch", seq_len: "timesteps", in_features: "features",
         units: "units", 2 * units: "2*units", 1: "1"}
assert len(NAMES) == 6, "the sizes must all differ, or a number would name two things"


def symbolic(shape):
    """(2, 9, 5) -> '(batch, timesteps, units)'."""
    return "(" + ", ".join(NAMES[int(size)] for size in shape) + ")"


print("input x:", symbolic(x.shape))

# %%
# The configurations
# ------------------
# Each entry: the label shown in the table, a function that builds fresh
# layers and calls them on ``x``, and names for what comes back. ``L`` is
# ``keras.layers``.
L = keras.layers


def stacked(inputs):
    return L.LSTM(units)(L.LSTM(units, return_sequences=True)(inputs))


def then_dense(inputs):
    return L.Dense(1)(L.LSTM(units, return_sequences=True)(inputs))


bi_states = ["output", "h forward", "c forward", "h backward", "c backward"]
CONFIGS = [
    ("LSTM(units)", lambda v: L.LSTM(units)(v), ["output"]),
    ("LSTM(units, return_sequences=True)",
     lambda v: L.LSTM(units, return_sequences=True)(v), ["output"]),
    ("LSTM(units, return_state=True)",
     lambda v: L.LSTM(units, return_state=True)(v), ["output", "h", "c"]),
    ("LSTM(units, return_sequences=True,\n     return_state=True)",
     lambda v: L.LSTM(units, return_sequences=True, return_state=True)(v),
     ["output", "h", "c"]),
    ("Bidirectional(LSTM(units))",
     lambda v: L.Bidirectional(L.LSTM(units))(v), ["output"]),
    ("Bidirectional(LSTM(units),\n              merge_mode='sum')",
     lambda v: L.Bidirectional(L.LSTM(units), merge_mode="sum")(v), ["output"]),
    ("Bidirectional(LSTM(units,\n    return_sequences=True))",
     lambda v: L.Bidirectional(L.LSTM(units, return_sequences=True))(v), ["output"]),
    ("Bidirectional(LSTM(units,\n    return_state=True))",
     lambda v: L.Bidirectional(L.LSTM(units, return_state=True))(v), bi_states),
    ("Bidirectional(LSTM(units,\n    return_sequences=True,\n    return_state=True))",
     lambda v: L.Bidirectional(L.LSTM(units, return_sequences=True, return_state=True))(v),
     bi_states),
    ("LSTM(units, return_sequences=True)\n -> LSTM(units)   (stacked)", stacked, ["output"]),
    ("LSTM(units, return_sequences=True)\n -> Dense(1)", then_dense, ["output"]),
    ("GRU(units, return_state=True)",
     lambda v: L.GRU(units, return_state=True)(v), ["output", "h"]),
    ("SimpleRNN(units, return_state=True)",
     lambda v: L.SimpleRNN(units, return_state=True)(v), ["output", "h"]),
]

# %%
# Calling them
# ------------
# A single output comes back as a tensor, several as a list; both are handled
# the same way. Each configuration becomes a group of table lines: the label
# (split over several lines when long) beside one line per returned array.
groups = []  # per configuration: list of (label line, returned name, shape)
shapes = {}  # (configuration, returned name) -> symbolic shape
for label, call, names in CONFIGS:
    result = call(x)
    outputs = list(result) if isinstance(result, (list, tuple)) else [result]
    assert len(outputs) == len(names), (label, len(outputs))
    label_lines = label.split("\n")
    returned = [(name, symbolic(output.shape)) for name, output in zip(names, outputs)]
    shapes.update({(label, name): shape for name, shape in returned})
    lines = max(len(label_lines), len(returned))
    label_lines += [""] * (lines - len(label_lines))
    returned += [("", "")] * (lines - len(returned))
    groups.append([(line, name, shape) for line, (name, shape) in zip(label_lines, returned)])

# %%
# The table, as text
# ------------------
header = ("configuration", "returns", "shape")
widths = [max(len(line[k]) for group in groups + [[header]] for line in group) for k in range(3)]


def text_row(cells):
    return "  ".join(f"{cell:<{width}}" for cell, width in zip(cells, widths)).rstrip()


print(text_row(header))
print(text_row(["-" * width for width in widths]))
for n, group in enumerate(groups):
    if n:
        print()  # a blank line between configurations
    for line in group:
        print(text_row(line))

# %%
# The rules the table follows
# ---------------------------
# These are checked against the generated rows, so the sentences below stay
# true (a Keras change that breaks one stops the build):
#
# * without ``return_sequences`` the output is ``(batch, units)``, with it
#   ``(batch, timesteps, units)``;
# * ``return_state=True`` appends the final states, each ``(batch, units)``:
#   two for LSTM (``h``, ``c``), one for GRU and SimpleRNN (``h``); for an LSTM
#   the first output without ``return_sequences`` *is* ``h``;
# * ``Bidirectional`` concatenates the two directions (``2*units``) unless
#   ``merge_mode`` says otherwise, and returns four states, never merged;
# * ``Dense`` after a 3-D output acts on the last axis only.
lstm_labels = [label for label, _, _ in CONFIGS]
assert shapes[(lstm_labels[0], "output")] == "(batch, units)"
assert shapes[(lstm_labels[1], "output")] == "(batch, timesteps, units)"
for label in lstm_labels[2:4]:
    assert shapes[(label, "h")] == shapes[(label, "c")] == "(batch, units)"
assert shapes[(lstm_labels[4], "output")] == "(batch, 2*units)"
assert shapes[(lstm_labels[5], "output")] == "(batch, units)"
assert shapes[(lstm_labels[6], "output")] == "(batch, timesteps, 2*units)"
for label in lstm_labels[7:9]:
    assert all(shapes[(label, state)] == "(batch, units)" for state in bi_states[1:])
assert shapes[(lstm_labels[9], "output")] == "(batch, units)"
assert shapes[(lstm_labels[10], "output")] == "(batch, timesteps, 1)"
for label in lstm_labels[11:13]:
    assert shapes[(label, "h")] == "(batch, units)"
# the first output of LSTM(return_state=True) equals h
lstm = L.LSTM(units, return_state=True)
out, h, c = lstm(x)
np.testing.assert_allclose(out.numpy(), h.numpy(), rtol=1e-6, atol=1e-7)
print(len(shapes), "arrays from", len(CONFIGS), "configurations; all rules hold")

# %%
# The table, as a figure
# ----------------------
# The same rows drawn with matplotlib, with the configurations shaded in
# alternating bands.
rows = [line for group in groups for line in group]
band_of_row = [n for n, group in enumerate(groups) for _ in group]
fig, ax = plt.subplots(figsize=(8, 6.4), layout="constrained")
ax.axis("off")
drawn = ax.table(
    cellText=[list(line) for line in rows],
    colLabels=list(header),
    colWidths=[0.46, 0.17, 0.37],
    cellLoc="left",
    colLoc="left",
    loc="upper center",
)
drawn.auto_set_font_size(False)
drawn.set_fontsize(8.5)
row_height = 0.985 / (len(rows) + 1)
shade = ["#ffffff", "#e3eaf5"]
for row, band in enumerate(band_of_row, start=1):
    for column in range(3):
        cell = drawn[row, column]
        cell.set_height(row_height)
        cell.set_facecolor(shade[band % 2])
        cell.set_edgecolor(shade[band % 2])
        cell.get_text().set_family("monospace")
for column in range(3):
    header_cell = drawn[0, column]
    header_cell.set_height(row_height)
    header_cell.set_facecolor("#34495e")
    header_cell.get_text().set_color("white")
    header_cell.get_text().set_weight("bold")
fig.suptitle("Recurrent layer output shapes (batch=2, timesteps=9, features=3, units=5)")
plt.show()

# %%
# Where each row is explained: :ref:`sphx_glr_auto_examples_beyond_plot_masking.py`
# keeps these shapes for padded sequences,
# :ref:`sphx_glr_auto_examples_beyond_plot_keras_vs_pytorch.py` gives the
# PyTorch equivalents, and
# :ref:`sphx_glr_auto_examples_beyond_plot_common_errors.py` shows the errors
# you get when a shape does not fit.
