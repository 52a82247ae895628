// Small progressive enhancements; every page works without this file.
// Copy buttons: <button data-copy="text" hidden> next to selectable text. Without JavaScript the
// button stays hidden and the text can be selected; with it, the button copies through the
// Clipboard API and a short toast confirms.
(function () {
  "use strict";
  // Parts that only matter without JavaScript (a "show" button htmx makes redundant) hide under .js.
  document.documentElement.classList.add("js");

  function showCopyButtons(root) {
    var buttons = (root || document).querySelectorAll("button[data-copy][hidden]");
    for (var i = 0; i < buttons.length; i++) {
      if (navigator.clipboard) buttons[i].hidden = false;
    }
  }

  var toastTimer = null;
  function toast(message) {
    var region = document.getElementById("toast");
    if (!region) {
      region = document.createElement("div");
      region.id = "toast";
      region.className = "toast";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    region.textContent = message;
    region.classList.add("visible");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () {
      region.classList.remove("visible");
    }, 2500);
  }

  // For the module bridge (module-bridge.js): a module's notify shows here. A response's HX-Trigger
  // {"bob-toast": "…"} too: a confirmation that must outlive the live refresh of the region it came from.
  window.bobToast = toast;
  document.addEventListener("bob-toast", function (event) {
    var detail = event.detail;
    var text = typeof detail === "string" ? detail : detail && detail.value;
    if (text) toast(String(text));
  });

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("button[data-copy]") : null;
    if (!button) return;
    var text = button.getAttribute("data-copy");
    navigator.clipboard.writeText(text).then(
      function () {
        toast("Copied " + text);
      },
      function () {
        toast("Could not copy; select the text instead.");
      },
    );
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { showCopyButtons(); });
  else showCopyButtons();
  // htmx swaps in new content: reveal its copy buttons too.
  document.addEventListener("htmx:load", function (event) {
    showCopyButtons(event.target);
  });

  // The page's live stream (htmx's SSE extension). After a full close the extension opens a new
  // EventSource, which sends no Last-Event-ID: put the last id this page handled in its URL instead,
  // so the server replays what came in between.
  var lastEventId = null;
  document.addEventListener("htmx:sseMessage", function (event) {
    var id = event.detail && event.detail.lastEventId;
    if (id) lastEventId = id;
  });
  if (window.htmx) {
    window.htmx.createEventSource = function (url) {
      if (lastEventId) {
        var base = url.replace(/([?&])lastEventId=[^&]*&?/, "$1").replace(/[?&]$/, "");
        url = base + (base.indexOf("?") === -1 ? "?" : "&") + "lastEventId=" + encodeURIComponent(lastEventId);
      }
      return new EventSource(url, { withCredentials: true });
    };
  }
})();
