/* Newsletter issue page: the sending progress updates by itself. It polls the JSON
   progress every few seconds while the send runs and stops once it is over; without this
   script, reloading the page shows the same figures. */
(function () {
  "use strict";
  var DELAY_MS = 3000;

  function show(section, data) {
    var page = section.ownerDocument;
    ["sent", "failed", "skipped", "total", "message", "label"].forEach(function (key) {
      var element = page.querySelector('[data-progress="' + key + '"]');
      if (element) {
        element.textContent = data[key];
      }
    });
    var bar = page.querySelector('[data-progress="bar"]');
    if (bar) {
      bar.value = data.percent;
      bar.textContent = data.percent + " %";
    }
    var resume = page.querySelector('[data-progress="resume"]');
    if (resume) {
      resume.hidden = !data.stalled;
    }
  }

  function poll(section) {
    fetch(section.dataset.progressUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        show(section, data);
        if (!data.finished) {
          window.setTimeout(function () { poll(section); }, DELAY_MS);
        }
      })
      .catch(function () {
        // The server is busy or restarting: try again a little later.
        window.setTimeout(function () { poll(section); }, DELAY_MS * 3);
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.querySelector(".ae-progress[data-progress-live]");
    if (section) {
      window.setTimeout(function () { poll(section); }, DELAY_MS);
    }
  });
})();
