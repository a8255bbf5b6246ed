"""The GPU claims of beyond/plot_gpu_cudnn.py (and beyond/plot_masking.py), run on a GPU.

The site is built on CPUs, so that page computes what it can with Keras' own
functions and takes the rest from Keras' source. These tests run those
source-derived claims for real where TensorFlow sees a GPU:

* the default ``LSTM`` runs the cuDNN kernel, ``activation="relu"`` does not;
* a left-padded (``pad_sequences`` default) mask fails inside ``predict``
  with Keras' "right-padded" error, and an eager call falls back to the
  generic kernel;
* a right-padded mask works and gives the CPU's final states;
* at padded steps cuDNN returns zeros where the generic kernel repeats the
  last output.

Without a GPU they skip and say why. If the machine has an NVIDIA GPU that
TensorFlow cannot see (no CUDA build), they fail instead of skipping, so a
GPU run never passes silently. TensorFlow is imported inside the fixtures,
which keeps collection cheap.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess

import numpy as np
import pytest

pytestmark = pytest.mark.gpu


def _nvidia_gpu_present() -> bool:
    """An NVIDIA GPU on the machine, whether or not TensorFlow can use it."""
    if os.path.exists("/dev/nvidia0"):
        return True
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return False
    result = subprocess.run([smi, "-L"], capture_output=True, text=True, timeout=30)
    return result.returncode == 0 and "GPU" in result.stdout


@pytest.fixture(scope="module")
def tf():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import tensorflow as tf

    if not tf.config.list_physical_devices("GPU"):
        if _nvidia_gpu_present():
            pytest.fail(
                "an NVIDIA GPU is present but TensorFlow sees none "
                "(tf.config.list_physical_devices('GPU') is empty): install a "
                "CUDA build (pip install 'tensorflow[and-cuda]') to run the GPU tests"
            )
        pytest.skip(
            "needs a GPU: TensorFlow sees none (tf.config.list_physical_devices"
            "('GPU') is empty); these tests check beyond/plot_gpu_cudnn.py's "
            "cuDNN claims on a GPU machine"
        )
    # exact float32 matmuls in cuDNN too, so CPU and GPU agree tightly
    tf.config.experimental.enable_tensor_float_32_execution(False)
    return tf


@pytest.fixture(scope="module")
def keras(tf):
    import keras

    assert keras.backend.backend() == "tensorflow"
    keras.utils.set_random_seed(313)
    return keras


@pytest.fixture(scope="module")
def tf_rnn(tf):
    return importlib.import_module("keras.src.backend.tensorflow.rnn")


@pytest.fixture()
def cudnn_calls(tf_rnn, monkeypatch):
    """Counts the calls of Keras' cuDNN LSTM kernel (and still runs it)."""
    calls = []
    original = tf_rnn._cudnn_lstm

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(tf_rnn, "_cudnn_lstm", counting)
    return calls


def _padded(keras, padding, features=2, seed=0):
    """Three sequences (6, 3, 4 steps), zero-padded to 6 steps, float32."""
    rng = np.random.default_rng(seed)
    lengths = [6, 3, 4]
    sequences = [rng.normal(0, 1, size=(n, features)).astype("float32") for n in lengths]
    batch = keras.utils.pad_sequences(sequences, padding=padding, dtype="float32")
    return batch, np.array(lengths)


def _masked_lstm_model(keras, lstm):
    inputs = keras.Input(shape=(6, 2))
    masked = keras.layers.Masking(mask_value=0.0)(inputs)
    return keras.Model(inputs, lstm(masked))


def test_default_lstm_runs_cudnn_and_relu_does_not(tf, keras, cudnn_calls):
    x = np.random.default_rng(1).normal(0, 1, size=(4, 6, 3)).astype("float32")
    keras.layers.LSTM(8)(x)
    assert len(cudnn_calls) == 1, "the default LSTM did not call the cuDNN kernel"
    for kwargs in ({"activation": "relu"}, {"recurrent_dropout": 0.2}, {"use_cudnn": False}):
        keras.layers.LSTM(8, **kwargs)(x, training=True)
        assert len(cudnn_calls) == 1, f"LSTM(8, {kwargs}) called the cuDNN kernel"
    keras.layers.LSTM(8, dropout=0.2)(x, training=True)
    assert len(cudnn_calls) == 2, "LSTM(8, dropout=0.2) did not call the cuDNN kernel"
    with pytest.raises(ValueError, match="use_cudnn=True was specified"):
        keras.layers.LSTM(8, use_cudnn=True, activation="relu")(x)


def test_left_padded_mask_fails_in_predict(tf, keras):
    batch, _ = _padded(keras, "pre")
    model = _masked_lstm_model(keras, keras.layers.LSTM(4))
    with pytest.raises(tf.errors.InvalidArgumentError, match="right-padded sequences"):
        model.predict(batch, verbose=0)


def test_left_padded_mask_eager_call_falls_back(tf, keras, cudnn_calls):
    batch, _ = _padded(keras, "pre")
    lstm = keras.layers.LSTM(4, return_state=True)
    mask = batch.any(axis=-1)
    _, h_gpu, c_gpu = lstm(batch, mask=mask)  # eager: the check fails, generic kernel runs
    assert len(cudnn_calls) == 1  # cuDNN was tried ...
    generic = keras.layers.LSTM(4, return_state=True, use_cudnn=False)
    generic.build(batch.shape)
    generic.set_weights(lstm.get_weights())
    with tf.device("/CPU:0"):
        _, h_cpu, c_cpu = generic(batch, mask=mask)
    np.testing.assert_allclose(h_gpu, h_cpu, rtol=1e-4, atol=1e-5)  # ... and the result is the generic one
    np.testing.assert_allclose(c_gpu, c_cpu, rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="use_cudnn=True was specified"):
        keras.layers.LSTM(4, use_cudnn=True)(batch, mask=mask)


def test_right_padded_mask_works_and_matches_cpu(tf, keras, cudnn_calls):
    batch, lengths = _padded(keras, "post")
    gpu_lstm = keras.layers.LSTM(4, return_sequences=True, return_state=True)
    gpu_model = _masked_lstm_model(keras, gpu_lstm)
    seq_gpu, h_gpu, c_gpu = gpu_model.predict(batch, verbose=0)
    assert len(cudnn_calls) >= 1, "predict with a right-padded mask did not use cuDNN"

    cpu_lstm = keras.layers.LSTM(4, return_sequences=True, return_state=True, use_cudnn=False)
    cpu_model = _masked_lstm_model(keras, cpu_lstm)
    cpu_lstm.set_weights(gpu_lstm.get_weights())
    with tf.device("/CPU:0"):
        seq_cpu, h_cpu, c_cpu = (t.numpy() for t in cpu_model(batch))
    np.testing.assert_allclose(h_gpu, h_cpu, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(c_gpu, c_cpu, rtol=1e-4, atol=1e-5)
    real = np.arange(6)[None, :] < lengths[:, None]
    np.testing.assert_allclose(seq_gpu[real], seq_cpu[real], rtol=1e-4, atol=1e-5)


def test_masked_step_outputs_cudnn_zeros_generic_repeats(tf, keras, cudnn_calls):
    batch, lengths = _padded(keras, "post")
    mask = batch.any(axis=-1)
    cudnn = keras.layers.LSTM(4, return_sequences=True)
    seq_cudnn = cudnn(batch, mask=mask).numpy()
    assert len(cudnn_calls) == 1
    generic = keras.layers.LSTM(4, return_sequences=True, use_cudnn=False)
    zeroed = keras.layers.LSTM(4, return_sequences=True, use_cudnn=False, zero_output_for_mask=True)
    for layer in (generic, zeroed):
        layer.build(batch.shape)
        layer.set_weights(cudnn.get_weights())
    with tf.device("/CPU:0"):
        seq_generic = generic(batch, mask=mask).numpy()
        seq_zeroed = zeroed(batch, mask=mask).numpy()
    for row, n in enumerate(lengths):
        np.testing.assert_array_equal(seq_cudnn[row, n:], 0.0)  # cuDNN: zeros
        for step in range(n, 6):  # generic: the last real output, repeated
            np.testing.assert_array_equal(seq_generic[row, step], seq_generic[row, n - 1])
    np.testing.assert_allclose(seq_cudnn, seq_zeroed, rtol=1e-4, atol=1e-5)
