/* The shape explorer: what a Keras recurrent model returns, and how many
 * parameters it has, for the reader's own numbers; and the windows
 * keras.utils.timeseries_dataset_from_array cuts from a table.
 *
 * window.lstmExplorer.model(config) and window.lstmExplorer.windows(options)
 * are documented in README.rst ("The shape explorer and the error lookup").
 * The rules are Keras' (keras/src/layers/rnn/*.py); the error messages come
 * from window.lstmExplorerData, written at build time from real Keras calls
 * by docs/_ext/shape_explorer.py. tests/test_shape_explorer.py runs the code
 * this returns in Keras and compares every shape, count and message.
 */
(function () {
  "use strict";

  var DATA = window.lstmExplorerData || { refusals: {}, versions: {} };
  var RNN = {
    LSTM: { name: "lstm", states: ["h", "c"] },
    GRU: { name: "gru", states: ["h"] },
    SimpleRNN: { name: "simple_rnn", states: ["h"] },
  };
  var MERGE_MODES = ["concat", "sum", "mul", "ave", null];
  var WIDTH = 79;

  // -- helpers -----------------------------------------------------------------

  function pyValue(v) {
    return v === null ? "None" : String(v);
  }

  /** A shape as Python prints a tuple: (None, 24, 32). */
  function pyShape(shape) {
    var items = shape.map(function (v) {
      return Array.isArray(v) ? pyShape(v) : pyValue(v);
    });
    return "(" + items.join(", ") + (items.length === 1 ? ",)" : ")");
  }

  function isInt(v) {
    return typeof v === "number" && Number.isInteger(v);
  }

  function need(ok, message) {
    if (!ok) throw new TypeError("lstmExplorer: " + message);
  }

  function clone(value) {
    return JSON.parse(JSON.stringify(value));
  }

  /** Parameters of one recurrent layer (keras/src/layers/rnn/lstm.py, gru.py,
   *  simple_rnn.py: kernel, recurrent_kernel, bias). */
  function recurrentParams(type, units, features) {
    var weights = units * (features + units);
    if (type === "LSTM") return 4 * (weights + units);
    if (type === "GRU") return 3 * (weights + 2 * units); // reset_after=True: two biases
    return weights + units;
  }

  function refusal(key, values) {
    var entry = DATA.refusals[key];
    if (!entry) return { type: "ValueError", message: "(no message for " + key + ")" };
    var message = entry.template.replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
    return { type: entry.type, message: message };
  }

  /** `lhs = callee(args)(input)` as a reader would format it (79 columns). */
  function callLine(lhs, callee, args, input) {
    var head = (lhs ? lhs + " = " : "") + callee + "(";
    var tail = ")" + (input ? "(" + input + ")" : "");
    var flat = head + args.join(", ") + tail;
    if (flat.length <= WIDTH) return [flat];
    var inner = "    " + args.join(", ");
    if (inner.length <= WIDTH) return [head, inner, tail];
    return [head].concat(args.map(function (a) { return "    " + a + ","; }), [tail]);
  }

  function wrapComment(text) {
    var words = text.split(" "), lines = [], line = "#";
    words.forEach(function (word) {
      if ((line + " " + word).length > WIDTH && line !== "#") {
        lines.push(line);
        line = "#  ";
      }
      line += " " + word;
    });
    lines.push(line);
    return lines;
  }

  // -- the config --------------------------------------------------------------

  function normalise(config) {
    need(config && typeof config === "object", "config must be an object");
    var c = {
      batch: config.batch === undefined ? null : config.batch,
      timesteps: config.timesteps === undefined ? null : config.timesteps,
      features: config.features,
      layers: config.layers || [],
      head: config.head || null,
    };
    need(c.batch === null || (isInt(c.batch) && c.batch > 0), "batch must be a positive integer or null");
    need(c.timesteps === null || isInt(c.timesteps), "timesteps must be an integer or null");
    need(isInt(c.features), "features must be an integer");
    need(Array.isArray(c.layers), "layers must be an array");
    c.layers = c.layers.map(function (layer, i) {
      need(layer && RNN.hasOwnProperty(layer.type), "layers[" + i + "].type must be LSTM, GRU or SimpleRNN");
      need(isInt(layer.units), "layers[" + i + "].units must be an integer");
      var merge = layer.merge_mode === undefined ? "concat" : layer.merge_mode;
      need(MERGE_MODES.indexOf(merge) >= 0, 'layers[' + i + '].merge_mode must be "concat", "sum", "mul", "ave" or null');
      return {
        type: layer.type,
        units: layer.units,
        return_sequences: !!layer.return_sequences,
        return_state: !!layer.return_state,
        bidirectional: !!layer.bidirectional,
        merge_mode: merge,
      };
    });
    if (c.head) {
      need(c.head.type === "Dense" || c.head.type === "TimeDistributed", 'head.type must be "Dense" or "TimeDistributed"');
      need(isInt(c.head.units), "head.units must be an integer");
      c.head = { type: c.head.type, units: c.head.units };
    }
    return c;
  }

  // -- the model -----------------------------------------------------------------

  /** What Keras builds (or refuses) for a config; see README.rst. */
  function model(config) {
    var c = normalise(config);
    var code = [];
    var withStates = c.layers.filter(function (l) { return l.return_state; }).length;
    var inputShape = [c.timesteps, c.features];
    code.push.apply(code, wrapComment(
      "x: (batch, timesteps, features) = " + pyShape([c.batch, c.timesteps, c.features]) +
      "; Input leaves out the batch"));
    code.push("inputs = keras.Input(shape=" + pyShape(inputShape) + ")");

    function refuse(key, values, fix, where) {
      var err = refusal(key, values);
      code.splice(where, 0, "# the next line raises " + err.type);
      return {
        ok: false,
        code: code.join("\n") + "\n",
        error: err.message,
        error_type: err.type,
        fix: fix,
      };
    }

    if ((c.timesteps !== null && c.timesteps < 0) || c.features < 0) {
      var fixed = clone(c);
      fixed.timesteps = c.timesteps === null ? null : Math.abs(c.timesteps);
      fixed.features = Math.abs(c.features);
      return refuse("input_shape", { shape: pyShape(inputShape) }, {
        text: "timesteps and features count rows and columns: they cannot be negative.",
        config: fixed,
      }, code.length - 1);
    }

    // what the previous line returns: its symbolic shapes (batch None) and the
    // Python expression that passes it on
    var current = { shapes: [[null, c.timesteps, c.features]], expr: "inputs", layer: 0 };
    var states = [];
    var layers = [];
    for (var i = 0; i < c.layers.length; i++) {
      var l = c.layers[i], n = i + 1;
      var info = RNN[l.type];
      var name = l.bidirectional ? "bidirectional_" + n : info.name + "_" + n;
      var args = [String(l.units)];
      if (l.return_sequences) args.push("return_sequences=True");
      if (l.return_state) args.push("return_state=True");
      var suffix = withStates > 1 ? "_" + n : "";
      var stateNames = [], stateVars = [];
      if (l.return_state) {
        var sides = l.bidirectional ? ["forward", "backward"] : [""];
        sides.forEach(function (side) {
          info.states.forEach(function (s) {
            stateNames.push(s + (side ? " " + side : "") + (withStates > 1 ? " (layer " + n + ")" : ""));
            stateVars.push(s + (side ? "_" + side.slice(0, 1) + "w" : "") + suffix);
          });
        });
      }
      var two = l.bidirectional && l.merge_mode === null;
      var outVars = two ? ["x_fw", "x_bw"] : ["x"];
      var lhs = outVars.concat(stateVars).join(", ");
      var start = code.length;
      if (l.bidirectional) {
        var bargs = ["keras.layers." + l.type + "(" + args.join(", ") + ")"];
        if (l.merge_mode !== "concat") bargs.push("merge_mode=" + (l.merge_mode === null ? "None" : '"' + l.merge_mode + '"'));
        bargs.push('name="' + name + '"');
        code.push.apply(code, callLine(lhs, "keras.layers.Bidirectional", bargs, current.expr));
      } else {
        code.push.apply(code, callLine(lhs, "keras.layers." + l.type, args.concat(['name="' + name + '"']), current.expr));
      }
      var fixedConfig;
      if (l.units <= 0) {
        fixedConfig = clone(c);
        fixedConfig.layers[i].units = Math.abs(l.units) || 1;
        return refuse("units:" + l.type, { units: l.units }, {
          text: "units is the size of the layer's output and states: a positive integer. Set units to 1 or more on layer " + n + ".",
          config: fixedConfig,
        }, start);
      }
      var kind = l.bidirectional ? "Bidirectional" : l.type;
      if (current.shapes.length === 2) {
        fixedConfig = clone(c);
        fixedConfig.layers[current.layer - 1].merge_mode = "concat";
        return refuse("two_inputs:" + kind, { name: name }, {
          text: "With merge_mode=None, layer " + current.layer + " returns two tensors (forward and backward) and layer " + n +
            " takes one. Give layer " + current.layer + ' a merge_mode ("concat", the default, "sum", "mul" or "ave").',
          config: fixedConfig,
        }, start);
      }
      var shape = current.shapes[0];
      if (shape.length !== 3) {
        fixedConfig = clone(c);
        fixedConfig.layers[current.layer - 1].return_sequences = true;
        return refuse("ndim:" + kind, { name: name, shape: pyShape(shape) }, {
          text: "Layer " + n + " reads a sequence, (batch, timesteps, features), but layer " + current.layer +
            " returns only its last output, (batch, units). Set return_sequences=True on layer " + current.layer + ".",
          config: fixedConfig,
        }, start);
      }
      var timesteps = shape[1], features = shape[2];
      var params = recurrentParams(l.type, l.units, features) * (l.bidirectional ? 2 : 1);
      var width = l.bidirectional && l.merge_mode === "concat" ? 2 * l.units : l.units;
      var out = l.return_sequences ? [null, timesteps, width] : [null, width];
      var shapes = two ? [out, out] : [out];
      var stateShapes = stateNames.map(function () { return [null, l.units]; });
      stateNames.forEach(function (s, k) { states.push({ name: s, shape: stateShapes[k], variable: stateVars[k] }); });
      layers.push({ name: name, params: params, outputs: shapes.concat(stateShapes) });
      current = { shapes: shapes, expr: two ? "[x_fw, x_bw]" : "x", layer: n, vars: outVars };
    }

    var finalVars = current.vars || ["inputs"];
    var finalNames = finalVars.length === 2 ? ["output forward", "output backward"] : ["output"];
    if (c.head) {
      var h = c.head;
      var headName = h.type === "Dense" ? "dense" : "time_distributed";
      var dense = "keras.layers.Dense(" + h.units + (h.type === "Dense" ? ', name="dense"' : "") + ")";
      var hstart = code.length;
      if (h.type === "Dense") {
        code.push.apply(code, callLine("y", "keras.layers.Dense", [String(h.units), 'name="dense"'], current.expr));
      } else {
        code.push.apply(code, callLine("y", "keras.layers.TimeDistributed", [dense, 'name="' + headName + '"'], current.expr));
      }
      var fixedHead;
      if (h.units <= 0) {
        fixedHead = clone(c);
        fixedHead.head.units = Math.abs(h.units) || 1;
        return refuse("units:Dense", { units: h.units }, {
          text: "Dense(k) makes k numbers per sample (or per step): k must be a positive integer.",
          config: fixedHead,
        }, hstart);
      }
      var last = c.layers.length;
      if (h.type === "Dense" && current.shapes.length === 2) {
        fixedHead = clone(c);
        fixedHead.layers[last - 1].merge_mode = "concat";
        return refuse("two_inputs:Dense", { name: headName }, {
          text: "With merge_mode=None, layer " + last + " returns two tensors (forward and backward) and Dense takes one. " +
            'Give layer ' + last + ' a merge_mode ("concat", the default, "sum", "mul" or "ave").',
          config: fixedHead,
        }, hstart);
      }
      if (h.type === "TimeDistributed" && (current.shapes.length === 2 || current.shapes[0].length < 3)) {
        fixedHead = clone(c);
        var text;
        if (current.shapes.length === 2) {
          fixedHead.layers[last - 1].merge_mode = "concat";
          text = "TimeDistributed wraps one tensor, and with merge_mode=None layer " + last + " returns two. Give layer " + last +
            ' a merge_mode ("concat", the default, "sum", "mul" or "ave").';
        } else if (last > 0) {
          fixedHead.layers[last - 1].return_sequences = true;
          text = "TimeDistributed(Dense) applies Dense at every time step, so it needs a sequence. Set return_sequences=True on layer " +
            last + " (one output per step), or use a plain Dense head (one output per sequence).";
        } else {
          text = "TimeDistributed needs a sequence, (batch, timesteps, features).";
          fixedHead.head.type = "Dense";
        }
        // a list of two shapes prints as a Python list: [(None, 32), (None, 32)]
        var shown = current.shapes.length === 2
          ? "[" + current.shapes.map(pyShape).join(", ") + "]" : pyShape(current.shapes[0]);
        return refuse("td_rank:" + (current.shapes.length === 2 ? (current.shapes[0].length === 3 ? "pair3d" : "pair2d") : "2d"),
          { shape: shown }, { text: text, config: fixedHead }, hstart);
      }
      var inShape = current.shapes[0];
      var headOut = inShape.slice(0, -1).concat([h.units]);
      layers.push({ name: headName, params: inShape[inShape.length - 1] * h.units + h.units, outputs: [headOut] });
      current = { shapes: [headOut] };
      finalVars = ["y"];
    }

    var outputVars = finalVars.concat(states.map(function (s) { return s.variable; }));
    var outputNames = finalNames.concat(states.map(function (s) { return s.name; }));
    var outputShapes = current.shapes.concat(states.map(function (s) { return s.shape; })).map(function (s) {
      var shape = s.slice();
      shape[0] = c.batch;
      return shape;
    });
    var outputsExpr = outputVars.length === 1 ? outputVars[0] : "[" + outputVars.join(", ") + "]";
    code.push.apply(code, callLine("model", "keras.Model", ["inputs", outputsExpr], ""));
    if (code[code.length - 1].length > WIDTH) {
      code.pop();
      code.push("model = keras.Model(", "    inputs,", "    [");
      outputVars.forEach(function (v) { code.push("        " + v + ","); });
      code.push("    ],", ")");
    }
    code.push.apply(code, wrapComment("model(x) returns " + outputShapes.map(function (s, k) {
      return outputNames[k] + " " + pyShape(s);
    }).join(", ")));
    var total = layers.reduce(function (sum, l) { return sum + l.params; }, 0);
    layers.forEach(function (l) {
      l.outputs = l.outputs.map(function (s) { var t = s.slice(); t[0] = c.batch; return t; });
    });
    return {
      ok: true,
      code: code.join("\n") + "\n",
      outputs: outputShapes,
      names: outputNames,
      params: total,
      layers: layers,
    };
  }

  // -- the windows ---------------------------------------------------------------

  /** The windows timeseries_dataset_from_array cuts: x is `timesteps` rows,
   *  y the `horizon` rows after them (every column). */
  function windows(options) {
    need(options && typeof options === "object", "options must be an object");
    var rows = options.rows, features = options.features, timesteps = options.timesteps;
    var horizon = options.horizon, batchSize = options.batch_size;
    need(isInt(rows) && rows >= 0, "rows must be an integer >= 0");
    need(isInt(features) && features > 0, "features must be a positive integer");
    need(isInt(timesteps) && timesteps > 0, "timesteps must be a positive integer");
    need(isInt(horizon) && horizon >= 0, "horizon must be an integer >= 0");
    need(isInt(batchSize) && batchSize > 0, "batch_size must be a positive integer");
    var code = [
      "import numpy as np",
      "",
      "timesteps, horizon = " + timesteps + ", " + horizon,
      "data = np.zeros((" + rows + ", " + features + '), "float32")  # your table: (rows, features)',
      "dataset = keras.utils.timeseries_dataset_from_array(",
      "    data,",
      "    None,  # no separate targets: y is cut from each window below",
      "    sequence_length=timesteps + horizon,  # x's rows, then y's",
      "    batch_size=" + batchSize + ",",
      ")",
      "# x: the first timesteps rows of a window, y: the horizon rows after them",
      "dataset = dataset.map(lambda w: (w[:, :timesteps], w[:, timesteps:]))",
    ].join("\n") + "\n";
    if (rows <= 1) {
      var err = refusal("windows:short", { rows: rows });
      return { ok: false, code: code, error: err.message, error_type: err.type,
               samples: 0, x: [0, timesteps, features], y: [0, horizon, features], batches: 0, last_batch: 0 };
    }
    var samples = Math.max(0, rows - (timesteps + horizon) + 1);
    var batches = Math.ceil(samples / batchSize);
    return {
      ok: true,
      samples: samples,
      x: [samples, timesteps, features],
      y: [samples, horizon, features],
      batches: batches,
      last_batch: batches ? samples - (batches - 1) * batchSize : 0,
      code: code,
    };
  }

  window.lstmExplorer = { model: model, windows: windows, pyShape: pyShape, versions: DATA.versions };

  // -- the form --------------------------------------------------------------------

  function byId(id) { return document.getElementById(id); }

  function intValue(id) {
    var el = byId(id);
    var v = Number(el.value);
    return el.value.trim() !== "" && Number.isInteger(v) ? v : null;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  function fmt(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
  }

  function readForm() {
    var count = Number(byId("se-layers").value);
    var layers = [];
    for (var n = 1; n <= 3; n++) {
      var box = byId("se-layer-" + n);
      box.hidden = n > count;
      var bi = byId("se-bi-" + n).checked;
      byId("se-merge-" + n).disabled = !bi;
      if (n > count) continue;
      var merge = byId("se-merge-" + n).value;
      layers.push({
        type: byId("se-type-" + n).value,
        units: intValue("se-units-" + n),
        return_sequences: byId("se-seq-" + n).checked,
        return_state: byId("se-state-" + n).checked,
        bidirectional: bi,
        merge_mode: merge === "None" ? null : merge,
      });
    }
    var headType = byId("se-head").value;
    byId("se-head-units").disabled = headType === "none";
    return {
      rows: intValue("se-rows"),
      horizon: intValue("se-horizon"),
      batch: intValue("se-batch"),
      timesteps: intValue("se-timesteps"),
      features: intValue("se-features"),
      layers: layers,
      head: headType === "none" ? null : { type: headType, units: intValue("se-head-units") },
    };
  }

  function writeForm(config) {
    byId("se-layers").value = String(config.layers.length);
    config.layers.forEach(function (l, i) {
      var n = i + 1;
      byId("se-type-" + n).value = l.type;
      byId("se-units-" + n).value = String(l.units);
      byId("se-seq-" + n).checked = l.return_sequences;
      byId("se-state-" + n).checked = l.return_state;
      byId("se-bi-" + n).checked = l.bidirectional;
      byId("se-merge-" + n).value = l.merge_mode === null ? "None" : l.merge_mode;
    });
    byId("se-timesteps").value = String(config.timesteps);
    byId("se-features").value = String(config.features);
    if (config.head) {
      byId("se-head").value = config.head.type;
      byId("se-head-units").value = String(config.head.units);
    } else {
      byId("se-head").value = "none";
    }
  }

  function table(caption, header, rows) {
    var head = el("tr", {}, header.map(function (h) { return el("th", { scope: "col", text: h }); }));
    var body = rows.map(function (r) {
      return el("tr", {}, r.map(function (cell, k) {
        return el(k === 0 ? "th" : "td", k === 0 ? { scope: "row", text: cell } : { text: cell });
      }));
    });
    return el("table", { class: "table se-table" }, [el("caption", { text: caption }), el("thead", {}, [head]), el("tbody", {}, body)]);
  }

  function problem(text) {
    return el("p", { class: "se-problem", text: text });
  }

  function render() {
    var f = readForm();
    var missing = [];
    ["rows", "horizon", "batch", "timesteps", "features"].forEach(function (k) { if (f[k] === null) missing.push(k); });
    f.layers.forEach(function (l, i) { if (l.units === null) missing.push("units of layer " + (i + 1)); });
    if (f.head && f.head.units === null) missing.push("units of the head");

    var data = byId("se-data-result"), modelOut = byId("se-model-result");
    // the <pre> inside: sphinx-copybutton gives every code <pre> an id of its own
    var dataCode = byId("se-data-code").querySelector("pre");
    var modelCode = byId("se-model-code").querySelector("pre");
    var summary = [];
    data.replaceChildren();
    modelOut.replaceChildren();
    if (missing.length) {
      var text = "Enter a whole number for: " + missing.join(", ") + ".";
      data.appendChild(problem(text));
      modelOut.appendChild(problem(text));
      dataCode.textContent = modelCode.textContent = "";
      byId("se-status").textContent = text;
      return;
    }
    var w;
    try {
      w = windows({ rows: f.rows, features: f.features, timesteps: f.timesteps, horizon: f.horizon, batch_size: f.batch });
    } catch (e) {
      w = { error: e.message.replace("lstmExplorer: ", ""), code: "" };
    }
    dataCode.textContent = w.code;
    if (w.ok) {
      data.appendChild(table("The windows", ["what", "value"], [
        ["windows (samples)", fmt(w.samples)],
        ["x", pyShape(w.x)],
        ["y", pyShape(w.y)],
        ["batches per epoch", fmt(w.batches)],
        ["last batch", w.batches ? fmt(w.last_batch) + " windows" : "none"],
      ]));
      if (w.samples === 0) data.appendChild(problem("No window fits: a window needs timesteps + horizon = " + (f.timesteps + f.horizon) + " rows."));
      summary.push(fmt(w.samples) + " windows, " + fmt(w.batches) + " batches");
    } else {
      data.appendChild(problem((w.error_type ? w.error_type + ": " : "") + w.error));
      summary.push("no windows");
    }

    var m;
    try {
      m = model({ batch: f.batch, timesteps: f.timesteps, features: f.features, layers: f.layers, head: f.head });
    } catch (e) {
      m = { ok: false, error: e.message.replace("lstmExplorer: ", ""), code: "" };
    }
    modelCode.textContent = m.code;
    if (m.ok) {
      modelOut.appendChild(table("What model(x) returns", ["output", "shape"], m.outputs.map(function (s, k) {
        return [m.names[k], pyShape(s)];
      })));
      modelOut.appendChild(table("Parameters", ["layer", "parameters"], m.layers.map(function (l) {
        return [l.name, fmt(l.params)];
      }).concat([["total (model.count_params())", fmt(m.params)]])));
      summary.push(m.outputs.length + (m.outputs.length === 1 ? " output, " : " outputs, ") + fmt(m.params) + " parameters");
    } else {
      var box = el("div", { class: "se-refusal" }, [
        el("p", { text: "Keras refuses this model:" }),
        el("pre", { class: "se-error", text: (m.error_type ? m.error_type + ": " : "") + m.error }),
      ]);
      if (m.fix) {
        box.appendChild(el("p", { text: "The fix: " + m.fix.text }));
        var button = el("button", { type: "button", class: "btn btn-sm btn-outline-primary", text: "Apply the fix" });
        button.addEventListener("click", function () {
          writeForm(m.fix.config);
          render();
          byId("se-status").textContent = "Fix applied. " + byId("se-status").textContent;
        });
        box.appendChild(button);
      }
      modelOut.appendChild(box);
      summary.push("Keras refuses the model: " + m.error);
    }
    byId("se-status").textContent = summary.join("; ") + ".";
  }

  function start() {
    var form = byId("se-form");
    if (!form) return;
    form.hidden = false;
    form.addEventListener("input", render);
    form.addEventListener("change", render);
    form.addEventListener("submit", function (e) { e.preventDefault(); render(); });
    render();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
