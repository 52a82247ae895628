// Chat niceties; every part of chat works without this file. Enter sends (Shift+Enter is a new
// line), the message list starts at the newest message and follows new ones while you are at the
// bottom, and typing @ offers the conversation's people to mention.
(function () {
  "use strict";
  var stickToBottom = true;

  function scroller() {
    return document.getElementById("chat-scroll");
  }
  function toBottom() {
    var box = scroller();
    if (box) box.scrollTop = box.scrollHeight;
  }

  document.addEventListener("scroll", function (event) {
    var box = scroller();
    if (box && event.target === box) stickToBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  }, true);

  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (!(field instanceof HTMLTextAreaElement) || field.id !== "composer-text") return;
    var list = document.getElementById("mention-suggestions");
    if (list && !list.hidden && (event.key === "Enter" || event.key === "Tab")) {
      var chosen = list.querySelector('[aria-selected="true"]') || list.firstElementChild;
      if (chosen) {
        event.preventDefault();
        insertMention(field, chosen.getAttribute("data-handle"));
        return;
      }
    }
    if (event.key === "Escape" && list) list.hidden = true;
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (field.form) field.form.requestSubmit();
    }
  });

  // @mentions: the word being typed after "@" asks the conversation for people whose handle starts with it.
  var pending = null;
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!(field instanceof HTMLTextAreaElement) || field.id !== "composer-text") return;
    var list = document.getElementById("mention-suggestions");
    var source = field.form && field.form.getAttribute("data-mentions");
    if (!list || !source) return;
    var match = /(^|[^\p{L}\p{N}])@([\p{L}\p{N}]{0,40})$/u.exec(field.value.slice(0, field.selectionStart));
    if (!match) {
      list.hidden = true;
      return;
    }
    var query = match[2].toLowerCase();
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(source + "?q=" + encodeURIComponent(query), { signal: pending.signal, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { people: [] }; })
      .then(function (body) {
        list.textContent = "";
        body.people.forEach(function (person, index) {
          var item = document.createElement("li");
          item.setAttribute("role", "option");
          item.setAttribute("data-handle", person.handle);
          item.setAttribute("aria-selected", index === 0 ? "true" : "false");
          item.textContent = person.name + " (@" + person.handle + ")";
          item.addEventListener("mousedown", function (e) {
            e.preventDefault();
            insertMention(field, person.handle);
          });
          list.appendChild(item);
        });
        list.hidden = body.people.length === 0;
      })
      .catch(function () {});
  });

  function insertMention(field, handle) {
    var before = field.value.slice(0, field.selectionStart).replace(/@[\p{L}\p{N}]*$/u, "@" + handle + " ");
    var after = field.value.slice(field.selectionStart);
    field.value = before + after;
    field.selectionStart = field.selectionEnd = before.length;
    var list = document.getElementById("mention-suggestions");
    if (list) list.hidden = true;
    field.focus();
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target) return;
    // A fresh composer after sending: keep typing.
    if (target.id === "composer" || (target.closest && target.closest("#composer"))) {
      var field = document.getElementById("composer-text");
      if (field && !field.value) field.focus();
    }
    if (stickToBottom && document.getElementById("chat-scroll")) toBottom();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", toBottom);
  else toBottom();
})();
