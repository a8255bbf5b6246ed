"""
Keras and PyTorch LSTMs side by side
====================================

**In short:** to move an LSTM between Keras and PyTorch, transpose the two
weight matrices, keep the gate order (i, f, g, o in both), put the Keras
bias into one of PyTorch's two biases (zeros in the other), give PyTorch
time-major input ``(timesteps, batch, features)`` unless
``batch_first=True``, and read ``h_n`` and ``c_n`` as ``(num_layers*D,
batch, units)`` (in one direction, ``h_n[-1]`` is Keras' final ``h``). This
page checks each step by reproducing Keras' numbers with PyTorch's
equations.

The same LSTM, two libraries, different conventions. This page lists every
difference in the shapes that go in and come out, converts a Keras layer's
weights to PyTorch's layout, and proves the conversion right by running
PyTorch's documented ``torch.nn.LSTM`` equations in NumPy and comparing with
Keras.

PyTorch is **not** needed to build or run this page: the PyTorch side is
NumPy code that follows the ``torch.nn.LSTM`` documentation. At the end there
is the real PyTorch code for readers who have ``torch`` installed; it is
shown, not run, when the site is built.
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
# The differences at a glance
# ---------------------------
# Sizes: batch N=2, timesteps L=9, features (``input_size``) 3, units
# (``hidden_size``) H=5. The Keras shapes are asserted on the layer below; the
# PyTorch shapes are those of the ``torch.nn.LSTM`` documentation (source:
# `torch.nn.LSTM <https://docs.pytorch.org/docs/stable/generated/torch.nn.LSTM.html>`_),
# asserted below on NumPy code that follows it and reproduces Keras' numbers.
batch, timesteps, features, units = 2, 9, 3, 5
rows = [
    (
        "input",
        "(batch, timesteps, features)",
        "(L, N, input); batch_first: (N, L, input)",
    ),
    (
        "per-step output",
        "return_sequences=True: (N, L, H)",
        "output: (L, N, D*H) or (N, L, D*H)",
    ),
    (
        "final h",
        "return_state=True: (N, H)",
        "h_n: (num_layers*D, N, H), always",
    ),
    (
        "final c",
        "return_state=True: (N, H)",
        "c_n: (num_layers*D, N, H), always",
    ),
    ("input weights", "kernel: (input, 4*H)", "weight_ih_l0: (4*H, input)"),
    (
        "recurrent weights",
        "recurrent_kernel: (H, 4*H)",
        "weight_hh_l0: (4*H, H)",
    ),
    (
        "bias",
        "bias: (4*H,), one vector",
        "bias_ih_l0 + bias_hh_l0: two (4*H,)",
    ),
    ("gate order", "i, f, g, o", "i, f, g, o"),
]


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
show_table(Table(("", "Keras 3 LSTM", "torch.nn.LSTM"), rows))

# %%
# ``D`` is 2 for a bidirectional layer, else 1. Note that ``batch_first``
# changes only the input and ``output``: ``h_n`` and ``c_n`` keep the batch in
# the middle whatever ``batch_first`` says (source: the ``torch.nn.LSTM``
# documentation linked above).
#
# The Keras layer
# ---------------
# A Keras LSTM returning the whole output sequence and both final states.
x = np.random.normal(0, 1, size=(batch, timesteps, features)).astype("float32")
keras_lstm = keras.layers.LSTM(units, return_sequences=True, return_state=True)
k_out, k_h, k_c = (t.numpy() for t in keras_lstm(x))
print("Keras output:", k_out.shape, " h:", k_h.shape, " c:", k_c.shape)
assert k_out.shape == (batch, timesteps, units)
assert k_h.shape == k_c.shape == (batch, units)

kernel, recurrent_kernel, bias = keras_lstm.get_weights()
print(
    "kernel",
    kernel.shape,
    " recurrent_kernel",
    recurrent_kernel.shape,
    " bias",
    bias.shape,
)
assert kernel.shape == (features, 4 * units)
assert recurrent_kernel.shape == (units, 4 * units)
assert bias.shape == (4 * units,)

# %%
# Converting the weights
# ----------------------
# Both libraries stack the four gate blocks in the same order (input, forget,
# candidate ``g``, output; Keras source: ``keras/src/layers/rnn/lstm.py``,
# and the ``torch.nn.LSTM`` documentation), so no block needs reordering (the
# matching numbers below check it). Keras multiplies
# ``x @ kernel`` (a row vector on the left), PyTorch ``W_ih @ x`` (a column
# vector on the right): the matrices are each other's **transpose**. PyTorch
# adds two biases; put the Keras bias in one and zeros in the other (any split
# with the same sum works).


def keras_to_torch(kernel, recurrent_kernel, bias, layer=0, suffix=""):
    """Keras LSTM weights -> a dict named like torch.nn.LSTM's parameters."""
    return {
        f"weight_ih_l{layer}{suffix}": kernel.T.copy(),
        f"weight_hh_l{layer}{suffix}": recurrent_kernel.T.copy(),
        f"bias_ih_l{layer}{suffix}": bias.copy(),
        f"bias_hh_l{layer}{suffix}": np.zeros_like(bias),
    }


def torch_to_keras(params, layer=0, suffix=""):
    """The other way: the two PyTorch biases add up to the one Keras bias."""
    return [
        params[f"weight_ih_l{layer}{suffix}"].T.copy(),
        params[f"weight_hh_l{layer}{suffix}"].T.copy(),
        params[f"bias_ih_l{layer}{suffix}"]
        + params[f"bias_hh_l{layer}{suffix}"],
    ]


params = keras_to_torch(kernel, recurrent_kernel, bias)
for name, value in params.items():
    print(f"{name:13s} {value.shape}")
assert params["weight_ih_l0"].shape == (4 * units, features)
assert params["weight_hh_l0"].shape == (4 * units, units)
assert params["bias_ih_l0"].shape == params["bias_hh_l0"].shape == (4 * units,)
for back, original in zip(torch_to_keras(params), keras_lstm.get_weights()):
    np.testing.assert_array_equal(back, original)

# %%
# The two layouts of the input weights, gate block by gate block:
gate_names = ["i", "f", "g", "o"]
centres = [gate * units + (units - 1) / 2 for gate in range(4)]
limit = np.abs(kernel).max()
fig, (ax_k, ax_t) = plt.subplots(
    1,
    2,
    figsize=(5.5, 5.2),
    layout="constrained",
    gridspec_kw={"width_ratios": [3, 1.4]},
)
ax_k.imshow(kernel, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
ax_k.set_title("Keras kernel\n(input, 4*H) = (3, 20)", fontsize=10)
ax_k.set_xlabel("columns: gate block (5 units each)")
ax_k.set_ylabel("input feature")
ax_k.set_yticks(range(features))
ax_k.set_xticks(centres, gate_names)
image = ax_t.imshow(
    params["weight_ih_l0"],
    cmap="RdBu_r",
    vmin=-limit,
    vmax=limit,
    aspect="auto",
)
ax_t.set_title("torch weight_ih_l0\n(4*H, input) = (20, 3)", fontsize=10)
ax_t.set_xlabel("input feature")
ax_t.set_ylabel("rows: gate block (5 units each)")
ax_t.set_xticks(range(features))
ax_t.set_yticks(centres, gate_names)
for gate in range(1, 4):
    ax_k.axvline(gate * units - 0.5, color="black", linewidth=1)
    ax_t.axhline(gate * units - 0.5, color="black", linewidth=1)
fig.colorbar(
    image, ax=[ax_k, ax_t], label="weight value", location="bottom", shrink=0.6
)
fig.suptitle(
    "Same input weights: Keras kernel and its transpose,\n"
    "PyTorch's weight_ih_l0"
)
plt.show()

# %%
# PyTorch's equations, in NumPy
# -----------------------------
# The ``torch.nn.LSTM`` documentation defines, for each step ``t``:
#
# .. math::
#
#    i_t &= \sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi}) \\
#    f_t &= \sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf}) \\
#    g_t &= \tanh(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg}) \\
#    o_t &= \sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho}) \\
#    c_t &= f_t \odot c_{t-1} + i_t \odot g_t \\
#    h_t &= o_t \odot \tanh(c_t)
#
# with ``weight_ih_l0 = [W_ii; W_if; W_ig; W_io]`` stacked along the rows. A
# bidirectional layer runs a second set of weights (suffix ``_reverse``) from
# the last step to the first, and a layer ``k > 0`` reads the output of layer
# ``k - 1``. The function below follows that description, including the
# default time-major input and the ``(num_layers*D, N, H)`` state shapes.


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def torch_style_lstm(
    x, params, num_layers=1, bidirectional=False, batch_first=False
):
    """NumPy ``torch.nn.LSTM.forward(x)``, with zero initial states."""
    if batch_first:
        x = x.transpose(1, 0, 2)  # work time-major, as PyTorch does inside
    timesteps, n = x.shape[:2]
    suffixes = ["", "_reverse"] if bidirectional else [""]
    h_n, c_n = [], []
    layer_input = x
    for layer in range(num_layers):
        direction_outputs = []
        for suffix in suffixes:
            w_ih = params[f"weight_ih_l{layer}{suffix}"]
            w_hh = params[f"weight_hh_l{layer}{suffix}"]
            b = (
                params[f"bias_ih_l{layer}{suffix}"]
                + params[f"bias_hh_l{layer}{suffix}"]
            )
            hidden = w_hh.shape[1]
            h = np.zeros((n, hidden), dtype=x.dtype)
            c = np.zeros((n, hidden), dtype=x.dtype)
            out = np.zeros((timesteps, n, hidden), dtype=x.dtype)
            steps = (
                range(timesteps - 1, -1, -1) if suffix else range(timesteps)
            )
            for t in steps:
                z = layer_input[t] @ w_ih.T + h @ w_hh.T + b
                i, f, g, o = np.split(z, 4, axis=1)
                c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
                h = sigmoid(o) * np.tanh(c)
                out[t] = h
            direction_outputs.append(out)
            h_n.append(h)
            c_n.append(c)
        layer_input = np.concatenate(direction_outputs, axis=2)
    output = layer_input.transpose(1, 0, 2) if batch_first else layer_input
    return output, (np.stack(h_n), np.stack(c_n))


# %%
# Same numbers, default layout (time-major)
# -----------------------------------------
# PyTorch's default ``batch_first=False`` wants ``(L, N, input)``: swap the
# first two axes of the Keras input. The output comes back time-major too.
x_time_major = x.transpose(1, 0, 2)
t_out, (t_h, t_c) = torch_style_lstm(x_time_major, params)
print("torch-style input:", x_time_major.shape, " output:", t_out.shape)
print("h_n:", t_h.shape, " c_n:", t_c.shape)
assert x_time_major.shape == (timesteps, batch, features)
assert t_out.shape == (timesteps, batch, units)
assert t_h.shape == t_c.shape == (1, batch, units)
np.testing.assert_allclose(
    t_out.transpose(1, 0, 2), k_out, rtol=1e-5, atol=1e-6
)
np.testing.assert_allclose(t_h[0], k_h, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(t_c[0], k_c, rtol=1e-5, atol=1e-6)
# any split of the bias with the same sum gives the same result
split = {**params, "bias_ih_l0": 0.3 * bias, "bias_hh_l0": 0.7 * bias}
np.testing.assert_allclose(
    torch_style_lstm(x_time_major, split)[0], t_out, rtol=1e-5, atol=1e-6
)
print("output, h_n[0] and c_n[0] equal Keras's output, h and c")

# %%
# With ``batch_first=True`` the input and output match Keras's layout, but
# ``h_n`` is still ``(1, N, H)``: take ``h_n[-1]`` (the last layer) to get
# Keras's ``(N, H)``.
t_out_bf, (t_h_bf, _) = torch_style_lstm(x, params, batch_first=True)
print(
    "batch_first output:",
    t_out_bf.shape,
    " h_n:",
    t_h_bf.shape,
    " h_n[-1]:",
    t_h_bf[-1].shape,
)
assert t_out_bf.shape == k_out.shape == (batch, timesteps, units)
assert t_h_bf.shape == (1, batch, units)
np.testing.assert_allclose(t_out_bf, k_out, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(t_h_bf[-1], k_h, rtol=1e-5, atol=1e-6)

# %%
# Two stacked layers: ``num_layers=2``
# ------------------------------------
# PyTorch stacks layers inside one module; Keras stacks two LSTM layers, the
# first with ``return_sequences=True``. ``h_n`` gets one row per layer.
lower = keras.layers.LSTM(units, return_sequences=True)
upper = keras.layers.LSTM(units, return_state=True)
k2_last, k2_h, k2_c = (t.numpy() for t in upper(lower(x)))
params2 = {
    **keras_to_torch(*lower.get_weights(), layer=0),
    **keras_to_torch(*upper.get_weights(), layer=1),
}
assert params2["weight_ih_l1"].shape == (
    4 * units,
    units,
)  # layer 1 reads H features
t2_out, (t2_h, t2_c) = torch_style_lstm(
    x, params2, num_layers=2, batch_first=True
)
print(
    "num_layers=2  output:",
    t2_out.shape,
    " h_n:",
    t2_h.shape,
    " c_n:",
    t2_c.shape,
)
assert t2_h.shape == t2_c.shape == (2, batch, units)
np.testing.assert_allclose(t2_h[-1], k2_h, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(t2_c[-1], k2_c, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(t2_out[:, -1], k2_last, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(
    t2_h[0], lower(x).numpy()[:, -1], rtol=1e-5, atol=1e-6
)

# %%
# Bidirectional: ``bidirectional=True``
# -------------------------------------
# Keras's ``Bidirectional`` returns the output (forward and backward units
# concatenated, ``2*H``) and then **four** states, ``h`` and ``c`` of each
# direction. PyTorch returns ``h_n`` of shape ``(2, N, H)``: row 0 forward,
# row 1 backward. Both align the backward outputs with the input's time steps.
bi = keras.layers.Bidirectional(
    keras.layers.LSTM(units, return_sequences=True, return_state=True)
)
kb_out, kb_h_fw, kb_c_fw, kb_h_bw, kb_c_bw = (t.numpy() for t in bi(x))
print(
    "Keras Bidirectional output:",
    kb_out.shape,
    " each of 4 states:",
    kb_h_fw.shape,
)
assert kb_out.shape == (batch, timesteps, 2 * units)
assert (
    kb_h_fw.shape
    == kb_c_fw.shape
    == kb_h_bw.shape
    == kb_c_bw.shape
    == (batch, units)
)
params_bi = {
    **keras_to_torch(*bi.forward_layer.get_weights()),
    **keras_to_torch(*bi.backward_layer.get_weights(), suffix="_reverse"),
}
tb_out, (tb_h, tb_c) = torch_style_lstm(
    x, params_bi, bidirectional=True, batch_first=True
)
print("torch-style bidirectional output:", tb_out.shape, " h_n:", tb_h.shape)
assert tb_out.shape == (batch, timesteps, 2 * units)
assert tb_h.shape == tb_c.shape == (2, batch, units)
np.testing.assert_allclose(tb_out, kb_out, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(tb_h[0], kb_h_fw, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(tb_h[1], kb_h_bw, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(tb_c[1], kb_c_bw, rtol=1e-5, atol=1e-6)
print(
    "bidirectional: output, h_n[0] (forward) and h_n[1] (backward) match Keras"
)

# %%
# With real PyTorch (optional, not run here)
# ------------------------------------------
# If you have ``torch`` installed, this is the conversion with the real
# ``torch.nn.LSTM``. The site does not depend on PyTorch, so this block is
# **not executed**, here or by the site's tests: what this page checks is the
# conversion against its own NumPy version of ``torch.nn.LSTM``'s forward
# pass above. It continues from the variables of this page (``keras_lstm``,
# ``x``, ``k_out``, ``k_h``, ``k_c``).
#
# .. code-block:: python
#
#    import torch
#
#    torch_lstm = torch.nn.LSTM(input_size=3, hidden_size=5, batch_first=True)
#    kernel, recurrent_kernel, bias = keras_lstm.get_weights()
#    with torch.no_grad():
#        torch_lstm.weight_ih_l0.copy_(torch.from_numpy(kernel.T))
#        torch_lstm.weight_hh_l0.copy_(torch.from_numpy(recurrent_kernel.T))
#        torch_lstm.bias_ih_l0.copy_(torch.from_numpy(bias))
#        torch_lstm.bias_hh_l0.zero_()
#        output, (h_n, c_n) = torch_lstm(torch.from_numpy(x))
#
#    # output: (2, 9, 5) like Keras; h_n and c_n: (1, 2, 5)
#    np.testing.assert_allclose(output.numpy(), k_out, rtol=1e-5, atol=1e-6)
#    np.testing.assert_allclose(h_n[0].numpy(), k_h, rtol=1e-5, atol=1e-6)
#    np.testing.assert_allclose(c_n[0].numpy(), k_c, rtol=1e-5, atol=1e-6)
#
# Related pages: :ref:`sphx_glr_auto_examples_seed_plot_lstm_weights.py` (the
# Keras weight layout), :ref:`sphx_glr_auto_examples_cell_plot_numpy_lstm.py`
# (Keras's own equations in NumPy),
# :ref:`sphx_glr_auto_examples_seed_plot_time_major.py` (time-major input in
# tf.keras 2), :ref:`sphx_glr_auto_examples_beyond_plot_stacked_lstm.py` and
# :ref:`sphx_glr_auto_examples_beyond_plot_bidirectional.py`.
