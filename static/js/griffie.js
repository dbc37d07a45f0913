// Behaviour every page shares; no page carries inline script (the Content-Security-Policy forbids it).
(function () {
  "use strict";
  // A select marked data-submit-on-change (the language switch) sends its form once a choice is made.
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // A button marked data-print prints the page (the print stylesheet leaves out menu and filters).
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
