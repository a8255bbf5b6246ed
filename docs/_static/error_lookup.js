/* "What does this error mean?": a pasted Keras error message (or a whole
 * traceback) matched against the messages the example pages print, which
 * docs/_ext/shape_explorer.py collects at build time into
 * window.lstmErrorsData.
 *
 * window.lstmErrors.lookup(text) returns [{title, url, section, message,
 * score}, ...], best first (README.rst, "The shape explorer and the error
 * lookup"). Matching: numbers, shapes and the numbered suffixes of layer names
 * are normalised away, so the reader's own values do not matter; then TF-IDF
 * over words and word pairs, cosine similarity. Words the pages never print
 * (the reader's layer names, file paths of a traceback) carry no weight.
 */
(function () {
  "use strict";

  var DATA = window.lstmErrorsData || { messages: [] };
  var MIN_SCORE = 0.08;
  var MAX_RESULTS = 8;
  var RELATIVE = 0.5;

  /** The part of a paste that is the message: a traceback's "File ..." lines,
   *  the source lines under them and the caret lines are dropped. */
  function messagePart(text) {
    var lines = String(text).split(/\r?\n/), kept = [], skipNext = false;
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i];
      if (/^\s*File "[^"]*", line \d+/.test(line)) { skipNext = true; continue; }
      if (skipNext && /^\s{2,}\S/.test(line)) { skipNext = false; continue; }
      skipNext = false;
      if (/^\s*Traceback \(most recent call last\)/.test(line)) continue;
      if (/^\s*[\^~]+\s*$/.test(line)) continue;
      if (/^\s*(During handling of the above exception|The above exception was the direct cause)/.test(line)) continue;
      kept.push(line);
    }
    return kept.join("\n");
  }

  /** Words, with the reader's own values replaced by what they are. */
  function tokens(text) {
    var t = String(text).toLowerCase();
    // shapes: (None, 9, 3), [32,12], TensorShape([2, 5]) -> "shape3" (rank kept)
    t = t.replace(/[\(\[]\s*((?:none|\?|-?\d+)(?:\s*,\s*(?:none|\?|-?\d+))*)\s*,?\s*[\)\]]/g, function (all, inner) {
      var items = inner.split(",").filter(function (s) { return s.trim() !== ""; });
      var free = /none|\?/.test(inner) ? " freedim" : "";
      return " shape" + items.length + free + " ";
    });
    t = t.replace(/ndim\s*=\s*(\d)/g, " ndim$1 ");
    // numbered names: lstm_3, conv_lstm2d_4, keras_tensor_12 -> lstm, conv_lstm2d
    t = t.replace(/([a-z][a-z0-9]*(?:_[a-z][a-z0-9]*)*)_\d+\b/g, "$1");
    t = t.replace(/\b\d+(?:\.\d+)?(?:e-?\d+)?\b/g, " num ");
    var words = t.match(/[a-z][a-z0-9_]*|ndim\d|shape\d+/g) || [];
    return words.filter(function (w) { return w.length > 1 || w === "x" || w === "y"; });
  }

  function terms(text) {
    var words = tokens(text), out = words.slice();
    for (var i = 1; i < words.length; i++) out.push(words[i - 1] + " " + words[i]);
    return out;
  }

  function counts(list) {
    var c = {};
    list.forEach(function (w) { c[w] = (c[w] || 0) + 1; });
    return c;
  }

  var index = null;

  function buildIndex() {
    var docs = DATA.messages.map(function (m) { return counts(terms(m.message)); });
    var df = {};
    docs.forEach(function (d) { Object.keys(d).forEach(function (w) { df[w] = (df[w] || 0) + 1; }); });
    var n = docs.length, idf = {};
    Object.keys(df).forEach(function (w) { idf[w] = Math.log((1 + n) / (1 + df[w])) + 1; });
    var vectors = docs.map(function (d) {
      var v = {}, norm = 0;
      Object.keys(d).forEach(function (w) { v[w] = (1 + Math.log(d[w])) * idf[w]; norm += v[w] * v[w]; });
      return { v: v, norm: Math.sqrt(norm) || 1 };
    });
    return { idf: idf, vectors: vectors };
  }

  /** The site's explanations of a pasted message, best first. */
  function lookup(text) {
    if (!index) index = buildIndex();
    var q = counts(terms(messagePart(text))), qv = {}, qnorm = 0;
    Object.keys(q).forEach(function (w) {
      if (index.idf[w] === undefined) return; // a word no page prints
      qv[w] = (1 + Math.log(q[w])) * index.idf[w];
      qnorm += qv[w] * qv[w];
    });
    qnorm = Math.sqrt(qnorm);
    if (!qnorm) return [];
    var best = {};
    DATA.messages.forEach(function (m, k) {
      var d = index.vectors[k], dot = 0;
      Object.keys(qv).forEach(function (w) { if (d.v[w]) dot += qv[w] * d.v[w]; });
      var score = dot / (qnorm * d.norm);
      if (score < MIN_SCORE) return;
      if (!best[m.url] || best[m.url].score < score) best[m.url] = { m: m, score: score, order: k };
    });
    var ranked = Object.keys(best).map(function (u) { return best[u]; })
      .sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    // the close matches only: at least half as good as the best one
    return ranked.filter(function (r) { return r.score >= RELATIVE * ranked[0].score; })
      .slice(0, MAX_RESULTS)
      .map(function (r) {
        return {
          title: r.m.section === r.m.page ? r.m.page : r.m.section + " (" + r.m.page + ")",
          url: resolve(r.m.url),
          page: r.m.page,
          section: r.m.section,
          message: r.m.message,
          score: Math.round(r.score * 1000) / 1000,
        };
      });
  }

  // the site's root: this script lives in <root>/_static/
  var script = document.currentScript;
  var root = script && script.src ? script.src.replace(/_static\/[^\/]*$/, "") : document.baseURI;

  function resolve(url) {
    try { return new URL(url, root).href; } catch (e) { return url; }
  }

  window.lstmErrors = { lookup: lookup, tokens: tokens, size: DATA.messages.length };

  // -- the box -------------------------------------------------------------------

  function start() {
    var form = document.getElementById("el-form");
    if (!form) return;
    form.hidden = false;
    var input = document.getElementById("el-text");
    var results = document.getElementById("el-results");
    var status = document.getElementById("el-status");
    function show() {
      var found = lookup(input.value);
      results.replaceChildren();
      if (!input.value.trim()) {
        status.textContent = "Paste a message to look it up.";
        return;
      }
      found.forEach(function (r) {
        var link = document.createElement("a");
        link.href = r.url;
        link.textContent = r.title;
        var quote = document.createElement("p");
        quote.className = "el-message";
        quote.textContent = "The page prints: " + (r.message.length > 220 ? r.message.slice(0, 217) + "..." : r.message);
        var item = document.createElement("li");
        item.appendChild(link);
        item.appendChild(quote);
        results.appendChild(item);
      });
      status.textContent = found.length
        ? found.length + (found.length === 1 ? " page section explains" : " page sections explain") + " a message like this one; the best match is first."
        : "No page prints a message like this one. Try the common errors page, or paste only the last line of the traceback.";
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); show(); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
