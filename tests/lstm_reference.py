"""A reference LSTM forward pass in NumPy, independent of the gallery pages.

Written from the LSTM equations and Keras's documented weight layout, not
copied from an example, so the tests compare Keras with a second, separate
implementation. Keras stores the four gate blocks side by side in the order
input (i), forget (f), candidate (c, "g" here), output (o):

    kernel            (features, 4 * units)
    recurrent_kernel  (units,    4 * units)
    bias              (4 * units,)

and computes, with row vectors and h_0 = c_0 = 0,

    z_t = x_t @ kernel + h_{t-1} @ recurrent_kernel + bias
    i, f, g, o = sigmoid(z_i), sigmoid(z_f), tanh(z_c), sigmoid(z_o)
    c_t = f * c_{t-1} + i * g
    h_t = o * tanh(c_t)

The arithmetic is done in float64 so that the only rounding in a comparison
is Keras's float32.
"""

from __future__ import annotations

import numpy as np


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # numerically stable for large |z|: exp of a non-positive number only
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    exp_z = np.exp(z[~positive])
    out[~positive] = exp_z / (1.0 + exp_z)
    return out


def lstm_forward(x, kernel, recurrent_kernel, bias, go_backwards=False, initial_state=None):
    """Run an LSTM over ``x`` of shape (batch, timesteps, features).

    Returns ``(sequence, h, c)`` like a Keras ``LSTM(return_sequences=True,
    return_state=True)``: ``sequence`` is (batch, timesteps, units) in the order
    the steps were read (with ``go_backwards=True`` that is last input step
    first, and it is not flipped back), ``h`` and ``c`` are the final states.
    """
    x = np.asarray(x, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    recurrent_kernel = np.asarray(recurrent_kernel, dtype=np.float64)
    bias = np.asarray(bias, dtype=np.float64)

    batch, timesteps, features = x.shape
    units = recurrent_kernel.shape[0]
    if kernel.shape != (features, 4 * units):
        raise ValueError(f"kernel {kernel.shape} != ({features}, {4 * units})")
    if recurrent_kernel.shape != (units, 4 * units):
        raise ValueError(f"recurrent_kernel {recurrent_kernel.shape} != ({units}, {4 * units})")
    if bias.shape != (4 * units,):
        raise ValueError(f"bias {bias.shape} != ({4 * units},)")

    if initial_state is None:
        h = np.zeros((batch, units))
        c = np.zeros((batch, units))
    else:
        h, c = (np.asarray(s, dtype=np.float64) for s in initial_state)

    order = range(timesteps - 1, -1, -1) if go_backwards else range(timesteps)
    outputs = np.empty((batch, timesteps, units))
    for position, t in enumerate(order):
        z = x[:, t, :] @ kernel + h @ recurrent_kernel + bias
        z_i, z_f, z_c, z_o = (z[:, k * units : (k + 1) * units] for k in range(4))
        i, f, o = _sigmoid(z_i), _sigmoid(z_f), _sigmoid(z_o)
        g = np.tanh(z_c)
        c = f * c + i * g
        h = o * np.tanh(c)
        outputs[:, position, :] = h
    return outputs, h, c


def lstm_param_count(features: int, units: int, use_bias: bool = True) -> int:
    """Trainable parameters of a Keras LSTM layer."""
    return 4 * (units * (features + units) + (units if use_bias else 0))
