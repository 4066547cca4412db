// Sorting and filtering for the pricing tables. Runs on every page load, including instant navigation.
(function () {
  function init() {
    var tables = document.querySelectorAll(".pricing-table");
    if (!tables.length) return;
    tables.forEach(function (table) {
      table.querySelectorAll("th[data-sort]").forEach(function (th, index) {
        th.setAttribute("role", "button");
        th.tabIndex = 0;
        var sort = function () { sortBy(table, th, index); };
        th.addEventListener("click", sort);
        th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
      });
    });
    ["pf-text", "pf-provider", "pf-category", "pf-modality", "pf-capability", "pf-max"].forEach(function (id) {
      var el = document.getElementById(id);
      if (el) el.addEventListener("input", filter);
    });
    filter();
  }

  function sortBy(table, th, index) {
    var numeric = th.dataset.sort === "number";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
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

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
