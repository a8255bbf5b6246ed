"""
What do the gates of a trained LSTM respond to?
===============================================

**In short:** to the events of the task, once it is trained. On a tiny memory
task with *store*, *reset* and *query* markers, the unit whose cell state
follows the stored number best opens its input gate on *store*, drops its
forget gate on *reset* and opens its output gate on *query*; the same layer
before training shows no such pattern in any unit. The number is not held
by that unit alone: a few units' cell states follow it, and their gates do
not all show the same three jobs (the table below says which do).

An untrained layer's gates follow its input in no particular way. The task
here is a tiny memory: a stream of numbers with three kinds of marker.
*Store* means "remember the number at this step", *reset* means "forget
it", *query* means "say the remembered number now" (0 if nothing is
stored); at every other step the model must say 0.
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
import tensorflow as tf

keras.utils.set_random_seed(1)
tf.config.experimental.enable_op_determinism()
np.set_printoptions(precision=3, suppress=True)

# sphinx_gallery_thumbnail_number = 1

# %%
# A stream with events
# --------------------
# Four features per step: a number drawn uniformly from -1 to 1 at every
# step, and three flags, *store*, *reset* and *query*, at most one of them 1.
# A *store* only comes when nothing is stored, a *reset* only when something
# is. The target is 0 everywhere except at *query* steps, where it is the
# stored number (or 0 after a reset).
timesteps = 30
features = 4  # the number and three flags
STORE, RESET, QUERY = 1, 2, 3  # feature index of each flag; 0 is "no event"
event_names = {STORE: "store", RESET: "reset", QUERY: "query"}


def event_streams(n):
    x = np.zeros((n, timesteps, features), dtype="float32")
    x[:, :, 0] = np.random.uniform(-1, 1, size=(n, timesteps))
    y = np.zeros((n, timesteps, 1), dtype="float32")
    events = np.zeros((n, timesteps), dtype=int)
    draws = np.random.random((n, timesteps))
    for s in range(n):
        stored = None
        for t in range(timesteps):
            if stored is None:
                event = (
                    STORE
                    if draws[s, t] < 0.3
                    else QUERY
                    if draws[s, t] < 0.45
                    else 0
                )
            else:
                event = (
                    QUERY
                    if draws[s, t] < 0.2
                    else RESET
                    if draws[s, t] < 0.35
                    else 0
                )
            events[s, t] = event
            if event:
                x[s, t, event] = 1.0
            if event == STORE:
                stored = x[s, t, 0]
            elif event == RESET:
                stored = None
            elif event == QUERY:
                y[s, t, 0] = 0.0 if stored is None else stored
    return x, y, events


x_train, y_train, _ = event_streams(1000)
x_test, y_test, events_test = event_streams(300)
print("input:", x_train.shape, " target:", y_train.shape)
# a held-out stream with several answered queries and resets, to show below
sample = next(
    s
    for s in range(len(x_test))
    if (y_test[s, :, 0] != 0).sum() >= 4
    and (events_test[s] == RESET).sum() >= 2
)
print(f"events in held-out stream {sample} (s store, r reset, q query):")
print(" ", " ".join(event_names.get(e, ".")[0] for e in events_test[sample]))
for name, code in (("store", STORE), ("reset", RESET), ("query", QUERY)):
    print(f"share of {name} steps: {(events_test == code).mean():.3f}")

# %%
# Train
# -----
# An LSTM with 8 units, one answer per step (``return_sequences=True`` and a
# linear ``Dense``), mean squared error.
units = 8
inputs = keras.Input(shape=(timesteps, features), name="stream")
lstm = keras.layers.LSTM(units, return_sequences=True, name="lstm")
outputs = keras.layers.Dense(1, name="answer")(lstm(inputs))
model = keras.Model(inputs, outputs, name="memory_model")
model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")
untrained_weights = lstm.get_weights()  # the control, below
# sphinx_gallery_start_ignore
# Build speed: Adam's slots made now, so fit() traces its step once.
model.optimizer.build(model.trainable_variables)
# sphinx_gallery_end_ignore
history = model.fit(x_train, y_train, epochs=15, batch_size=100, verbose=0)
for epoch in (0, 4, 9, 14):
    print(f"epoch {epoch + 1:2d}: loss {history.history['loss'][epoch]:.5f}")

answer = model.predict(x_test, verbose=0)[..., 0]
query = events_test == QUERY
query_error = np.abs(answer - y_test[..., 0])[query]
silent_error = np.abs(answer)[~query]
always_zero = np.abs(y_test[..., 0])[query]  # a model that always says 0
print("held-out query steps, mean |answer - target|:")
print(
    f"  trained {query_error.mean():.3f}, always 0: {always_zero.mean():.3f}"
)
print(f"held-out other steps: mean |answer| = {silent_error.mean():.3f}")
assert query_error.mean() < 0.1
assert query_error.mean() < always_zero.mean() / 3
assert silent_error.mean() < 0.03


# %%
# The gates at every step
# -----------------------
# The six quantities of every unit at every step of the held-out streams, in
# NumPy from the trained weights (the equations and the loop are those of
# :ref:`sphx_glr_auto_examples_cell_plot_numpy_lstm.py`; the untrained
# version of this page is
# :ref:`sphx_glr_auto_examples_cell_plot_gates_over_time.py`).
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def lstm_steps(x, weights):
    """i, f, g, o, c, h at every step: each (batch, timesteps, units)."""
    kernel, recurrent_kernel, bias = weights
    h = np.zeros((len(x), units), dtype="float32")
    c = np.zeros((len(x), units), dtype="float32")
    out = {name: [] for name in ("i", "f", "g", "o", "c", "h")}
    for t in range(x.shape[1]):
        z_i, z_f, z_g, z_o = np.split(
            x[:, t] @ kernel + h @ recurrent_kernel + bias, 4, axis=-1
        )
        i, f, g, o = sigmoid(z_i), sigmoid(z_f), np.tanh(z_g), sigmoid(z_o)
        c = f * c + i * g
        h = o * np.tanh(c)
        for name, value in zip(out, (i, f, g, o, c, h)):
            out[name].append(value)
    return {name: np.stack(values, axis=1) for name, values in out.items()}


states = lstm_steps(x_test, lstm.get_weights())
np.testing.assert_allclose(
    states["h"], lstm(x_test).numpy(), rtol=1e-4, atol=1e-5
)

# %%
# Which units hold the number? Those whose :math:`c_t` correlates with the
# number currently stored (0 when nothing is), over all held-out steps. We
# follow the strongest, the *memory unit*, and also list the others that
# carry it (a correlation of 0.75 or more in absolute value):
stored_now = np.zeros(events_test.shape, dtype="float32")
for s in range(len(x_test)):
    value = 0.0
    for t in range(timesteps):
        if events_test[s, t] == STORE:
            value = x_test[s, t, 0]
        elif events_test[s, t] == RESET:
            value = 0.0
        stored_now[s, t] = value
corr = np.array(
    [
        np.corrcoef(states["c"][..., j].ravel(), stored_now.ravel())[0, 1]
        for j in range(units)
    ]
)
memory = int(np.argmax(np.abs(corr)))
carriers = [int(j) for j in np.argsort(-np.abs(corr)) if abs(corr[j]) >= 0.75]
print("corr(c_t, stored number) per unit:\n", corr)
print(f"memory unit: {memory}; units with |corr| >= 0.75: {carriers}")
assert abs(corr[memory]) >= 0.8
assert len(carriers) >= 2  # not one unit alone

# %%
# Each gate and its event
# -----------------------
# For each of these units, each gate averaged over the held-out steps with
# its event and over all other steps. A gate "does its job" here when it is
# at least 0.3 higher at its event (input gate at *store*, output gate at
# *query*) or 0.3 lower (forget gate at *reset*). The same table for the
# layer **before training** is the control.
claims = [
    ("i", STORE, "input gate", ">"),
    ("f", RESET, "forget gate", "<"),
    ("o", QUERY, "output gate", ">"),
]
margin = 0.3


def gate_table(states, unit):
    """(mean at its event, mean elsewhere, does its job) for each gate."""
    table = {}
    for gate, code, _, direction in claims:
        values = states[gate][..., unit]
        at_event = values[events_test == code].mean()
        elsewhere = values[events_test != code].mean()
        if direction == ">":
            job = at_event > elsewhere + margin
        else:
            job = at_event < elsewhere - margin
        table[gate] = (at_event, elsewhere, job)
    return table


untrained = lstm_steps(x_test, untrained_weights)
tables = {j: gate_table(states, j) for j in range(units)}
untrained_tables = {j: gate_table(untrained, j) for j in range(units)}
print("gate: mean at its event / elsewhere (* = does its job)")
print("unit   i store      f reset      o query")
for name, table, shown in (
    ("trained", tables, carriers),
    ("untrained", untrained_tables, range(units)),
):
    print(name)
    for j in shown:
        cells = [
            f"{a:.2f}/{b:.2f}{'*' if job else ' '}"
            for a, b, job in table[j].values()
        ]
        print(f"  {j}   " + "   ".join(cells).rstrip())
gate_means = {gate: v[:2] for gate, v in tables[memory].items()}
assert all(job for *_, job in tables[memory].values())
assert not any(
    job for table in untrained_tables.values() for *_, job in table.values()
)
others_all_three = [
    j for j in carriers[1:] if all(job for *_, job in tables[j].values())
]
largest = max(
    abs(a - b) for t in untrained_tables.values() for a, b, _ in t.values()
)
print(f"other carriers with all three jobs: {others_all_three}")
print(f"untrained, largest |event - elsewhere|: {largest:.2f}")
assert 1 <= len(others_all_three) < len(carriers) - 1
assert any(tables[j]["o"][0] < tables[j]["o"][1] for j in carriers)

# %%
# For the memory unit, each gate does the job its name promises: the input
# gate lets the number in when it should be stored, the forget gate drops
# when the memory must be cleared, the output gate lets the cell state out
# mostly when the answer is asked for. Before training, no unit's gate
# differs by 0.3 between its event and the other steps. Of the other units
# that carry the number, some show the same three jobs and some do not: one
# even has its output gate *lower* at *query* steps than elsewhere. The
# model's answer is a ``Dense`` mix of all 8 units' :math:`h_t`, so a
# carrier does not need to show its number at the query itself.
#
# One stream, step by step
# ------------------------
# The stream printed at the top. The events and the number on top; the
# memory unit's gates in the middle (one scale, 0 to 1); its candidate, cell
# state and hidden state below (one scale centred on 0); the model's answer
# against the target at the bottom.
steps = np.arange(timesteps)
colors = {STORE: "tab:green", RESET: "tab:red", QUERY: "tab:purple"}
fig, axes = plt.subplots(
    4,
    1,
    figsize=(5, 8.4),
    sharex=True,
    layout="constrained",
    gridspec_kw={"height_ratios": [1, 1.3, 1.3, 1]},
)
for ax in axes:
    for t in steps[events_test[sample] > 0]:
        ax.axvspan(
            t - 0.5,
            t + 0.5,
            color=colors[events_test[sample, t]],
            alpha=0.15,
            linewidth=0,
        )
axes[0].bar(steps, x_test[sample, :, 0], color="0.5", width=0.6)
for t in steps[events_test[sample] > 0]:
    code = events_test[sample, t]
    axes[0].text(
        t,
        1.15,
        event_names[code],
        rotation=90,
        ha="center",
        va="bottom",
        fontsize=10,
        color=colors[code],
    )
axes[0].set_ylim(-1.1, 2.6)
axes[0].set_yticks([-1, 0, 1])
axes[0].set_ylabel("number")
for name, style in (("i", "-"), ("f", "--"), ("o", ":")):
    axes[1].plot(
        steps,
        states[name][sample, :, memory],
        style,
        marker="o",
        markersize=3,
        linewidth=1.8,
        label=f"{name}_t",
    )
axes[1].set_ylim(-0.02, 1.02)
axes[1].set_ylabel("gate (0 to 1)")
axes[1].legend(loc="upper left", bbox_to_anchor=(1, 1))
signed_limit = (
    max(np.abs(states[name][sample, :, memory]).max() for name in "gch") * 1.05
)
for name, style in (("g", "-"), ("c", "--"), ("h", ":")):
    axes[2].plot(
        steps,
        states[name][sample, :, memory],
        style,
        marker="o",
        markersize=3,
        linewidth=1.8,
        label=f"{name}_t",
    )
axes[2].set_ylim(-signed_limit, signed_limit)
axes[2].axhline(0, color="0.6", linewidth=0.8)
axes[2].set_ylabel("value")
axes[2].legend(loc="upper left", bbox_to_anchor=(1, 1))
axes[3].plot(steps, answer[sample], marker="o", markersize=3, label="answer")
axes[3].plot(
    steps,
    y_test[sample, :, 0],
    marker="x",
    linestyle="none",
    color="black",
    label="target",
)
axes[3].axhline(0, color="0.6", linewidth=0.8)
axes[3].set_ylabel("output")
axes[3].legend(loc="upper left", bbox_to_anchor=(1, 1))
axes[3].set_xlabel("time step")
axes[3].set_xticks(steps[::4])
fig.suptitle(
    f"Trained LSTM, memory unit {memory}:\ngates and states on one stream"
)
plt.show()

# %%
# Read it column by column, with the averages above in mind: at a green
# *store* step the input gate is high and :math:`c_t` takes a new level (its
# sign follows the number stored, or the opposite sign: the readout can flip
# it); at a red *reset* the forget gate is low and :math:`c_t` falls back
# towards 0; at a purple *query* the output gate is high, :math:`h_t` shows
# the cell state and the answer comes close to the stored number.
# The forget gate also dips at a *store*, so the new :math:`c_t = f_t
# c_{t-1} + i_t g_t` is mostly the new :math:`i_t g_t`:
one = {name: states[name][sample, :, memory] for name in "ifoc"}
ev = events_test[sample]
resets = np.flatnonzero(ev == RESET)
answer_gap = np.abs(answer[sample] - y_test[sample, :, 0])[ev == QUERY]
print(
    f"this stream, queries: largest |answer - target| {answer_gap.max():.2f}"
)
assert one["i"][ev == STORE].min() > one["i"][ev != STORE].max() - 0.3
assert one["f"][ev == RESET].max() < one["f"][ev != RESET].mean()
assert one["o"][ev == QUERY].min() > one["o"][ev != QUERY].mean()
assert np.all(np.abs(one["c"][resets]) < np.abs(one["c"][resets - 1]))
assert answer_gap.max() < 0.2
f_store = states["f"][..., memory][events_test == STORE].mean()
f_quiet = states["f"][..., memory][events_test == 0].mean()
print(f"forget gate f: {f_store:.2f} at store steps,")
print(f"  {f_quiet:.2f} at steps without event")
assert f_store < f_quiet - 0.2

# %%
# All held-out steps at once
# --------------------------
# The three gates of the memory unit, at their event and elsewhere (the
# numbers asserted above), on one 0-to-1 scale:
fig, ax = plt.subplots(figsize=(5, 4), layout="constrained")
positions = np.arange(len(claims))
ax.bar(
    positions - 0.2,
    [gate_means[gate][0] for gate, *_ in claims],
    width=0.4,
    color=[colors[code] for _, code, *_ in claims],
    label="at its event",
)
ax.bar(
    positions + 0.2,
    [gate_means[gate][1] for gate, *_ in claims],
    width=0.4,
    color="0.7",
    label="at all other steps",
)
ax.set_xticks(
    positions,
    labels=[
        f"{label} {gate}\n(event: {event_names[code]})"
        for gate, code, label, _ in claims
    ],
)
ax.set_ylim(0, 1)
ax.set_ylabel(f"mean gate value, unit {memory}")
fig.legend(loc="outside lower center", ncols=2)
ax.set_title(
    f"Memory unit {memory}: each gate at its event\nand elsewhere (held-out)",
    fontsize="medium",
)
plt.show()

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_cell_plot_gates_over_time.py` - the same
#   quantities in an untrained layer.
# * :ref:`sphx_glr_auto_examples_cell_plot_numpy_lstm.py` - the LSTM
#   equations and the NumPy loop used here.
# * :ref:`sphx_glr_auto_examples_trained_plot_counting_unit.py` - a unit
#   that learns to count.
