// Progressive enhancement only: every page works without this file.
// An element with data-events="URL" follows that console event stream (Server-Sent Events)
// and writes each instance phase into the element with data-phase-of="INSTANCE_ID".
(function () {
  "use strict";
  document.querySelectorAll("[data-events]").forEach(function (element) {
    if (!window.EventSource) { return; }
    var source = new EventSource(element.getAttribute("data-events"));
    source.onmessage = function (message) { apply(message.data); };
    source.addEventListener("phase", function (message) { apply(message.data); });
    function apply(text) {
      var event;
      try { event = JSON.parse(text); } catch (error) { return; }
      var phase = event.phase || (event.to && event.to.phase) || event.to;
      var id = event.instanceId || element.getAttribute("data-instance");
      if (!phase || !id) { return; }
      // The stream ends after a terminal phase; do not let EventSource reconnect for ever.
      if (["stopped", "succeeded", "failed"].indexOf(phase) >= 0) { source.close(); }
      document.querySelectorAll('[data-phase-of="' + id + '"]').forEach(function (cell) {
        cell.textContent = phase;
        cell.className = "phase phase-" + phase;
      });
    }
  });
})();
