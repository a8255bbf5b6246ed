"""Keras's LSTM against an independent NumPy LSTM (tests/lstm_reference.py).

Property-style: hypothesis draws batch sizes, timesteps, features, units,
seeds and go_backwards; for each draw a fresh Keras layer with random weights
must return the reference's sequence and final states. These tests need no
built site.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from lstm_reference import lstm_forward, lstm_param_count  # noqa: E402

# float32 Keras vs float64 reference; states are bounded (|h| < 1), so an
# absolute tolerance of about ten float32 ulps of numbers near 1 is the right scale.
RTOL, ATOL = 1e-5, 1e-6

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same draws on every run: a failure is reproducible
    database=None,  # and nothing written to .hypothesis/
    suppress_health_check=[HealthCheck.too_slow],
)


def keras_lstm(x, units, seed, go_backwards):
    """A fresh Keras LSTM with seeded random weights, called on x."""
    keras.utils.set_random_seed(seed)
    layer = keras.layers.LSTM(
        units,
        return_sequences=True,
        return_state=True,
        go_backwards=go_backwards,
        # a non-zero random bias tests the bias blocks too
        bias_initializer=keras.initializers.RandomNormal(stddev=0.5, seed=seed),
    )
    seq, h, c = layer(x)
    return layer, seq.numpy(), h.numpy(), c.numpy()


@SETTINGS
@given(
    batch=st.integers(1, 4),
    timesteps=st.integers(1, 8),
    features=st.integers(1, 5),
    units=st.integers(1, 6),
    seed=st.integers(0, 2**16),
    go_backwards=st.booleans(),
    scale=st.sampled_from([0.1, 1.0, 3.0]),
)
def test_keras_lstm_matches_numpy_reference(batch, timesteps, features, units, seed, go_backwards, scale):
    rng = np.random.default_rng(seed)
    x = (scale * rng.standard_normal((batch, timesteps, features))).astype("float32")
    layer, seq, h, c = keras_lstm(x, units, seed, go_backwards)
    kernel, recurrent_kernel, bias = layer.get_weights()

    ref_seq, ref_h, ref_c = lstm_forward(x, kernel, recurrent_kernel, bias, go_backwards=go_backwards)

    assert seq.shape == (batch, timesteps, units)
    assert h.shape == c.shape == (batch, units)
    np.testing.assert_allclose(seq, ref_seq, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(h, ref_h, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(c, ref_c, rtol=RTOL, atol=ATOL)
    # the final hidden state is the last row of the returned sequence
    np.testing.assert_array_equal(h, seq[:, -1])


@settings(max_examples=10, deadline=None, derandomize=True, database=None)
@given(
    batch=st.integers(1, 3),
    timesteps=st.integers(2, 6),
    features=st.integers(1, 4),
    units=st.integers(1, 4),
    seed=st.integers(0, 2**16),
)
def test_go_backwards_is_forward_on_reversed_input(batch, timesteps, features, units, seed):
    """Keras 3 returns the backward sequence in reading order, not flipped back."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, timesteps, features)).astype("float32")
    layer, seq, h, c = keras_lstm(x, units, seed, go_backwards=True)
    weights = layer.get_weights()

    forward_seq, forward_h, forward_c = lstm_forward(x[:, ::-1], *weights)
    np.testing.assert_allclose(seq, forward_seq, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(c, forward_c, rtol=RTOL, atol=ATOL)
    # row 0 has read only the last input step
    first_only, _, _ = lstm_forward(x[:, -1:], *weights)
    np.testing.assert_allclose(seq[:, 0], first_only[:, 0], rtol=RTOL, atol=ATOL)


def test_reference_weight_layout_is_i_f_c_o():
    """Hand-made biases: input gate open, candidate ~1, output gate shut, forget 0.5."""
    features, units = 2, 3
    kernel = np.zeros((features, 4 * units))
    recurrent_kernel = np.zeros((units, 4 * units))
    bias = np.zeros(4 * units)
    bias[2 * units : 3 * units] = 10.0  # candidate block: g = tanh(10) ~ 1
    bias[0:units] = 10.0  # input gate open
    bias[3 * units :] = -10.0  # output gate shut
    x = np.ones((1, 1, features))
    seq, h, c = lstm_forward(x, kernel, recurrent_kernel, bias)
    # c = f * 0 + i * g ~ 1, h = o * tanh(c) ~ 0
    np.testing.assert_allclose(c, np.ones((1, units)), atol=1e-4)
    np.testing.assert_allclose(h, np.zeros((1, units)), atol=1e-4)


@pytest.mark.parametrize("features", [1, 3, 9, 32])
@pytest.mark.parametrize("units", [1, 5, 16, 64])
@pytest.mark.parametrize("use_bias", [True, False])
def test_parameter_formula(features, units, use_bias):
    layer = keras.layers.LSTM(units, use_bias=use_bias)
    layer.build((None, None, features))
    assert layer.count_params() == lstm_param_count(features, units, use_bias)
    if use_bias:
        assert layer.count_params() == 4 * (units * (features + units) + units)
