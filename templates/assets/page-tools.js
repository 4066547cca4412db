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

  function own(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

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
    var models = data.models;
    var known = function (id) { return own(models, id); };
    var unknown = wanted.filter(function (id) { return !known(id); });
    var ids = wanted.filter(function (id, i) { return known(id) && wanted.indexOf(id) === i; }).slice(0, limit);
    var notes = [];
    if (unknown.length) notes.push("No model called " + unknown.join(", ") + ".");
    if (wanted.filter(known).length > limit) notes.push("At most " + limit + " models side by side.");
    status.textContent = notes.join(" ");
    document.getElementById("compare-add").disabled = ids.length >= limit;
    out.textContent = "";
    if (!ids.length) {
      out.appendChild(cell("p", "Pick models above, or open this page from a model page or the pricing table."));
      return;
    }
    var wrap = cell("div", "", { "class": "table-scroll", tabindex: "0", role: "region", "aria-label": "Comparison" });
    var table = cell("table", "", { "class": "compare-table" });
    table.appendChild(cell("caption", "Comparison of " + ids.map(function (id) { return models[id].name; }).join(", ")));
    var head = table.createTHead().insertRow();
    head.appendChild(cell("th", "", { scope: "col" }));
    ids.forEach(function (id) {
      var th = cell("th", "", { scope: "col", "data-model": id });
      var a = cell("a", models[id].name, { href: models[id].url });
      th.appendChild(a);
      th.appendChild(document.createElement("br"));
      th.appendChild(cell("code", id));
      th.appendChild(document.createElement("br"));
      var remove = cell("button", "Remove", { type: "button", "aria-label": "Remove " + models[id].name });
      remove.addEventListener("click", function () {
        setSelected(selected().filter(function (x) { return x !== id; }), data);
      });
      th.appendChild(remove);
      head.appendChild(th);
    });
    // each section once, in the build's order; a row where any chosen model has a value, in the build's
    // order (one row per kind of price, whatever the mix of models)
    var body = table.createTBody();
    data.sections.forEach(function (section) {
      var labels = data.rows[section].filter(function (label) {
        return ids.some(function (id) { return own(models[id].facts[section], label); });
      });
      if (!labels.length) return;
      var srow = body.insertRow();
      srow.className = "compare-section";
      srow.appendChild(cell("th", section, { scope: "rowgroup", colspan: String(ids.length + 1) }));
      labels.forEach(function (label) {
        var row = body.insertRow();
        // a model lists only the endpoints it serves: the others are a "No", other missing facts a dash
        var missing = section === "Endpoints" ? "No" : "—";
        var cells = ids.map(function (id) {
          var facts = models[id].facts[section];
          return own(facts, label) ? facts[label] : missing;
        });
        var differs = ids.length > 1 && cells.some(function (v) { return v !== cells[0]; });
        if (differs) row.className = "differs";
        row.appendChild(cell("th", label, { scope: "row" }));
        cells.forEach(function (v) { row.appendChild(cell("td", v, differs ? { "class": "differs" } : {})); });
      });
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
