// Keyboard access to scroll boxes, and the compare page. Runs on every page load, including instant navigation.
(function () {
  // mkdocs-material wraps wide tables in scroll boxes a keyboard cannot reach (axe: scrollable-region-focusable)
  function scrollBoxes() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box) {
      if (box.hasAttribute("tabindex")) return;
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      var heading = box.previousElementSibling;
      box.setAttribute("aria-label", heading && /^H[1-6]$/.test(heading.tagName)
        ? heading.textContent.replace(/¶$/, "").trim() + " (table)" : "Table");
    });
  }

  // --- compare: ?models=a,b,c ----------------------------------------------------------------------

  function selected() {
    var raw = new URLSearchParams(location.search).get("models") || "";
    return raw.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
  }

  function setSelected(ids, data) {
    var url = new URL(location.href);
    if (ids.length) url.searchParams.set("models", ids.join(","));
    else url.searchParams.delete("models");
    history.pushState(null, "", url.pathname + url.search.replace(/%2C/gi, ",") + url.hash);
    renderCompare(data);
  }

  function cell(tag, text, attrs) {
    var el = document.createElement(tag);
    el.textContent = text;
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    return el;
  }

  function renderCompare(data) {
    var out = document.getElementById("compare-out");
    var status = document.getElementById("compare-status");
    var limit = parseInt(out.dataset.limit, 10);
    var wanted = selected();
    var unknown = wanted.filter(function (id) { return !data[id]; });
    var ids = wanted.filter(function (id, i) { return data[id] && wanted.indexOf(id) === i; }).slice(0, limit);
    var notes = [];
    if (unknown.length) notes.push("No model called " + unknown.join(", ") + ".");
    if (wanted.filter(function (id) { return data[id]; }).length > limit) notes.push("At most " + limit + " models side by side.");
    status.textContent = notes.join(" ");
    document.getElementById("compare-add").disabled = ids.length >= limit;
    out.textContent = "";
    if (!ids.length) {
      out.appendChild(cell("p", "Pick models above, or open this page from a model page or the pricing table."));
      return;
    }
    // rows: every (section, label) any chosen model has, in first-seen order
    var order = [], values = {};
    ids.forEach(function (id, col) {
      data[id].facts.forEach(function (f) {
        var key = f[0] + "\u0000" + f[1];
        if (!values[key]) { values[key] = []; order.push(f); }
        values[key][col] = f[2];
      });
    });
    var wrap = cell("div", "", { "class": "table-scroll", tabindex: "0", role: "region", "aria-label": "Comparison" });
    var table = cell("table", "", { "class": "compare-table" });
    table.appendChild(cell("caption", "Comparison of " + ids.map(function (id) { return data[id].name; }).join(", ")));
    var head = table.createTHead().insertRow();
    head.appendChild(cell("th", "", { scope: "col" }));
    ids.forEach(function (id) {
      var th = cell("th", "", { scope: "col", "data-model": id });
      var a = cell("a", data[id].name, { href: data[id].url });
      th.appendChild(a);
      th.appendChild(document.createElement("br"));
      th.appendChild(cell("code", id));
      th.appendChild(document.createElement("br"));
      var remove = cell("button", "Remove", { type: "button", "aria-label": "Remove " + data[id].name });
      remove.addEventListener("click", function () {
        setSelected(selected().filter(function (x) { return x !== id; }), data);
      });
      th.appendChild(remove);
      head.appendChild(th);
    });
    var body = table.createTBody(), section = null;
    order.forEach(function (f) {
      if (f[0] !== section) {
        section = f[0];
        var srow = body.insertRow();
        srow.className = "compare-section";
        srow.appendChild(cell("th", section, { scope: "rowgroup", colspan: String(ids.length + 1) }));
      }
      var key = f[0] + "\u0000" + f[1], row = body.insertRow();
      // a model lists only the endpoints it serves: the others are a "No", other missing facts a dash
      var missing = f[0] === "Endpoints" ? "No" : "—";
      var cells = ids.map(function (_, col) { var v = values[key][col]; return v === undefined ? missing : v; });
      var differs = ids.length > 1 && cells.some(function (v) { return v !== cells[0]; });
      if (differs) row.className = "differs";
      row.appendChild(cell("th", f[1], { scope: "row" }));
      cells.forEach(function (v) { row.appendChild(cell("td", v, differs ? { "class": "differs" } : {})); });
    });
    wrap.appendChild(table);
    out.appendChild(wrap);
  }

  function compare() {
    var source = document.getElementById("compare-data");
    var form = document.querySelector("form.compare-picker");
    if (!source || !form || form.dataset.ready) return;
    form.dataset.ready = "1";
    var data = JSON.parse(source.dataset.json);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var id = form.elements.model.value, ids = selected();
      if (ids.indexOf(id) === -1) ids.push(id);
      setSelected(ids, data);
    });
    window.addEventListener("popstate", function () {
      if (document.getElementById("compare-data")) renderCompare(data);
    });
    renderCompare(data);
  }

  function init() {
    scrollBoxes();
    compare();
  }

  // the theme wraps tables while it mounts the page, which may come after init: label the boxes as they appear
  new MutationObserver(function (changes) {
    if (changes.some(function (c) { return c.addedNodes.length; })) scrollBoxes();
  }).observe(document.documentElement, { childList: true, subtree: true });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
