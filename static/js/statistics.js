// The statistics page's charts, drawn with Chart.js (static/vendor/chartjs) from the numbers the
// page carries as JSON (Django's json_script; the Content-Security-Policy allows no inline script).
// Labels come translated from the server; numbers are formatted in the page's language.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var locale = document.documentElement.lang || "nl";
  var colour = getComputedStyle(document.documentElement).getPropertyValue("--accent").trim() || "#154273";

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var valueAxis = data.horizontal ? "x" : "y";
    var scales = {};
    scales[valueAxis] = { beginAtZero: true };
    if (data.percent) {
      scales[valueAxis].max = 100;
      scales[valueAxis].ticks = { callback: function (value) { return value.toLocaleString(locale) + "%"; } };
    }
    if (data.horizontal) {
      // One bar per label, however many: the canvas grows with them (CSS sets its container's height).
      canvas.parentNode.style.height = Math.max(12, data.labels.length * 1.6 + 4) + "rem";
    }
    new Chart(canvas, {
      type: data.type,
      data: {
        labels: data.labels,
        datasets: [{
          label: data.label,
          data: data.values,
          backgroundColor: colour,
          borderColor: colour,
          spanGaps: true,
          pointRadius: data.labels.length > 40 ? 0 : 3
        }]
      },
      options: {
        locale: locale,
        indexAxis: data.horizontal ? "y" : "x",
        animation: false, // drawn at once: printing and screenshots show the finished chart
        maintainAspectRatio: false,
        scales: scales,
        plugins: { legend: { display: false } }
      }
    });
  });
})();
