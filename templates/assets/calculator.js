// The cost calculator of model pages and the pricing page. The rates come from the page (a JSON plan the
// build reads off generator/cost.py); the sums are exact: decimals are BigInt numerators over a power of ten.
(function () {
  function decimal(text) {  // "0.040" -> {n: 40n, scale: 3}
    var parts = text.split(".");
    var frac = parts[1] || "";
    return { n: BigInt(parts[0] + frac), scale: frac.length };
  }

  function powerOfTen(per) { return String(per).length - 1; }  // the build checks `per` is 1, 10, 100...

  function cost(rate, quantity, requests) {  // rate: [amount, per]
    var a = decimal(rate[0]);
    return { n: a.n * quantity * requests, scale: a.scale + powerOfTen(rate[1]) };
  }

  function add(x, y) {
    var scale = Math.max(x.scale, y.scale);
    var ten = function (k) { return 10n ** BigInt(k); };
    return { n: x.n * ten(scale - x.scale) + y.n * ten(scale - y.scale), scale: scale };
  }

  function plainText(x) {  // exact, without trailing zeros: "0.072", "12", "0"
    var digits = x.n.toString().padStart(x.scale + 1, "0");
    var whole = digits.slice(0, digits.length - x.scale), frac = digits.slice(digits.length - x.scale);
    frac = frac.replace(/0+$/, "");
    return frac ? whole + "." + frac : whole;
  }

  function usd(plain) {  // "$1,234.50": at least two decimals, every digit kept
    var parts = plain.split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var frac = (parts[1] || "").padEnd(2, "0");
    return "$" + whole + "." + frac;
  }

  function count(form, name) {
    var field = form.elements[name];
    if (!field) return 0n;
    var text = field.value.trim();
    if (!/^\d+$/.test(text)) throw new Error(field.labels[0].firstChild.textContent.trim() + " must be a whole number of 0 or more");
    return BigInt(text);
  }

  // The cost of `requests` requests, or an Error saying why there is none (as generator/cost.py refuses).
  function estimate(plan, input, cached, output, requests) {
    if (cached > input) throw new Error("Cached input tokens cannot exceed input tokens (input tokens count cached ones too)");
    if (plan.context !== null && input > BigInt(plan.context)) {
      throw new Error("Input tokens exceed the context window of " + plan.context.toLocaleString("en-US") + " tokens");
    }
    var stretch = plan.stretches.filter(function (s) {
      return input > BigInt(s.above) && (s.upto === null || input <= BigInt(s.upto));
    })[0];
    if (!stretch || stretch.error) throw new Error("No context tier of this model holds " + input + " input tokens");
    if (output > 0n && !stretch.output) throw new Error("This model bills input tokens only: set Output tokens to 0");
    var total = { n: 0n, scale: 0 }, lines = [];
    var uncached = stretch.cached ? input - cached : input;
    function line(label, rate, quantity) {
      if (!rate || quantity === 0n) return;
      var c = cost(rate, quantity, requests);
      total = add(total, c);
      lines.push(label + ": " + usd(plainText(c)));
    }
    line(stretch.cached && cached > 0n ? "Uncached input" : "Input", stretch.input, uncached);
    if (stretch.cached) line("Cached input", stretch.cached, cached);
    line("Output", stretch.output, output);
    line(stretch.fee_label, stretch.fee, 1n);
    return { total: plainText(total), tier: stretch.tier, lines: lines };
  }

  function update(form, plans) {
    var plan = plans[form.elements.model ? form.elements.model.value : form.dataset.model];
    var cachedLabel = form.querySelector(".calc-cached");
    if (cachedLabel) cachedLabel.hidden = !plan.cache;
    var out = form.querySelector("output");
    try {
      var e = estimate(plan, count(form, "input"), plan.cache ? count(form, "cached") : 0n, count(form, "output"),
        count(form, "requests"));
      out.dataset.total = e.total;
      out.querySelector(".calc-total").textContent = usd(e.total);
      out.querySelector(".calc-detail").textContent = e.lines.join(" · ") +
        (e.tier ? " · context tier " + e.tier : "") + (plan.mode ? " · " + plan.mode + " rates" : "");
      out.classList.remove("calc-error");
    } catch (error) {
      out.dataset.total = "";
      out.querySelector(".calc-total").textContent = "—";
      out.querySelector(".calc-detail").textContent = error.message;
      out.classList.add("calc-error");
    }
  }

  function init() {
    document.querySelectorAll("form.calc").forEach(function (form) {
      var data = document.getElementById(form.dataset.plans);
      if (!data || form.dataset.ready) return;
      form.dataset.ready = "1";
      var plans = JSON.parse(data.dataset.json);
      form.addEventListener("input", function () { update(form, plans); });
      form.addEventListener("submit", function (e) { e.preventDefault(); update(form, plans); });
      update(form, plans);
    });
  }

  window.empirioCalculator = { estimate: estimate };
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
