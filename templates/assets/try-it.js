// The Try it console's loader, on every page: a small script. The console itself (try-it-console.js and
// try-it.css) is fetched the first time a reader opens it; a page whose console stays closed costs no more.
(function () {
  var base = document.currentScript ? document.currentScript.src.replace(/try-it\.js(?:[?#].*)?$/, "") : "";
  var loading = null;

  function load() {
    if (window.empirioTryIt) return Promise.resolve();
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = base + "try-it.css";
      document.head.appendChild(css);
      var script = document.createElement("script");
      script.src = base + "try-it-console.js";
      script.onload = function () { resolve(); };
      script.onerror = function () { loading = null; reject(new Error("The console's script could not be loaded.")); };
      document.head.appendChild(script);
    });
    return loading;
  }

  function toggle(section, button) {
    var panel = section.querySelector(".try-it-console");
    if (!panel.hidden) {
      panel.hidden = true;
      button.setAttribute("aria-expanded", "false");
      button.setAttribute("aria-label", "Open the console");
      return;
    }
    load().then(function () {
      window.empirioTryIt.mount(section);
      panel.hidden = false;
      button.setAttribute("aria-expanded", "true");
      button.setAttribute("aria-label", "Close the console");
      var first = panel.querySelector("select, input, textarea");
      if (first) first.focus();
    }, function (error) {
      panel.hidden = false;
      panel.textContent = error.message;
    });
  }

  function init() {
    document.querySelectorAll("section.try-it").forEach(function (section) {
      var button = section.querySelector(".try-it-open");
      if (!button || section.dataset.ready) return;
      section.dataset.ready = "1";
      button.addEventListener("click", function () { toggle(section, button); });
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
