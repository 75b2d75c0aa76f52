/* « Les plus lus »: tells the site once that this article was read, with a beacon that
   carries no cookie of ours and needs no answer. Pages come from caches: counting here
   counts every reader whatever served the page. */
(function () {
  "use strict";
  var script = document.currentScript;
  var address = script && script.dataset.readBeacon;
  if (!address || !navigator.sendBeacon) {
    return;
  }
  function send() {
    navigator.sendBeacon(address);
  }
  // A page opened in a background tab counts once it is looked at.
  if (document.visibilityState === "hidden") {
    document.addEventListener("visibilitychange", function once() {
      if (document.visibilityState === "visible") {
        document.removeEventListener("visibilitychange", once);
        send();
      }
    });
  } else {
    send();
  }
})();
