/* Planning calendar: drag a scheduled publication onto another day to move it there, at the
   same time. The drop only fills in and sends the card's own form (the no-JavaScript way),
   so the workflow's rules decide exactly as they do without this script. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";

  var cards = document.querySelectorAll(".ae-item--publication .ae-item__reschedule");
  var days = document.querySelectorAll(".ae-calendar--semaine .ae-day[data-date]");
  if (!cards.length || !days.length) {
    return;
  }
  var dragged = null;

  var hint = document.createElement("p");
  hint.className = "ae-planning__hint";
  hint.textContent = "Astuce : glissez une publication programmée sur un autre jour pour la reprogrammer à la même heure.";
  document.querySelector(".ae-calendar").before(hint);

  cards.forEach(function (form) {
    var card = form.closest(".ae-item");
    card.draggable = true;
    card.addEventListener("dragstart", function (event) {
      dragged = form;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.querySelector(".ae-item__title").textContent);
      card.classList.add("is-dragged");
    });
    card.addEventListener("dragend", function () {
      card.classList.remove("is-dragged");
      dragged = null;
    });
  });

  days.forEach(function (day) {
    day.addEventListener("dragover", function (event) {
      if (dragged) {
        event.preventDefault();
        day.classList.add("is-target");
      }
    });
    day.addEventListener("dragleave", function () {
      day.classList.remove("is-target");
    });
    day.addEventListener("drop", function (event) {
      event.preventDefault();
      day.classList.remove("is-target");
      if (!dragged) {
        return;
      }
      var input = dragged.querySelector("input[name=at]");
      var time = input.value.split("T")[1];
      if (day.dataset.date === input.value.split("T")[0] || !time) {
        return;
      }
      input.value = day.dataset.date + "T" + time;
      dragged.requestSubmit();
    });
  });
});
