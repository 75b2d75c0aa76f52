// The public forms of a cached page (a comment, the newsletter signup) carry no token:
// Varnish, a CDN or the browser may have kept the page for minutes, and its time would not
// say when this reader started writing. A token of the moment is asked for when the reader
// first reaches a form (it is never cached), and again just before sending if there is still
// none. The form names where to ask (data-token-url) and, if not "token", the field to fill
// (data-token-field). Without JavaScript the forms still work: the site answers the first
// post with a last step and a token of that moment (public_forms/guard.py).
(function () {
  "use strict";

  function tokenInput(form) {
    return form.querySelector('input[name="' + (form.dataset.tokenField || "token") + '"]');
  }

  function fetchToken(form) {
    var input = tokenInput(form);
    if (!input || !form.dataset.tokenUrl) {
      return Promise.resolve();
    }
    if (!form._tokenRequest) {
      form._tokenRequest = fetch(form.dataset.tokenUrl, {
        cache: "no-store",
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : {};
        })
        .then(function (data) {
          if (data.token) {
            input.value = data.token;
          }
        })
        .catch(function () {
          form._tokenRequest = null; // Offline for a moment: asked again on sending.
        });
    }
    return form._tokenRequest;
  }

  document.querySelectorAll("form[data-token-url]").forEach(function (form) {
    form.addEventListener("focusin", function () {
      // A form the site rendered for this reader (after an error) already has one.
      var input = tokenInput(form);
      if (input && !input.value) {
        fetchToken(form);
      }
    });
    form.addEventListener("submit", function (event) {
      var input = tokenInput(form);
      if (input && !input.value) {
        event.preventDefault();
        fetchToken(form).then(function () {
          form.submit();
        });
      }
    });
  });
})();
