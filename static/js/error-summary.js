// The error summary of a form (templates/includes/error_summary.html): focused when the page
// loads, so that a screen reader reads it and Tab goes to its links; a link moves the focus to
// its field and shows the field's label (or its group's legend) above it.
(function () {
  "use strict";

  function labelOf(input) {
    var fieldset = input.closest("fieldset");
    if (fieldset && fieldset.querySelector("legend")) {
      return fieldset.querySelector("legend");
    }
    return document.querySelector('label[for="' + input.id + '"]') || input;
  }

  function init() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest('a[href^="#"]');
      if (!link) {
        return;
      }
      var input = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!input) {
        return;
      }
      event.preventDefault();
      labelOf(input).scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
