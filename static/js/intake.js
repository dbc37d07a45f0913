// Polls the import status of the document on the review page and reloads once it is finished.
(function () {
  "use strict";
  var box = document.getElementById("import-status");
  if (!box || box.dataset.finished === "true") return;
  var progress = document.getElementById("import-progress");
  var text = document.getElementById("import-progress-text");
  var badge = document.getElementById("import-status-badge");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        badge.textContent = state.status_display;
        if (state.page_count) {
          progress.max = state.page_count;
          progress.value = state.pages_done;
          text.textContent = state.pages_done + " / " + state.page_count;
        }
        if (state.status !== "pending" && state.status !== "processing") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
