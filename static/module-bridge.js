// Host side of the module bridge; the protocol and why it is safe: docs/modules.md ("The bridge").
(function () {
  "use strict";
  function start(host) {
    if (host.getAttribute("data-bridge-started")) return;
    host.setAttribute("data-bridge-started", "1");
    var frame = host.querySelector("iframe[data-module-frame]");
    var loading = host.querySelector("[data-module-loading]");
    var failed = host.querySelector("[data-module-error]");
    var allowed = (host.getAttribute("data-bridge") || "").split(" ");
    var context = host.getAttribute("data-context");
    var within = (host.getAttribute("data-navigate-within") || "").split(" ");
    var ready = false;
    var timer = setTimeout(function () {
      if (ready) return;
      loading.hidden = true;
      failed.hidden = false;
      frame.hidden = true;
    }, 15000);
    // The frame's origin is opaque: "*" is the only target that reaches it. Its window is what we check.
    function reply(id, message) {
      message.bob = 1;
      message.id = id;
      if (frame.contentWindow) frame.contentWindow.postMessage(message, "*");
    }
    function onMessage(event) {
      if (!frame.isConnected) return window.removeEventListener("message", onMessage);
      var data = event.data;
      if (event.source !== frame.contentWindow || event.origin !== "null" || !data || data.bob !== 1) return;
      var type = data.type, id = data.id;
      if (allowed.indexOf(type) < 0) return reply(id, { type: "error", error: "not_allowed" });
      if (type === "ready") {
        ready = true;
        clearTimeout(timer);
        loading.hidden = true;
        frame.classList.add("ready");
        reply(id, { type: "ready", context: context.split(":")[0], home: host.getAttribute("data-home"), calendar: host.getAttribute("data-calendar") });
      } else if (type === "getToken") {
        fetch(host.getAttribute("data-token-url"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ context: context }) })
          .then(function (r) {
            return r.json().then(function (body) {
              if (r.ok && body.token) reply(id, { type: "token", token: body.token, expiresAt: body.expiresAt });
              else reply(id, { type: "error", error: (body.error && body.error.code) || "token_refused" });
            });
          })
          .catch(function () {
            reply(id, { type: "error", error: "network" });
          });
      } else if (type === "navigate") {
        var path = String(data.path);
        // A plain path of this space only: no scheme or host, no "//", no dot segments, no query.
        var inside = /^\/[\w\/-]*$/.test(path) && path.indexOf("//") < 0 && within.some(function (w) {
          return w && (path === w || path.indexOf(w + "/") === 0);
        });
        if (inside) window.location.assign(path);
        else reply(id, { type: "error", error: "outside_context" });
      } else if (type === "notify") {
        if (window.bobToast && data.text) window.bobToast(String(data.text).slice(0, 200));
        reply(id, { type: "notified" });
      } else if (type === "resize") {
        var height = Math.round(Number(data.height));
        if (height >= 100 && height <= 5000) {
          frame.style.height = height + "px";
          reply(id, { type: "resized", height: height });
        } else reply(id, { type: "error", error: "bad_height" });
      }
    }
    window.addEventListener("message", onMessage);
  }
  function startAll() {
    var hosts = document.querySelectorAll("[data-module-host]");
    for (var i = 0; i < hosts.length; i++) start(hosts[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startAll);
  else startAll();
  document.addEventListener("htmx:load", startAll);
})();
