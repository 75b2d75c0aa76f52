/* Article form: keeps a private copy of the fields on the server while they are typed
   (autosave/views.py), says who else has the article open, and survives an expired session:
   the text stays in the page, saving is held until the person has logged in again (in another
   tab), then the form gets the new session's CSRF token and saves as usual. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";

  // The admin loads its scripts in <head>: the panel and the form exist once parsed.
  var box = document.getElementById("ae-autosave");
  var form = box && document.getElementById(box.dataset.form);
  if (!form || !window.fetch) {
    return;
  }
  var interval = (parseInt(box.dataset.interval, 10) || 20) * 1000;
  var statusLine = box.querySelector(".ae-autosave__status");
  var alertBox = box.querySelector(".ae-autosave__alert");
  var presenceLine = document.getElementById("ae-presence");
  // What the server last kept; a tick sends the fields only when they differ from it.
  var lastSent = snapshot();
  var busy = false;
  var loggedOut = false;
  var stopped = false;
  var submitting = false;
  var sessionTimer = null;

  function fields() {
    var data = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && name !== "csrfmiddlewaretoken") {
        data.append(name, value);
      }
    });
    return data;
  }

  function snapshot() {
    return fields().toString();
  }

  function token() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function say(element, text, kind) {
    element.textContent = text;
    element.hidden = !text;
    element.className = element.className.replace(/ ?is-\w+/g, "") + (kind ? " is-" + kind : "");
  }

  function loginLink() {
    var link = document.createElement("a");
    link.href = box.dataset.loginUrl;
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = "Ouvrir la page de connexion dans un nouvel onglet";
    return link;
  }

  function sessionExpired(message) {
    if (!loggedOut) {
      loggedOut = true;
      say(alertBox, message, "error");
      alertBox.appendChild(document.createTextNode(" "));
      alertBox.appendChild(loginLink());
      say(statusLine, "Sauvegarde automatique suspendue : session expirée.", "error");
    }
    if (!sessionTimer) {
      sessionTimer = window.setInterval(checkSession, 5000);
    }
  }

  function checkSession() {
    return fetch(box.dataset.sessionUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (answer) {
        if (!answer.authenticated) {
          return false;
        }
        form.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
          input.value = answer.csrf_token;
        });
        if (loggedOut) {
          loggedOut = false;
          window.clearInterval(sessionTimer);
          sessionTimer = null;
          say(alertBox, "Vous êtes de nouveau connecté : vous pouvez enregistrer l’article.", "ok");
          window.setTimeout(function () {
            if (!loggedOut) {
              say(alertBox, "", "");
            }
          }, 10000);
          tick(false);
        }
        return true;
      })
      .catch(function () {
        return false;
      });
  }

  function send(body, keepalive) {
    body.set("csrfmiddlewaretoken", token());
    return fetch(box.dataset.saveUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: keepalive,
      headers: { Accept: "application/json", "X-CSRFToken": token() },
    });
  }

  function tick(leaving, retried) {
    if (busy || stopped || submitting || (loggedOut && !leaving)) {
      return;
    }
    var current = snapshot();
    var changed = current !== lastSent;
    var body = changed ? fields() : new URLSearchParams();
    if (changed) {
      body.set("autosave", "1");
    }
    if (leaving) {
      body.set("leaving", "1");
    }
    // Hidden may mean closing: kept alive, the request outlives the tab (64 KB at most).
    var hidden = leaving || document.visibilityState === "hidden";
    var keepalive = hidden && body.toString().length < 60000;
    busy = true;
    send(body, keepalive)
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
        return (json ? response.json() : Promise.resolve({})).then(function (answer) {
          busy = false;
          if (response.status === 401) {
            sessionExpired(answer.message);
          } else if (response.status === 403 && !json && !retried) {
            // A CSRF refusal: the session changed in another tab. New token, one more try.
            checkSession().then(function () {
              tick(leaving, true);
            });
          } else if (response.status === 403) {
            stopped = true;
            say(statusLine, answer.message || "Sauvegarde automatique arrêtée.", "error");
          } else if (!response.ok) {
            say(statusLine, answer.message || "Sauvegarde automatique impossible pour l’instant : nouvel essai bientôt.", "error");
          } else {
            if (changed) {
              lastSent = current;
            }
            if (answer.saved) {
              say(statusLine, answer.saved + " (visible de vous seul, jusqu’à l’enregistrement).", "ok");
            }
            if (presenceLine && answer.presence !== undefined) {
              say(presenceLine, answer.presence, "");
            }
          }
        });
      })
      .catch(function () {
        busy = false;
        say(statusLine, "Sauvegarde automatique impossible (réseau) : nouvel essai dans quelques secondes.", "error");
      });
  }

  window.setInterval(function () {
    tick(false);
  }, interval);

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      tick(false);
    } else if (loggedOut) {
      checkSession();
    } else {
      tick(false);
    }
  });

  window.addEventListener("pagehide", function () {
    tick(true);
  });

  form.addEventListener("submit", function (event) {
    if (loggedOut) {
      // Posting now would land on the login page and lose the text: hold it here.
      event.preventDefault();
      var submitter = event.submitter;
      checkSession().then(function (back) {
        if (back) {
          form.requestSubmit(submitter);
        } else {
          alertBox.scrollIntoView({ block: "center" });
        }
      });
      return;
    }
    submitting = true;
  });
});
