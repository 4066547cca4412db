// The page menu above every page's content: copy the page's markdown twin, view it, open it in an AI
// chat, or connect an agent to the docs' MCP server. Client-side only, no third-party script. One listener on the document, so it keeps working when
// mkdocs-material's instant navigation swaps the content in place.
(function () {
  "use strict";

  function menuOf(node) {
    return node && node.closest ? node.closest(".el-page-menu") : null;
  }

  function items(menu) {
    return Array.prototype.slice.call(menu.querySelectorAll(".el-page-menu__items a, .el-page-menu__items button"));
  }

  function setOpen(menu, open, focusFirst) {
    var button = menu.querySelector(".el-page-menu__button");
    var list = menu.querySelector(".el-page-menu__items");
    button.setAttribute("aria-expanded", open ? "true" : "false");
    list.hidden = !open;
    if (open && focusFirst) items(menu)[0].focus();
  }

  function closeAll(except) {
    document.querySelectorAll(".el-page-menu").forEach(function (menu) {
      if (menu !== except) setOpen(menu, false);
    });
  }

  function say(menu, text) {
    menu.querySelector(".el-page-menu__status").textContent = text;
  }

  function copyPage(menu) {
    var twin = menu.closest(".el-agents").getAttribute("data-twin");
    fetch(twin)
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (text) { return navigator.clipboard.writeText(text); })
      .then(function () { say(menu, "Copied the page as Markdown"); },
            function () { say(menu, "Could not copy: open View as Markdown instead"); });
  }

  // Ready configurations for the MCP URL (data-mcp-url), built as text on demand: the page's HTML carries
  // none of it, so an agent reading the HTML meets the same text as in the twin.
  function configs(url) {
    var server = { "empiriolabs-docs": { url: url } };
    return [
      ["Claude Code", "claude mcp add --transport http empiriolabs-docs " + url],
      ["Cursor (.cursor/mcp.json)", JSON.stringify({ mcpServers: server }, null, 2)],
      ["VS Code (.vscode/mcp.json)",
       JSON.stringify({ servers: { "empiriolabs-docs": { type: "http", url: url } } }, null, 2)]
    ];
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function toggleConnect(menu) {
    var agents = menu.closest(".el-agents");
    var open = agents.querySelector(".el-connect");
    if (open) { open.remove(); return; }
    var url = agents.getAttribute("data-mcp-url");
    var panel = element("section", "el-connect");
    panel.id = "el-connect";
    panel.setAttribute("aria-label", "Connect an agent");
    panel.appendChild(element("p", "", "The docs' MCP server (Streamable HTTP, read-only, no sign-in): "))
      .appendChild(element("code", "", url));
    configs(url).forEach(function (pair) {
      panel.appendChild(element("p", "el-connect__label", pair[0]));
      panel.appendChild(element("pre", "")).appendChild(element("code", "", pair[1]));
    });
    agents.appendChild(panel);
  }

  document.addEventListener("click", function (event) {
    var menu = menuOf(event.target);
    if (!menu) { closeAll(null); return; }
    if (event.target.closest(".el-page-menu__button")) {
      var open = menu.querySelector(".el-page-menu__button").getAttribute("aria-expanded") !== "true";
      closeAll(menu);
      setOpen(menu, open, false);
      return;
    }
    var action = event.target.closest("[data-el-action]");
    var name = action && action.getAttribute("data-el-action");
    if (name === "copy" || name === "connect") {
      if (name === "copy") copyPage(menu); else toggleConnect(menu);
      setOpen(menu, false);
      menu.querySelector(".el-page-menu__button").focus();
    }
  });

  document.addEventListener("keydown", function (event) {
    var menu = menuOf(event.target);
    if (!menu) return;
    var button = menu.querySelector(".el-page-menu__button");
    var open = button.getAttribute("aria-expanded") === "true";
    var list = items(menu);
    var at = list.indexOf(event.target);
    if (event.key === "Escape" && open) {
      setOpen(menu, false);
      button.focus();
      event.preventDefault();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!open) { setOpen(menu, true, true); event.preventDefault(); return; }
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = at < 0 ? (step > 0 ? 0 : list.length - 1) : (at + step + list.length) % list.length;
      list[next].focus();
      event.preventDefault();
    }
  });
})();
