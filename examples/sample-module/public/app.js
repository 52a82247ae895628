// The module's side of the bridge: messages go to the platform's origin only, and only messages from our parent
// window with that origin are read. The token is kept in memory and asked for again before it expires.
(function () {
  "use strict";
  var platform = document.documentElement.getAttribute("data-platform");
  var seq = 0;
  var waiting = {};
  var token = null;
  var tokenExpires = 0;
  var space = null; // the ready answer: { context, home, calendar }

  function ask(type, extra) {
    return new Promise(function (resolve, reject) {
      var id = ++seq;
      waiting[id] = { resolve: resolve, reject: reject };
      var message = Object.assign({ bob: 1, id: id, type: type }, extra || {});
      window.parent.postMessage(message, platform);
    });
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || event.origin !== platform) return;
    var data = event.data;
    if (!data || data.bob !== 1 || !waiting[data.id]) return;
    var w = waiting[data.id];
    delete waiting[data.id];
    if (data.type === "error") w.reject(new Error(data.error));
    else w.resolve(data);
  });

  // Until the host answers (its script may start after this page), say "ready" again every half second.
  function whenReady() {
    return new Promise(function (resolve) {
      var done = false;
      function again() {
        if (done) return;
        ask("ready").then(function (answer) {
          done = true;
          resolve(answer);
        });
        setTimeout(again, 500);
      }
      again();
    });
  }

  function currentToken() {
    if (token && Date.now() < tokenExpires - 30000) return Promise.resolve(token);
    return ask("getToken").then(function (answer) {
      token = answer.token;
      tokenExpires = Date.parse(answer.expiresAt);
      return token;
    });
  }

  function call(path, body) {
    return currentToken().then(function (t) {
      return fetch(path, { method: body ? "POST" : "GET", headers: Object.assign({ authorization: "Bearer " + t }, body ? { "content-type": "application/json" } : {}), body: body ? JSON.stringify(body) : undefined }).then(function (r) {
        return r.json().then(function (json) {
          if (!r.ok) throw new Error((json.error && json.error.message) || "HTTP " + r.status);
          return json;
        });
      });
    });
  }

  function show(id, text) {
    document.getElementById(id).textContent = text;
  }

  whenReady()
    .then(function (answer) {
      space = answer;
      return call("/api/context");
    })
    .then(function (me) {
      show("hello", "Hello " + (me.user.displayName || "there") + " in " + (me.context.name || "this space") + " (" + me.context.type + ")");
      document.getElementById("add-event").disabled = false;
      document.getElementById("notify").disabled = false;
      document.getElementById("open-calendar").disabled = false;
      ask("resize", { height: document.body.scrollHeight + 40 });
    })
    .catch(function (error) {
      show("hello", "Could not start: " + error.message);
    });

  document.getElementById("add-event").addEventListener("click", function () {
    var tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
    call("/api/events", { title: "Planning with the sample module", start: tomorrow + "T10:00", end: tomorrow + "T11:00", timeZone: "UTC" }).then(
      function (answer) {
        show("result", "Event added: " + answer.event.title + " on " + answer.event.start.slice(0, 10));
      },
      function (error) {
        show("result", "Not added: " + error.message);
      },
    );
  });

  document.getElementById("notify").addEventListener("click", function () {
    call("/api/notify", { title: "Hello from the sample module" }).then(
      function () {
        show("result", "Notification sent.");
        ask("notify", { text: "The sample module sent you a notification." });
      },
      function (error) {
        show("result", "Not sent: " + error.message);
      },
    );
  });

  // The platform moves the page only within this space; anywhere else is answered with "outside_context".
  document.getElementById("open-calendar").addEventListener("click", function () {
    ask("navigate", { path: space.calendar }).catch(function (error) {
      show("result", "Not opened: " + error.message);
    });
  });
})();
