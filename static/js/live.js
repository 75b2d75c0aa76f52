/* A live coverage's page (live/): « il y a 3 min » times, and new entries without reloading.
 *
 * The HTML, cached for every reader, carries absolute times; this script rewrites them in
 * the reader's terms. On the first page of a live in progress it asks the live's poll
 * endpoint every 20 seconds or so (only while the tab is visible, with If-None-Match: a 304
 * costs nothing), corrects or removes the entries shown, and offers the new ones behind a
 * « N nouvelles entrées » button instead of moving the text the reader is reading.
 */
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function relative(date, now) {
    var minutes = Math.floor((now - date.getTime()) / 60000);
    if (isNaN(minutes)) { return null; }
    if (minutes < 1) { return "à l’instant"; }
    if (minutes < 60) { return "il y a " + minutes + "\u00a0min"; }
    var hours = Math.floor(minutes / 60);
    if (hours < 24) {
      return "il y a " + hours + "\u00a0h" + (minutes % 60 ? "\u00a0" + pad(minutes % 60) : "");
    }
    return null;  // older: the absolute time says more
  }

  function refreshTimes() {
    var now = Date.now();
    document.querySelectorAll("time[data-relative]").forEach(function (el) {
      if (!el.hasAttribute("data-absolute")) {
        el.setAttribute("data-absolute", el.textContent);
        el.title = el.textContent;
      }
      el.textContent = relative(new Date(el.getAttribute("datetime")), now) ||
        el.getAttribute("data-absolute");
    });
  }

  refreshTimes();
  window.setInterval(refreshTimes, 30000);

  var section = document.querySelector("[data-live-poll]");
  var bar = section && section.querySelector("[data-live-new]");
  if (!bar) { return; }  // older pages and ended lives: nothing arrives
  var stream = section.querySelector("[data-live-stream]");
  var button = bar.querySelector("button");
  var url = section.getAttribute("data-live-poll");
  var seconds = parseFloat(section.getAttribute("data-poll-seconds")) || 20;
  var etag = null;
  var pending = [];
  var timer = null;
  var stopped = false;

  function shown(id) {
    return section.querySelectorAll('[data-entry="' + id + '"]');
  }

  function fromHtml(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;  // our own sanitized HTML, from the same origin
    return holder.firstElementChild;
  }

  function showButton() {
    bar.hidden = pending.length === 0;
    var n = pending.length;
    button.textContent = n === 1 ? "1 nouvelle entrée" : n + " nouvelles entrées";
  }

  function apply(data) {
    (data.withdrawn || []).forEach(function (id) {
      shown(id).forEach(function (el) { el.remove(); });
      pending = pending.filter(function (entry) { return entry.id !== id; });
    });
    var fresh = [];
    var reachedShown = false;
    data.entries.forEach(function (entry) {
      var here = shown(entry.id);
      if (here.length) {
        reachedShown = true;
        here.forEach(function (el) {
          if (el.getAttribute("data-stamp") !== entry.stamp) {
            var replacement = fromHtml(entry.html);
            replacement.id = el.id;
            el.replaceWith(replacement);
          }
        });
      } else if (!reachedShown) {
        fresh.push(entry);
      }
    });
    var waiting = {};
    pending.forEach(function (entry) { waiting[entry.id] = true; });
    pending = fresh.filter(function (entry) { return !waiting[entry.id]; }).concat(
      pending.map(function (old) {
        return fresh.filter(function (entry) { return entry.id === old.id; })[0] || old;
      })
    );
    showButton();
    refreshTimes();
    if (data.state === "ended") {
      stopped = true;
      var state = section.querySelector("[data-live-state]");
      if (state) { state.textContent = "Ce direct est terminé."; }
    }
  }

  function reveal() {
    var empty = stream.querySelector(".live__empty");
    if (empty) { empty.remove(); }
    pending.slice().reverse().forEach(function (entry) {
      var el = fromHtml(entry.html);
      el.classList.add("is-new");
      stream.insertBefore(el, stream.firstElementChild);
    });
    pending = [];
    showButton();
    refreshTimes();
  }

  function schedule() {
    window.clearTimeout(timer);
    if (stopped || document.hidden) { return; }
    // A little jitter: thousands of open tabs do not ask at the same second.
    timer = window.setTimeout(poll, seconds * 1000 * (0.85 + Math.random() * 0.3));
  }

  function poll() {
    var headers = { "Accept": "application/json" };
    if (etag) { headers["If-None-Match"] = etag; }
    // Without cookies: every reader, signed in or not, gets the cached answer.
    fetch(url, { headers: headers, cache: "no-store", credentials: "omit" })
      .then(function (response) {
        if (response.status === 304 || !response.ok) { return null; }
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) { if (data) { apply(data); } })
      .catch(function () { /* offline for a moment: the next turn asks again */ })
      .then(schedule);
  }

  button.addEventListener("click", reveal);
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      window.clearTimeout(timer);
    } else if (!stopped) {
      poll();
    }
  });
  schedule();
}());
