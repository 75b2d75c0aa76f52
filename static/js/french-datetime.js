/* Date and time fields (<input type="datetime-local">) are drawn by the browser in its own
   language: an English Chromium shows 11/29/2026, 07:00 AM to a French newsroom. Beside each
   one, the date it holds is written out in French (« dimanche 29 novembre 2026 à 07h00 »), so
   that no one reads 11/12 as the 12th of November. */
(function () {
  "use strict";
  var days = ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"];
  var months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre"];

  function inFrench(value) {
    var match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value || "");
    if (!match) return "";
    var year = +match[1], month = +match[2], day = +match[3];
    var weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
    return days[weekday] + " " + (day === 1 ? "1er" : day) + " " + months[month - 1] + " " +
      year + " à " + match[4] + "h" + match[5];
  }

  function attach(input) {
    var output = document.createElement("output");
    output.className = "ae-when";
    output.htmlFor = input.id;
    output.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", output);
    var show = function () { output.textContent = inFrench(input.value); };
    input.addEventListener("input", show);
    input.addEventListener("change", show);
    show();
  }

  function start() {
    document.querySelectorAll("input[type=datetime-local]").forEach(attach);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
