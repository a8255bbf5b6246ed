"""
How do I train an LSTM on a CSV file with pandas?
=================================================

**In short:** read the file with ``pd.read_csv(path, parse_dates=["date"],
index_col="date")``; check that the dates step evenly and fill a missing step
with ``asfreq`` and ``interpolate``; keep the numeric columns; split in time;
scale each column with the training part's mean and standard deviation; cut
windows from ``frame.to_numpy()``, whose rows are days and columns features,
so that the window ending on day ``D`` has the value on ``D + h`` as its
target. On four years of Seattle weather, an LSTM trained on 2012-2014
forecasts 2015's maximum temperature two days ahead with a smaller error in
°C than "the same as today".

Along the way the page runs the four mistakes real files lead to: NaN left in
the windows, a text column made by one stray string, a table the wrong way
round, and a scaler fitted on all of the data.
"""

# sphinx_gallery_start_ignore
# Hidden on the page, kept in the download (see the gallery's front page):
# quiet TensorFlow, no oneDNN reordering, the TensorFlow backend.
import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ["KERAS_BACKEND"] = "tensorflow"
# sphinx_gallery_end_ignore
import io

import keras
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import tensorflow as tf
from numpy.lib.stride_tricks import sliding_window_view
from vega_datasets import local_data

keras.utils.set_random_seed(7)
tf.config.experimental.enable_op_determinism()

# %%
# The file
# --------
# The ``vega_datasets`` package ships a few CSV files with itself, so nothing
# is downloaded: ``local_data.<name>.filepath`` is the path of one on disk.
# ``seattle-weather.csv`` holds Seattle's daily weather from 2012 to 2015,
# drawn from public-domain NOAA data (source: the dataset's description in
# ``vega_datasets/dataset_info.json``). The package is MIT-licensed (source:
# its metadata, ``License: MIT``). The file's first lines, as text:
path = local_data.seattle_weather.filepath
assert "seattle-weather" in local_data.list_datasets()
with open(path) as file:
    for line in file.readlines()[:3]:
        print(line.rstrip())

# %%
# Precipitation is in mm, temperatures in °C and wind in m/s: the
# transformation script divides NOAA's tenths of each by 10 (source:
# `scripts/weather.py <https://github.com/vega/vega-datasets/blob/7dd09019a698cbec702fb0a35546c16060693c7e/scripts/weather.py>`_).
# The ``weather`` column is text.

# %%
# ``read_csv`` with the dates parsed
# ----------------------------------
# ``parse_dates=["date"]`` turns the text ``2012/01/01`` into a date, and
# ``index_col="date"`` makes those dates the row labels: a ``DatetimeIndex``.
# Then rows can be picked by date (``df.loc["2015"]``) and the steps between
# them measured.
df = pd.read_csv(path, parse_dates=["date"], index_col="date")
print(df.head().to_string(index_names=False))
print()
print(df.dtypes.to_string())
print()
print(type(df.index).__name__, df.index.dtype)
print("rows:", len(df), " from", df.index[0].date(), "to", df.index[-1].date())
assert isinstance(df.index, pd.DatetimeIndex)
assert df.shape == (1461, 5) and df.index.is_monotonic_increasing

# %%
# The dtypes say which columns are numbers: four ``float64`` columns and one
# ``str`` column, ``weather`` (pandas 3 reads text as ``str``; pandas 2 called
# it ``object``, source: `pandas 3.0 release notes
# <https://pandas.pydata.org/docs/whatsnew/v3.0.0.html>`_).
assert (df.dtypes.drop("weather") == "float64").all()
assert df["weather"].dtype == "str"

# %%
# Gaps: count the steps between dates
# -----------------------------------
# An LSTM sees the order of its time steps, not how far apart they are (its
# equations have no time in them:
# :ref:`sphx_glr_auto_examples_cell_plot_numpy_lstm.py`), so the steps should
# be equal. Count how far apart consecutive dates are, and look for empty
# cells:
steps = df.index.to_series().diff().dropna()
print(
    "steps of one day:",
    int((steps == pd.Timedelta(days=1)).sum()),
    "of",
    len(steps),
)
print("empty cells:", int(df.isna().sum().sum()))
assert (steps == pd.Timedelta(days=1)).all()
assert not df.isna().any().any()

# %%
# Every step is one day and no cell is empty: this file has no gap. The
# same package ships hourly temperatures for Seattle, labelled
# 2010: they are 30-year averages for each hour, from NOAA (source:
# `vega-datasets' SOURCES.md
# <https://github.com/vega/vega-datasets/blob/024cf5a64fa3af35bab0f25efd6740a96c8a0671/SOURCES.md>`_). A year has
# 8760 hours; the file has one row fewer. The same count finds the step that
# is two hours long, and ``date_range`` names the hour that is missing:
hourly = pd.read_csv(
    local_data.seattle_temps.filepath,
    parse_dates=["date"],
    index_col="date",
)
gaps = hourly.index.to_series().diff()
long_steps = gaps[gaps > pd.Timedelta(hours=1)]
print("rows:", len(hourly), " hours in 2010:", 365 * 24)
print("steps longer than 1 h:", len(long_steps))
every_hour = pd.date_range(hourly.index[0], hourly.index[-1], freq="h")
missing = every_hour.difference(hourly.index)
print("missing:", [str(hour) for hour in missing])
assert len(hourly) == 365 * 24 - 1 and len(long_steps) == 1
assert list(missing) == [pd.Timestamp("2010-03-14 03:00")]
assert long_steps.iloc[0] == pd.Timedelta(hours=2)
assert not hourly.index.duplicated().any()

# %%
# The row for 03:00 on 14 March 2010 is missing. That day was the second
# Sunday of March, when US clocks move forward by one hour (source:
# `NIST, daylight saving time
# <https://www.nist.gov/pml/time-and-frequency-division/popular-links/daylight-saving-time-dst>`_).
day = pd.Timestamp("2010-03-14")
assert day.day_name() == "Sunday" and 8 <= day.day <= 14

# %%
# Fill it, or drop it?
# --------------------
# ``asfreq("h")`` reindexes to one row per hour: the missing hour comes back
# as a row of NaN. ``interpolate("time")`` then draws a straight line between
# its neighbours. That is a fair guess here because these averages change
# slowly: no two consecutive hours in the file differ by more than 3.5 °F,
# and the two hours around the gap differ by 0.8 °F (°F: the file names no
# unit, but its values run from 37.5 to 75.9, which for Seattle only °F
# fits). Dropping the row instead would leave one step two hours long inside
# every window over it.
regular = hourly.asfreq("h")
print(
    "after asfreq:",
    len(regular),
    "rows,",
    int(regular["temp"].isna().sum()),
    "NaN",
)
filled = regular.interpolate("time")
print(
    filled.loc["2010-03-14 02:00":"2010-03-14 04:00"].to_string(
        index_names=False
    )
)
assert len(regular) == 365 * 24 and regular["temp"].isna().sum() == 1
assert hourly["temp"].diff().abs().max() == 3.5
assert hourly["temp"].min() == 37.5 and hourly["temp"].max() == 75.9
before, gap, after = filled.loc["2010-03-14 02:00":"2010-03-14 04:00", "temp"]
assert np.isclose(before - after, 0.8)
assert np.isclose(gap, (before + after) / 2) and not filled.isna().any().any()

# %%
# The rest of the page works with the daily file, which needs no filling.

# %%
# A first look: every column against the dates
# --------------------------------------------
# One panel per numeric column, all on the same date axis. The temperatures
# peak in summer; precipitation is heavier from November to January than
# from June to August.
columns = ["temp_max", "temp_min", "precipitation", "wind"]
units = {
    "temp_max": "°C",
    "temp_min": "°C",
    "precipitation": "mm",
    "wind": "m/s",
}
fig, axes = plt.subplots(
    4, 1, figsize=(5.5, 6.4), sharex=True, layout="constrained"
)
for ax, column in zip(axes, columns):
    ax.plot(df.index, df[column], lw=0.6, color="tab:blue")
    ax.set_ylabel(f"{column}\n({units[column]})")
axes[-1].set_xlabel("date")
fig.suptitle("Seattle, daily, 2012-2015: the four numeric columns")
plt.show()

# %%
# The same, measured: the mean of each calendar month over the four years.
by_month = df[columns].groupby(df.index.month).mean()
warmest, coldest = by_month["temp_max"].idxmax(), by_month["temp_max"].idxmin()
wet = by_month["precipitation"].round(1)
print("temp_max: warmest month", warmest, " coldest", coldest)
print("mm a day, Nov, Dec, Jan:", wet.loc[[11, 12, 1]].tolist())
print("mm a day, Jun, Jul, Aug:", wet.loc[[6, 7, 8]].tolist())
assert warmest in (7, 8) and coldest in (12, 1)
assert by_month["temp_min"].idxmax() in (7, 8)
assert wet.loc[[11, 12, 1]].min() > wet.loc[[6, 7, 8]].max()

# %%
# The text column: drop it, with the reason
# -----------------------------------------
# ``weather`` (sun, fog, rain, drizzle, snow) was not measured: vega-datasets
# made it from several NOAA fields (source: `SOURCES.md
# <https://github.com/vega/vega-datasets/blob/024cf5a64fa3af35bab0f25efd6740a96c8a0671/SOURCES.md>`_). And it does
# not mean the same from year to year: "rain" labels 191 days of 2012 and 5
# days of 2015, while the days with some precipitation stay between 144 and
# 177 a year.
years = df.index.year
per_year = pd.DataFrame(
    {
        "rain label": (df["weather"] == "rain").groupby(years).sum(),
        "precip > 0": (df["precipitation"] > 0).groupby(years).sum(),
    }
)
print(per_year.to_string(index_names=False))
assert per_year.loc[2012, "rain label"] == 191
assert per_year.loc[2015, "rain label"] == 5
assert per_year["precip > 0"].min() == 144
assert per_year["precip > 0"].max() == 177

# %%
# A model trained on 2012-2014 would learn a "rain" that 2015 hardly uses, and
# ``precipitation`` carries the rain as a measurement, in mm. So the label is
# dropped. A text column that is consistent is worth keeping: encode it as
# one 0/1 column per category with ``pd.get_dummies``. (Numbering the
# categories 0, 1, 2, ... instead would give them an order they do not have.)
print("get_dummies:", list(pd.get_dummies(df["weather"]).columns))
features = df.drop(columns="weather")
print("features:", list(features.columns))
assert list(features.columns) == [
    "precipitation",
    "temp_max",
    "temp_min",
    "wind",
]

# %%
# Split in time, then scale with the training part
# ------------------------------------------------
# The last year is the test: the model is trained on 2012-2014 and judged on
# 2015, which it has never seen, as a real forecast would be. Rows are picked
# by date. Then each column is scaled with the **training** part's mean and
# standard deviation: a pandas ``Series`` each, one value per column, so
# ``(train - mean) / std`` scales every column with its own.
train, test = features.loc[:"2014"], features.loc["2015":]
mean, std = train.mean(), train.std()
train_scaled = (train - mean) / std
test_scaled = (test - mean) / std
for name, part in [("train:", train), ("test: ", test)]:
    first, last = part.index[0].date(), part.index[-1].date()
    print(f"{name} {len(part)} days, {first} .. {last}")
print(pd.DataFrame({"mean": mean, "std": std}).round(2))
assert train.index[-1] < test.index[0] and len(train) + len(test) == len(
    features
)
assert np.allclose(train_scaled.mean(), 0) and np.allclose(
    train_scaled.std(), 1
)

# %%
# The target column, and windows that know their dates
# ----------------------------------------------------
# The target is ``temp_max`` two days ahead (``horizon = 2``). The inputs are
# the last week (``timesteps = 7``) of all four columns. Windows are cut from
# ``frame.to_numpy()``: one row per day, one column per feature, so each
# window comes out ``(timesteps, features)``
# (:ref:`sphx_glr_auto_examples_data_plot_windows.py` shows this step by step).
# The function also returns the date each window ends on.
target = "temp_max"
timesteps, horizon = 7, 2


def frame_windows(frame, timesteps, horizon, target):
    """Windows of all columns, the target ``horizon`` rows after each."""
    values = frame.to_numpy("float32")  # (days, features)
    x = sliding_window_view(values[:-horizon], timesteps, axis=0)
    x = x.transpose(0, 2, 1)  # (samples, timesteps, features)
    y = values[timesteps + horizon - 1 :, frame.columns.get_loc(target)]
    ends = frame.index[timesteps - 1 : -horizon]  # each window's last day
    return x, y, ends


x_train, y_train, ends_train = frame_windows(
    train_scaled, timesteps, horizon, target
)
x_test, y_test, ends_test = frame_windows(
    test_scaled, timesteps, horizon, target
)
print("x_train:", x_train.shape, " y_train:", y_train.shape)
print("x_test: ", x_test.shape, " y_test: ", y_test.shape)
assert x_train.shape == (len(train) - timesteps - horizon + 1, timesteps, 4)

# %%
# Check the offset by the dates, not by counting: the window that ends on day
# ``D`` must have, as its target, ``temp_max`` on day ``D + 2``. (An offset
# that is off by a few steps is easy to write and hard to see: the keras.io
# weather example's windows take every 6th of 720 rows, so window ``i`` ends
# on row ``i + 714``, and its label is row ``i + 792``: 78 rows after its
# last input, not the 72 its text says. Source:
# `timeseries_weather_forecasting.py
# <https://github.com/keras-team/keras-io/blob/0a57de48c864d63b80083820e8988368ee5c3149/examples/timeseries/timeseries_weather_forecasting.py>`_,
# reported in keras-team/keras-io#661.)
i = 100
end = ends_test[i]
target_day = end + pd.Timedelta(days=horizon)
print(f"window {i} ends on {end.date()}")
print(f"its target: {target} on {target_day.date()}")
print(
    f"y_test[{i}] = {y_test[i]:.4f} = scaled {target}",
    f"on {target_day.date()}",
)
assert np.allclose(x_test[i], test_scaled.loc[:end].tail(timesteps))
assert np.isclose(y_test[i], test_scaled.loc[target_day, target])
target_days = test_scaled.index[timesteps + horizon - 1 :]
assert (target_days - ends_test == pd.Timedelta(days=horizon)).all()

# %%
# An LSTM, and the forecast to beat
# ---------------------------------
# The naive forecast for "two days from now" is "the same as today": the
# window's last ``temp_max``. The LSTM must beat it. A short training:
n_features = x_train.shape[2]
model = keras.Sequential(
    [
        keras.Input(shape=(timesteps, n_features)),
        keras.layers.LSTM(16),
        keras.layers.Dense(1),
    ]
)
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
# sphinx_gallery_start_ignore
# create Adam's slots now: fit() then compiles its step once, not twice
model.optimizer.build(model.trainable_variables)
# sphinx_gallery_end_ignore
history = model.fit(x_train, y_train, epochs=8, batch_size=64, verbose=0)
losses = history.history["loss"]
print("loss (MSE, scaled) by epoch:")
print(" ".join(f"{loss:.3f}" for loss in losses))
assert losses[-1] < 0.3 and losses[-1] < losses[0]


# %%
# Errors in °C: undo the scaling first
# ------------------------------------
# The model predicts scaled values. ``value * std + mean``, with the training
# part's ``temp_max`` mean and standard deviation, turns them back into °C.
# Then the mean absolute error (MAE) is in °C too.
def to_celsius(scaled):
    return scaled * std[target] + mean[target]


forecast = to_celsius(model.predict(x_test, verbose=0)[:, 0])
truth = to_celsius(y_test)
same_as_today = to_celsius(x_test[:, -1, features.columns.get_loc(target)])
mae_lstm = np.mean(np.abs(forecast - truth))
mae_naive = np.mean(np.abs(same_as_today - truth))
print(f"2015, {target} two days ahead, MAE:")
print(f"  LSTM:              {mae_lstm:.2f} °C")
print(f"  'same as today':   {mae_naive:.2f} °C")
assert np.allclose(truth, test.loc[target_days, target], atol=1e-4)
assert mae_naive - mae_lstm > 0.2
assert np.allclose(same_as_today[horizon:], truth[:-horizon])  # 2 days late

# %%
# The LSTM is closer than "the same as today", by more than 0.2 °C on
# average over the 357 test windows of 2015. The horizon matters: for
# tomorrow, "the same as today" is closer than the LSTM is for two days
# ahead, so a one-day model has a harder forecast to beat.
today = test.loc[ends_test, target].to_numpy()
tomorrow = test.loc[ends_test + pd.Timedelta(days=1), target].to_numpy()
naive_1 = np.mean(np.abs(tomorrow - today))
print(f"'same as today' for tomorrow: MAE {naive_1:.2f} °C")
assert np.allclose(today, same_as_today, atol=1e-4)
assert naive_1 < mae_lstm < mae_naive and len(x_test) == 357

# %%
# The forecast against the truth
# ------------------------------
# Top: all of 2015, by the date each forecast is for. Bottom: April and May,
# with "the same as today" too, which lags the truth by two days.
days = pd.DatetimeIndex(target_days)
fig, (top, bottom) = plt.subplots(
    2, 1, figsize=(5.5, 6.4), layout="constrained"
)
top.plot(days, truth, color="0.3", lw=1, label="truth")
top.plot(days, forecast, color="tab:orange", lw=1, label="LSTM")
top.set_title(f"2015: {target}, forecast two days ahead")
zoom = (days >= "2015-04-01") & (days < "2015-06-01")
bottom.plot(days[zoom], truth[zoom], color="0.3", marker=".", label="truth")
bottom.plot(
    days[zoom],
    forecast[zoom],
    color="tab:orange",
    marker=".",
    label=f"LSTM ({mae_lstm:.2f} °C)",
)
bottom.plot(
    days[zoom],
    same_as_today[zoom],
    color="tab:blue",
    ls="--",
    label=f"same as today ({mae_naive:.2f} °C)",
)
bottom.set_title("April and May 2015 (MAE over all of 2015)")
for ax in (top, bottom):
    ax.xaxis.set_major_formatter(
        mdates.ConciseDateFormatter(ax.xaxis.get_major_locator())
    )
    ax.set_ylabel(f"{target} (°C)")
    ax.set_xlabel("date")
top.legend(loc="upper left")
# below the axes, so that the legend hides none of the zoomed days
bottom.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=2)
plt.show()


# %%
# Four mistakes real files lead to
# --------------------------------
#
# 1. NaN left in the windows
# ~~~~~~~~~~~~~~~~~~~~~~~~~~
# Reindexing the hourly file without interpolating keeps its missing hour as
# NaN. Windows over it carry the NaN into ``fit()``, and the loss is NaN:
def small_lstm(timesteps):
    model = keras.Sequential(
        [
            keras.Input(shape=(timesteps, 1)),
            keras.layers.LSTM(4),
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    return model


def hourly_windows(frame, timesteps=24):
    values = frame.loc["2010-03-13":"2010-03-15", ["temp"]].to_numpy("float32")
    values = (values - 50) / 10  # roughly scaled, for this check only
    x = sliding_window_view(values[:-1], timesteps, axis=0).transpose(0, 2, 1)
    return x, values[timesteps:, 0]


x_nan, y_nan = hourly_windows(regular)  # asfreq, not interpolated
print(
    "windows with a NaN:",
    int(np.isnan(x_nan).any(axis=(1, 2)).sum()),
    "of",
    len(x_nan),
)
history = small_lstm(24).fit(
    x_nan, y_nan, epochs=1, batch_size=len(x_nan), verbose=0
)
print("loss:", history.history["loss"][0])
assert np.isnan(history.history["loss"][0])

# %%
# **Fix:** fill (or drop) the gap before windowing, and check:
# ``assert not frame.isna().any().any()``.
x_ok, y_ok = hourly_windows(filled)
assert not np.isnan(x_ok).any()
history = small_lstm(24).fit(
    x_ok, y_ok, epochs=1, batch_size=len(x_ok), verbose=0
)
print("loss:", round(history.history["loss"][0], 4))
assert np.isfinite(history.history["loss"][0])

# %%
# 2. A text column from one stray string
# ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
# Weather records often write ``T`` ("trace") for a little rain too small to
# measure (source: `Akyüz et al., Journal of Service Climatology 2013
# <https://stateclimate.org/article/procedure-for-assigning-a-value-for-trace-precipitation-data-without-changing-the-climatic-history>`_).
# Put one ``T`` into the file's precipitation column: the whole column is
# read as text, ``to_numpy()`` gives an ``object`` array, and Keras refuses
# it.
with open(path) as file:
    lines = file.read().splitlines()
date, _, *rest = lines[100].split(",")
lines[100] = ",".join([date, "T", *rest])
text = "\n".join(lines)
bad = pd.read_csv(io.StringIO(text), parse_dates=["date"], index_col="date")
bad = bad.drop(columns="weather")
print("precipitation dtype:", bad["precipitation"].dtype)
print("to_numpy() dtype:", bad.to_numpy().dtype)
try:
    model.predict(bad.to_numpy()[None, :timesteps], verbose=0)
except ValueError as error:
    message = str(error)
    print("ValueError:", message)
assert bad["precipitation"].dtype == "str"
assert bad.to_numpy().dtype == object
assert "Invalid dtype: object" in message

# %%
# **Fix:** find the cells that are not numbers, decide what they mean, and
# convert. Here a trace is taken as 0 mm.
numbers = pd.to_numeric(bad["precipitation"], errors="coerce")
print(
    "not a number on:",
    list(numbers[numbers.isna()].index.strftime("%Y-%m-%d")),
)
bad["precipitation"] = pd.to_numeric(bad["precipitation"].replace("T", "0"))
print("precipitation dtype:", bad["precipitation"].dtype)
assert (bad.dtypes == "float64").all()

# %%
# 3. A table the wrong way round
# ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
# Some files have one row per quantity and one column per date. Read as they
# are, ``to_numpy()`` is ``(features, days)`` instead of ``(days, features)``,
# and windows along axis 0 run across the features. With a week's window
# there are too few rows, and NumPy says so:
wide = features.T  # what such a file reads as: 4 rows, 1461 columns
print("wide.to_numpy():", wide.to_numpy().shape)
try:
    sliding_window_view(wide.to_numpy(), timesteps, axis=0)
except ValueError as error:
    message = str(error)
    print("ValueError:", message)
assert "cannot be larger than input array shape" in message

# %%
# A window of 3 steps gives no error at all, only windows that mix
# precipitation with temperatures: the dangerous case.
silent = sliding_window_view(wide.to_numpy(), 3, axis=0)
print("no error, wrong windows:", silent.shape)
assert silent.shape == (2, 1461, 3)

# %%
# **Fix:** transpose (``wide.T``) and check the shape against the dates
# before windowing.
values = wide.T.to_numpy()
assert values.shape == (len(features.index), len(features.columns))
print("wide.T.to_numpy():", values.shape, "(days, features)")

# %%
# 4. A scaler fitted on all of the data
# ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
# Mean and standard deviation taken over all four years include 2015, the
# year the model is judged on. 2015 was warmer than the training years, and
# the leaky scaler hides about a quarter of that: the test year looks closer
# to the training data than a real future would.
leak_mean, leak_std = features.mean(), features.std()
honest = test_scaled[target].mean()
leaky = ((test[target] - leak_mean[target]) / leak_std[target]).mean()
print(f"{target} mean, 2012-2014: {mean[target]:.2f} °C")
print(f"{target} mean, 2012-2015: {leak_mean[target]:.2f} °C")
print(f"{target} mean, 2015:      {test[target].mean():.2f} °C")
print(f"2015 scaled, honest scaler: mean {honest:+.3f}")
print(f"2015 scaled, leaky scaler:  mean {leaky:+.3f}")
yearly = features[target].groupby(features.index.year).mean()
print(
    "by year:",
    " ".join(f"{year}: {value:.2f}" for year, value in yearly.items()),
)
assert test[target].mean() > mean[target] + 1
assert yearly[2015] > yearly.drop(2015).max()  # warmer than each year
assert 0.7 < leaky / honest < 0.8

# %%
# **Fix:** as above, ``mean, std = train.mean(), train.std()`` from the
# training rows only, then the same ``mean`` and ``std`` for every part.

# %%
# See also
# --------
# * :ref:`sphx_glr_auto_examples_data_plot_windows.py` - windows and targets
#   step by step, with NumPy and Keras.
# * :ref:`sphx_glr_auto_examples_data_plot_forecasting.py` - several steps
#   ahead at once.
# * :ref:`sphx_glr_auto_examples_seed_plot_lstm_input.py` - what each axis of
#   ``(batch, timesteps, features)`` means.
