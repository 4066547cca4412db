// The Try it console (loaded by try-it.js when a reader opens it). It sends one real request from the
// browser to a server the build allowed (the page's data: generator/views/tryit.py), and shows the reply.
//
// Rules kept here:
// - Where a request goes comes only from the page's data (the servers the site was built with): nothing
//   in the address (query, fragment) is read.
// - The API key lives in this script's memory; only when the reader ticks "Remember the key in this tab"
//   is it kept in sessionStorage. It is never written anywhere else, and it is sent only to the chosen
//   server, as Authorization: Bearer.
// - Every reply, error and header is shown as text (textContent); nothing from a response becomes markup.
// - The cost is the cost calculator's exact arithmetic (calculator.js) over the model's rates.
(function () {
  var STORE = "empiriolabs-try-it-key";  // sessionStorage only, and only when the reader asks
  var memory = { key: null };  // the key, for the life of this page's JavaScript

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else if (name in node && typeof value !== "string") node[name] = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  var counter = 0;
  function uid(name) { counter += 1; return "try-it-" + name + "-" + counter; }

  function labelled(text, control, hint) {
    control.id = control.id || uid("field");
    var label = el("label", { "for": control.id, text: text });
    var wrap = el("div", { className: "try-it-field" }, [label, control]);
    if (hint) {
      var h = el("span", { className: "try-it-hint", id: uid("hint"), text: hint });
      control.setAttribute("aria-describedby", h.id);
      wrap.appendChild(h);
    }
    return wrap;
  }

  // ---- the request -------------------------------------------------------------------------------

  function rangeText(p) {
    var parts = [];
    if (p.values && p.values.length) parts.push("one of " + p.values.map(function (v) { return JSON.stringify(v); }).join(", "));
    if (p.min !== null && p.max !== null) parts.push(p.min + " to " + p.max);
    else if (p.min !== null) parts.push("at least " + p.min);
    else if (p.max !== null) parts.push("at most " + p.max);
    if (p.max_items !== null && p.max_items !== undefined) parts.push("at most " + p.max_items + " items");
    if (p.default !== null && p.default !== undefined) parts.push("default " + JSON.stringify(p.default));
    return parts.join("; ");
  }

  // What is wrong with the body's value of each parameter, as sentences.
  function flags(params, body) {
    var out = [];
    params.forEach(function (p) {
      if (!body || typeof body !== "object" || !(p.name in body)) return;
      var v = body[p.name];
      if (p.type === "integer" || p.type === "number") {
        if (typeof v !== "number") { out.push(p.name + " must be a number"); return; }
        if (p.type === "integer" && !Number.isInteger(v)) out.push(p.name + " must be a whole number");
        if (p.min !== null && v < p.min) out.push(p.name + " is " + v + ", below the minimum " + p.min);
        if (p.max !== null && v > p.max) out.push(p.name + " is " + v + ", above the maximum " + p.max);
      } else if (p.type === "boolean" && typeof v !== "boolean") {
        out.push(p.name + " must be true or false");
      }
      if (p.values && p.values.length && p.values.indexOf(v) < 0 && typeof v !== "object") {
        out.push(p.name + " is " + JSON.stringify(v) + ", not one of " + p.values.map(function (x) { return JSON.stringify(x); }).join(", "));
      }
      if (p.max_items !== null && p.max_items !== undefined && Array.isArray(v) && v.length > p.max_items) {
        out.push(p.name + " has " + v.length + " items, more than " + p.max_items);
      }
    });
    return out;
  }

  function absolute(server) {  // a same-origin path ("/api") as the URL the browser calls
    return server.charAt(0) === "/" ? window.location.origin + server : server;
  }

  function shellQuote(text) { return "'" + text.replace(/'/g, "'\\''") + "'"; }

  function pyLiteral(value, indent) {
    var pad = "    ".repeat(indent + 1), end = "    ".repeat(indent);
    if (value === null) return "None";
    if (value === true) return "True";
    if (value === false) return "False";
    if (typeof value === "number" || typeof value === "string") return JSON.stringify(value);
    if (Array.isArray(value)) {
      if (!value.length) return "[]";
      return "[\n" + value.map(function (v) { return pad + pyLiteral(v, indent + 1); }).join(",\n") + ",\n" + end + "]";
    }
    var keys = Object.keys(value);
    if (!keys.length) return "{}";
    return "{\n" + keys.map(function (k) { return pad + JSON.stringify(k) + ": " + pyLiteral(value[k], indent + 1); }).join(",\n") + ",\n" + end + "}";
  }

  // cURL, Python and JavaScript of exactly the request the console sends, the key read from `keyEnv`.
  function codeFor(lang, req, keyEnv) {
    var url = absolute(req.server) + req.path;
    var multipart = req.endpoint.content === "multipart";
    var files = req.endpoint.files || [];
    var fields = req.body ? Object.keys(req.body) : [];
    if (lang === "curl") {
      var lines = ["curl" + (req.stream ? " -N" : "") + (req.method !== "GET" && !req.body && !multipart ? " -X " + req.method : "") + " " + shellQuote(url),
        "  -H \"Authorization: Bearer $" + keyEnv + "\""];
      if (multipart) {
        fields.forEach(function (k) {
          var v = req.body[k];
          var text = files.indexOf(k) >= 0 ? "@" + (req.fileName || v) : (typeof v === "string" ? v : JSON.stringify(v));
          lines.push("  -F " + shellQuote(k + "=" + text));
        });
      } else if (req.body) {
        lines.push("  -H 'Content-Type: application/json'");
        lines.push("  -d " + shellQuote(req.text));
      }
      return lines.join(" \\\n");
    }
    if (lang === "python") {
      var py = ["import os", "", "import requests", "", "response = requests." + req.method.toLowerCase() + "(",
        "    " + JSON.stringify(url) + ",",
        "    headers={\"Authorization\": \"Bearer \" + os.environ[" + JSON.stringify(keyEnv) + "]},"];
      if (multipart) {
        var data = {}, fileParts = [];
        fields.forEach(function (k) {
          if (files.indexOf(k) >= 0) fileParts.push("    files={" + JSON.stringify(k) + ": open(" + JSON.stringify(req.fileName || req.body[k]) + ", \"rb\")},");
          else data[k] = typeof req.body[k] === "string" ? req.body[k] : JSON.stringify(req.body[k]);
        });
        py.push("    data=" + pyLiteral(data, 1) + ",");
        py = py.concat(fileParts);
      } else if (req.body) {
        py.push("    json=" + pyLiteral(req.body, 1) + ",");
      }
      if (req.stream) py.push("    stream=True,");
      py.push(")");
      if (req.stream) py.push("for line in response.iter_lines(decode_unicode=True):", "    print(line)");
      else py.push("print(response.status_code, response.text)");
      return py.join("\n");
    }
    var js = [];
    var headers = "{ Authorization: `Bearer ${process.env." + keyEnv + "}`" + (req.body && !multipart ? ", \"Content-Type\": \"application/json\"" : "") + " }";
    if (multipart) {
      js.push("import { openAsBlob } from \"node:fs\";", "", "const form = new FormData();");
      fields.forEach(function (k) {
        if (files.indexOf(k) >= 0) {
          var name = req.fileName || req.body[k];
          js.push("form.append(" + JSON.stringify(k) + ", await openAsBlob(" + JSON.stringify(name) + "), " + JSON.stringify(name) + ");");
        } else {
          var v = req.body[k];
          js.push("form.append(" + JSON.stringify(k) + ", " + JSON.stringify(typeof v === "string" ? v : JSON.stringify(v)) + ");");
        }
      });
      js.push("");
    }
    js.push("const response = await fetch(" + JSON.stringify(url) + ", {", "  method: " + JSON.stringify(req.method) + ",", "  headers: " + headers + ",");
    if (multipart) js.push("  body: form,");
    else if (req.body) js.push("  body: JSON.stringify(" + req.text.split("\n").join("\n  ") + "),");
    js.push("});");
    if (req.stream) js.push("for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) process.stdout.write(chunk);");
    else js.push("console.log(response.status, await response.text());");
    return js.join("\n");
  }

  // ---- the answer --------------------------------------------------------------------------------

  function safeMedia(url, base, kind) {  // a media URL from a reply, or null: never a script-capable scheme
    if (typeof url !== "string") return null;
    try {
      var u = new URL(url, absolute(base) + "/");
      if (u.protocol === "https:" || u.protocol === "http:") return u.href;
      if (u.protocol === "data:" && url.slice(5).toLowerCase().indexOf(kind + "/") === 0) return url;
    } catch (e) { /* not a URL */ }
    return null;
  }

  // Input, cached input and output tokens of a reply's usage, in each API's own names; null without usage.
  function tokens(usage) {
    if (!usage || typeof usage !== "object") return null;
    var n = function (v) { return typeof v === "number" && v >= 0 && Number.isInteger(v) ? v : 0; };
    if ("prompt_tokens" in usage) {  // chat completions, embeddings
      var details = usage.prompt_tokens_details || {};
      return { input: n(usage.prompt_tokens), cached: n(details.cached_tokens), output: n(usage.completion_tokens) };
    }
    if ("cache_read_input_tokens" in usage || "cache_creation_input_tokens" in usage) {  // anthropic messages
      var read = n(usage.cache_read_input_tokens);
      return { input: n(usage.input_tokens) + read + n(usage.cache_creation_input_tokens), cached: read, output: n(usage.output_tokens) };
    }
    if ("input_tokens" in usage || "output_tokens" in usage) {  // responses (and messages without cache fields)
      var inDetails = usage.input_tokens_details || {};
      return { input: n(usage.input_tokens), cached: n(inDetails.cached_tokens), output: n(usage.output_tokens) };
    }
    return null;
  }

  function usd(plain) {
    var parts = plain.split(".");
    return "$" + parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + "." + (parts[1] || "").padEnd(2, "0");
  }

  function costText(model, t) {
    if (!model || !model.plan) return model && model.price_note ? model.price_note + "." : "Pick a model to see the cost of the call.";
    if (!t) return "The reply carried no usage, so the cost of this call cannot be computed.";
    try {
      var e = window.empirioCalculator.estimate(model.plan, BigInt(t.input), BigInt(t.cached), BigInt(t.output), 1n);
      return usd(e.total) + " (" + e.lines.join(" · ") + (e.tier ? " · context tier " + e.tier : "") +
        (model.plan.mode ? " · " + model.plan.mode + " rates" : "") + "), at the catalog's rates";
    } catch (error) {
      return "No cost: " + error.message + ".";
    }
  }

  function replyText(format, json) {  // the text of a whole (not streamed) reply, or null
    try {
      if (format === "chat") return json.choices.map(function (c) { return c.message.content || ""; }).join("\n");
      if (format === "responses") {
        if (typeof json.output_text === "string") return json.output_text;
        return json.output.map(function (o) { return (o.content || []).map(function (c) { return c.text || ""; }).join(""); }).join("");
      }
      if (format === "messages") return json.content.map(function (c) { return c.text || ""; }).join("");
    } catch (e) { /* another shape */ }
    return null;
  }

  // One server-sent event's text and usage, in the endpoint's event format.
  function streamEvent(format, name, data, state) {
    if (data === "[DONE]") return;
    var json;
    try { json = JSON.parse(data); } catch (e) { return; }
    if (format === "chat") {
      (json.choices || []).forEach(function (c) { if (c.delta && typeof c.delta.content === "string") state.text(c.delta.content); });
      if (json.usage) state.usage = json.usage;
    } else if (format === "responses") {
      var type = json.type || name;
      if (type === "response.output_text.delta" && typeof json.delta === "string") state.text(json.delta);
      if ((type === "response.completed" || type === "response.incomplete") && json.response) state.usage = json.response.usage || state.usage;
    } else if (format === "messages") {
      var kind = json.type || name;
      if (kind === "content_block_delta" && json.delta && typeof json.delta.text === "string") state.text(json.delta.text);
      if (kind === "message_start" && json.message && json.message.usage) state.usage = Object.assign({}, json.message.usage);
      if (kind === "message_delta" && json.usage) state.usage = Object.assign(state.usage || {}, json.usage);
      if (kind === "error" && json.error) state.text("\n[error] " + (json.error.message || JSON.stringify(json.error)));
    }
  }

  async function readStream(response, format, state, signal) {
    var reader = response.body.getReader(), decoder = new TextDecoder(), buffer = "";
    var name = "", data = [];
    function dispatch() {
      if (data.length) streamEvent(format, name, data.join("\n"), state);
      name = ""; data = [];
    }
    for (;;) {
      if (signal.aborted) throw new DOMException("Cancelled", "AbortError");
      var chunk = await reader.read();
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      var lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop();
      lines.forEach(function (line) {
        if (line === "") dispatch();
        else if (line.indexOf("event:") === 0) name = line.slice(6).trim();
        else if (line.indexOf("data:") === 0) data.push(line.slice(5).replace(/^ /, ""));
      });
    }
    if (buffer) data.push(buffer.replace(/^data: ?/, ""));
    dispatch();
  }

  function sleep(ms, signal) {
    return new Promise(function (resolve, reject) {
      var t = setTimeout(resolve, ms);
      signal.addEventListener("abort", function () { clearTimeout(t); reject(new DOMException("Cancelled", "AbortError")); });
    });
  }

  // ---- the console -------------------------------------------------------------------------------

  function Console(section) {
    var holder = section.querySelector(".try-it-data");
    this.section = section;
    this.servers = JSON.parse(holder.dataset.servers);
    this.data = JSON.parse(holder.dataset.json);
    this.model = this.data.operation ? null : this.data;  // a model page's own data
    this.controller = null;
    this.build(section.querySelector(".try-it-console"));
  }

  Console.prototype.build = function (root) {
    var self = this, data = this.data;
    root.textContent = "";
    this.server = el("select", {}, this.servers.map(function (s) { return el("option", { value: s, text: s }); }));
    this.key = el("input", { type: "password", autocomplete: "off", spellcheck: "false", autocapitalize: "off" });
    var remembered = null;
    try { remembered = window.sessionStorage.getItem(STORE); } catch (e) { /* storage off */ }
    this.key.value = memory.key || remembered || "";
    this.remember = el("input", { type: "checkbox", id: uid("remember"), checked: remembered !== null });
    this.key.addEventListener("input", function () { self.keep(); });
    this.remember.addEventListener("change", function () { self.keep(); });
    var settings = el("div", { className: "try-it-row" }, [
      labelled("Server", this.server),
      labelled("API key", this.key, "Kept in this page's memory; sent only to the server above."),
      el("div", { className: "try-it-field try-it-check" }, [this.remember,
        el("label", { "for": this.remember.id, text: "Remember the key in this tab" })]),
    ]);
    root.appendChild(settings);

    this.picker = null;
    if (data.operation && data.models === null) {  // too many to list: the reader types a model id
      this.picker = el("input", { type: "text", spellcheck: "false", autocomplete: "off" });
      this.picker.addEventListener("change", function () { self.pickModel(); });
      root.appendChild(el("div", { className: "try-it-row" }, [labelled("Model", this.picker, "A model id, such as the one in the example below.")]));
    } else if (data.operation && data.models.length) {
      this.picker = el("select", {}, [el("option", { value: "", text: "Choose a model" })].concat(
        data.models.map(function (m, i) { return el("option", { value: String(i), text: m[1] + " (" + m[0] + ")" }); })));
      this.picker.addEventListener("change", function () { self.pickModel(); });
      root.appendChild(el("div", { className: "try-it-row" }, [labelled("Model", this.picker)]));
    }
    this.endpointSelect = el("select", {});
    this.endpointSelect.addEventListener("change", function () { self.useEndpoint(); });
    this.endpointRow = el("div", { className: "try-it-row" }, [labelled("Endpoint", this.endpointSelect)]);
    root.appendChild(this.endpointRow);
    this.stream = el("input", { type: "checkbox", id: uid("stream") });
    this.stream.addEventListener("change", function () { self.setField("stream", self.stream.checked ? true : undefined); });
    this.streamRow = el("div", { className: "try-it-field try-it-check" }, [this.stream,
      el("label", { "for": this.stream.id, text: "Stream the reply" })]);
    root.appendChild(this.streamRow);
    this.extra = el("div", { className: "try-it-extra" });  // path parameters and files
    root.appendChild(this.extra);
    this.params = el("fieldset", { className: "try-it-params" });
    root.appendChild(this.params);
    this.body = el("textarea", { rows: "10", spellcheck: "false", className: "try-it-body" });
    this.body.addEventListener("input", function () { self.bodyChanged(); });
    root.appendChild(labelled("Request body (JSON)", this.body));
    this.flagList = el("ul", { className: "try-it-flags", "aria-live": "polite" });
    root.appendChild(this.flagList);

    this.send = el("button", { type: "button", className: "md-button try-it-send", text: "Send request" });
    this.cancel = el("button", { type: "button", className: "md-button", text: "Cancel", disabled: true });
    this.send.addEventListener("click", function () { self.run(); });
    this.cancel.addEventListener("click", function () { if (self.controller) self.controller.abort(); });
    root.appendChild(el("div", { className: "try-it-actions" }, [this.send, this.cancel]));

    this.lang = el("select", {}, [["curl", "cURL"], ["python", "Python"], ["javascript", "JavaScript"]].map(function (l) {
      return el("option", { value: l[0], text: l[1] });
    }));
    this.code = el("code", {});
    this.copy = el("button", { type: "button", className: "md-button", text: "Copy" });
    this.copyStatus = el("span", { role: "status", className: "try-it-hint" });
    this.lang.addEventListener("change", function () { self.showCode(); });
    this.copy.addEventListener("click", function () { self.copyCode(); });
    root.appendChild(el("details", { className: "try-it-code" }, [el("summary", { text: "Copy as code" }),
      el("div", { className: "try-it-row" }, [labelled("Language", this.lang), this.copy, this.copyStatus]),
      el("pre", { tabindex: "0" }, [this.code])]));

    this.status = el("p", { className: "try-it-status", text: "No request sent yet." });
    this.metrics = el("p", { className: "try-it-metrics" });
    this.cost = el("p", { className: "try-it-cost" });
    this.output = el("pre", { className: "try-it-output", tabindex: "0" });
    this.media = el("div", { className: "try-it-media" });
    this.headers = el("pre", { tabindex: "0" });
    this.raw = el("pre", { tabindex: "0" });
    this.response = el("div", { role: "region", "aria-label": "Response", className: "try-it-response", "aria-busy": "false" }, [
      el("h3", { text: "Response" }), this.status, this.metrics, this.cost, this.output, this.media,
      el("details", {}, [el("summary", { text: "Headers" }), this.headers]),
      el("details", {}, [el("summary", { text: "Raw response" }), this.raw]),
    ]);
    this.live = el("p", { className: "try-it-live", "aria-live": "polite", role: "status" });
    root.appendChild(this.live);
    root.appendChild(this.response);
    this.server.addEventListener("change", function () { self.showCode(); });

    if (this.model) this.useModel(this.model, null);
    else this.useOperation();
  };

  Console.prototype.keep = function () {  // the key: memory, and sessionStorage only when asked
    memory.key = this.key.value || null;
    try {
      if (this.remember.checked && this.key.value) window.sessionStorage.setItem(STORE, this.key.value);
      else window.sessionStorage.removeItem(STORE);
    } catch (e) { /* storage off: memory only */ }
  };

  Console.prototype.useModel = function (model, path) {
    this.model = model;
    var self = this;
    var endpoints = path ? model.endpoints.filter(function (e) { return e.path === path; }) : model.endpoints;
    this.endpoints = endpoints.length ? endpoints : [this.data.operation];
    this.endpointSelect.textContent = "";
    this.endpoints.forEach(function (e, i) {
      self.endpointSelect.appendChild(el("option", { value: String(i), text: e.method + " " + e.path + " · " + e.title }));
    });
    this.endpointRow.hidden = this.endpoints.length < 2;
    this.useEndpoint();
  };

  Console.prototype.useOperation = function () {
    this.endpoints = [this.data.operation];
    this.endpointSelect.textContent = "";
    this.endpointSelect.appendChild(el("option", { value: "0", text: this.data.operation.method + " " + this.data.operation.path }));
    this.endpointRow.hidden = true;
    this.useEndpoint();
  };

  Console.prototype.pickModel = async function () {  // an operation page: read the model's data off its page
    var i = this.picker.value.trim();
    if (i === "") { this.model = null; this.useOperation(); return; }
    var entry = this.data.models ? this.data.models[Number(i)]
      : [i, i, this.data.model_page.replace("{id}", encodeURIComponent(i))];
    this.live.textContent = "Loading " + entry[1] + "…";
    try {
      var response = await fetch(new URL(entry[2], window.location.href).href, { credentials: "same-origin" });
      var doc = new DOMParser().parseFromString(await response.text(), "text/html");
      var holder = doc.querySelector(".try-it-data");
      this.useModel(JSON.parse(holder.dataset.json), this.data.operation.path);
      this.live.textContent = entry[1] + " loaded.";
    } catch (e) {
      this.live.textContent = "Could not read " + entry[1] + "'s parameters; the request uses the example below.";
      var body = Object.assign({}, this.data.operation.body || {}, { model: entry[0] });
      this.model = null;
      this.useOperation();
      this.setBody(body);
    }
  };

  Console.prototype.endpoint = function () { return this.endpoints[Number(this.endpointSelect.value) || 0]; };

  Console.prototype.useEndpoint = function () {
    var self = this, ep = this.endpoint();
    this.streamRow.hidden = !ep.stream;
    this.extra.textContent = "";
    this.pathInputs = {};
    (ep.path_params || []).forEach(function (p) {
      var input = el("input", { type: "text", value: p[1], spellcheck: "false" });
      input.addEventListener("input", function () { self.showCode(); });
      self.pathInputs[p[0]] = input;
      self.extra.appendChild(labelled(p[0] + " (path)", input));
    });
    this.fileInputs = {};
    (ep.content === "multipart" ? ep.files : []).forEach(function (name) {
      var input = el("input", { type: "file" });
      input.addEventListener("change", function () { self.showCode(); });
      self.fileInputs[name] = input;
      self.extra.appendChild(labelled(name + " (file to upload)", input));
    });
    this.buildParams();
    this.setBody(ep.body ? JSON.parse(JSON.stringify(ep.body)) : null);
  };

  Console.prototype.buildParams = function () {
    var self = this, ep = this.endpoint();
    this.params.textContent = "";
    this.paramInputs = {};
    var params = this.model && ep.body ? this.model.params : [];
    this.params.hidden = !params.length;
    if (!params.length) return;
    this.params.appendChild(el("legend", { text: "Parameters (empty: left out, so the default applies)" }));
    params.forEach(function (p) {
      if (p.name === "stream" && ep.stream) return;  // the "Stream the reply" box sets it
      var input;
      if (p.values && p.values.length && p.type !== "array") {
        input = el("select", {}, [el("option", { value: "", text: "(left out)" })].concat(
          p.values.map(function (v) { return el("option", { value: JSON.stringify(v), text: String(v) }); })));
      } else if (p.type === "boolean") {
        input = el("select", {}, [["", "(left out)"], ["true", "true"], ["false", "false"]].map(function (o) { return el("option", { value: o[0], text: o[1] }); }));
      } else if (p.type === "integer" || p.type === "number") {
        input = el("input", { type: "number", step: p.type === "integer" ? "1" : "any", inputmode: "decimal" });
        if (p.min !== null) input.min = String(p.min);
        if (p.max !== null) input.max = String(p.max);
      } else if (p.type === "string") {
        input = el("input", { type: "text", spellcheck: "false" });
      } else {
        return;  // arrays and objects: edit them in the JSON body
      }
      input.dataset.param = p.name;
      input.addEventListener("input", function () { self.paramChanged(p, input); });
      input.addEventListener("change", function () { self.paramChanged(p, input); });
      self.paramInputs[p.name] = input;
      self.params.appendChild(labelled(p.name + (p.required ? " (required)" : ""), input, rangeText(p) || null));
    });
  };

  Console.prototype.paramChanged = function (p, input) {
    var text = input.value, value;
    if (text === "") value = undefined;
    else if (input.tagName === "SELECT") value = JSON.parse(text);
    else if (p.type === "integer" || p.type === "number") value = Number(text);
    else value = text;
    this.setField(p.name, value);
  };

  Console.prototype.setField = function (name, value) {
    var body = this.parsed();
    if (!body || typeof body !== "object") body = {};
    if (value === undefined) delete body[name];
    else body[name] = value;
    this.setBody(body, true);
  };

  Console.prototype.parsed = function () {
    try { return JSON.parse(this.body.value); } catch (e) { return undefined; }
  };

  Console.prototype.setBody = function (body, fromField) {
    this.body.value = body === null ? "" : JSON.stringify(body, null, 2);
    this.body.disabled = body === null;
    this.bodyChanged(fromField);
  };

  Console.prototype.bodyChanged = function (fromField) {
    var ep = this.endpoint(), body = ep.body ? this.parsed() : null, self = this;
    this.flagList.textContent = "";
    var problems = [];
    if (body === undefined) problems.push("The request body is not valid JSON.");
    else if (body !== null && (typeof body !== "object" || Array.isArray(body))) problems.push("The request body must be a JSON object.");
    else if (body) problems = problems.concat(flags(this.model ? this.model.params : [], body));
    problems.forEach(function (p) { self.flagList.appendChild(el("li", { text: p })); });
    this.invalid = body === undefined;
    if (!fromField && body) {
      Object.keys(this.paramInputs || {}).forEach(function (name) {
        var input = self.paramInputs[name], v = body[name];
        input.value = v === undefined ? "" : input.tagName === "SELECT" ? JSON.stringify(v) : String(v);
      });
      this.stream.checked = body.stream === true;
    }
    Object.keys(this.paramInputs || {}).forEach(function (name) {
      var bad = problems.some(function (p) { return p.indexOf(name + " ") === 0; });
      if (bad) self.paramInputs[name].setAttribute("aria-invalid", "true");
      else self.paramInputs[name].removeAttribute("aria-invalid");
    });
    this.showCode();
  };

  // The request as it would be sent now: server, path, body text.
  Console.prototype.request = function () {
    var ep = this.endpoint(), self = this, path = ep.path;
    Object.keys(this.pathInputs || {}).forEach(function (name) {
      path = path.replace("{" + name + "}", encodeURIComponent(self.pathInputs[name].value));
    });
    var body = ep.body ? this.parsed() : null;
    var fileInput = this.fileInputs && ep.files && ep.files.length ? this.fileInputs[ep.files[0]] : null;
    return {
      server: this.server.value, path: path, method: ep.method, endpoint: ep,
      body: body === undefined ? null : body, text: this.body.value,
      stream: !!(ep.stream && body && body.stream === true),
      file: fileInput && fileInput.files[0] ? fileInput.files[0] : null,
      fileName: fileInput && fileInput.files[0] ? fileInput.files[0].name : null,
    };
  };

  Console.prototype.showCode = function () {
    this.code.textContent = codeFor(this.lang.value, this.request(), this.data.key_env);
  };

  Console.prototype.copyCode = function () {
    var self = this, text = this.code.textContent;
    navigator.clipboard.writeText(text).then(function () { self.copyStatus.textContent = "Copied."; },
      function () { self.copyStatus.textContent = "Copying failed: select the code and copy it."; });
  };

  Console.prototype.busy = function (on) {
    this.send.disabled = on;
    this.cancel.disabled = !on;
    this.response.setAttribute("aria-busy", on ? "true" : "false");
  };

  Console.prototype.reset = function () {
    this.status.textContent = "";
    this.metrics.textContent = "";
    this.cost.textContent = "";
    this.output.textContent = "";
    this.media.textContent = "";
    this.headers.textContent = "";
    this.raw.textContent = "";
    this.response.dataset.state = "";
  };

  Console.prototype.run = async function () {
    var req = this.request(), key = this.key.value.trim();
    this.reset();
    if (!key) { this.status.textContent = "Type your API key first."; this.key.focus(); return; }
    if (this.invalid) { this.status.textContent = "Fix the request body first: it is not valid JSON."; this.body.focus(); return; }
    if (this.servers.indexOf(req.server) < 0) return;  // only a server the site was built with
    var ep = req.endpoint, init = { method: req.method, headers: { Authorization: "Bearer " + key }, credentials: "omit", cache: "no-store", redirect: "error" };
    if (ep.content === "multipart") {
      if (!req.file) { this.status.textContent = "Choose a file to upload first."; return; }
      var form = new FormData();
      Object.keys(req.body || {}).forEach(function (k) {
        if (ep.files.indexOf(k) >= 0) form.append(k, req.file, req.file.name);
        else form.append(k, typeof req.body[k] === "string" ? req.body[k] : JSON.stringify(req.body[k]));
      });
      ep.files.forEach(function (k) { if (!req.body || !(k in req.body)) form.append(k, req.file, req.file.name); });
      init.body = form;
    } else if (ep.body) {
      init.headers["Content-Type"] = "application/json";
      init.body = req.text;
    }
    if (req.stream) init.headers.Accept = "text/event-stream";
    this.controller = new AbortController();
    init.signal = this.controller.signal;
    var self = this, started = performance.now(), first = null, state = { usage: null };
    var textNode = document.createTextNode("");
    this.output.appendChild(textNode);
    state.text = function (piece) {
      if (first === null) first = performance.now();
      textNode.appendData(piece);
    };
    this.busy(true);
    this.live.textContent = "Sending…";
    this.status.textContent = "Sending " + req.method + " " + req.path + " to " + req.server + "…";
    try {
      var response = await fetch(absolute(req.server) + req.path, init);
      var headerLines = [];
      response.headers.forEach(function (v, k) { headerLines.push(k + ": " + v); });
      this.headers.textContent = headerLines.join("\n");
      var ctype = response.headers.get("content-type") || "";
      var statusText = response.status + (response.statusText ? " " + response.statusText : "");
      if (!response.ok) {
        await this.failed(response, statusText);
      } else if (ctype.indexOf("text/event-stream") === 0) {
        this.response.dataset.state = "streaming";
        this.status.textContent = statusText + " · streaming…";
        await readStream(response, ep.stream || "chat", state, init.signal);
        this.finish(statusText, started, first, state.usage, true);
      } else if (ctype.indexOf("application/json") >= 0) {
        var json = await response.json();
        first = performance.now();
        if (response.status === 202 && ep.job && json && json.id) json = await this.poll(req, key, json, init.signal);
        this.raw.textContent = JSON.stringify(json, null, 2);
        this.showResult(ep, json, req.server);
        this.finish(statusText, started, first, json && json.usage, false);
      } else {
        var blob = await response.blob();
        first = performance.now();
        this.showBlob(blob, ctype);
        this.finish(statusText, started, first, null, false);
      }
    } catch (error) {
      if (error && error.name === "Shown") {
        /* the gateway's error is on screen */
      } else if (error && error.name === "AbortError") {
        this.status.textContent = "Cancelled: the request was stopped before it finished.";
        this.response.dataset.state = "cancelled";
      } else {
        this.blocked(req);
      }
    } finally {
      this.controller = null;
      this.busy(false);
      this.live.textContent = this.status.textContent;
    }
  };

  Console.prototype.finish = function (statusText, started, first, usage, streamed) {
    var end = performance.now(), t = tokens(usage);
    this.status.textContent = statusText + " · done in " + ((end - started) / 1000).toFixed(2) + " s";
    var parts = [];
    if (first !== null) parts.push("time to first " + (streamed ? "token " : "byte ") + Math.round(first - started) + " ms");
    if (t && t.output && first !== null && end > first) parts.push((t.output / ((end - first) / 1000)).toFixed(1) + " tokens/s");
    if (t) parts.push("usage: " + t.input + " input tokens" + (t.cached ? " (" + t.cached + " cached)" : "") + ", " + t.output + " output tokens");
    this.metrics.textContent = parts.join(" · ");
    this.cost.textContent = "Cost of this call: " + costText(this.model, t);
    this.response.dataset.state = "done";
  };

  Console.prototype.failed = async function (response, statusText) {
    var text = await response.text(), shown = text;
    try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON: as sent */ }
    var why = {
      400: "the gateway refused the request (see the error below)",
      401: "the API key was not accepted",
      402: "the account is out of credits",
      404: "the model or path was not found",
      429: "too many requests",
    }[response.status] || (response.status >= 500 ? "the gateway or the model failed; retry shortly" : "the request failed");
    var retry = response.headers.get("retry-after");
    this.status.textContent = "Error " + statusText + ": " + why + (response.status === 429 && retry ? "; retry after " + retry + " seconds (Retry-After: " + retry + ")" : "") + ".";
    this.output.textContent = shown;
    this.raw.textContent = text;
    this.cost.textContent = "";
    this.response.dataset.state = "error";
  };

  Console.prototype.blocked = function (req) {
    this.status.textContent = "The browser could not reach " + req.server + ": there is no network, or that server does not allow calls from this page (it sends no CORS headers for " + window.location.origin + "). The same request as cURL, to run in a terminal:";
    this.output.textContent = codeFor("curl", req, this.data.key_env);
    this.response.dataset.state = "blocked";
  };

  Console.prototype.poll = async function (req, key, job, signal) {
    var wait = Math.max(1, this.data.poll_seconds || 2) * 1000, count = 0;
    while (job && (job.status === "queued" || job.status === "running")) {
      this.status.textContent = "202 Accepted · job " + job.id + " is " + job.status + (count ? " (checked " + count + " times)" : "") + "…";
      await sleep(wait, signal);
      count += 1;
      var path = req.endpoint.job.replace(/\{[^}]+\}/, encodeURIComponent(job.id));
      var r = await fetch(absolute(req.server) + path, { headers: { Authorization: "Bearer " + key }, credentials: "omit", cache: "no-store", redirect: "error", signal: signal });
      if (!r.ok) {
        await this.failed(r, r.status + " " + r.statusText);
        var shown = new Error("the job's error is shown");
        shown.name = "Shown";
        throw shown;
      }
      job = await r.json();
    }
    this.live.textContent = "Job " + (job && job.id) + " " + (job && job.status) + " after " + count + " checks.";
    return job;
  };

  Console.prototype.showResult = function (ep, json, server) {
    var self = this, text = replyText(ep.stream, json);
    if (json && json.object === "job") {
      if (json.status === "failed") text = "The job failed: " + (json.error ? json.error.message : "no reason given");
      else if (json.result && typeof json.result.text === "string") text = json.result.text;
      else text = "Job " + json.id + " " + json.status + ".";
    }
    this.output.textContent = text !== null ? text : JSON.stringify(json, null, 2);
    var files = (json && json.data) || (json && json.result && (json.result.data || (json.result.urls || []).map(function (u) { return { url: u }; }))) || [];
    if (!Array.isArray(files)) return;
    files.forEach(function (f) {
      if (!f || typeof f !== "object") return;
      var type = String(f.content_type || "");
      var url = f.url;
      if (typeof f.b64_json === "string") url = "data:" + (type || "image/png") + ";base64," + f.b64_json;
      var kind = type.split("/")[0] || (/\.(mp4|webm|mov)(\?|$)/.test(String(url)) ? "video" : /\.(mp3|wav|ogg|flac|opus)(\?|$)/.test(String(url)) ? "audio" : "image");
      var src = safeMedia(url, server, kind);
      if (!src) return;
      if (kind === "image") self.media.appendChild(el("img", { src: src, alt: "Image " + (self.media.children.length + 1) + " of the reply" }));
      else if (kind === "audio" || kind === "video") self.media.appendChild(el(kind, { src: src, controls: true, "aria-label": kind + " of the reply" }));
    });
  };

  Console.prototype.showBlob = function (blob, type) {
    var kind = type.split("/")[0];
    if (kind === "image" || kind === "audio" || kind === "video") {
      var url = URL.createObjectURL(blob);
      this.media.appendChild(kind === "image" ? el("img", { src: url, alt: "The reply's image" }) : el(kind, { src: url, controls: true, "aria-label": kind + " of the reply" }));
      this.output.textContent = type + ", " + blob.size + " bytes";
    } else {
      var self = this;
      blob.text().then(function (t) { self.output.textContent = t; });
    }
  };

  window.empirioTryIt = {
    mount: function (section) {
      if (!section.tryIt) section.tryIt = new Console(section);
      return section.tryIt;
    },
    codeFor: codeFor,
    tokens: tokens,
  };
})();
