"""The PyTorch snippet of plot_keras_vs_pytorch.py, run against real torch.

PyTorch is not a dependency of the site, so the page shows that snippet as a
non-executed ``.. code-block:: python``. This test runs *the snippet as it
appears on the page* (extracted from the example's source) on a Keras layer,
when ``import torch`` works, and checks that torch.nn.LSTM with the converted
weights gives Keras's numbers. Without torch it is skipped with a message.
It also checks bidirectional and two-layer conversions with the page's own
``keras_to_torch`` helper loaded into real torch modules.
"""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "beyond" / "plot_keras_vs_pytorch.py"

torch = pytest.importorskip(
    "torch",
    reason="PyTorch is not installed: the optional Keras -> PyTorch conversion check is skipped "
    "(pip install torch to run it; the site itself does not need torch)",
)

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402

RTOL, ATOL = 1e-5, 1e-6


def page_snippet() -> str:
    """The Python code of the page's non-executed ``.. code-block:: python``."""
    source = EXAMPLE.read_text(encoding="utf-8")
    match = re.search(r"^# \.\. code-block:: python\n#\n((?:#(?: .*)?\n)+)", source, re.M)
    assert match, f"no '.. code-block:: python' comment block in {EXAMPLE.name}"
    lines = [line[1:] for line in match.group(1).splitlines()]  # drop the '#'
    code_lines = []
    for line in lines:
        if line.strip() and not line.startswith("    "):
            break  # prose after the block
        code_lines.append(line)
    return textwrap.dedent("\n".join(code_lines))


def page_helpers() -> dict:
    """``keras_to_torch`` from the page, without running the whole page."""
    source = EXAMPLE.read_text(encoding="utf-8")
    start = source.index("def keras_to_torch(")
    end = source.index("\ndef torch_to_keras(")
    namespace = {"np": np}
    exec(source[start:end], namespace)
    return namespace


def load(module, params):
    with torch.no_grad():
        for name, value in params.items():
            getattr(module, name).copy_(torch.from_numpy(value))


@pytest.fixture
def inputs():
    keras.utils.set_random_seed(313)
    return np.random.normal(0, 1, size=(2, 9, 3)).astype("float32")


def test_page_snippet_matches_keras(inputs):
    snippet = page_snippet()
    assert "torch.nn.LSTM(" in snippet and "copy_(" in snippet
    keras_lstm = keras.layers.LSTM(5, return_sequences=True, return_state=True)
    k_out, k_h, k_c = (t.numpy() for t in keras_lstm(inputs))
    namespace = {"np": np, "keras_lstm": keras_lstm, "x": inputs, "k_out": k_out, "k_h": k_h, "k_c": k_c}
    exec(compile(snippet, f"{EXAMPLE.name}:code-block", "exec"), namespace)
    assert tuple(namespace["output"].shape) == (2, 9, 5)
    assert tuple(namespace["h_n"].shape) == tuple(namespace["c_n"].shape) == (1, 2, 5)


def test_bidirectional_and_stacked_conversion(inputs):
    keras_to_torch = page_helpers()["keras_to_torch"]
    x = torch.from_numpy(inputs)

    bi = keras.layers.Bidirectional(keras.layers.LSTM(5, return_sequences=True, return_state=True))
    kb_out, kb_h_fw, kb_c_fw, kb_h_bw, kb_c_bw = (t.numpy() for t in bi(inputs))
    torch_bi = torch.nn.LSTM(3, 5, batch_first=True, bidirectional=True)
    load(torch_bi, {**keras_to_torch(*bi.forward_layer.get_weights()),
                    **keras_to_torch(*bi.backward_layer.get_weights(), suffix="_reverse")})
    with torch.no_grad():
        out, (h_n, c_n) = torch_bi(x)
    assert tuple(out.shape) == (2, 9, 10) and tuple(h_n.shape) == (2, 2, 5)
    np.testing.assert_allclose(out.numpy(), kb_out, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(h_n[0].numpy(), kb_h_fw, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(h_n[1].numpy(), kb_h_bw, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(c_n[1].numpy(), kb_c_bw, rtol=RTOL, atol=ATOL)

    lower = keras.layers.LSTM(5, return_sequences=True)
    upper = keras.layers.LSTM(5, return_state=True)
    _, k_h, k_c = (t.numpy() for t in upper(lower(inputs)))
    torch_two = torch.nn.LSTM(3, 5, num_layers=2)  # default time-major
    load(torch_two, {**keras_to_torch(*lower.get_weights(), layer=0),
                     **keras_to_torch(*upper.get_weights(), layer=1)})
    with torch.no_grad():
        _, (h_n, c_n) = torch_two(x.transpose(0, 1))
    assert tuple(h_n.shape) == (2, 2, 5)
    np.testing.assert_allclose(h_n[-1].numpy(), k_h, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(c_n[-1].numpy(), k_c, rtol=RTOL, atol=ATOL)
