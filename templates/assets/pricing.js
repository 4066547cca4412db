// Sorting and filtering for the pricing tables, kept in the address (?provider=amazon&sort=from), so a link
// reproduces the view and the back button steps through it. Runs on every page load, including instant navigation.
(function () {
  var FILTERS = { "pf-text": "q", "pf-provider": "provider", "pf-category": "category", "pf-modality": "input",
                  "pf-capability": "capability", "pf-max": "max" };

  function init() {
    var tables = document.querySelectorAll(".pricing-table");
    if (!tables.length || tables[0].dataset.ready) return;
    tables.forEach(function (table) {
      table.dataset.ready = "1";
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row, i) { row.dataset.order = i; });
      table.querySelectorAll("th[data-sort]").forEach(function (th) {
        th.setAttribute("role", "button");
        th.tabIndex = 0;
        var sort = function () {
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          sortAll(th.dataset.key, ascending);
          save(true);
        };
        th.addEventListener("click", sort);
        th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
      });
    });
    Object.keys(FILTERS).forEach(function (id) {
      var el = document.getElementById(id);
      if (!el) return;
      // typing replaces the current history entry; a choice from a list adds one
      el.addEventListener("input", function () { filter(); save(el.tagName === "SELECT"); });
    });
    restore();
  }

  function restore() {
    var params = new URLSearchParams(location.search);
    Object.keys(FILTERS).forEach(function (id) {
      var el = document.getElementById(id);
      if (el) el.value = params.get(FILTERS[id]) || "";
    });
    var sort = params.get("sort");
    document.querySelectorAll(".pricing-table th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    if (sort) sortAll(sort.replace(/^-/, ""), sort.charAt(0) !== "-");
    else document.querySelectorAll(".pricing-table tbody").forEach(function (body) {  // the build's order
      Array.prototype.slice.call(body.rows).sort(function (a, b) { return a.dataset.order - b.dataset.order; })
        .forEach(function (row) { body.appendChild(row); });
    });
    filter();
  }

  function save(push) {
    var params = new URLSearchParams();
    Object.keys(FILTERS).forEach(function (id) {
      var el = document.getElementById(id);
      if (el && el.value.trim()) params.set(FILTERS[id], el.value.trim());
    });
    var sorted = document.querySelector(".pricing-table th[aria-sort]");
    if (sorted) params.set("sort", (sorted.getAttribute("aria-sort") === "descending" ? "-" : "") + sorted.dataset.key);
    var query = params.toString();
    var url = location.pathname + (query ? "?" + query : "") + location.hash;
    if (url === location.pathname + location.search + location.hash) return;
    if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
  }

  function sortAll(key, ascending) {
    document.querySelectorAll(".pricing-table").forEach(function (table) {
      var th = table.querySelector('th[data-key="' + key + '"]');
      if (!th) return;
      var index = Array.prototype.indexOf.call(th.parentNode.cells, th);
      var numeric = th.dataset.sort === "number";
      table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[index].dataset.value, y = b.cells[index].dataset.value;
        if (numeric) {
          // models without a comparable figure sort last either way
          if (x === "" && y === "") return 0;
          if (x === "") return 1;
          if (y === "") return -1;
          return ascending ? parseFloat(x) - parseFloat(y) : parseFloat(y) - parseFloat(x);
        }
        return ascending ? x.localeCompare(y) : y.localeCompare(x);
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  }

  function value(id) { var el = document.getElementById(id); return el ? el.value.trim().toLowerCase() : ""; }

  function filter() {
    var text = value("pf-text"), provider = value("pf-provider"), category = value("pf-category");
    var modality = value("pf-modality"), capability = value("pf-capability"), max = value("pf-max");
    var shown = 0;
    document.querySelectorAll(".pricing-table tbody tr").forEach(function (row) {
      var d = row.dataset;
      var ok = (!text || d.search.indexOf(text) !== -1)
        && (!provider || d.provider === provider)
        && (!category || d.category === category)
        && (!modality || d.modalities.split(" ").indexOf(modality) !== -1)
        && (!capability || d.capabilities.split(" ").indexOf(capability) !== -1)
        && (!max || (d.from !== "" && parseFloat(d.from) <= parseFloat(max)));
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    document.querySelectorAll(".pricing-table").forEach(function (table) {
      var visible = table.querySelectorAll("tbody tr:not([hidden])").length;
      var heading = table.previousElementSibling;
      table.hidden = visible === 0;
      if (heading && heading.tagName === "H2") heading.hidden = visible === 0;
    });
    var count = document.getElementById("pf-count");
    if (count) count.textContent = shown + (shown === 1 ? " model" : " models");
  }

  window.addEventListener("popstate", function () {
    if (document.querySelector(".pricing-table")) restore();
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
