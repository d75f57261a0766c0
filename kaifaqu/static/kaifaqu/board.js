/* The leads board: drag a card onto another column to open the project's stage dialog with
   that stage chosen (and its date today). The move itself is the dialog's: the one stage
   service, its rules, its messages. Vanilla JS, loaded by the board page only. */
(function () {
  "use strict";

  var dragged = null;

  function dialogUrl(card, stage) {
    var params = new URLSearchParams();
    params.set("to_stage", stage);
    params.set("next", window.location.pathname + window.location.search);
    return card.dataset.moveUrl + "?" + params.toString();
  }

  function openDialog(url) {
    if (typeof htmx === "undefined") { window.location.href = url; return; }
    htmx.ajax("GET", url, { target: "#modal-content", swap: "innerHTML" });
  }

  function columnOf(event) {
    return event.target.closest ? event.target.closest("[data-column]") : null;
  }

  function accepts(column) {
    return dragged && column && column.dataset.stage !== dragged.dataset.stage;
  }

  function unmark() {
    document.querySelectorAll("[data-column].border-primary").forEach(function (column) {
      column.classList.remove("border-primary", "border-2");
    });
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest ? event.target.closest("[data-card][draggable=true]") : null;
    if (!card) { return; }
    dragged = card;
    card.classList.add("opacity-50");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.project);
  });

  document.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("opacity-50"); }
    dragged = null;
    unmark();
  });

  document.addEventListener("dragover", function (event) {
    var column = columnOf(event);
    if (!accepts(column)) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!column.classList.contains("border-primary")) {
      unmark();
      column.classList.add("border-primary", "border-2");
    }
  });

  document.addEventListener("drop", function (event) {
    var column = columnOf(event);
    if (!accepts(column)) { return; }
    event.preventDefault();
    var url = dialogUrl(dragged, column.dataset.stage);
    dragged.classList.remove("opacity-50");
    dragged = null;
    unmark();
    openDialog(url);
  });

  // The dialog opened from the board: Enter confirms (focus on the button), unless the
  // dialog came back with an error, then on the field to correct (a reason, say).
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "modal-content") { return; }
    var form = event.detail.target.querySelector("[data-testid=move-form]");
    if (!form) { return; }
    var chosen = (event.detail.xhr.responseURL || "").indexOf("to_stage=") !== -1;
    setTimeout(function () {
      var invalid = form.querySelector(".is-invalid");
      var target = invalid || (chosen ? form.querySelector("button[type=submit]") : null);
      if (target) { target.focus(); }
    }, 200);
  });
})();
