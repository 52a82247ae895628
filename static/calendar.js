// Calendar enhancements; the calendar works without this file (the drawer's form does everything).
// - Week and day views: drag an event to move it (15-minute steps, across days), drag its bottom edge to
//   resize it, or with the keyboard: Alt+↑/↓ moves a focused event 15 minutes, Alt+←/→ a day. The move goes
//   to POST /calendar/events/:id/move; for a repeating event the server answers with the this / following /
//   all question in the drawer.
// - A click on an empty part of a day opens the new-event drawer at that time.
// - The drawer's Close link and Escape close the drawer in place.
(function () {
  "use strict";
  var SLOT_MINUTES = 5;
  var SNAP = 15;
  var drag = null;

  function back() {
    return location.pathname + location.search;
  }

  function slotHeight(column) {
    return column.getBoundingClientRect().height / 288;
  }

  function move(event, minutes, endMinutes) {
    if (!window.htmx) return;
    var values = { minutes: String(minutes), endMinutes: String(endMinutes), back: back() };
    if (event.dataset.occurrence) values.occurrence = event.dataset.occurrence;
    window.htmx.ajax("POST", "/calendar/events/" + encodeURIComponent(event.dataset.event) + "/move", { target: "#calendar-drawer", swap: "innerHTML", values: values });
  }

  function columns(from) {
    var grid = from.closest(".cal-time-body");
    return grid ? Array.prototype.slice.call(grid.querySelectorAll(".cal-col")) : [];
  }

  // Links are draggable by default: the browser's own drag would swallow the pointer events.
  document.addEventListener("dragstart", function (e) {
    if (e.target instanceof Element && e.target.closest(".cal-ev")) e.preventDefault();
  });

  document.addEventListener("pointerdown", function (e) {
    if (e.button !== 0 || !(e.target instanceof Element)) return;
    var ev = e.target.closest(".cal-ev[data-editable]");
    if (!ev) return;
    var column = ev.closest(".cal-col");
    drag = {
      ev: ev,
      column: column,
      cols: columns(ev),
      x: e.clientX,
      y: e.clientY,
      resize: e.target.classList.contains("cal-resize"),
      moved: false,
      minutes: 0,
      days: 0,
    };
  });

  document.addEventListener("pointermove", function (e) {
    if (!drag) return;
    var dy = e.clientY - drag.y;
    var dx = e.clientX - drag.x;
    if (!drag.moved && Math.abs(dy) < 4 && Math.abs(dx) < 4) return;
    if (!drag.moved) {
      drag.moved = true;
      drag.ev.classList.add("dragging");
      try { drag.ev.setPointerCapture(e.pointerId); } catch (err) { /* not capturable */ }
    }
    var per = slotHeight(drag.column) * (SNAP / SLOT_MINUTES);
    drag.minutes = Math.round(dy / per) * SNAP;
    drag.days = 0;
    if (!drag.resize) {
      var index = drag.cols.indexOf(drag.column);
      for (var i = 0; i < drag.cols.length; i++) {
        var r = drag.cols[i].getBoundingClientRect();
        if (e.clientX >= r.left && e.clientX < r.right) drag.days = i - index;
      }
    }
    // Show where it would go: a transform only (classes would need a round trip).
    var offsetX = drag.days ? drag.cols[drag.cols.indexOf(drag.column) + drag.days].getBoundingClientRect().left - drag.column.getBoundingClientRect().left : 0;
    if (drag.resize) drag.ev.dataset.resizeBy = String(drag.minutes);
    else drag.ev.dataset.moveBy = String(drag.days * 1440 + drag.minutes);
    drag.ev.animate([{ transform: drag.resize ? "none" : "translate(" + offsetX + "px," + (drag.minutes / SNAP) * per + "px)" }], { duration: 0, fill: "forwards" });
  });

  document.addEventListener("pointerup", function () {
    if (!drag) return;
    var d = drag;
    drag = null;
    if (!d.moved) return;
    // The click that follows a drag must not open the drawer.
    d.ev.addEventListener("click", function stop(ev) { ev.preventDefault(); ev.stopImmediatePropagation(); d.ev.removeEventListener("click", stop, true); }, true);
    var total = d.resize ? 0 : d.days * 1440 + d.minutes;
    var endTotal = d.resize ? d.minutes : total;
    if (total === 0 && endTotal === 0) {
      d.ev.getAnimations().forEach(function (a) { a.cancel(); });
      d.ev.classList.remove("dragging");
      return;
    }
    move(d.ev, total, endTotal);
  });

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      var drawer = document.getElementById("calendar-drawer");
      if (drawer && drawer.firstChild) closeDrawer(drawer);
      return;
    }
    if (!e.altKey || !(e.target instanceof Element)) return;
    var ev = e.target.closest(".cal-ev[data-editable]");
    if (!ev) return;
    var minutes = { ArrowUp: -SNAP, ArrowDown: SNAP, ArrowLeft: -1440, ArrowRight: 1440 }[e.key];
    if (!minutes) return;
    e.preventDefault();
    move(ev, minutes, minutes);
  });

  document.addEventListener("click", function (e) {
    if (!(e.target instanceof Element)) return;
    var close = e.target.closest("[data-close-drawer]");
    var drawer = document.getElementById("calendar-drawer");
    if (close && drawer && drawer.contains(close)) {
      e.preventDefault();
      closeDrawer(drawer);
      return;
    }
    // An empty part of a day column: a new event there, at the quarter hour clicked.
    if (e.target.classList.contains("cal-col") && window.htmx && document.querySelector(".cal-add")) {
      var column = e.target;
      var y = e.clientY - column.getBoundingClientRect().top;
      var minutes = Math.floor(y / slotHeight(column) / (SNAP / SLOT_MINUTES)) * SNAP;
      var time = String(Math.floor(minutes / 60)).padStart(2, "0") + ":" + String(minutes % 60).padStart(2, "0");
      var url = "/calendar/events/new?date=" + column.dataset.date + "&time=" + encodeURIComponent(time) + "&back=" + encodeURIComponent(back());
      window.htmx.ajax("GET", url, { target: "#calendar-drawer", swap: "innerHTML" });
    }
  });

  // The drawer takes the focus when it opens (keyboard and screen-reader users land in it) and gives it back on close.
  var opener = null;
  document.addEventListener("htmx:beforeRequest", function (e) {
    var target = e.detail && e.detail.target;
    if (target && target.id === "calendar-drawer" && !(target.contains(document.activeElement))) opener = document.activeElement;
  });
  document.addEventListener("htmx:afterSwap", function (e) {
    var target = e.detail && e.detail.target;
    if (!target || target.id !== "calendar-drawer") return;
    var first = target.querySelector("form input:not([type=hidden]), form select, form textarea, form button") || target.querySelector("a[href]");
    if (first) first.focus();
  });
  function closeDrawer(drawer) {
    drawer.innerHTML = "";
    if (opener && document.contains(opener)) opener.focus();
    opener = null;
  }

  // Resize handles on the events one may change (added here: without JavaScript there is nothing to drag).
  function addHandles(root) {
    var events = (root || document).querySelectorAll(".cal-ev[data-editable]");
    for (var i = 0; i < events.length; i++) {
      if (events[i].querySelector(".cal-resize")) continue;
      var handle = document.createElement("span");
      handle.className = "cal-resize";
      handle.setAttribute("aria-hidden", "true");
      events[i].appendChild(handle);
      events[i].title = "Drag to move, drag the bottom edge to resize; Alt+arrow keys move it";
    }
  }
  // A new time grid opens on the working day (07:00 at the top) rather than at midnight.
  function scrollToMorning(root) {
    var bodies = (root || document).querySelectorAll(".cal-time-body:not([data-scrolled])");
    for (var i = 0; i < bodies.length; i++) {
      bodies[i].setAttribute("data-scrolled", "");
      bodies[i].scrollTop = (bodies[i].scrollHeight * 7) / 24;
    }
  }
  function enhance(root) {
    addHandles(root);
    scrollToMorning(root);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { enhance(); });
  else enhance();
  document.addEventListener("htmx:load", function (e) { enhance(e.target); });
})();
